"""Forms of the recommendation pages: raise one, and the addressee's actions (take up, forward, answer, decline).

Dates read and show dd/mm/yyyy and errors land where the case pages put them (cases.forms). The unit a
recommendation goes to is chosen from a short list (the units above the user's unit, and that unit itself for
proposals of units under it); the services check again that it lies above the raising unit.
"""

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.forms import DateField, UnitCodeField, add_service_error, style_form
from portal.accounts.models import User
from portal.units.models import Unit, scope_unit_of

from ..models import Inspection, Recommendation

__all__ = [
    "AnswerForm",
    "DeclineForm",
    "ForwardForm",
    "RaiseForm",
    "ReviewForm",
    "add_service_error",
    "style_form",
]

INSPECTION_CHOICES = 100  # the most recent inspections offered when raising; older ones by ?inspection=<id>


def today():
    """Today, looked up at each use (a field's initial value), so a test's frozen clock applies."""
    return timezone.localdate()


def units_above(unit: Unit, *, include_self: bool) -> list[Unit]:
    """The current units above `unit` (nearest first), and `unit` itself when asked and it has units below."""
    above = list(Unit.objects.ancestors_of(unit).current().order_by("-level", "path"))
    above = [u for u in above if u.pk != unit.pk]
    if include_self and unit.edition == Unit.Edition.CURRENT and unit.level < Unit.Level.COMMUNE:
        above.insert(0, unit)
    return above


def unit_choice_label(unit: Unit) -> str:
    return f"{unit} ({unit.code})"


class RaiseForm(forms.Form):
    """The fields of services.recommendation_raise; the raising unit typed by code, the addressee chosen."""

    raising_unit = UnitCodeField(
        label=_("Raised by (unit code)"),
        help_text=_("Your unit, or a unit under it whose proposal you record. Type a name to look the code up."),
    )
    addressed_to = forms.TypedChoiceField(label=_("Addressed to"), coerce=int)
    title = forms.CharField(label=_("Title"), max_length=255)
    text = forms.CharField(
        label=_("Proposal"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What you ask the higher unit to do or decide, and why."),
    )
    inspection = forms.TypedChoiceField(label=_("Raised during the inspection"), coerce=int, required=False)
    raised_on = DateField(label=_("Raised on"), initial=today)
    due_on = DateField(
        label=_("Reply due on"),
        required=False,
        help_text=_("Leave empty for the usual time limit (%(days)s days after the day it is raised)."),
    )

    def __init__(self, *args, user: User, inspection_id: int | None = None, reply_days: int = 30, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        unit = scope_unit_of(user)
        self.above = {u.pk: u for u in units_above(unit, include_self=True)} if unit is not None else {}
        self.fields["addressed_to"].choices = [("", _("— choose —"))] + [
            (pk, unit_choice_label(u)) for pk, u in self.above.items()
        ]
        self.fields["raising_unit"].widget.attrs.update(
            {"data-unit-lookup": reverse("api:unit-list"), "data-legacy-label": _("legacy"), "list": "unit-options"}
        )
        if unit is not None and not unit.is_root:  # the national root has no one above it to address
            self.fields["raising_unit"].initial = unit.code
            root = next((u for u in self.above.values() if u.is_root), None)
            if root is not None and root.pk != unit.pk:
                self.fields["addressed_to"].initial = root.pk  # most proposals go to the central committee
        self.inspections = self._inspection_choices(inspection_id)
        self.fields["inspection"].choices = [("", _("— none —"))] + [
            (i.pk, f"{i.inspecting_body} · {i.starts_on:%d/%m/%Y}") for i in self.inspections.values()
        ]
        if inspection_id in self.inspections:
            self.fields["inspection"].initial = inspection_id
        self.fields["due_on"].help_text = self.fields["due_on"].help_text % {"days": reply_days}

    def _inspection_choices(self, extra_id: int | None) -> dict[int, Inspection]:
        visible = Inspection.objects.visible_to(self.user).order_by("-starts_on", "-id")
        chosen = {i.pk: i for i in visible[:INSPECTION_CHOICES]}
        wanted = self.data.get("inspection") or extra_id
        if wanted and str(wanted).isdigit() and int(wanted) not in chosen:
            extra = visible.filter(pk=int(wanted)).first()
            if extra is not None:
                chosen[extra.pk] = extra
        return chosen

    def clean_raising_unit(self) -> Unit:
        code = self.cleaned_data["raising_unit"].strip()
        unit = scope_unit_of(self.user)
        found = None
        if unit is not None:
            found = Unit.objects.subtree(unit).current().filter(code=code).first()
        if found is None:
            raise forms.ValidationError(
                _("No current unit with the code %(code)s in your unit's area."), params={"code": code}
            )
        return found

    def clean_addressed_to(self) -> Unit:
        return self.above[self.cleaned_data["addressed_to"]]

    def clean_inspection(self) -> Inspection | None:
        value = self.cleaned_data.get("inspection")
        return self.inspections.get(value) if value else None

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "raising_unit": data["raising_unit"],
            "addressed_to": data["addressed_to"],
            "title": data["title"],
            "text": data["text"],
            "raised_on": data["raised_on"],
            "due_on": data["due_on"],
            "inspection": data["inspection"],
        }


class ActionForm(forms.Form):
    """What every action of the addressee carries: the version the user saw (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ReviewForm(ActionForm):
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text=_("Optional.")
    )


class ForwardForm(ActionForm):
    to_unit = forms.TypedChoiceField(label=_("Forward to"), coerce=int)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Why it goes further up; the raising unit reads it in the timeline."),
    )
    due_on = DateField(
        label=_("New reply date"), required=False, help_text=_("Leave empty to keep the current reply date.")
    )

    def __init__(self, *args, recommendation: Recommendation, **kwargs):
        super().__init__(*args, **kwargs)
        self.above = {u.pk: u for u in units_above(recommendation.addressed_to, include_self=False)}
        self.fields["to_unit"].choices = [(pk, unit_choice_label(u)) for pk, u in self.above.items()]

    def clean_to_unit(self) -> Unit:
        return self.above[self.cleaned_data["to_unit"]]


class AnswerForm(ActionForm):
    answer = forms.CharField(
        label=_("Answer"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The raising unit reads this answer and is told by mail."),
    )
    on = DateField(label=_("Answered on"), initial=today)


class DeclineForm(ActionForm):
    reason = forms.CharField(
        label=_("Reason for declining"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The raising unit reads this reason and is told by mail."),
    )
    on = DateField(label=_("Declined on"), initial=today)
