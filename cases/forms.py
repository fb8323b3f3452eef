"""Forms of the case pages: record and edit a case, and the workflow actions (move, clear, extend)."""

from datetime import date

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.selectors import campaign_list, hotspot_list
from portal.accounts.models import User
from portal.dates import validate_plausible_date
from portal.units.models import Unit

from .models import Case, Severity
from .selectors import category_list
from .services import edition_in_force

# Dates are typed and shown dd/mm/yyyy, as everywhere in the portal. A native <input type="date">
# shows the browser's own format instead (mm/dd/yyyy on an English system), which would make
# 05/09 ambiguous to the portal's users; ISO dates (from links, tests, scripts) are accepted too.
DATE_DISPLAY = "%d/%m/%Y"
DATE_INPUT_FORMATS = [DATE_DISPLAY, "%Y-%m-%d"]


def date_input() -> forms.DateInput:
    return forms.DateInput(
        format=DATE_DISPLAY,
        attrs={"placeholder": _("dd/mm/yyyy"), "inputmode": "numeric", "autocomplete": "off", "maxlength": 10},
    )


class DateField(forms.DateField):
    """A date typed dd/mm/yyyy (or ISO), whatever the language's default input formats say."""

    default_validators = [validate_plausible_date]

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", date_input())
        kwargs.setdefault("input_formats", DATE_INPUT_FORMATS)
        super().__init__(**kwargs)


def use_portal_dates(field: forms.DateField) -> None:
    """Make a date field of a form we do not own (the list filters) read and show dd/mm/yyyy."""
    field.widget = date_input()
    field.input_formats = DATE_INPUT_FORMATS


def style_form(form: forms.BaseForm) -> forms.BaseForm:
    """Give every widget its Bootstrap class, and mark the fields that have errors."""
    errors = form.errors if form.is_bound else {}
    for name, field in form.fields.items():
        widget = field.widget
        if widget.is_hidden:
            continue
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        classes = {css, *widget.attrs.get("class", "").split()}
        if name in errors:
            classes.add("is-invalid")
        widget.attrs["class"] = " ".join(sorted(classes))
    return form


def filter_form_for_page(form: forms.BaseForm) -> forms.BaseForm:
    """The list filters (cases.filters, shared with the API) dressed for the page."""
    style_form(form)
    for field in form.fields.values():
        if isinstance(field, forms.ModelChoiceField):
            field.empty_label = _("All")
        elif isinstance(field, forms.ChoiceField):
            # The widget only: validation keeps the field's own choices.
            field.widget.choices = [("", _("All")), *[c for c in field.choices if c[0] != ""]]
    if "unit" in form.fields:
        form.fields["unit"].widget.attrs.update(
            {
                "data-unit-lookup": reverse("api:unit-list"),
                "data-legacy-label": _("legacy"),
                "list": "unit-options",
                "placeholder": _("e.g. 19"),
            }
        )
    if "q" in form.fields:
        form.fields["q"].widget.attrs["placeholder"] = _("Reference or words of the title")
    return form


