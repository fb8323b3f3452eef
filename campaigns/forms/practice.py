"""Forms of the campaigns pages: the list filters dressed for a page, record/edit forms and lifecycle actions.

The widgets, dates (dd/mm/yyyy) and service-error placement are the case pages' own (cases.forms), so every
page of the portal reads and types the same way.
"""

from datetime import date
from decimal import Decimal

from django import forms
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.forms import DateField, UnitCodeField, add_service_error, style_form, use_portal_dates
from portal.accounts.models import User
from portal.units.models import Unit

from ..models import GoodPracticeModel, Hotspot

__all__ = [
    "EvaluationForm",
    "GoodPracticeModelForm",
    "HotspotForm",
    "HotspotTransitionForm",
    "ModelTransitionForm",
    "ReplicationForm",
    "add_service_error",
    "filter_form_for_page",
    "style_form",
]

# --- Shared by the campaigns pages: list filters, units typed by code, coordinates, versioned forms ---------

REFORM_DAY = date(2025, 7, 1)  # the current (two-level) unit list is in force from this day


def today():
    """Today, looked up at each use (a field's initial value), so a test's frozen clock applies."""
    return timezone.localdate()


def filter_form_for_page(form: forms.BaseForm) -> forms.BaseForm:
    """A campaigns list filter (campaigns.filters, shared with the API) dressed for the page."""
    for field in form.fields.values():
        if isinstance(field, forms.DateField):
            use_portal_dates(field)
    if "unit_edition" in form.fields:
        form.fields["unit_edition"].widget = forms.HiddenInput()
    style_form(form)  # validates the form: the date formats above must already be in place
    for name, field in form.fields.items():
        if isinstance(field, forms.ChoiceField) and name != "unit_edition":
            # The widget only: validation keeps the field's own choices.
            field.widget.choices = [("", _("All")), *[c for c in field.choices if c[0] != ""]]
    form.fields["unit"].widget.attrs.update(
        {
            "data-unit-lookup": reverse("api:unit-list"),
            "data-legacy-label": _("legacy"),
            "list": "unit-options",
            "placeholder": _("e.g. 19"),
            "autocomplete": "off",
        }
    )
    return form


def unit_by_code(units: QuerySet[Unit], code: str, on: date | None) -> Unit | None:
    """The unit a typed code names: a legacy unit for a date before the reform when one has that code, else current."""
    code = code.strip()
    found = {u.edition: u for u in units.filter(code=code)}
    if on is not None and on < REFORM_DAY and Unit.Edition.LEGACY in found:
        return found[Unit.Edition.LEGACY]
    return found.get(Unit.Edition.CURRENT) or found.get(Unit.Edition.LEGACY)


def units_in_scope(user: User) -> QuerySet[Unit]:
    """Units whose records count under the user's unit: where the user may record things."""
    return Unit.objects.rolling_up_to(user.unit) if user.unit_id else Unit.objects.none()


def unit_lookup_attrs(field: forms.Field, *, date_field: str | None = None, options: str = "unit-options") -> None:
    """Let static/portal/cases.js suggest units by name as the code is typed (the server validates anyway)."""
    attrs = {"data-unit-lookup": reverse("api:unit-list"), "data-legacy-label": _("legacy"), "list": options}
    if date_field:
        attrs["data-edition-from"] = f"id_{date_field}"
    field.widget.attrs.update(attrs)


class CoordinateField(forms.DecimalField):
    """A latitude or longitude in decimal degrees; a comma is read as the decimal point ("21,59" = 21.59)."""

    def __init__(self, *, limit: int, **kwargs):
        super().__init__(
            max_digits=9,
            decimal_places=6,
            min_value=Decimal(-limit),
            max_value=Decimal(limit),
            required=False,
            widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "spellcheck": "false"}),
            **kwargs,
        )

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip()
            if "," in value and "." not in value:
                value = value.replace(",", ".")
        number = super().to_python(value)
        if number is not None and abs(number) <= 180:
            # More decimals than a stored coordinate keeps (about 0.1 m) are rounded, not refused.
            number = number.quantize(Decimal("0.000001"))
        return number

    def prepare_value(self, value):
        # Show what was stored without the padding zeros: 21.592200 -> 21.5922.
        if isinstance(value, Decimal):
            return format(value.normalize(), "f")
        return value


