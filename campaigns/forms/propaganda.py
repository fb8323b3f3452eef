"""Forms of the propaganda pages: a program's fields, the quick-entry table of activities, the import upload.

Dates are typed dd/mm/yyyy and units by code, with the case pages' widgets (cases.forms); the services have the
last word on every rule, and their refusals land on the field (or the table row) they name.
"""

from pathlib import Path

from django import forms
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.forms import DateField, UnitCodeField, style_form, use_portal_dates
from portal.accounts.models import User
from portal.units.models import Unit

from ..models import ActivityFormat, PropagandaProgram, Topic
from ..propaganda_import import AreaUnits, CellError

ENTRY_ROWS = 10  # blank rows of the quick-entry table, and how many "add rows" adds
ENTRY_MAX_ROWS = 300
IMPORT_MAX_BYTES = 5 * 1024 * 1024


def unit_lookup(field: forms.Field, *, options: str, date_input: str | None = None) -> None:
    """Let static/portal/cases.js suggest units by name as a code is typed (the server decides anyway)."""
    attrs = {"data-unit-lookup": reverse("api:unit-list"), "data-legacy-label": _("legacy"), "list": options}
    if date_input:
        attrs["data-edition-from"] = date_input
    field.widget.attrs.update(attrs)


def dress_filter_form(form: forms.BaseForm) -> forms.BaseForm:
    """The programs filter (campaigns.filters, shared with the API) dressed for the list page."""
    style_form(form)
    for name, field in form.fields.items():
        if isinstance(field, forms.DateField):
            use_portal_dates(field)
            field.widget.attrs["class"] = "form-control form-control-sm"
        elif isinstance(field, forms.ChoiceField) and name != "unit_edition":
            field.widget.choices = [("", _("All")), *[c for c in field.choices if c[0] != ""]]
    form.fields["unit_edition"].widget = forms.HiddenInput()
    unit_lookup(form.fields["unit"], options="unit-options")
    form.fields["unit"].widget.attrs.update({"placeholder": _("e.g. 19"), "autocomplete": "off"})
    return form


