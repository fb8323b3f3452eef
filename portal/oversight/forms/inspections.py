"""Forms of the inspection and directive pages: record/edit an inspection, attach a document, record/edit a
directive, report its progress, and the list filters dressed for a page.

Dates read and show dd/mm/yyyy, units are typed by their NSO code, and a refused write lands on the field it
names, as on the case and campaign pages (cases.forms, campaigns.forms.practice).
"""

import re
from datetime import date

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from campaigns.forms.practice import (
    ActionForm,
    VersionedForm,
    filter_form_for_page,
    today,
    unit_by_code,
    unit_lookup_attrs,
    units_in_scope,
)
from cases.forms import DateField, UnitCodeField, add_service_error, style_form
from portal.accounts.models import User
from portal.units.models import Unit

from ..models import Directive, Inspection, Topic

__all__ = [
    "DirectiveForm",
    "DirectiveProgressForm",
    "DocumentForm",
    "InspectionForm",
    "add_service_error",
    "directive_filter_form",
    "inspection_filter_form",
    "style",
]

ACCEPTED_FILES = ".pdf,.docx,.doc,.xlsx,.jpg,.jpeg,.png"  # a hint to the browser; the service checks the content
CODE_SEPARATORS = re.compile(r"[\s,;]+")


def style(form: forms.BaseForm) -> forms.BaseForm:
    """style_form, with checkboxes dressed as Bootstrap checks rather than text inputs."""
    style_form(form)
    errors = form.errors if form.is_bound else {}
    for name, field in form.fields.items():
        if isinstance(field.widget, forms.CheckboxSelectMultiple):
            field.widget.attrs["class"] = "form-check-input" + (" is-invalid" if name in errors else "")
    return form


def inspection_filter_form(form: forms.BaseForm) -> forms.BaseForm:
    """The inspection list filters (filters.inspections, shared with the API) dressed for the page."""
    return filter_form_for_page(form)


def directive_filter_form(form: forms.BaseForm) -> forms.BaseForm:
    """The directive list filters dressed for the page: "overdue" reads All / overdue only / not overdue."""
    filter_form_for_page(form)
    form.fields["overdue"].widget = forms.Select(
        choices=[("", _("All")), ("true", _("Overdue only")), ("false", _("Not overdue"))],
        attrs={"class": "form-select"},
    )
    form.fields["inspection"].widget = forms.HiddenInput()  # set by the link from an inspection's page
    return form


def resolve_unit(user: User, code: str, on: date | None, keep: list[Unit] = ()) -> Unit | None:
    """The unit a typed code names in the user's scope (legacy before the reform); a unit already chosen keeps
    its own list when its code is typed again unchanged."""
    code = code.strip()
    for unit in keep:
        if unit.code == code:
            return unit
    return unit_by_code(units_in_scope(user), code, on)


# --- Inspections -----------------------------------------------------------------------------------