class VersionedForm(forms.Form):
    """A record form: `version` (the version the user opened) only when editing."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, editing: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            self.fields["version"].required = True
        else:
            del self.fields["version"]


class ActionForm(forms.Form):
    """What every lifecycle action carries: the version the user saw (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


# --- Hotspots ----------------------------------------------------------------------------------


class HotspotForm(VersionedForm):
    """The fields of services.hotspot_create / hotspot_update, with the unit typed as its code."""

    name = forms.CharField(label=_("Name"), max_length=255, help_text=_("For example the street, market or hamlet."))
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("— choose —")), *Hotspot.Kind.choices])
    unit = UnitCodeField(
        label=_("Commune (unit code)"),
        help_text=_(
            "NSO code of the commune (or province) where the hotspot lies; before 1/7/2025 a code is read in "
            "the legacy list first. Type a name to look the code up."
        ),
    )
    identified_on = DateField(label=_("Identified on"), initial=today)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    latitude = CoordinateField(label=_("Latitude"), limit=90, help_text=_("Decimal degrees, e.g. 21.5922"))
    longitude = CoordinateField(label=_("Longitude"), limit=180, help_text=_("Decimal degrees, e.g. 105.8441"))
    note = forms.CharField(
        label=_("Note on the timeline"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example the source: a tip-off, a patrol report."),
    )

    def __init__(self, *args, user: User, hotspot: Hotspot | None = None, **kwargs):
        self.user = user
        self.hotspot = hotspot
        if hotspot is not None:
            kwargs.setdefault("initial", self.initial_for(hotspot))
        super().__init__(*args, editing=hotspot is not None, **kwargs)
        if hotspot is not None:
            del self.fields["note"]  # an edit writes its own timeline entry, naming the fields changed
        unit_lookup_attrs(self.fields["unit"], date_field="identified_on")

    @staticmethod
    def initial_for(hotspot: Hotspot) -> dict:
        return {
            "name": hotspot.name,
            "kind": hotspot.kind,
            "unit": hotspot.unit.code,
            "identified_on": hotspot.identified_on,
            "description": hotspot.description,
            "latitude": hotspot.latitude,
            "longitude": hotspot.longitude,
            "version": hotspot.version,
        }

    def clean(self):
        cleaned = super().clean()
        latitude, longitude = cleaned.get("latitude"), cleaned.get("longitude")
        if (latitude is None) != (longitude is None) and not {"latitude", "longitude"} & set(self.errors):
            self.add_error(
                "longitude" if longitude is None else "latitude",
                _("Give both the latitude and the longitude, or neither."),
            )
        code = cleaned.get("unit")
        if code and "unit" not in self.errors:
            if self.hotspot is not None and code.strip() == self.hotspot.unit.code:
                cleaned["unit"] = self.hotspot.unit  # unchanged: keep the unit it names, whichever list
            else:
                unit = unit_by_code(units_in_scope(self.user), code, cleaned.get("identified_on"))
                if unit is None:
                    self.add_error("unit", _("No unit with code %(code)s in your scope.") % {"code": code.strip()})
                else:
                    cleaned["unit"] = unit
        return cleaned

    def service_arguments(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


class HotspotTransitionForm(ActionForm):
    to = forms.ChoiceField(choices=Hotspot.Status.choices, widget=forms.HiddenInput)
    on = DateField(label=_("Date"), initial=today)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


# --- Good-practice models ----------------------------------------------------------------------


class GoodPracticeModelForm(VersionedForm):
    """The fields of services.model_create / model_update, with the unit typed as its code."""

    name = forms.CharField(label=_("Name"), max_length=255)
    field = forms.ChoiceField(label=_("Field"), choices=[("", _("— choose —")), *GoodPracticeModel.Field.choices])
    unit = UnitCodeField(
        label=_("Unit (code)"),
        help_text=_("NSO code of the unit that runs the model. Type a name to look the code up."),
    )
    started_on = DateField(label=_("Started on"))
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, user: User, model: GoodPracticeModel | None = None, **kwargs):
        self.user = user
        self.model = model
        if model is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": model.name,
                    "field": model.field,
                    "unit": model.unit.code,
                    "started_on": model.started_on,
                    "description": model.description,
                    "version": model.version,
                },
            )
        super().__init__(*args, editing=model is not None, **kwargs)
        unit_lookup_attrs(self.fields["unit"], date_field="started_on")

    def clean(self):
        cleaned = super().clean()
        code = cleaned.get("unit")
        if code and "unit" not in self.errors:
            if self.model is not None and code.strip() == self.model.unit.code:
                cleaned["unit"] = self.model.unit
            else:
                unit = unit_by_code(units_in_scope(self.user), code, cleaned.get("started_on"))
                if unit is None:
                    self.add_error("unit", _("No unit with code %(code)s in your scope.") % {"code": code.strip()})
                else:
                    cleaned["unit"] = unit
        return cleaned

    def service_arguments(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


class ModelTransitionForm(ActionForm):
    to = forms.ChoiceField(choices=GoodPracticeModel.Status.choices, widget=forms.HiddenInput)
    on = DateField(label=_("Date"), initial=today)


class ReplicationForm(forms.Form):
    """A unit (in the user's scope) the model was replicated to, and when."""

    unit = UnitCodeField(label=_("Unit replicated to (code)"))
    replicated_on = DateField(label=_("Replicated on"), initial=today)

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        super().__init__(*args, auto_id="replicate-%s", **kwargs)
        unit_lookup_attrs(self.fields["unit"], options="replication-unit-options")
        self.fields["unit"].widget.attrs["data-edition-from"] = "replicate-replicated_on"

    def clean(self):
        cleaned = super().clean()
        code = cleaned.get("unit")
        if code and "unit" not in self.errors:
            unit = unit_by_code(units_in_scope(self.user), code, cleaned.get("replicated_on"))
            if unit is None:
                self.add_error("unit", _("No unit with code %(code)s in your scope.") % {"code": code.strip()})
            else:
                cleaned["unit"] = unit
        return cleaned


class EvaluationForm(forms.Form):
    """An evaluation of a model: when, by whom (a person or body, optionally a unit), what they found, a rating."""

    on = DateField(label=_("Date"), initial=today)
    evaluator = forms.CharField(
        label=_("Evaluated by"), max_length=255, help_text=_("For example an inspection team or a committee.")
    )
    evaluator_unit = UnitCodeField(
        label=_("Evaluator's unit (code)"),
        required=False,
        help_text=_("Optional; your unit, one under it or above it."),
    )
    text = forms.CharField(label=_("Evaluation"), widget=forms.Textarea(attrs={"rows": 3}))
    rating = forms.TypedChoiceField(
        label=_("Rating"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("— none —")), *[(n, f"{n}/5") for n in range(1, 6)]],
    )

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        super().__init__(*args, auto_id="evaluate-%s", **kwargs)
        unit_lookup_attrs(self.fields["evaluator_unit"], options="evaluator-unit-options")

    def clean(self):
        cleaned = super().clean()
        code = (cleaned.get("evaluator_unit") or "").strip()
        cleaned["evaluator_unit"] = None
        if code and "evaluator_unit" not in self.errors:
            # An evaluation may come from above (the province evaluating a commune's model): any unit the user sees.
            unit = unit_by_code(Unit.objects.visible_to(self.user), code, cleaned.get("on"))
            if unit is None:
                self.add_error(
                    "evaluator_unit", _("No unit with code %(code)s among the units you can see.") % {"code": code}
                )
            else:
                cleaned["evaluator_unit"] = unit
        return cleaned
