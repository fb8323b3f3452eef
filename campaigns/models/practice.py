"""Good-practice models (mô hình hay, cách làm hiệu quả), the units they were replicated to, evaluations."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.accounts.models import ScopedQuerySet


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
