"""Criminal cases: Penal Code categories, the case register, its timeline, parties and deadline extensions."""

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Case as SqlCase
from django.db.models import Q, Value, When
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.accounts.models import ScopedQuerySet
from portal.timeline import TimelineEntry
from portal.units.models import scope_unit_of


class CrimeLine(models.TextChoices):
    """Crime lines (tuyến tội phạm) as the police statistics group them."""

    SOCIAL_ORDER = "social_order", _("Social order")
    DRUGS = "drugs", _("Drugs")
    ECONOMIC = "economic", _("Economic and corruption")
    ENVIRONMENT = "environment", _("Environment")
    HIGH_TECH = "high_tech", _("High-tech")
    TRAFFICKING = "trafficking", _("Human trafficking")


class Severity(models.TextChoices):
    """Penal Code 2015, art. 9."""

    LESS_SERIOUS = "less_serious", _("Less serious")
    SERIOUS = "serious", _("Serious")
    VERY_SERIOUS = "very_serious", _("Very serious")
    ESPECIALLY_SERIOUS = "especially_serious", _("Especially serious")


class CategoryQuerySet(models.QuerySet):
    def visible_to(self, user) -> "CategoryQuerySet":
        """Reference data: every article, for any user with a unit (default deny otherwise)."""
        return self if scope_unit_of(user) is not None else self.none()


class Category(models.Model):
    """One Penal Code 2015 article and the crime line it counts under."""

    article = models.CharField(_("article"), max_length=8, unique=True)
    name = models.CharField(_("offence"), max_length=255)
    line = models.CharField(_("crime line"), max_length=16, choices=CrimeLine.choices, db_index=True)
    # The article as a number, so 98 sorts before 123.
    sort_key = models.PositiveIntegerField(default=0, editable=False)

    history = HistoricalRecords()
    objects = CategoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("offence category")
        verbose_name_plural = _("offence categories")
        ordering = ["sort_key", "article"]

    def __str__(self) -> str:
        return _("Art. %(article)s %(name)s") % {"article": self.article, "name": self.name}


class DeadlineStatus(models.TextChoices):
    NONE = "none", _("No running deadline")
    OK = "ok", _("On time")
    DUE_SOON = "due_soon", _("Due within 7 days")
    OVERDUE = "overdue", _("Overdue")


DUE_SOON_DAYS = 7


class CaseQuerySet(ScopedQuerySet):
    scope_path_field = "unit_path"

    def counted(self) -> "CaseQuerySet":
        """Cases that count as crimes in statistics (not those found not to be criminal)."""
        return self.exclude(status=Case.Status.NOT_CRIMINAL)

    def with_deadline_status(self, today: date) -> "CaseQuerySet":
        """Annotate `deadline_status` in SQL from the running deadline `due_on`."""
        return self.annotate(
            deadline_status=SqlCase(
                When(due_on__isnull=True, then=Value(DeadlineStatus.NONE.value)),
                When(due_on__lt=today, then=Value(DeadlineStatus.OVERDUE.value)),
                When(due_on__lte=today + timedelta(days=DUE_SOON_DAYS), then=Value(DeadlineStatus.DUE_SOON.value)),
                default=Value(DeadlineStatus.OK.value),
                output_field=models.CharField(),
            )
        )

    def deadline(self, status: str, today: date) -> "CaseQuerySet":
        """Filter on a deadline status without annotating (index-friendly range filters)."""
        soon = today + timedelta(days=DUE_SOON_DAYS)
        filters = {
            DeadlineStatus.NONE: Q(due_on__isnull=True),
            DeadlineStatus.OVERDUE: Q(due_on__lt=today),
            DeadlineStatus.DUE_SOON: Q(due_on__gte=today, due_on__lte=soon),
            DeadlineStatus.OK: Q(due_on__gt=soon),
        }
        return self.filter(filters[DeadlineStatus(status)])


