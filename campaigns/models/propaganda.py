"""Legal-education (propaganda) programs and their activities."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.accounts.models import ScopedQuerySet


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
