"""Writes to users and roles: creation and updates within the actor's scope, role groups."""

from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal.units.models import Unit

from .models import User
from .permissions import can_use_admin_site, grantable_roles, has_capability
from .roles import ROLE_PERMISSIONS, C, group_name


class AccessError(ValidationError):
    """A write the actor's role or scope does not allow, worded for the user."""


def check_grant(*, actor: User, unit: Unit | None, role: str) -> None:
    if not has_capability(actor, C.MANAGE_USERS):
        raise AccessError(_("Your role does not allow managing users."))
    errors = {}
    if unit is None:
        errors["unit"] = _("Choose the user's unit.")
    elif unit.edition != Unit.Edition.CURRENT:
        errors["unit"] = _("Users belong to current units, not to legacy (pre-2025) ones.")
    elif not actor.unit.contains(unit):
        errors["unit"] = _("You can only assign units inside %(unit)s.") % {"unit": actor.unit.name}
    if role not in grantable_roles(actor):
        errors["role"] = _("You cannot grant the role “%(role)s”.") % {"role": role}
    if errors:
        raise AccessError(errors)


def user_sync_access(*, user: User) -> None:
    """Make the user's group and admin-site flag follow their role."""
    groups = list(Group.objects.filter(name=group_name(user.role))) if user.role else []
    user.groups.set(groups)
    is_staff = can_use_admin_site(user)
    if user.is_staff != is_staff:
        user.is_staff = is_staff
        user.save(update_fields=["is_staff"])


@transaction.atomic
def user_create(
    *,
    actor: User,
    username: str,
    password: str,
    unit: Unit,
    role: str,
    full_name: str = "",
    email: str = "",
) -> User:
    check_grant(actor=actor, unit=unit, role=role)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This username is already taken.")})
    user = User(username=username, full_name=full_name, email=email, unit=unit, role=role)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    user.set_password(password)
    user.is_staff = can_use_admin_site(user)
    user.full_clean(exclude=["password"])
    user.save()
    user_sync_access(user=user)
    return user


def user_check_change(*, actor: User, user: User, unit: Unit | None, role: str, is_active: bool) -> None:
    """Refuse a change unless the actor may manage the user both as they are and as they will be."""
    check_grant(actor=actor, unit=user.unit, role=user.role)
    check_grant(actor=actor, unit=unit, role=role)
    if user.pk == actor.pk and (unit != user.unit or role != user.role or not is_active):
        raise AccessError(_("You cannot change your own role, unit or active status."))


UPDATABLE = {"full_name", "email", "unit", "role", "is_active"}


@transaction.atomic
def user_update(*, actor: User, user: User, **changes) -> User:
    unknown = set(changes) - UPDATABLE
    if unknown:
        raise ValidationError(_("These fields cannot be changed here: %(f)s") % {"f": ", ".join(sorted(unknown))})
    user_check_change(
        actor=actor,
        user=user,
        unit=changes.get("unit", user.unit),
        role=changes.get("role", user.role),
        is_active=changes.get("is_active", user.is_active),
    )
    for field, value in changes.items():
        setattr(user, field, value)
    user.is_staff = can_use_admin_site(user)
    user.full_clean(exclude=["password"])
    user.save()
    user_sync_access(user=user)
    return user


@transaction.atomic
def roles_sync() -> dict[str, int]:
    """Create one group per role with exactly its model permissions; re-attach every user."""
    result = {}
    for role, perm_names in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=group_name(role))
        perms = []
        for name in perm_names:
            app_label, codename = name.split(".")
            perms.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        group.permissions.set(perms)
        result[role] = len(perms)
    for user in User.objects.all():
        user_sync_access(user=user)
    return result
