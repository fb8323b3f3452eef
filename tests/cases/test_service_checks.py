"""Service checks every door relies on: officers in scope, investigators keep their cases, error keys."""

from datetime import date

import pytest

from cases.services import CaseError, case_create, case_update
from portal.accounts.models import User
from tests.factories import CategoryFactory, make_case

pytestmark = pytest.mark.django_db


def test_officers_must_be_active_and_in_the_actors_scope(tree, make_user):
    lead = make_user(User.Role.STANDING_OFFICER, tree.thai_nguyen)
    outsider = make_user(User.Role.INVESTIGATOR, tree.ha_noi)
    retired = make_user(User.Role.INVESTIGATOR, tree.pho_yen, is_active=False)
    for officer in (outsider, retired):
        with pytest.raises(CaseError) as refused:
            make_case(actor=lead, unit=tree.pho_yen, recorded_on=date(2026, 1, 5), officers=[officer])
        assert "officers" in refused.value.message_dict
    case = make_case(actor=lead, unit=tree.pho_yen, recorded_on=date(2026, 1, 5))
    with pytest.raises(CaseError):
        case_update(case=case, actor=lead, version=case.version, officers=[outsider])
    assert not case.officers.exists()


def test_investigator_cannot_hand_their_case_to_another_unit(tree, make_user):
    investigator = make_user(User.Role.INVESTIGATOR, tree.thai_nguyen)
    case = make_case(actor=investigator, unit=tree.pho_yen, recorded_on=date(2026, 1, 5))
    assert case.handling_unit == tree.thai_nguyen
    with pytest.raises(CaseError) as refused:
        case_update(case=case, actor=investigator, version=case.version, handling_unit=tree.pho_yen)
    assert "handling_unit" in refused.value.message_dict
    case.refresh_from_db()
    assert case.handling_unit == tree.thai_nguyen and case.version == 1


def test_future_recorded_on_is_reported_on_the_field_the_user_filled(tree, make_user):
    lead = make_user(User.Role.STANDING_OFFICER, tree.thai_nguyen)
    with pytest.raises(CaseError) as refused:
        case_create(
            actor=lead,
            title="Trộm cắp",
            category=CategoryFactory(),
            severity="serious",
            unit=tree.pho_yen,
            recorded_on=date(2099, 1, 1),
        )
    assert list(refused.value.message_dict) == ["recorded_on"]
