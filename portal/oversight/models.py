"""Inspections (đoàn kiểm tra) and their documents, the directives (yêu cầu) they leave, and recommendations
(kiến nghị, đề xuất) sent upward until they are answered, each with its timeline."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.accounts.models import scope_q
from portal.timeline import TimelineEntry


class Topic(models.TextChoices):
    CRIME_PREVENTION = "crime_prevention", _("Crime prevention")
    TRAFFICKING = "trafficking", _("Human-trafficking prevention")
    DRUGS = "drugs", _("Drug prevention")
    ALL_PEOPLE_MOVEMENT = "all_people_movement", _("All-people movement for national security")
    CYBER = "cyber", _("High-tech crime")
    OTHER = "other", _("Other")


# --- Inspections -----------------------------------------------------------------------------------


class InspectionQuerySet(models.QuerySet):
    def visible_to(self, user) -> "InspectionQuerySet":
        """The inspecting unit's subtree and each inspected unit's subtree (users above them included)."""
        own = scope_q(user, "unit_path")
        if own is None:
            return self.none()
        inspected = InspectedUnit.objects.filter(inspection=OuterRef("pk")).filter(scope_q(user, "unit_path"))
        return self.filter(own | Exists(inspected))


class Inspection(models.Model):
    """A visit by an inspection team: who inspected whom, when, on what, and what they found."""

    class Rating(models.TextChoices):
        EXCELLENT = "excellent", _("Excellent")
        GOOD = "good", _("Good")
        FAIR = "fair", _("Fair")
        WEAK = "weak", _("Weak")

    inspecting_body = models.CharField(
        _("inspecting body"), max_length=255, help_text=_("e.g. Đoàn kiểm tra của Chính phủ, Ban Chỉ đạo 138 tỉnh.")
    )
    inspecting_unit = models.ForeignKey(
        "units.Unit", verbose_name=_("inspecting unit"), on_delete=models.PROTECT, related_name="+"
    )
    # The inspecting unit's roll-up path: its subtree (and the units above it) see the inspection.
    unit_path = models.CharField(max_length=64, editable=False)
    inspected_units = models.ManyToManyField(
        "units.Unit", verbose_name=_("inspected units"), through="InspectedUnit", related_name="+"
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    # Topic values; at least one.
    topics = models.JSONField(_("topics"), default=list)
    assessment = models.TextField(_("assessment"), blank=True)
    findings = models.TextField(_("findings"), blank=True)
    rating = models.CharField(_("rating"), max_length=12, choices=Rating.choices, blank=True)

    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = InspectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["unit_path", "starts_on"], name="inspection_scope_starts")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="inspection_ends_after_start")
        ]

    def __str__(self) -> str:
        return f"{self.inspecting_body} {self.starts_on:%d/%m/%Y}"


class InspectedUnit(models.Model):
    """A unit an inspection visited (a province and, the same trip, a town or commune)."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="inspected")
    unit = models.ForeignKey("units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=64, editable=False)

    class Meta:
        verbose_name = _("inspected unit")
        verbose_name_plural = _("inspected units")
        ordering = ["unit_path"]
        constraints = [models.UniqueConstraint(fields=["inspection", "unit"], name="inspected_unit_once")]
        indexes = [models.Index(fields=["unit_path"], name="inspected_unit_path")]

    def __str__(self) -> str:
        return str(self.unit)


class InspectionDocument(models.Model):
    """A document attached to an inspection (minutes, conclusions, photos), served only to users in scope."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(_("file"), upload_to="oversight/%Y/%m/", max_length=255)
    name = models.CharField(_("name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


# --- Directives ------------------------------------------------------------------------------------


class DirectiveQuerySet(models.QuerySet):
    def visible_to(self, user) -> "DirectiveQuerySet":
        """Those of inspections the user sees, and those a unit in the user's subtree must carry out."""
        own = scope_q(user, "unit_path")
        if own is None:
            return self.none()
        return self.filter(own | Q(inspection__in=Inspection.objects.visible_to(user)))

    def overdue_on(self, today: date) -> "DirectiveQuerySet":
        return self.exclude(status=Directive.Status.DONE).filter(due_on__lt=today)


class Directive(models.Model):
    """What an inspection asks the inspected unit to do next (yêu cầu), followed until done."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

    S = Status
    TRANSITIONS: dict[str, frozenset[str]] = {
        S.OPEN: frozenset({S.IN_PROGRESS, S.DONE}),
        S.IN_PROGRESS: frozenset({S.DONE}),
        S.DONE: frozenset(),
    }

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="directives")
    text = models.TextField(_("what is asked"))
    responsible_unit = models.ForeignKey(
        "units.Unit", verbose_name=_("responsible unit"), on_delete=models.PROTECT, related_name="+"
    )
    unit_path = models.CharField(max_length=64, editable=False)
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)

    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = DirectiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("directive")
        verbose_name_plural = _("directives")
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["unit_path", "due_on"], name="directive_scope_due"),
            models.Index(fields=["status", "due_on"], name="directive_status_due"),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    def allowed_moves(self) -> list[str]:
        return [s for s in self.Status if s in self.TRANSITIONS[self.status]]

    def is_overdue_on(self, today: date) -> bool:
        return self.status != self.Status.DONE and self.due_on < today


class DirectiveUpdate(TimelineEntry):
    """A progress note on a directive, with an optional move and an optional piece of evidence."""

    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="updates")
    from_status = models.CharField(_("from"), max_length=12, choices=Directive.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=Directive.Status.choices, blank=True)
    evidence = models.FileField(_("evidence"), upload_to="oversight/evidence/%Y/%m/", blank=True, max_length=255)

    class Meta:
        verbose_name = _("directive update")
        verbose_name_plural = _("directive updates")
        ordering = ["on", "at", "id"]

    def __str__(self) -> str:
        return f"{self.on:%d/%m/%Y} {self.note[:60]}"


# --- Recommendations -------------------------------------------------------------------------------


class RecommendationQuerySet(models.QuerySet):
    def visible_to(self, user) -> "RecommendationQuerySet":
        """The raising unit's subtree, the addressee's, and every unit it passed through on the way up."""
        own = scope_q(user, "raised_path")
        if own is None:
            return self.none()
        passed = RecommendationStep.objects.filter(recommendation=OuterRef("pk")).filter(scope_q(user, "to_path"))
        return self.filter(own | scope_q(user, "addressed_path") | Exists(passed))

    def open(self) -> "RecommendationQuerySet":
        return self.filter(status__in=[Recommendation.Status.SUBMITTED, Recommendation.Status.UNDER_REVIEW])

    def overdue_on(self, today: date) -> "RecommendationQuerySet":
        return self.open().filter(due_on__lt=today)


class Recommendation(models.Model):
    """A proposal (kiến nghị, đề xuất) raised by a unit and addressed upward, until it is answered or declined."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        UNDER_REVIEW = "under_review", _("Under review")
        ANSWERED = "answered", _("Answered")
        DECLINED = "declined", _("Declined")

    S = Status
    TRANSITIONS: dict[str, frozenset[str]] = {
        S.SUBMITTED: frozenset({S.UNDER_REVIEW, S.ANSWERED, S.DECLINED}),
        S.UNDER_REVIEW: frozenset({S.ANSWERED, S.DECLINED}),
        S.ANSWERED: frozenset(),
        S.DECLINED: frozenset(),
    }

    inspection = models.ForeignKey(
        Inspection,
        verbose_name=_("inspection"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recommendations",
    )
    title = models.CharField(_("title"), max_length=255)
    text = models.TextField(_("proposal"))
    raised_by_unit = models.ForeignKey(
        "units.Unit", verbose_name=_("raised by"), on_delete=models.PROTECT, related_name="+"
    )
    raised_path = models.CharField(max_length=64, editable=False)
    raised_on = models.DateField(_("raised on"))
    # The unit that must answer now; forwarding moves it further up (the steps keep the chain).
    addressed_to = models.ForeignKey(
        "units.Unit", verbose_name=_("addressed to"), on_delete=models.PROTECT, related_name="+"
    )
    addressed_path = models.CharField(max_length=64, editable=False)
    due_on = models.DateField(_("reply due on"))
    status = models.CharField(_("status"), max_length=14, choices=Status.choices, default=Status.SUBMITTED)
    answer = models.TextField(_("answer"), blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = RecommendationQuerySet.as_manager()

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["raised_path", "raised_on"], name="recommendation_raised"),
            models.Index(fields=["addressed_path", "status", "due_on"], name="recommendation_addressed"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.SUBMITTED, self.Status.UNDER_REVIEW)

    def is_overdue_on(self, today: date) -> bool:
        return self.is_open and self.due_on < today


class RecommendationStep(TimelineEntry):
    """One step of a recommendation's way: submitted, taken up for review, forwarded, answered, declined."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        REVIEW = "review", _("Taken up for review")
        FORWARDED = "forwarded", _("Forwarded")
        ANSWERED = "answered", _("Answered")
        DECLINED = "declined", _("Declined")

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    from_unit = models.ForeignKey(
        "units.Unit", verbose_name=_("from"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_unit = models.ForeignKey(
        "units.Unit", verbose_name=_("to"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The path of the unit the step reached (the addressee at that moment): those units keep seeing it.
    to_path = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("recommendation step")
        verbose_name_plural = _("recommendation steps")
        ordering = ["on", "at", "id"]

    def __str__(self) -> str:
        return f"{self.on:%d/%m/%Y} {self.get_kind_display()}"


# --- Notifications ---------------------------------------------------------------------------------


class Notification(models.Model):
    """A mail sent (or being sent) once: the key names the event, so a task run twice sends nothing new."""

    key = models.CharField(max_length=120)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [models.UniqueConstraint(fields=["key", "recipient"], name="notification_once")]

    def __str__(self) -> str:
        return f"{self.key} → {self.recipient}"


__all__ = [
    "Directive",
    "DirectiveUpdate",
    "InspectedUnit",
    "Inspection",
    "InspectionDocument",
    "Notification",
    "Recommendation",
    "RecommendationStep",
    "Topic",
]
