"""Hotspots (điểm nóng) and their lifecycle, followed from identification to resolution."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.accounts.models import ScopedQuerySet
from portal.timeline import TimelineEntry


class HotspotQuerySet(ScopedQuerySet):
    scope_path_field = "unit_path"


class Hotspot(models.Model):
    """A place where social-order crime concentrates, followed from identification to resolution."""

    class Kind(models.TextChoices):
        DRUGS = "drugs", _("Drugs")
        GAMBLING = "gambling", _("Gambling")
        GANGS = "gangs", _("Gangs")
        TRAFFICKING = "trafficking", _("Human trafficking")
        THEFT = "theft", _("Theft")
        PROSTITUTION = "prostitution", _("Prostitution")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        IDENTIFIED = "identified", _("Identified")
        UNDER_REMEDIATION = "under_remediation", _("Under remediation")
        RESOLVED = "resolved", _("Resolved")

    S = Status
    # From each status, the statuses it may move to.
    TRANSITIONS: dict[str, frozenset[str]] = {
        S.IDENTIFIED: frozenset({S.UNDER_REMEDIATION}),
        S.UNDER_REMEDIATION: frozenset({S.RESOLVED}),
        S.RESOLVED: frozenset(),
    }
    # The date field each move stamps.
    STAMPS: dict[str, str] = {
        S.UNDER_REMEDIATION: "remediation_started_on",
        S.RESOLVED: "resolved_on",
    }

    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="hotspots",
        help_text=_("A current unit, or a legacy one for a hotspot identified before 1 July 2025."),
    )
    # The unit's roll-up path, copied here: the scoping prefix filter, no join.
    unit_path = models.CharField(max_length=64, editable=False)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.IDENTIFIED)
    identified_on = models.DateField(_("identified on"))
    remediation_started_on = models.DateField(_("remediation started on"), null=True, blank=True)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)

    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = HotspotQuerySet.as_manager()

    class Meta:
        verbose_name = _("hotspot")
        verbose_name_plural = _("hotspots")
        ordering = ["-identified_on", "-id"]
        indexes = [models.Index(fields=["unit_path", "identified_on"], name="hotspot_scope_identified")]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="hotspot_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="hotspot_longitude_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def allowed_moves(self) -> list[str]:
        return [s for s in self.Status if s in self.TRANSITIONS[self.status]]


class HotspotEvent(TimelineEntry):
    """One entry of a hotspot's timeline: who, on which date, which move, with a note."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Identified")
        STATUS = "status", _("Status change")
        EDITED = "edited", _("Edited")

    hotspot = models.ForeignKey(Hotspot, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    from_status = models.CharField(_("from"), max_length=20, choices=Hotspot.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Hotspot.Status.choices, blank=True)

    class Meta:
        verbose_name = _("hotspot event")
        verbose_name_plural = _("hotspot events")
        ordering = ["on", "at", "id"]

    def __str__(self) -> str:
        return f"{self.on:%d/%m/%Y} {self.get_kind_display()}"
