"""What every campaigns service shares: the refusal types, date and scope checks, optimistic locking."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal import errors as portal_errors
from portal.accounts.models import User
from portal.units.models import Unit


class CampaignError(ValidationError):
    """A refused write, worded for the user (a form error on pages, 400 in the API)."""


class StaleVersionError(CampaignError, portal_errors.StaleVersionError):
    """The record changed since the user loaded it (409 in the API); nothing was written."""


def d(value: date) -> str:
    return date_format(value, "d/m/Y")


def today() -> date:
    return timezone.localdate()


def check_unit(*, actor: User, unit: Unit, field: str = "unit") -> None:
    if actor.unit is None or not actor.unit.contains(unit):
        raise CampaignError({field: _("This unit is outside your scope.")})


def check_date(*, on: date, field: str, not_before: date | None = None, label: str = "") -> None:
    if on > today():
        raise CampaignError({field: _("The date %(d)s is in the future.") % {"d": d(on)}})
    if not_before and on < not_before:
        raise CampaignError(
            {field: _("The date %(d)s is before %(what)s (%(b)s).") % {"d": d(on), "what": label, "b": d(not_before)}}
        )


def locked(model, obj, version: int):
    """Lock the row and refuse the write if someone else changed it meanwhile."""
    current = model.objects.select_for_update().get(pk=obj.pk)
    if current.version != version:
        raise StaleVersionError(
            _(
                "This record was changed by someone else after you opened it (your version %(mine)s, "
                "now %(now)s). Reload it to see their changes; nothing was saved."
            )
            % {"mine": version, "now": current.version}
        )
    return current


def clean(obj, exclude: Iterable[str] = ()) -> None:
    """The model's own validation (ranges, choices, constraints), as a refusal worded for the user."""
    try:
        obj.full_clean(exclude=list(exclude))
    except ValidationError as exc:
        raise CampaignError(exc.error_dict if hasattr(exc, "error_dict") else exc.messages) from exc


def save_versioned(obj, fields: Iterable[str]) -> None:
    obj.version += 1
    obj.save(update_fields=[*fields, "version", "updated_at"])


def illegal_move(current_label: str, to_label: str, allowed: list[str], labels: dict) -> CampaignError:
    moves = ", ".join(str(labels[s]) for s in allowed) or _("none (final status)")
    return CampaignError(
        {
            "to": _("A record in %(status)s cannot move to %(to)s. Allowed moves: %(moves)s.")
            % {"status": current_label, "to": to_label, "moves": moves}
        }
    )
