"""The one scoping rule: a user's unit subtree (legacy units through their roll-up), default deny."""

import pytest
from django.contrib.auth.models import AnonymousUser

from portal.accounts.models import User
from portal.units.models import Unit

pytestmark = pytest.mark.django_db


def visible_units(user) -> set[str]:
    return set(Unit.objects.visible_to(user).values_list("path", flat=True))


def test_provincial_user_sees_own_province_its_legacy_units_and_ancestors(tree, make_user):
    user = make_user(User.Role.VIEWER, tree.thai_nguyen)
    assert visible_units(user) == {
        tree.root.path,
        tree.thai_nguyen.path,
        tree.pho_yen.path,
        tree.legacy_thai_nguyen.path,
        tree.legacy_pho_yen_town.path,
        tree.legacy_ba_hang.path,
    }


def test_commune_user_sees_the_legacy_commune_that_became_theirs_but_not_the_province(tree, make_user):
    user = make_user(User.Role.VIEWER, tree.pho_yen)
    assert visible_units(user) == {
        tree.root.path,
        tree.thai_nguyen.path,
        tree.pho_yen.path,
        tree.legacy_ba_hang.path,
    }
    # Ancestors are visible as names, but records scoped by unit are not.
    assert not User.objects.visible_to(user).filter(unit=tree.thai_nguyen).exists()


def test_national_user_sees_everything(tree, make_user):
    user = make_user(User.Role.VIEWER, tree.root)
    assert visible_units(user) == set(Unit.objects.values_list("path", flat=True))


def test_users_of_another_province_are_out_of_scope(tree, make_user):
    admin = make_user(User.Role.ADMIN, tree.thai_nguyen)
    colleague = make_user(User.Role.VIEWER, tree.pho_yen)
    stranger = make_user(User.Role.VIEWER, tree.ha_noi)
    visible = set(User.objects.visible_to(admin))
    assert colleague in visible and admin in visible
    assert stranger not in visible


@pytest.mark.parametrize("case", ["no_unit", "inactive", "anonymous"])
def test_default_deny(tree, make_user, case):
    if case == "anonymous":
        user = AnonymousUser()
    else:
        user = make_user(User.Role.ADMIN, tree.root)
        if case == "no_unit":
            user.unit = None
        else:
            user.is_active = False
    assert not Unit.objects.visible_to(user).exists()
    assert not User.objects.visible_to(user).exists()


def test_superuser_without_unit_sees_nothing_either(tree, db):
    boss = User.objects.create_superuser("boss", "boss@example.vn", "long-enough-password-138")
    assert not User.objects.visible_to(boss).exists()
