"""A first walk through a case's life, end to end through the services."""

from datetime import date

import pytest

from cases.models import Case, CaseEvent
from cases.services import case_clear, case_transition
from portal.accounts.models import User
from tests.factories import make_case

pytestmark = pytest.mark.django_db


def test_case_goes_from_received_to_tried_with_a_timeline(tree, make_user):
    officer = make_user(User.Role.STANDING_OFFICER, tree.thai_nguyen)
    case = make_case(actor=officer, unit=tree.pho_yen, recorded_on=date(2025, 9, 1))
    assert case.reference == "19-2025-00001"
    assert case.due_on == date(2025, 9, 21)
    case = case_transition(case=case, to="investigating", on=date(2025, 9, 5), actor=officer, version=case.version)
    assert case.due_on == date(2025, 12, 5)  # serious: 3 months
    case = case_clear(case=case, on=date(2025, 10, 1), actor=officer, version=case.version)
    case = case_transition(case=case, to="indicted", on=date(2025, 11, 1), actor=officer, version=case.version)
    case = case_transition(case=case, to="tried", on=date(2026, 1, 10), actor=officer, version=case.version)
    assert case.status == Case.Status.TRIED and case.due_on is None and case.version == 5
    kinds = list(case.events.values_list("kind", "to_status"))
    assert kinds == [
        (CaseEvent.Kind.CREATED, "received"),
        (CaseEvent.Kind.STATUS, "investigating"),
        (CaseEvent.Kind.CLEARED, ""),
        (CaseEvent.Kind.STATUS, "indicted"),
        (CaseEvent.Kind.STATUS, "tried"),
    ]


def test_legacy_case_is_recorded_on_a_legacy_unit_and_seen_by_the_current_province(tree, make_user):
    officer = make_user(User.Role.STANDING_OFFICER, tree.thai_nguyen)
    case = make_case(actor=officer, unit=tree.legacy_pho_yen_town, recorded_on=date(2021, 9, 1))
    assert case.reference == "19-2021-00001"
    assert case.unit_path == tree.thai_nguyen.path
    assert Case.objects.visible_to(officer).filter(pk=case.pk).exists()
    assert not Case.objects.visible_to(make_user(User.Role.ADMIN, tree.ha_noi)).exists()
