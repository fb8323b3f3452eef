"""User management: admins act inside their subtree and never grant more than they hold."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from portal.accounts.models import User
from portal.accounts.services import AccessError, roles_sync, user_create, user_update
from portal.units.models import Unit
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def create(actor, unit, role=User.Role.VIEWER, username="moi", password=TEST_PASSWORD):
    return user_create(actor=actor, username=username, password=password, unit=unit, role=role, full_name="Lê Thị Mới")


def test_admin_creates_user_in_own_subtree_with_group_and_admin_flag(tree, make_user):
    admin = make_user(User.Role.ADMIN, tree.thai_nguyen)
    user = create(admin, tree.pho_yen, User.Role.STANDING_OFFICER)
    assert user.unit == tree.pho_yen
    assert list(user.groups.values_list("name", flat=True)) == ["role:standing_officer"]
    assert user.is_staff  # standing officers use the admin site
    assert user.check_password(TEST_PASSWORD)
    assert user.history.first().history_type == "+"


def test_admin_cannot_create_user_in_another_province(tree, make_user):
    admin = make_user(User.Role.ADMIN, tree.thai_nguyen)
    with pytest.raises(AccessError) as err:
        create(admin, tree.ha_noi)
    assert "unit" in err.value.message_dict
    assert not User.objects.filter(username="moi").exists()


def test_admin_cannot_put_user_above_own_unit(tree, make_user):
    admin = make_user(User.Role.ADMIN, tree.pho_yen)
    with pytest.raises(AccessError):
        create(admin, tree.thai_nguyen)


def test_users_belong_to_current_units_only(tree, make_user):
    admin = make_user(User.Role.ADMIN, tree.root)
    with translation.override("en"), pytest.raises(AccessError) as err:
        create(admin, tree.legacy_pho_yen_town)
    assert "legacy" in str(err.value.message_dict["unit"])


@pytest.mark.parametrize("role", [r for r in User.Role if r != User.Role.ADMIN])
def test_only_admins_manage_users(tree, make_user, role):
    actor = make_user(role, tree.root)
    with pytest.raises(AccessError):
        create(actor, tree.pho_yen)


def test_short_password_is_refused_in_the_users_language(tree, make_user):
    admin = make_user(User.Role.ADMIN, tree.root)
    with pytest.raises(ValidationError) as err:
        create(admin, tree.pho_yen, password="ngan-qua")
    assert any("12" in m for m in err.value.messages)


def test_duplicate_username_is_refused_case_insensitively(tree, make_user):
    admin = make_user(User.Role.ADMIN, tree.root)
    create(admin, tree.pho_yen, username="canbo")
    with pytest.raises(ValidationError):
        create(admin, tree.pho_yen, username="CanBo")


def test_admin_cannot_move_a_user_out_of_scope_or_touch_one_outside(tree, make_user):
    admin = make_user(User.Role.ADMIN, tree.thai_nguyen)
    ours = make_user(User.Role.VIEWER, tree.pho_yen)
    theirs = make_user(User.Role.VIEWER, tree.ha_noi)
    with pytest.raises(AccessError):
        user_update(actor=admin, user=ours, unit=tree.ba_dinh)
    with pytest.raises(AccessError):
        user_update(actor=admin, user=theirs, full_name="Đổi tên")
    ours.refresh_from_db()
    theirs.refresh_from_db()
    assert ours.unit == tree.pho_yen and theirs.full_name != "Đổi tên"


def test_role_change_moves_group_and_admin_flag(tree, make_user):
    admin = make_user(User.Role.ADMIN, tree.thai_nguyen)
    user = make_user(User.Role.LEADER, tree.pho_yen)
    assert user.is_staff
    user_update(actor=admin, user=user, role=User.Role.INVESTIGATOR)
    user.refresh_from_db()
    assert not user.is_staff
    assert list(user.groups.values_list("name", flat=True)) == ["role:investigator"]


def test_admin_cannot_demote_or_move_themselves(tree, make_user):
    admin = make_user(User.Role.ADMIN, tree.thai_nguyen)
    with pytest.raises(AccessError):
        user_update(actor=admin, user=admin, role=User.Role.VIEWER)
    with pytest.raises(AccessError):
        user_update(actor=admin, user=admin, is_active=False)
    user_update(actor=admin, user=admin, full_name="Tên mới")
    admin.refresh_from_db()
    assert admin.full_name == "Tên mới" and admin.role == User.Role.ADMIN


def test_roles_sync_is_idempotent_and_gives_admin_user_permissions(tree, make_user):
    first = roles_sync()
    second = roles_sync()
    assert first == second
    admin = make_user(User.Role.ADMIN, tree.root)
    viewer = make_user(User.Role.VIEWER, tree.root)
    assert admin.has_perm("accounts.change_user") and admin.has_perm("units.view_unit")
    assert not viewer.has_perm("accounts.change_user")
    assert Unit.objects.exists()