class InspectionForm(VersionedForm):
    """The fields of services.inspection_create / inspection_update; the units typed by their codes."""

    inspecting_body = forms.CharField(
        label=_("Inspecting body"),
        max_length=255,
        help_text=_("e.g. Đoàn kiểm tra của Chính phủ, Ban Chỉ đạo 138 tỉnh."),
    )
    inspecting_unit = UnitCodeField(
        label=_("Inspecting unit (code)"),
        help_text=_("NSO code of the unit whose committee sent the team (current unit list): yours or one under it."),
    )
    inspected_units = UnitCodeField(
        label=_("Inspected units (codes)"),
        max_length=200,
        help_text=_(
            "NSO codes of the units visited, separated by commas (e.g. 19, 05860); they must lie in the "
            "inspecting unit's area. Before 1/7/2025 a code is read in the legacy list first."
        ),
    )
    starts_on = DateField(label=_("From"))
    ends_on = DateField(label=_("To"))
    topics = forms.MultipleChoiceField(label=_("Topics"), choices=Topic.choices, widget=forms.CheckboxSelectMultiple)
    assessment = forms.CharField(label=_("Assessment"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    findings = forms.CharField(label=_("Findings"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    rating = forms.ChoiceField(
        label=_("Rating"), required=False, choices=[("", _("— none —")), *Inspection.Rating.choices]
    )

    def __init__(self, *args, user: User, inspection: Inspection | None = None, **kwargs):
        self.user = user
        self.inspection = inspection
        self.current_units = [row.unit for row in inspection.inspected.all()] if inspection is not None else []
        if inspection is not None:
            kwargs.setdefault(
                "initial",
                {
                    "inspecting_body": inspection.inspecting_body,
                    "inspecting_unit": inspection.inspecting_unit.code,
                    "inspected_units": ", ".join(u.code for u in self.current_units),
                    "starts_on": inspection.starts_on,
                    "ends_on": inspection.ends_on,
                    "topics": inspection.topics,
                    "assessment": inspection.assessment,
                    "findings": inspection.findings,
                    "rating": inspection.rating,
                    "version": inspection.version,
                },
            )
        elif user.unit_id:
            kwargs.setdefault("initial", {"inspecting_unit": user.unit.code})
        super().__init__(*args, editing=inspection is not None, **kwargs)
        unit_lookup_attrs(self.fields["inspecting_unit"], date_field="starts_on", options="inspecting-unit-options")
        # Several codes: the suggestions help with the first one typed; the server reads them all.
        unit_lookup_attrs(self.fields["inspected_units"], date_field="starts_on", options="inspected-unit-options")

    def clean(self):
        cleaned = super().clean()
        on = cleaned.get("starts_on")
        code = cleaned.get("inspecting_unit")
        if code and "inspecting_unit" not in self.errors:
            # A new code is read in the current list whatever the date (the committee sending a team is a current
            # unit, and it holds the legacy units of its area); an unchanged code keeps the recorded unit, legacy
            # or not, so editing a 2021 inspection never moves it to another unit.
            keep = [self.inspection.inspecting_unit] if self.inspection is not None else []
            unit = resolve_unit(self.user, code, None, keep)
            if unit is None:
                self.add_error(
                    "inspecting_unit", _("No unit with code %(code)s in your scope.") % {"code": code.strip()}
                )
            else:
                cleaned["inspecting_unit"] = unit
        codes = cleaned.get("inspected_units")
        if codes and "inspected_units" not in self.errors:
            units, missing = [], []
            for code in dict.fromkeys(c for c in CODE_SEPARATORS.split(codes) if c):
                unit = resolve_unit(self.user, code, on, self.current_units)
                (units if unit is not None else missing).append(unit or code)
            if missing:
                self.add_error(
                    "inspected_units",
                    [_("No unit with code %(code)s in your scope.") % {"code": code} for code in missing],
                )
            else:
                cleaned["inspected_units"] = units
        return cleaned

    def service_arguments(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


class DocumentForm(forms.Form):
    """A document to attach; the service checks its type by name and by content, and its size."""

    file = forms.FileField(label=_("Document"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="document-%s", **kwargs)
        self.fields["file"].help_text = _("PDF, DOCX, DOC, XLSX, JPEG or PNG, at most %(mb)s MB.") % {
            "mb": settings.OVERSIGHT_MAX_UPLOAD_MB
        }
        self.fields["file"].widget.attrs["accept"] = ACCEPTED_FILES


# --- Directives ------------------------------------------------------------------------------------


class DirectiveForm(VersionedForm):
    """The fields of services.directive_create / directive_update; the responsible unit typed by its code, read
    in the unit list of the inspection's date (as its inspected units are)."""

    text = forms.CharField(label=_("What is asked"), widget=forms.Textarea(attrs={"rows": 3}))
    responsible_unit = UnitCodeField(
        label=_("Responsible unit (code)"),
        help_text=_("NSO code of the unit that must carry it out: an inspected unit or one under it."),
    )
    due_on = DateField(label=_("Due on"))

    def __init__(self, *args, user: User, inspection: Inspection, directive: Directive | None = None, **kwargs):
        self.user = user
        self.inspection = inspection
        self.directive = directive
        if directive is not None:
            kwargs.setdefault(
                "initial",
                {
                    "text": directive.text,
                    "responsible_unit": directive.responsible_unit.code,
                    "due_on": directive.due_on,
                    "version": directive.version,
                },
            )
        else:
            kwargs.setdefault("auto_id", "directive-%s")  # a form on the inspection's page, beside others
        super().__init__(*args, editing=directive is not None, **kwargs)
        unit_lookup_attrs(self.fields["responsible_unit"], options="responsible-unit-options")
        # The inspection's date picks the unit list (a hidden input of the page carries it).
        self.fields["responsible_unit"].widget.attrs["data-edition-from"] = "inspection-starts-on"

    def clean(self):
        cleaned = super().clean()
        code = cleaned.get("responsible_unit")
        if code and "responsible_unit" not in self.errors:
            keep = [self.directive.responsible_unit] if self.directive is not None else []
            unit = resolve_unit(self.user, code, self.inspection.starts_on, keep)
            if unit is None:
                self.add_error(
                    "responsible_unit", _("No unit with code %(code)s in your scope.") % {"code": code.strip()}
                )
            else:
                cleaned["responsible_unit"] = unit
        return cleaned

    def service_arguments(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


class DirectiveProgressForm(ActionForm):
    """A progress note, an optional move (only the allowed ones offered), its date and optional evidence."""

    note = forms.CharField(label=_("Progress note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    # Validation accepts every status, so an illegal move gets the service's message naming the allowed ones.
    to = forms.ChoiceField(label=_("Move to"), required=False, choices=[("", ""), *Directive.Status.choices])
    on = DateField(label=_("Date"), initial=today)
    evidence = forms.FileField(label=_("Evidence"), required=False)

    def __init__(self, *args, directive: Directive, **kwargs):
        super().__init__(*args, auto_id="progress-%s", **kwargs)
        labels = dict(Directive.Status.choices)
        self.fields["to"].widget.choices = [
            ("", _("— no change —")),
            *[(s, labels[s]) for s in directive.allowed_moves()],
        ]
        self.fields["evidence"].help_text = _("Optional. PDF, DOCX, DOC, XLSX, JPEG or PNG, at most %(mb)s MB.") % {
            "mb": settings.OVERSIGHT_MAX_UPLOAD_MB
        }
        self.fields["evidence"].widget.attrs["accept"] = ACCEPTED_FILES
