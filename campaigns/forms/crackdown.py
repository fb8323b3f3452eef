"""Forms of the crackdown campaign pages: planning a campaign, and a unit's reported result."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.forms import DateField, style_form
from cases.models import Category, CrimeLine
from portal.accounts.models import User
from portal.units.models import Unit

from ..models import REPORTED_RESULTS, Campaign, ResultKind
from ..selectors.hotspots import hotspot_list


def today():
    """Today, looked up at each use (a field's initial value), so a test's frozen clock applies."""
    return timezone.localdate()


def unit_by_code(user: User, code: str) -> Unit | None:
    """A unit among those counting under the user's unit; the current one when a code is in both lists."""
    if user.unit is None:
        return None
    units = list(Unit.objects.rolling_up_to(user.unit).filter(code=code.strip()))
    return next((u for u in units if u.edition == Unit.Edition.CURRENT), units[0] if units else None)


class CampaignForm(forms.Form):
    """The fields of services.campaign_create / campaign_update; units typed by code, targets one per result."""

    name = forms.CharField(label=gettext_lazy("Name"), max_length=255)
    lead_unit = forms.CharField(
        label=gettext_lazy("Lead unit (code)"),
        max_length=8,
        help_text=gettext_lazy("NSO code of the committee leading the campaign, e.g. 19 for Thái Nguyên."),
    )
    starts_on = DateField(label=gettext_lazy("Starts on"))
    ends_on = DateField(label=gettext_lazy("Ends on"))
    scope_units = forms.CharField(
        label=gettext_lazy("Units in scope (codes)"),
        required=False,
        help_text=gettext_lazy("Codes separated by commas; leave blank for the lead unit's whole area."),
    )
    focus_lines = forms.MultipleChoiceField(
        label=gettext_lazy("Focus crime lines"),
        choices=CrimeLine.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("None ticked and no offence chosen: every case counts."),
    )
    focus_categories = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Focus offences"),
        queryset=Category.objects.order_by("sort_key"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    focus_hotspots = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Focus hotspots"),
        queryset=Campaign.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    description = forms.CharField(
        label=gettext_lazy("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user: User, campaign: Campaign | None = None, **kwargs):
        self.user = user
        if campaign is not None:
            kwargs.setdefault("initial", self.initial_for(campaign))
        super().__init__(*args, **kwargs)
        self.fields["focus_hotspots"].queryset = hotspot_list(user=user).order_by("name")
        self.fields["focus_hotspots"].label_from_instance = lambda h: f"{h.name} — {h.unit.name}"
        for kind in ResultKind:
            self.fields[f"target_{kind.value}"] = forms.DecimalField(
                label=kind.label, required=False, min_value=0, max_digits=14, decimal_places=2
            )
        if campaign is None:
            del self.fields["version"]
        else:
            self.fields["version"].required = True
        style_form(self)
        for name in ("focus_lines",):
            self.fields[name].widget.attrs["class"] = "form-check-input"

    @property
    def target_fields(self):
        return [self[f"target_{kind.value}"] for kind in ResultKind]

    @staticmethod
    def initial_for(campaign: Campaign) -> dict:
        initial = {
            "name": campaign.name,
            "lead_unit": campaign.lead_unit.code,
            "starts_on": campaign.starts_on,
            "ends_on": campaign.ends_on,
            "scope_units": ", ".join(u.code for u in campaign.scope_units.all()),
            "focus_lines": campaign.focus_lines,
            "focus_categories": [c.pk for c in campaign.focus_categories.all()],
            "focus_hotspots": [h.pk for h in campaign.focus_hotspots.all()],
            "description": campaign.description,
            "version": campaign.version,
        }
        initial.update({f"target_{t.kind}": t.value for t in campaign.targets.all()})
        return initial

    def clean_lead_unit(self) -> Unit:
        unit = unit_by_code(self.user, self.cleaned_data["lead_unit"])
        if unit is None:
            raise ValidationError(_("No unit with this code in your scope."))
        return unit

    def clean_scope_units(self) -> list[Unit]:
        codes = [c.strip() for c in self.cleaned_data["scope_units"].replace(";", ",").split(",") if c.strip()]
        units, unknown = [], []
        for code in dict.fromkeys(codes):
            unit = unit_by_code(self.user, code)
            (units if unit else unknown).append(unit or code)
        if unknown:
            raise ValidationError(
                _("No unit with these codes in your scope: %(codes)s.") % {"codes": ", ".join(unknown)}
            )
        return units

    def service_arguments(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if not k.startswith("target_") and k != "version"}
        data["targets"] = {
            kind.value: self.cleaned_data[f"target_{kind.value}"]
            for kind in ResultKind
            if self.cleaned_data.get(f"target_{kind.value}") is not None
        }
        return data


class ResultForm(forms.Form):
    unit = forms.CharField(label=gettext_lazy("Reporting unit (code)"), max_length=8)
    on = DateField(label=gettext_lazy("Date"), initial=today)
    kind = forms.ChoiceField(label=gettext_lazy("Result"), choices=[(k.value, k.label) for k in REPORTED_RESULTS])
    quantity = forms.DecimalField(label=gettext_lazy("Quantity"), min_value=0, max_digits=14, decimal_places=2)
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=500)

    def __init__(self, *args, user: User, campaign: Campaign | None = None, today=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        if user.unit is not None:
            self.fields["unit"].initial = user.unit.code
        if campaign is not None and today is not None:
            # Results are dated inside the campaign: after it ended, its last day is the likely date.
            self.fields["on"].initial = min(today, campaign.ends_on)
        style_form(self)

    def clean_unit(self) -> Unit:
        unit = unit_by_code(self.user, self.cleaned_data["unit"])
        if unit is None:
            raise ValidationError(_("No unit with this code in your scope."))
        return unit