class Case(models.Model):
    """A criminal case (vụ án, vụ việc) in the register."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        VERIFYING = "verifying", _("Verifying")
        INVESTIGATING = "investigating", _("Investigating")
        SUSPENDED = "suspended", _("Suspended")
        INDICTED = "indicted", _("Indicted")
        TRIED = "tried", _("Tried")
        NOT_CRIMINAL = "not_criminal", _("No crime found")
        DISMISSED = "dismissed", _("Dismissed")

    S = Status
    # The Criminal Procedure Code 2015 as one table: from each status, the statuses it may move to.
    TRANSITIONS: dict[str, frozenset[str]] = {
        S.RECEIVED: frozenset({S.VERIFYING, S.INVESTIGATING, S.NOT_CRIMINAL}),
        S.VERIFYING: frozenset({S.INVESTIGATING, S.NOT_CRIMINAL}),
        S.INVESTIGATING: frozenset({S.SUSPENDED, S.INDICTED, S.DISMISSED}),
        S.SUSPENDED: frozenset({S.INVESTIGATING, S.DISMISSED}),
        S.INDICTED: frozenset({S.TRIED, S.DISMISSED}),
        S.TRIED: frozenset(),
        S.NOT_CRIMINAL: frozenset(),
        S.DISMISSED: frozenset(),
    }
    # The date field each move stamps.
    STAMPS: dict[str, str] = {
        S.VERIFYING: "verification_started_on",
        S.INVESTIGATING: "investigation_started_on",
        S.SUSPENDED: "suspended_on",
        S.INDICTED: "indicted_on",
        S.TRIED: "tried_on",
        S.NOT_CRIMINAL: "closed_on",
        S.DISMISSED: "closed_on",
    }
    CLEARABLE = frozenset({S.INVESTIGATING, S.SUSPENDED})
    OPEN = frozenset({S.RECEIVED, S.VERIFYING, S.INVESTIGATING, S.SUSPENDED})

    reference = models.CharField(_("reference"), max_length=32, unique=True)
    title = models.CharField(_("title"), max_length=255)
    # The title without diacritics, lower case: "trom cap" finds "Trộm cắp".
    search_title = models.CharField(max_length=255, editable=False, default="")
    summary = models.TextField(_("summary"), blank=True)
    category = models.ForeignKey(Category, verbose_name=_("offence"), on_delete=models.PROTECT, related_name="cases")
    severity = models.CharField(_("severity"), max_length=20, choices=Severity.choices)
    # Copied from the category so statistics filter a crime line without a join.
    line = models.CharField(_("crime line"), max_length=16, choices=CrimeLine.choices, editable=False)
    occurred_on = models.DateField(_("occurred on"), null=True, blank=True)
    received_on = models.DateField(_("received on"))
    recorded_on = models.DateField(_("recorded on"), help_text=_("The date the case counts in statistics."))
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("place (unit)"),
        on_delete=models.PROTECT,
        related_name="cases",
        help_text=_("Where it happened: a current unit, or a legacy one before 1 July 2025."),
    )
    # The unit's roll-up path, copied here: the scoping and statistics prefix filter, no join.
    unit_path = models.CharField(max_length=64, editable=False)
    handling_unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("handling unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handled_cases",
    )
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned officers"), blank=True, related_name="assigned_cases"
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name=_("crackdown campaign"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
    )
    hotspot = models.ForeignKey(
        "campaigns.Hotspot",
        verbose_name=_("hotspot"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
    )
    damage_amount = models.PositiveBigIntegerField(_("damage (VND)"), null=True, blank=True)
    recovered_amount = models.PositiveBigIntegerField(_("recovered (VND)"), null=True, blank=True)

    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.RECEIVED)
    verification_started_on = models.DateField(_("verification started on"), null=True, blank=True)
    investigation_started_on = models.DateField(_("investigation started on"), null=True, blank=True)
    suspended_on = models.DateField(_("suspended on"), null=True, blank=True)
    cleared_on = models.DateField(_("cleared on"), null=True, blank=True)
    indicted_on = models.DateField(_("indicted on"), null=True, blank=True)
    tried_on = models.DateField(_("tried on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    # The deadline now running (verification or investigation), kept by the services.
    due_on = models.DateField(_("deadline"), null=True, blank=True)

    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[officers])
    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-recorded_on", "-id"]
        indexes = [
            # Scope filters are `unit_path LIKE 'VN/79/%'`: PostgreSQL uses a plain index for LIKE only
            # under the "C" collation, so the path column carries the pattern operator class (a
            # commune's 9-month figures at 1 M cases: 100 ms on the date index alone, 1.3 ms here).
            models.Index(
                fields=["unit_path", "recorded_on"],
                name="case_scope_recorded",
                opclasses=["varchar_pattern_ops", "date_ops"],
            ),
            models.Index(fields=["recorded_on"], name="case_recorded"),
            models.Index(fields=["status", "due_on"], name="case_status_due"),
            models.Index(fields=["line", "recorded_on"], name="case_line_recorded"),
            # The header search looks references up by prefix (`reference LIKE '19-2026-12%'`): the unique
            # index serves that only under the "C" collation, so a pattern-class index does it under any.
            models.Index(fields=["reference"], name="case_reference_prefix", opclasses=["varchar_pattern_ops"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(cleared_on__isnull=True) | Q(cleared_on__gte=models.F("received_on")),
                name="case_cleared_after_received",
            ),
            models.CheckConstraint(
                condition=Q(recorded_on__gte=models.F("received_on")) | Q(recorded_on__isnull=True),
                name="case_recorded_after_received",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} – {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def is_cleared(self) -> bool:
        return self.cleared_on is not None

    def allowed_moves(self) -> list[str]:
        """Moves the table allows now; indictment only once the case is cleared."""
        moves = [s for s in self.Status if s in self.TRANSITIONS[self.status]]
        return [s for s in moves if s != self.Status.INDICTED or self.cleared_on is not None]

    def deadline_status_on(self, today: date) -> str:
        """The same rule as CaseQuerySet.with_deadline_status, for one loaded case."""
        if self.due_on is None:
            return DeadlineStatus.NONE
        if self.due_on < today:
            return DeadlineStatus.OVERDUE
        if self.due_on <= today + timedelta(days=DUE_SOON_DAYS):
            return DeadlineStatus.DUE_SOON
        return DeadlineStatus.OK


class CaseEvent(TimelineEntry):
    """One entry of a case's timeline: who did what, on which date, with a note."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Recorded")
        STATUS = "status", _("Status change")
        CLEARED = "cleared", _("Cleared")
        EXTENDED = "extended", _("Deadline extended")
        EDITED = "edited", _("Edited")
        IMPORTED = "imported", _("Imported")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    from_status = models.CharField(_("from"), max_length=16, choices=Case.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=Case.Status.choices, blank=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["on", "at", "id"]
        indexes = [models.Index(fields=["case", "on"], name="caseevent_case_on")]

    def __str__(self) -> str:
        return f"{self.on:%d/%m/%Y} {self.get_kind_display()}"


class DeadlineExtension(models.Model):
    """A recorded extension of the verification or investigation deadline."""

    class Kind(models.TextChoices):
        VERIFICATION = "verification", _("Verification")
        INVESTIGATION = "investigation", _("Investigation")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="extensions")
    kind = models.CharField(_("deadline"), max_length=16, choices=Kind.choices)
    granted_on = models.DateField(_("granted on"))
    previous_due_on = models.DateField(_("previous deadline"))
    new_due_on = models.DateField(_("new deadline"))
    reason = models.TextField(_("reason"), blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")
        ordering = ["granted_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.previous_due_on:%d/%m/%Y} → {self.new_due_on:%d/%m/%Y}"


class Party(models.Model):
    """A suspect, victim or witness. Identities are personal data: see cases.permissions."""

    class Role(models.TextChoices):
        SUSPECT = "suspect", _("Suspect")
        VICTIM = "victim", _("Victim")
        WITNESS = "witness", _("Witness")

    class Gender(models.TextChoices):
        MALE = "male", _("Male")
        FEMALE = "female", _("Female")
        OTHER = "other", _("Other")

    class Custody(models.TextChoices):
        AT_LARGE = "at_large", _("At large")
        WANTED = "wanted", _("Wanted")
        ARRESTED = "arrested", _("Arrested")
        DETAINED = "detained", _("Detained")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(_("role"), max_length=8, choices=Role.choices)
    full_name = models.CharField(_("full name"), max_length=150)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices, blank=True)
    id_number = models.CharField(_("ID number"), max_length=20, blank=True)
    residence = models.CharField(_("residence"), max_length=255, blank=True)
    custody = models.CharField(_("custody status"), max_length=10, choices=Custody.choices, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["role", "id"]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.full_name}"


class ReferenceSequence(models.Model):
    """The last sequence number given out per reference prefix ("<province>-<year>-")."""

    prefix = models.CharField(max_length=16, unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.prefix}{self.last}"


class DeadlineDigest(models.Model):
    """One deadline-reminder mail sent to an officer on a day: the guard against sending it twice."""

    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    on = models.DateField()
    case_count = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["officer", "on"], name="deadline_digest_once_a_day")]

    def __str__(self) -> str:
        return f"{self.officer} {self.on}"
