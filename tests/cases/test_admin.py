"""The case admin: scoped like every door, edits go through the service with the version check."""

from datetime import date

import pytest
from django.urls import reverse

from cases.models import Case, CaseEvent, Party
from portal.accounts.models import User
from tests.factories import make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(tree, make_user):
    officer = make_user(User.Role.STANDING_OFFICER, tree.root, username="tt.tw")
    ours = make_case(actor=officer, unit=tree.pho_yen, recorded_on=date(2026, 1, 5), title="Trộm cắp tại Phổ Yên")
    theirs = make_case(actor=officer, unit=tree.ba_dinh, recorded_on=date(2026, 1, 6), title="Cướp giật tại Ba Đình")
    Party.objects.create(case=ours, role=Party.Role.SUSPECT, full_name="Nguyễn Văn Bị", id_number="019203004567")
    return ours, theirs


def form_data(case: Case, **overrides) -> dict:
    data = {
        "title": case.title,
        "summary": case.summary,
        "category": case.category_id,
        "severity": case.severity,
        "handling_unit": case.handling_unit_id or "",
        "damage_amount": "",
        "recovered_amount": "",
        "expected_version": case.version,
        "parties-TOTAL_FORMS": case.parties.count(),
        "parties-INITIAL_FORMS": case.parties.count(),
        "parties-MIN_NUM_FORMS": 0,
        "parties-MAX_NUM_FORMS": 1000,
    }
    for prefix, related in (("extensions", case.extensions), ("events", case.events)):
        count = related.count()
        data.update({f"{prefix}-TOTAL_FORMS": count, f"{prefix}-INITIAL_FORMS": count})
        data.update({f"{prefix}-{i}-id": pk for i, pk in enumerate(related.values_list("pk", flat=True))})
        data.update({f"{prefix}-{i}-case": case.pk for i in range(count)})
    for i, party in enumerate(case.parties.all()):
        data.update(
            {
                f"parties-{i}-id": party.pk,
                f"parties-{i}-case": case.pk,
                f"parties-{i}-role": party.role,
                f"parties-{i}-full_name": party.full_name,
                f"parties-{i}-id_number": party.id_number,
            }
        )
    data.update(overrides)
    return data


def test_provincial_leader_sees_only_cases_of_their_province(client, tree, make_user, cases):
    ours, theirs = cases
    client.force_login(make_user(User.Role.LEADER, tree.thai_nguyen))
    page = client.get(reverse("admin:cases_case_changelist")).content.decode()
    assert ours.reference in page and theirs.reference not in page
    assert client.get(reverse("admin:cases_case_change", args=[ours.pk])).status_code == 200
    assert client.get(reverse("admin:cases_case_change", args=[theirs.pk])).status_code == 302
    assert client.get(reverse("admin:cases_case_history", args=[theirs.pk])).status_code == 404


def test_case_page_shows_timeline_and_parties_inline(client, tree, make_user, cases):
    ours, _ = cases
    client.force_login(make_user(User.Role.STANDING_OFFICER, tree.thai_nguyen))
    page = client.get(reverse("admin:cases_case_change", args=[ours.pk])).content.decode()
    assert "Nguyễn Văn Bị" in page
    assert "019203004567" in page


def test_admin_edit_goes_through_the_service(client, tree, make_user, cases):
    ours, _ = cases
    client.force_login(make_user(User.Role.STANDING_OFFICER, tree.thai_nguyen, username="tt.tn"))
    response = client.post(
        reverse("admin:cases_case_change", args=[ours.pk]), form_data(ours, title="Trộm cắp xe máy tại Phổ Yên")
    )
    assert response.status_code == 302, [str(e) for e in response.context["errors"]]
    ours.refresh_from_db()
    assert ours.title == "Trộm cắp xe máy tại Phổ Yên"
    assert ours.search_title == "trom cap xe may tai pho yen"
    assert ours.version == 2
    edit = ours.events.get(kind=CaseEvent.Kind.EDITED)
    assert edit.actor.username == "tt.tn"


def test_stale_admin_edit_is_refused_and_nothing_is_overwritten(client, tree, make_user, cases):
    ours, _ = cases
    client.force_login(make_user(User.Role.STANDING_OFFICER, tree.thai_nguyen))
    stale = form_data(ours, title="Bản sửa cũ")
    Case.objects.filter(pk=ours.pk).update(version=2, title="Bản sửa của người khác")
    response = client.post(reverse("admin:cases_case_change", args=[ours.pk]), stale)
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors()
    ours.refresh_from_db()
    assert ours.title == "Bản sửa của người khác"


def test_leader_may_read_but_not_change_cases(client, tree, make_user, cases):
    ours, _ = cases
    client.force_login(make_user(User.Role.LEADER, tree.thai_nguyen))
    response = client.post(reverse("admin:cases_case_change", args=[ours.pk]), form_data(ours, title="Không được"))
    assert response.status_code == 403
    ours.refresh_from_db()
    assert ours.title != "Không được"
