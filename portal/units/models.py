"""Administrative units: the national root, the current (2025) tree and the legacy tree."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

PATH_SEPARATOR = "/"


def scope_unit_of(user) -> "Unit | None":
    """The unit whose subtree a user may see: None for anonymous, inactive or unit-less users."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return getattr(user, "unit", None)


class UnitQuerySet(models.QuerySet):
    def subtree(self, unit: "Unit") -> "UnitQuerySet":
        """The unit and everything under it in its own tree (one indexed prefix filter)."""
        return self.filter(path__startswith=unit.path)

    def rolling_up_to(self, unit: "Unit") -> "UnitQuerySet":
        """Every unit, current or legacy, whose records count under `unit` in the current tree."""
        return self.filter(rollup_path__startswith=unit.path)

    def ancestors_of(self, unit: "Unit") -> "UnitQuerySet":
        return self.filter(path__in=unit.ancestor_paths())

    def visible_to(self, user) -> "UnitQuerySet":
        """Units a user may see: those rolling up into their unit's subtree, plus its ancestors."""
        unit = scope_unit_of(user)
        if unit is None:
            return self.none()
        return self.filter(Q(rollup_path__startswith=unit.path) | Q(path__in=unit.ancestor_paths()))

    def current(self) -> "UnitQuerySet":
        return self.filter(edition=Unit.Edition.CURRENT)


class Unit(models.Model):
    """One administrative unit (and the steering committee / police unit that serves it)."""

    class Edition(models.TextChoices):
        CURRENT = "2025", _("Current (from 1 July 2025)")
        LEGACY = "legacy", _("Legacy (until 30 June 2025)")

    class Level(models.IntegerChoices):
        NATIONAL = 0, _("National")
        PROVINCE = 1, _("Province")
        DISTRICT = 2, _("District")
        COMMUNE = 3, _("Commune")

    class Kind(models.TextChoices):
        NATION = "quoc_gia", _("Nation")
        PROVINCE = "tinh", _("Province (tỉnh)")
        CENTRAL_CITY = "thanh_pho_trung_uong", _("Centrally-run city")
        DISTRICT = "huyen", _("Rural district (huyện)")
        TOWN = "thi_xa", _("Town (thị xã)")
        URBAN_DISTRICT = "quan", _("Urban district (quận)")
        PROVINCIAL_CITY = "thanh_pho", _("Provincial city")
        COMMUNE = "xa", _("Commune (xã)")
        WARD = "phuong", _("Ward (phường)")
        TOWNSHIP = "thi_tran", _("Township (thị trấn)")
        SPECIAL_ZONE = "dac_khu", _("Special zone (đặc khu)")

    ROOT_CODE = "VN"

    code = models.CharField(_("code"), max_length=8, help_text=_("NSO code, zero-padded"))
    name = models.CharField(_("name"), max_length=120)
    search_name = models.CharField(max_length=120, db_index=True, editable=False)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    edition = models.CharField(_("edition"), max_length=8, choices=Edition.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=64, unique=True, editable=False)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("current unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
        help_text=_("For a legacy unit: the current unit its records roll up into."),
    )
    rollup_path = models.CharField(max_length=64, db_index=True, editable=False)

    history = HistoricalRecords()
    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "code"], name="unit_code_unique_per_edition"),
        ]
        indexes = [
            models.Index(fields=["edition", "level"], name="unit_edition_level"),
        ]

    def __str__(self) -> str:
        if self.edition == self.Edition.LEGACY:
            return f"{self.name} ({_('legacy')})"
        return self.name

    @property
    def is_root(self) -> bool:
        return self.level == self.Level.NATIONAL

    def ancestor_paths(self) -> list[str]:
        """Paths of the unit's ancestors, root first (derived from its own path, no query)."""
        parts = self.path.strip(PATH_SEPARATOR).split(PATH_SEPARATOR)
        return [PATH_SEPARATOR.join(parts[:i]) + PATH_SEPARATOR for i in range(1, len(parts))]

    def contains(self, other: "Unit") -> bool:
        """True when `other`'s records count under this unit (same rule as the scoping filter).

        A legacy unit (which no user belongs to) contains its own legacy subtree: the 2021 inspection of
        the legacy province names directives for its legacy town.
        """
        if self.edition == self.Edition.LEGACY:
            return other.path.startswith(self.path)
        return other.rollup_path.startswith(self.path)
