"""What the campaigns API views share: access rules, named enum fields, partial-update and transition inputs."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from portal.accounts.permissions import requires
from portal.accounts.roles import C
from portal.api import DateField, ReadOnly
from portal.units.models import Unit

HOTSPOT_ACCESS = [requires(C.VIEW_CAMPAIGNS), ReadOnly | requires(C.EDIT_CAMPAIGNS)]
MODEL_ACCESS = [requires(C.VIEW_PROPAGANDA), ReadOnly | requires(C.EDIT_PROPAGANDA)]


def today():
    return timezone.localdate()  # looked up at call time, so a test's frozen clock applies


class PartialInputMixin:
    """Every field optional except `version`; unknown fields are refused rather than ignored."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "version":
                field.required = False

    def validate(self, attrs: dict) -> dict:
        unknown = sorted(set(self.initial_data) - set(self.fields))
        if unknown:
            raise ValidationError({name: [_("This field cannot be changed here.")] for name in unknown})
        return attrs


class TransitionInputSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text=_("The version you last read."))
    on = DateField(default=today, help_text=_("Date of the move; defaults to today."))


class UnitCodeInScopeField(serializers.CharField):
    """A unit code among the units rolling up to the user's unit; a current unit wins over a legacy one."""

    default_error_messages = {"does_not_exist": _("Unit “{value}” not found, or outside your unit's scope.")}

    def to_internal_value(self, data) -> Unit:
        code = super().to_internal_value(data).strip()
        unit = self.context["request"].user.unit
        # NUL: no unit has it, and PostgreSQL refuses to compare it (DRF checks for it only after this lookup).
        units = [] if unit is None or "\x00" in code else list(Unit.objects.rolling_up_to(unit).filter(code=code))
        if not units:
            self.fail("does_not_exist", value=code)
        return next((u for u in units if u.edition == Unit.Edition.CURRENT), units[0])
