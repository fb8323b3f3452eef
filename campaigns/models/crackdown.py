"""Crackdown campaigns (đợt cao điểm), their planned figures and the results units report."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.accounts.models import ScopedQuerySet

from .hotspots import Hotspot


class CampaignQuerySet(ScopedQuerySet):
    scope_path_field = "unit_path"

    def overlapping(self, start, end) -> "CampaignQuerySet":
        """Campaigns whose window shares at least one day with [start, end]."""
        return self.filter(starts_on__lte=end, ends_on__gte=start)


class ResultKind(models.TextChoices):
    """What a campaign achieves. The first three are computed from cases; the rest are reported."""

    CASES_RECORDED = "cases_recorded", _("Cases recorded")
    CASES_CLEARED = "cases_cleared", _("Cases cleared")
    SUSPECTS_ARRESTED = "suspects_arrested", _("Suspects arrested")
    WANTED_CAUGHT = "wanted_caught", _("Wanted persons caught")
    DRUGS_GRAMS = "drugs_grams", _("Drugs seized (grams)")
    WEAPONS = "weapons", _("Weapons seized")
    GANGS_BROKEN = "gangs_broken", _("Gangs broken up")
    GAMBLING_DENS = "gambling_dens", _("Gambling dens closed")


COMPUTED_RESULTS = frozenset({ResultKind.CASES_RECORDED, ResultKind.CASES_CLEARED, ResultKind.SUSPECTS_ARRESTED})
REPORTED_RESULTS = [k for k in ResultKind if k not in COMPUTED_RESULTS]


class Campaign(models.Model):
    """A crackdown campaign (đợt cao điểm tấn công, trấn áp tội phạm): who leads, where, when, on what."""

    class Phase(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ACTIVE = "active", _("Under way")
        ENDED = "ended", _("Ended")

    name = models.CharField(_("name"), max_length=255)
    lead_unit = models.ForeignKey("units.Unit", verbose_name=_("lead unit"), on_delete=models.PROTECT, related_name="+")
    # The lead unit's roll-up path: who sees the campaign (the lead unit's subtree and those above it).
    unit_path = models.CharField(max_length=64, editable=False)
    scope_units = models.ManyToManyField(
        "units.Unit",
        verbose_name=_("units in scope"),
        blank=True,
        related_name="+",
        help_text=_("Units (with everything under them) the campaign covers; empty means the lead unit's whole area."),
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    description = models.TextField(_("description"), blank=True)
    # Crime lines (cases.CrimeLine values) the campaign focuses on; empty means every line.
    focus_lines = models.JSONField(_("focus crime lines"), default=list, blank=True)
    focus_categories = models.ManyToManyField(
        "cases.Category", verbose_name=_("focus offences"), blank=True, related_name="+"
    )
    focus_hotspots = models.ManyToManyField(
        Hotspot, verbose_name=_("focus hotspots"), blank=True, related_name="campaigns"
    )

    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("crackdown campaign")
        verbose_name_plural = _("crackdown campaigns")
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["unit_path", "starts_on"], name="campaign_scope_starts")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="campaign_ends_after_start")
        ]

    def __str__(self) -> str:
        return self.name

    def phase_on(self, today) -> str:
        if today < self.starts_on:
            return self.Phase.PLANNED
        if today > self.ends_on:
            return self.Phase.ENDED
        return self.Phase.ACTIVE

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1

    @property
    def focus_line_labels(self) -> list[str]:
        from cases.models import CrimeLine

        return [CrimeLine(line).label for line in self.focus_lines if line in CrimeLine.values]


class CampaignTarget(models.Model):
    """A planned figure of a campaign (e.g. clear 120 cases, catch 15 wanted persons)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="targets")
    kind = models.CharField(_("result"), max_length=20, choices=ResultKind.choices)
    value = models.DecimalField(_("planned"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)])

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("campaign target")
        verbose_name_plural = _("campaign targets")
        ordering = ["campaign", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "kind"], name="campaign_target_once_per_kind"),
            models.CheckConstraint(condition=Q(value__gte=0), name="campaign_target_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"


class CampaignResultQuerySet(ScopedQuerySet):
    scope_path_field = "unit_path"


class CampaignResult(models.Model):
    """A result a unit reports for a campaign on a date, for what cases do not hold (wanted persons, drugs…)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="results")
    unit = models.ForeignKey("units.Unit", verbose_name=_("reporting unit"), on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=64, editable=False)
    on = models.DateField(_("date"))
    kind = models.CharField(_("result"), max_length=20, choices=[(k.value, k.label) for k in REPORTED_RESULTS])
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)])
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()
    objects = CampaignResultQuerySet.as_manager()

    class Meta:
        verbose_name = _("campaign result")
        verbose_name_plural = _("campaign results")
        ordering = ["on", "id"]
        indexes = [models.Index(fields=["unit_path", "on"], name="campaign_result_scope_on")]
        constraints = [models.CheckConstraint(condition=Q(quantity__gte=0), name="campaign_result_not_negative")]

    def __str__(self) -> str:
        return f"{self.on:%d/%m/%Y} {self.get_kind_display()}: {self.quantity}"
