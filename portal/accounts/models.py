"""Users: each belongs to one unit and holds one role; the scoping rule lives here."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.units.models import scope_unit_of


def scope_q(user, path_field: str = "unit__rollup_path") -> Q | None:
    """The filter that limits rows to the user's unit subtree, or None when they may see nothing.

    Rows count under a unit through the unit's roll-up path, so legacy rows (before the 2025
    reform) are seen by the users of the current unit they roll up into. A user on the national
    root sees everything; a user without a unit sees nothing (default deny).
    """
    unit = scope_unit_of(user)
    if unit is None:
        return None
    return Q(**{f"{path_field}__startswith": unit.path})


class ScopedQuerySet(models.QuerySet):
    """Base for every domain QuerySet: `visible_to(user)` is the one scoping method.

    `scope_path_field` names the roll-up path the rule filters on: through the unit by
    default, or a copy of it kept on the row (cases keep `unit_path` for speed at scale).
    """

    scope_path_field = "unit__rollup_path"

    def visible_to(self, user):
        q = scope_q(user, self.scope_path_field)
        return self.none() if q is None else self.filter(q)


class UserQuerySet(ScopedQuerySet):
    pass


class PortalUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """A committee member or police officer, scoped to one unit's subtree."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Administrator")
        LEADER = "leader", _("Committee leader")
        STANDING_OFFICER = "standing_officer", _("Standing office officer")
        INVESTIGATOR = "investigator", _("Investigator")
        PROPAGANDA_OFFICER = "propaganda_officer", _("Propaganda officer")
        INSPECTOR = "inspector", _("Inspector")
        VIEWER = "viewer", _("Viewer")

    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    role = models.CharField(_("role"), max_length=24, choices=Role.choices, blank=True)
    # Raised when an admin resets the user's two-step verification: sessions that passed the step
    # under an older value must pass it again (see accounts.two_factor).
    second_step_epoch = models.PositiveIntegerField(_("two-step verification resets"), default=0, editable=False)

    history = HistoricalRecords(excluded_fields=["password", "last_login"])
    objects = PortalUserManager()

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]
        swappable = "AUTH_USER_MODEL"

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or super().get_full_name()
