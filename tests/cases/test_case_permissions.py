"""Who may edit a case and see party identities (DESIGN §4), masking, and the case scoping rule."""

from datetime import date

import pytest

from cases.models import Case
from cases.permissions import (
    can_create_cases,
    can_edit_case,
    can_see_identities,
    can_view_cases,
    mask_id_number,
    mask_name,
)
from cases.selectors import case_list
from portal.accounts.models import User
from tests.factories import make_case

pytestmark = pytest.mark.django_db

R = User.Role

# DESIGN §4, for a case in the user's scope that is not an investigator's own.
EDIT_AND_IDENTITIES = {
    R.ADMIN: (True, True),
    R.LEADER: (False, True),
    R.STANDING_OFFICER: (True, True),
    R.INVESTIGATOR: (False, False),
    R.PROPAGANDA_OFFICER: (False, False),
    R.INSPECTOR: (False, False),
    R.VIEWER: (False, False),
}
VIEWS_CASES = {R.ADMIN, R.LEADER, R.STANDING_OFFICER, R.INVESTIGATOR, R.INSPECTOR}


@pytest.fixture
def recorder(tree, make_user):
    return make_user(R.STANDING_OFFICER, tree.root)


@pytest.fixture
def case(tree, recorder):
    """A Phổ Yên case handled by the Thái Nguyên province unit, nobody assigned."""
    return make_case(actor=recorder, unit=tree.pho_yen, recorded_on=date(2025, 9, 1), handling_unit=tree.thai_nguyen)


# ---- can_edit_case / can_see_identities --------------------------------------------------------


@pytest.mark.parametrize(("role", "expected"), EDIT_AND_IDENTITIES.items(), ids=[r.value for r in EDIT_AND_IDENTITIES])
def test_editing_and_identities_per_role_for_a_case_that_is_not_their_own(tree, make_user, case, role, expected):
    user = make_user(role, tree.pho_yen)
    assert (can_edit_case(user, case), can_see_identities(user, case)) == expected


@pytest.mark.parametrize("role", list(R), ids=[r.value for r in R])
def test_recording_and_reading_cases_per_role(tree, make_user, role):
    user = make_user(role, tree.thai_nguyen)
    assert can_view_cases(user) is (role in VIEWS_CASES)
    assert can_create_cases(user) is (role in {R.ADMIN, R.STANDING_OFFICER, R.INVESTIGATOR})


def test_investigator_of_the_handling_unit_edits_and_sees_identities(tree, make_user, case):
    investigator = make_user(R.INVESTIGATOR, tree.thai_nguyen)
    assert can_edit_case(investigator, case)
    assert can_see_identities(investigator, case)


def test_investigator_assigned_to_the_case_edits_and_sees_identities(tree, make_user, case):
    investigator = make_user(R.INVESTIGATOR, tree.ha_noi)
    case.officers.add(investigator)
    case = Case.objects.get(pk=case.pk)
    assert can_edit_case(investigator, case)
    assert can_see_identities(investigator, case)


@pytest.mark.parametrize("unit", ["pho_yen", "root", "ha_noi"])
def test_investigator_of_another_unit_neither_edits_nor_sees_identities(tree, make_user, case, unit):
    # Phổ Yên is where the case happened, not the unit handling it; a national investigator is not its handler.
    investigator = make_user(R.INVESTIGATOR, getattr(tree, unit))
    assert not can_edit_case(investigator, case)
    assert not can_see_identities(investigator, case)


def test_investigator_is_not_given_a_case_without_a_handling_unit(tree, make_user, recorder):
    case = make_case(actor=recorder, unit=tree.pho_yen, recorded_on=date(2025, 9, 1))
    assert case.handling_unit is None
    investigator = make_user(R.INVESTIGATOR, tree.pho_yen)
    assert not can_edit_case(investigator, case)
    assert not can_see_identities(investigator, case)


def test_investigator_recording_a_case_owns_it(tree, make_user):
    investigator = make_user(R.INVESTIGATOR, tree.pho_yen)
    case = make_case(actor=investigator, unit=tree.pho_yen, recorded_on=date(2025, 9, 1))
    colleague = make_user(R.INVESTIGATOR, tree.pho_yen)  # same unit: the unit handles the case
    assert can_edit_case(investigator, case) and can_see_identities(investigator, case)
    assert can_edit_case(colleague, case) and can_see_identities(colleague, case)


