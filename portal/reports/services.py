"""Writes of the statistics app: targets (snapshots and approval come with the summaries)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal.accounts.permissions import has_capability
from portal.accounts.roles import C

from .models import Target


def target_check(*, actor, target: Target) -> None:
    if not has_capability(actor, C.SET_TARGETS):
        raise ValidationError(_("Your role does not allow setting targets."))
    if not actor.unit.contains(target.unit):
        raise ValidationError(
            {"unit": [_("You can only set targets for %(unit)s and the units under it.") % {"unit": actor.unit.name}]}
        )
    if target.year_to < target.year_from:
        raise ValidationError({"year_to": [_("The last year comes before the first.")]})
    overlapping = Target.objects.filter(
        indicator=target.indicator, unit=target.unit, year_from__lte=target.year_to, year_to__gte=target.year_from
    ).exclude(pk=target.pk)
    if overlapping.exists():
        other = overlapping.first()
        raise ValidationError(
            {
                "year_from": [
                    _("%(unit)s already has this target for %(a)s–%(b)s; change that one instead.")
                    % {"unit": target.unit.name, "a": other.year_from, "b": other.year_to}
                ]
            }
        )


@transaction.atomic
def target_create(*, actor, indicator: str, unit, year_from: int, year_to: int, value, source: str = "") -> Target:
    target = Target(
        indicator=indicator,
        unit=unit,
        year_from=year_from,
        year_to=year_to,
        value=value,
        source=source,
        created_by=actor,
    )
    target_check(actor=actor, target=target)
    target.full_clean()
    target.save()
    return target


@transaction.atomic
def target_update(*, actor, target: Target, **changes) -> Target:
    if not has_capability(actor, C.SET_TARGETS) or not actor.unit.contains(target.unit):
        raise ValidationError(
            _("You can only change targets of %(unit)s and the units under it.") % {"unit": actor.unit.name}
        )
    for field, value in changes.items():
        setattr(target, field, value)
    target_check(actor=actor, target=target)
    target.full_clean()
    target.save()
    return target