def add_service_error(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a refused write's message on the form: on the field it names, else above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, errors in error.message_dict.items():
        visible = field in form.fields and not form.fields[field].widget.is_hidden
        form.add_error(field if visible and field != NON_FIELD_ERRORS else None, errors)


class UnitCodeField(forms.CharField):
    """A unit typed as its NSO code; the form resolves it in the edition in force on the recorded-on date."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 8)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "autocomplete": "off", "spellcheck": "false"}


class CaseForm(forms.Form):
    """The fields of services.case_create / case_update, with units typed by code.

    A national user's scope holds over 13,000 current and legacy units, too many for a select, so
    the place is typed as its NSO code (cases.js suggests units in scope by name through the units
    API). The code is read in the edition in force on the recorded-on date, as the import reads it
    and as the service requires: legacy before 1 July 2025, current from then on.
    """

    title = forms.CharField(label=_("Title"), max_length=255)
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    category = forms.ModelChoiceField(label=_("Offence"), queryset=category_list(), empty_label=_("— choose —"))
    severity = forms.ChoiceField(label=_("Severity"), choices=[("", _("— choose —")), *Severity.choices])
    received_on = DateField(
        label=_("Received on"),
        required=False,
        help_text=_("Leave blank when it is the recorded-on date."),
    )
    recorded_on = DateField(
        label=_("Recorded on"),
        initial=timezone.localdate,
        help_text=_("The date the case counts in statistics."),
    )
    occurred_on = DateField(label=_("Occurred on"), required=False)
    unit = UnitCodeField(
        label=_("Place (unit code)"),
        help_text=_(
            "NSO code of the commune, legacy district or province where it happened, in the list in force "
            "on the recorded-on date (legacy before 1/7/2025). Type a name to look the code up."
        ),
    )
    handling_unit = UnitCodeField(
        label=_("Handling unit (code)"),
        required=False,
        help_text=_("Optional; read in the same list as the place."),
    )
    officers = forms.ModelMultipleChoiceField(
        label=_("Assigned officers"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    damage_amount = forms.IntegerField(label=_("Damage (VND)"), required=False, min_value=0)
    recovered_amount = forms.IntegerField(label=_("Recovered (VND)"), required=False, min_value=0)
    campaign = forms.ModelChoiceField(
        label=_("Crackdown campaign"),
        queryset=Case.objects.none(),
        required=False,
        empty_label=_("— none —"),
        help_text=_("The campaign the case is counted for; it must cover the case's place."),
    )
    hotspot = forms.ModelChoiceField(
        label=_("Hotspot"),
        queryset=Case.objects.none(),
        required=False,
        empty_label=_("— none —"),
        help_text=_("The hotspot the case belongs to; its area must hold the case's place."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user: User, case: Case | None = None, **kwargs):
        self.user = user
        self.case = case
        if case is not None:
            kwargs.setdefault("initial", self.initial_for(case))
        super().__init__(*args, **kwargs)
        self.fields["officers"].queryset = (
            User.objects.visible_to(user)
            .filter(is_active=True, role__in=[User.Role.STANDING_OFFICER, User.Role.INVESTIGATOR])
            .select_related("unit")
            .order_by("unit__path", "full_name", "username")
        )
        self.fields["officers"].label_from_instance = lambda u: f"{u} — {u.unit.name}" if u.unit else str(u)
        self.fields["campaign"].queryset = campaign_list(user=user).select_related(None).prefetch_related(None)
        self.fields["campaign"].label_from_instance = lambda c: (
            f"{c.name} ({c.starts_on:%d/%m/%Y} – {c.ends_on:%d/%m/%Y})"
        )
        self.fields["hotspot"].queryset = hotspot_list(user=user).select_related("unit").order_by("name")
        self.fields["hotspot"].label_from_instance = lambda h: f"{h.name} — {h.unit.name}"
        for name in ("unit", "handling_unit"):
            self.fields[name].widget.attrs.update(
                {
                    "data-unit-lookup": reverse("api:unit-list"),
                    "data-edition-from": "id_recorded_on",
                    "list": f"{name}-options",
                    "data-legacy-label": _("legacy"),
                }
            )
        if case is None:
            del self.fields["version"]
        else:
            del self.fields["received_on"]  # fixed at receipt: the deadlines run from it
            self.fields["version"].required = True
        if user.role == User.Role.INVESTIGATOR:
            # An investigator's cases are handled by their own unit (the service sets it on create).
            del self.fields["handling_unit"]

    @staticmethod
    def initial_for(case: Case) -> dict:
        return {
            "title": case.title,
            "summary": case.summary,
            "category": case.category_id,
            "severity": case.severity,
            "recorded_on": case.recorded_on,
            "occurred_on": case.occurred_on,
            "unit": case.unit.code,
            "handling_unit": case.handling_unit.code if case.handling_unit_id else "",
            "officers": [o.pk for o in case.officers.all()],
            "damage_amount": case.damage_amount,
            "recovered_amount": case.recovered_amount,
            "campaign": case.campaign_id,
            "hotspot": case.hotspot_id,
            "version": case.version,
        }

    def _resolve_unit(self, field: str, recorded_on: date) -> None:
        code = (self.cleaned_data.get(field) or "").strip()
        self.cleaned_data[field] = None
        if not code:
            return
        existing = getattr(self.case, field, None) if self.case is not None else None
        if existing is not None and existing.code == code and field == "handling_unit":
            self.cleaned_data[field] = existing
            return  # unchanged: keep the unit it names, whichever list it came from
        edition = Unit.Edition.CURRENT if code == Unit.ROOT_CODE else edition_in_force(recorded_on)
        # Only units whose records count under the user's own unit: what the service accepts.
        in_scope = Unit.objects.visible_to(self.user).rolling_up_to(self.user.unit) if self.user.unit else None
        unit = in_scope.filter(code=code, edition=edition).first() if in_scope is not None else None
        if unit is None:
            edition_label = Unit.Edition(edition).label
            self.add_error(
                field,
                _(
                    "No unit with code %(code)s in your scope in the unit list in force "
                    "on the recorded-on date (%(edition)s)."
                )
                % {"code": code, "edition": edition_label},
            )
            return
        self.cleaned_data[field] = unit

    def clean(self):
        cleaned = super().clean()
        recorded_on = cleaned.get("recorded_on")
        if recorded_on is None:
            return cleaned  # the field has its own error; units cannot be read without the date
        for field in ("unit", "handling_unit"):
            if field in self.fields and field not in self.errors:
                self._resolve_unit(field, recorded_on)
        return cleaned

    def service_arguments(self) -> dict:
        """The cleaned data as the service's keyword arguments."""
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


class ActionForm(forms.Form):
    """What every workflow action carries: the version the user saw (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class TransitionForm(ActionForm):
    to = forms.ChoiceField(choices=Case.Status.choices, widget=forms.HiddenInput)
    on = DateField(label=_("Date"), initial=timezone.localdate)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ClearForm(ActionForm):
    on = DateField(label=_("Cleared on"), initial=timezone.localdate)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example how the offenders were identified."),
    )


class ExtendForm(ActionForm):
    new_due_on = DateField(label=_("New deadline"))
    granted_on = DateField(label=_("Granted on"), initial=timezone.localdate)
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