class ProgramForm(forms.Form):
    """The fields of services.program_create / program_update; the unit is typed as its code."""

    title = forms.CharField(label=gettext_lazy("Program title"), max_length=255)
    unit = UnitCodeField(
        label=gettext_lazy("Unit running the program (code)"),
        help_text=gettext_lazy(
            "NSO code of the province, commune or ward whose committee runs the program (current unit list). "
            "Activities may be recorded in its whole area. Type a name to look the code up."
        ),
    )
    starts_on = DateField(label=gettext_lazy("Starts on"))
    ends_on = DateField(label=gettext_lazy("Ends on"))
    topics = forms.MultipleChoiceField(
        label=gettext_lazy("Topics"), choices=Topic.choices, widget=forms.CheckboxSelectMultiple
    )
    audience = forms.CharField(
        label=gettext_lazy("Target audience"),
        max_length=255,
        required=False,
        help_text=gettext_lazy("For example: pupils, workers of the industrial parks, people of border villages."),
    )
    planned_activities = forms.IntegerField(label=gettext_lazy("Planned activities"), min_value=0, required=False)
    planned_reach = forms.IntegerField(label=gettext_lazy("Planned reach (people)"), min_value=0, required=False)
    description = forms.CharField(
        label=gettext_lazy("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user: User, program: PropagandaProgram | None = None, **kwargs):
        self.user = user
        self.program = program
        if program is not None:
            kwargs.setdefault("initial", self.initial_for(program))
        super().__init__(*args, **kwargs)
        unit_lookup(self.fields["unit"], options="unit-options")
        if program is None:
            del self.fields["version"]
        else:
            self.fields["version"].required = True

    @staticmethod
    def initial_for(program: PropagandaProgram) -> dict:
        return {
            "title": program.title,
            "unit": program.unit.code,
            "starts_on": program.starts_on,
            "ends_on": program.ends_on,
            "topics": program.topics,
            "audience": program.audience,
            "planned_activities": program.planned_activities,
            "planned_reach": program.planned_reach,
            "description": program.description,
            "version": program.version,
        }

    def clean_unit(self) -> Unit:
        code = self.cleaned_data["unit"].strip()
        scope = Unit.objects.rolling_up_to(self.user.unit) if self.user.unit_id else Unit.objects.none()
        unit = scope.filter(code=code, edition=Unit.Edition.CURRENT).first()
        if unit is None:
            raise forms.ValidationError(
                _("No unit with code %(code)s in your scope in the current unit list.") % {"code": code}
            )
        return unit

    def service_arguments(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


def style_program_form(form: ProgramForm) -> ProgramForm:
    style_form(form)
    form.fields["topics"].widget.attrs["class"] = "form-check-input"
    return form


class ActivityRowForm(forms.Form):
    """One row of the quick-entry table: an activity of the program, its unit typed as a code."""

    on = DateField(label=gettext_lazy("Date"))
    unit = UnitCodeField(label=gettext_lazy("Unit code"))
    format = forms.ChoiceField(label=gettext_lazy("Format"))
    topic = forms.ChoiceField(label=gettext_lazy("Topic"))
    audience = forms.IntegerField(label=gettext_lazy("People reached"), min_value=0, required=False)
    materials = forms.IntegerField(label=gettext_lazy("Materials"), min_value=0, required=False)
    note = forms.CharField(label=gettext_lazy("Note"), max_length=255, required=False)

    def __init__(self, *args, program: PropagandaProgram, units: AreaUnits | None = None, **kwargs):
        self.program = program
        self.units = units
        super().__init__(*args, **kwargs)
        blank = [("", "—")]
        self.fields["format"].choices = blank + list(ActivityFormat.choices)
        self.fields["topic"].choices = blank + [(v, label) for v, label in Topic.choices if v in program.topics]
        if len(program.topics) == 1:
            self.fields["topic"].initial = program.topics[0]  # still a blank row until something else is typed
        for name, field in self.fields.items():
            field.widget.attrs["aria-label"] = field.label
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = f"{css} form-control-sm" if css == "form-control" else f"{css} form-select-sm"
            if name in ("audience", "materials"):
                field.widget.attrs["placeholder"] = "0"
        unit_lookup(self.fields["unit"], options="unit-options", date_input=self["on"].auto_id)

    def clean(self):
        cleaned = super().clean()
        code = (cleaned.get("unit") or "").strip()
        if not code or "on" in self.errors:
            return cleaned
        try:
            cleaned["unit"] = self.units.find(code, cleaned.get("on"))
        except CellError as exc:
            self.add_error("unit", str(exc))
        return cleaned

    def full_clean(self):
        super().full_clean()
        if self.is_bound:
            for name in self.errors:
                if name in self.fields:
                    self.fields[name].widget.attrs["class"] += " is-invalid"

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["audience"] = data.get("audience") or 0
        data["materials"] = data.get("materials") or 0
        return data


class BaseActivityFormSet(forms.BaseFormSet):
    """Rows left blank are skipped; the view numbers the others as the table shows them."""

    def initial_form_count(self) -> int:
        # Rows carried over by "add rows" come back pre-filled, yet are new rows: each is recorded only if filled in.
        return super().initial_form_count() if self.is_bound else 0

    def filled(self) -> list[tuple[int, ActivityRowForm]]:
        return [(i + 1, form) for i, form in enumerate(self.forms) if form.has_changed()]


def activity_formset_class(rows: int) -> type[BaseActivityFormSet]:
    return forms.formset_factory(
        ActivityRowForm,
        formset=BaseActivityFormSet,
        extra=rows,
        max_num=ENTRY_MAX_ROWS,
        absolute_max=ENTRY_MAX_ROWS,
        validate_max=True,
    )


class ActivityImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File (XLSX or CSV)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv", "class": "form-control"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in {".csv", ".xlsx"}:
            raise forms.ValidationError(_("Upload a .xlsx or .csv file."))
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)d MB; split it.") % {"mb": IMPORT_MAX_BYTES // (1024 * 1024)}
            )
        return upload
