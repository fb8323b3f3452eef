"""Targets set by the National Assembly or a committee, and stored summary snapshots."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.accounts.models import ScopedQuerySet


class TargetIndicator(models.TextChoices):
    CLEARANCE_RATE = "clearance_rate", _("Clearance rate")
    SERIOUS_CLEARANCE_RATE = "serious_clearance_rate", _("Clearance rate, very and especially serious")


class TargetQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        """Targets of the user's subtree and of its ancestors (the ones that apply to it)."""
        from portal.units.models import scope_unit_of

        unit = scope_unit_of(user)
        if unit is None:
            return self.none()
        return self.filter(Q(unit__rollup_path__startswith=unit.path) | Q(unit__path__in=unit.ancestor_paths()))


class Target(models.Model):
    """A target (chỉ tiêu) for an indicator, a unit and a range of years."""

    indicator = models.CharField(_("indicator"), max_length=32, choices=TargetIndicator.choices)
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="targets",
        help_text=_("The unit it applies to, with everything under it (the national root for the whole country)."),
    )
    year_from = models.PositiveSmallIntegerField(_("from year"))
    year_to = models.PositiveSmallIntegerField(_("to year"))
    value = models.DecimalField(_("value (%)"), max_digits=5, decimal_places=2)
    source = models.CharField(_("source"), max_length=255, blank=True, help_text=_("E.g. Nghị quyết 96/2019/QH14"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    history = HistoricalRecords()
    objects = TargetQuerySet.as_manager()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["indicator", "unit__path", "year_from"]
        constraints = [
            models.CheckConstraint(condition=Q(year_to__gte=models.F("year_from")), name="target_year_range"),
            models.CheckConstraint(condition=Q(value__gte=0) & Q(value__lte=100), name="target_value_percent"),
        ]

    def __str__(self) -> str:
        return f"{self.get_indicator_display()} {self.unit} {self.year_from}–{self.year_to}: {self.value}%"


class SummaryQuerySet(ScopedQuerySet):
    def current(self):
        return self.filter(is_current=True)


class Summary(models.Model):
    """The indicator set of a unit for a period, stored as built; approval locks a version."""

    unit = models.ForeignKey("units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="summaries")
    period_spec = models.CharField(_("period"), max_length=32)
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    figures = models.JSONField(_("figures"))
    built_at = models.DateTimeField(_("built at"))
    version = models.PositiveIntegerField(_("version"), default=1)
    is_current = models.BooleanField(default=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("approved by"), null=True, blank=True, on_delete=models.SET_NULL
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    history = HistoricalRecords()
    objects = SummaryQuerySet.as_manager()

    class Meta:
        verbose_name = _("summary")
        verbose_name_plural = _("summaries")
        ordering = ["-end", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "period_spec", "version"], name="summary_version_unique"),
            models.UniqueConstraint(
                fields=["unit", "period_spec"], condition=Q(is_current=True), name="summary_one_current"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.period_spec} v{self.version}"

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None
