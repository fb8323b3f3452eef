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


# --- Report subscriptions and their deliveries --------------------------------------------------------


def _subscribable_kinds():
    from .periods import Kind

    return [(kind.value, kind.label) for kind in (Kind.MONTH, Kind.QUARTER, Kind.HALF, Kind.NINE_MONTHS, Kind.YEAR)]


class ReportSubscriptionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """One's own subscriptions; for admins and leaders also those of the users of their subtree."""
        from portal.accounts.models import scope_q
        from portal.accounts.permissions import has_capability

        from .subscriptions import SUBSCRIBE_OTHERS

        if scope_q(user) is None:
            return self.none()
        if has_capability(user, SUBSCRIBE_OTHERS):
            return self.filter(Q(user=user) | scope_q(user, "user__unit__rollup_path"))
        return self.filter(user=user)

    def active(self):
        return self.filter(active=True)


class ReportSubscription(models.Model):
    """A user's standing order for the periodic report of a unit (in their scope), by mail."""

    class Formats(models.TextChoices):
        BOTH = "both", _("PDF and XLSX")
        PDF = "pdf", _("PDF")
        XLSX = "xlsx", _("XLSX (figures)")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="report_subscriptions",
    )
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="report_subscriptions"
    )
    period_kind = models.CharField(_("report period"), max_length=16, choices=_subscribable_kinds())
    formats = models.CharField(_("formats"), max_length=8, choices=Formats.choices, default=Formats.BOTH)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="vi")
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = ReportSubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("report subscription")
        verbose_name_plural = _("report subscriptions")
        ordering = ["user__username", "unit__path", "period_kind"]
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "period_kind"], name="report_subscription_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.unit} · {self.get_period_kind_display()}"

    @property
    def wants_pdf(self) -> bool:
        return self.formats in {self.Formats.PDF, self.Formats.BOTH}

    @property
    def wants_xlsx(self) -> bool:
        return self.formats in {self.Formats.XLSX, self.Formats.BOTH}


class ReportDeliveryQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Deliveries of the subscriptions the user sees."""
        return self.filter(subscription__in=ReportSubscription.objects.visible_to(user).values("pk"))


class ReportDelivery(models.Model):
    """One report of one period for one subscription: the unique row that makes sending exactly-once."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    subscription = models.ForeignKey(
        ReportSubscription, verbose_name=_("subscription"), on_delete=models.CASCADE, related_name="deliveries"
    )
    period_spec = models.CharField(_("period"), max_length=32)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    objects = ReportDeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("report delivery")
        verbose_name_plural = _("report deliveries")
        ordering = ["-period_end", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["subscription", "period_spec"], name="report_delivery_once"),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="report_delivery_status")]

    def __str__(self) -> str:
        return f"{self.subscription} · {self.period_spec} · {self.get_status_display()}"
