"""Crackdown campaigns and their results; hotspots and their lifecycle; propaganda programs and activities;
good-practice models, replications, evaluations."""

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


class GoodPracticeModelQuerySet(ScopedQuerySet):
    scope_path_field = "unit_path"


class GoodPracticeModel(models.Model):
    """A good-practice model (mô hình hay, cách làm hiệu quả) and where it was replicated."""

    class Field(models.TextChoices):
        CRIME_PREVENTION = "crime_prevention", _("Crime prevention")
        DRUGS = "drugs", _("Drugs")
        TRAFFICKING = "trafficking", _("Human trafficking")
        TRAFFIC = "traffic", _("Traffic order and safety")
        CYBER = "cyber", _("Cyber crime")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        PILOT = "pilot", _("Pilot")
        EFFECTIVE = "effective", _("Effective")
        REPLICATED = "replicated", _("Replicated")

    S = Status
    TRANSITIONS: dict[str, frozenset[str]] = {
        S.PILOT: frozenset({S.EFFECTIVE}),
        S.EFFECTIVE: frozenset({S.REPLICATED}),
        S.REPLICATED: frozenset(),
    }

    unit = models.ForeignKey("units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=64, editable=False)
    name = models.CharField(_("name"), max_length=255)
    field = models.CharField(_("field"), max_length=20, choices=Field.choices)
    started_on = models.DateField(_("started on"))
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PILOT)
    effective_on = models.DateField(_("recognised effective on"), null=True, blank=True)
    replicated_on = models.DateField(_("replicated on"), null=True, blank=True)

    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = GoodPracticeModelQuerySet.as_manager()

    class Meta:
        verbose_name = _("good-practice model")
        verbose_name_plural = _("good-practice models")
        ordering = ["-started_on", "-id"]
        indexes = [models.Index(fields=["unit_path", "started_on"], name="gpmodel_scope_started")]

    def __str__(self) -> str:
        return self.name

    def allowed_moves(self) -> list[str]:
        return [s for s in self.Status if s in self.TRANSITIONS[self.status]]


class ModelReplication(models.Model):
    """A unit the model was replicated to (nhân rộng), and when."""

    model = models.ForeignKey(GoodPracticeModel, on_delete=models.CASCADE, related_name="replications")
    unit = models.ForeignKey("units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    replicated_on = models.DateField(_("replicated on"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("replication")
        verbose_name_plural = _("replications")
        ordering = ["replicated_on", "id"]
        constraints = [models.UniqueConstraint(fields=["model", "unit"], name="model_replicated_once_per_unit")]

    def __str__(self) -> str:
        return f"{self.unit} {self.replicated_on:%d/%m/%Y}"


class ModelEvaluation(models.Model):
    """An evaluation of a model: by whom, when, what they found, an optional 1–5 rating."""

    model = models.ForeignKey(GoodPracticeModel, on_delete=models.CASCADE, related_name="evaluations")
    on = models.DateField(_("date"))
    evaluator = models.CharField(_("evaluator"), max_length=255)
    evaluator_unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("evaluator unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField(_("evaluation"))
    rating = models.PositiveSmallIntegerField(
        _("rating (1–5)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="model_evaluation_rating_1_5"
            )
        ]

    def __str__(self) -> str:
        return f"{self.evaluator} {self.on:%d/%m/%Y}"


# --- Crackdown campaigns -------------------------------------------------------------------------


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


# --- Propaganda (tuyên truyền, giáo dục pháp luật) -----------------------------------------------


class Topic(models.TextChoices):
    CRIMINAL_TRICKS = "criminal_tricks", _("Criminal tricks and modus operandi")
    DRUGS = "drugs", _("Drugs")
    TRAFFICKING = "trafficking", _("Human trafficking")
    CYBER_FRAUD = "cyber_fraud", _("Cyber fraud")
    LEGAL_EDUCATION = "legal_education", _("Legal education")
    ALL_PEOPLE_MOVEMENT = "all_people_movement", _("All-people movement for national security")


class ActivityFormat(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    LOUDSPEAKER = "loudspeaker", _("Loudspeaker")
    BROADCAST = "broadcast", _("Radio / TV")
    SOCIAL_MEDIA = "social_media", _("Social media")
    LEAFLETS = "leaflets", _("Leaflets")
    SCHOOL = "school", _("School session")


class PropagandaProgramQuerySet(ScopedQuerySet):
    scope_path_field = "unit_path"


class PropagandaProgram(models.Model):
    """A legal-education program: who runs it, when, on which topics, for whom, and what it plans."""

    title = models.CharField(_("title"), max_length=255)
    unit = models.ForeignKey("units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=64, editable=False)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    # Topic values; at least one.
    topics = models.JSONField(_("topics"), default=list)
    audience = models.CharField(_("target audience"), max_length=255, blank=True)
    planned_activities = models.PositiveIntegerField(_("planned activities"), null=True, blank=True)
    planned_reach = models.PositiveIntegerField(_("planned reach (people)"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)

    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = PropagandaProgramQuerySet.as_manager()

    class Meta:
        verbose_name = _("propaganda program")
        verbose_name_plural = _("propaganda programs")
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["unit_path", "starts_on"], name="program_scope_starts")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="program_ends_after_start")
        ]

    def __str__(self) -> str:
        return self.title


class PropagandaActivityQuerySet(ScopedQuerySet):
    scope_path_field = "unit_path"


class PropagandaActivity(models.Model):
    """One session of a program: where (a commune), when, how, on what, and how many people it reached."""

    program = models.ForeignKey(PropagandaProgram, on_delete=models.CASCADE, related_name="activities")
    on = models.DateField(_("date"))
    unit = models.ForeignKey("units.Unit", verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=64, editable=False)
    format = models.CharField(_("format"), max_length=16, choices=ActivityFormat.choices)
    topic = models.CharField(_("topic"), max_length=24, choices=Topic.choices)
    audience = models.PositiveIntegerField(_("audience reached"), default=0)
    materials = models.PositiveIntegerField(_("materials distributed"), default=0)
    note = models.CharField(_("note"), max_length=255, blank=True)

    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = PropagandaActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("propaganda activity")
        verbose_name_plural = _("propaganda activities")
        ordering = ["-on", "-id"]
        indexes = [models.Index(fields=["unit_path", "on"], name="activity_scope_on")]

    def __str__(self) -> str:
        return f"{self.on:%d/%m/%Y} {self.get_format_display()}"