@pytest.mark.parametrize("state", ["no_unit", "inactive"])
@pytest.mark.parametrize("role", [R.ADMIN, R.STANDING_OFFICER])
def test_user_without_a_unit_or_inactive_may_do_nothing(tree, make_user, case, state, role):
    user = make_user(role, tree.root)
    if state == "no_unit":
        user.unit = None
    else:
        user.is_active = False
    user.save()
    assert not can_view_cases(user)
    assert not can_edit_case(user, case)
    assert not can_see_identities(user, case)


# ---- masking -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("Nguyễn Văn An", "N. V. A."),
        ("Đỗ Thị Ánh Tuyết", "Đ. T. Á. T."),
        ("  Lê   Minh  ", "L. M."),
        ("Hoàng", "H."),
        ("", ""),
    ],
)
def test_mask_name_keeps_only_initials(name, masked):
    assert mask_name(name) == masked


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        ("001203004567", "*********567"),
        ("012345678", "******678"),
        ("1234", "****"),  # shorter than any real ID number: hidden whole
        ("", ""),
    ],
)
def test_mask_id_number_keeps_the_last_three_characters(number, masked):
    assert mask_id_number(number) == masked


@pytest.mark.parametrize("number", ["123", "12", "7"])
def test_mask_id_number_never_reveals_a_short_number_whole(number):
    assert number not in mask_id_number(number)


# ---- scoping: Case.objects.visible_to and the case list ----------------------------------------


@pytest.fixture
def cases(tree, recorder):
    """One case in each corner of the tree, current and legacy."""
    made = {
        "pho_yen": (tree.pho_yen, date(2025, 9, 1)),
        "thai_nguyen": (tree.thai_nguyen, date(2025, 9, 2)),
        "legacy_ba_hang": (tree.legacy_ba_hang, date(2021, 3, 1)),
        "legacy_pho_yen_town": (tree.legacy_pho_yen_town, date(2022, 5, 1)),
        "ba_dinh": (tree.ba_dinh, date(2025, 9, 3)),
    }
    return {name: make_case(actor=recorder, unit=unit, recorded_on=on) for name, (unit, on) in made.items()}


SCOPES = {
    "root": {"pho_yen", "thai_nguyen", "legacy_ba_hang", "legacy_pho_yen_town", "ba_dinh"},
    "thai_nguyen": {"pho_yen", "thai_nguyen", "legacy_ba_hang", "legacy_pho_yen_town"},
    # The legacy commune Ba Hàng became Phổ Yên: its cases roll up; the legacy district's do not.
    "pho_yen": {"pho_yen", "legacy_ba_hang"},
    "ha_noi": {"ba_dinh"},
    "ba_dinh": {"ba_dinh"},
}


def names_of(queryset, cases) -> set[str]:
    ids = set(queryset.values_list("pk", flat=True))
    return {name for name, case in cases.items() if case.pk in ids}


@pytest.mark.parametrize("unit", SCOPES)
@pytest.mark.parametrize("role", list(R), ids=[r.value for r in R])
def test_visible_to_limits_cases_to_the_users_subtree_with_legacy_cases_rolled_up(tree, make_user, cases, unit, role):
    user = make_user(role, getattr(tree, unit))
    assert names_of(Case.objects.visible_to(user), cases) == SCOPES[unit]


@pytest.mark.parametrize("role", list(R), ids=[r.value for r in R])
def test_case_list_is_the_scope_for_roles_that_read_cases_and_empty_for_the_others(tree, make_user, cases, role):
    user = make_user(role, tree.thai_nguyen)
    expected = SCOPES["thai_nguyen"] if role in VIEWS_CASES else set()
    assert names_of(case_list(user=user, today=date(2025, 10, 1)), cases) == expected


@pytest.mark.parametrize("state", ["no_unit", "inactive"])
def test_visible_to_denies_users_without_a_unit_or_inactive(tree, make_user, cases, state):
    user = make_user(R.ADMIN, tree.root)
    if state == "no_unit":
        user.unit = None
    else:
        user.is_active = False
    user.save()
    assert not Case.objects.visible_to(user).exists()


def test_legacy_case_is_seen_from_the_current_units_it_rolls_up_to(tree, make_user, cases):
    legacy = cases["legacy_ba_hang"]
    assert legacy.unit == tree.legacy_ba_hang and legacy.unit_path == tree.pho_yen.path
    for unit in (tree.root, tree.thai_nguyen, tree.pho_yen):
        assert Case.objects.visible_to(make_user(R.VIEWER, unit)).filter(pk=legacy.pk).exists()
    assert not Case.objects.visible_to(make_user(R.VIEWER, tree.ha_noi)).filter(pk=legacy.pk).exists()
