"""Recording and editing inspections: scope, inspected units, dates, topics, versions; the selectors' scope."""

from datetime import date

import pytest
from django.urls import reverse

from portal.accounts.models import User
from portal.oversight.models import InspectedUnit, Inspection
from portal.oversight.selectors import inspection_detail, inspection_list
from portal.oversight.services import InspectionError, InspectionStaleVersionError, inspection_update

from .inspection_fixtures import *  # noqa: F403 (the fixtures of these tests)
from .inspection_fixtures import DAY, make_inspection

pytestmark = pytest.mark.django_db


def test_inspector_records_an_inspection_of_the_province_and_a_commune(tree, inspector):
    inspection = make_inspection(
        inspector, tree.thai_nguyen, [tree.thai_nguyen, tree.pho_yen, tree.pho_yen], topics=["drugs", "drugs"]
    )
    assert inspection.unit_path == tree.thai_nguyen.rollup_path
    assert inspection.topics == ["drugs"]
    rows = {(r.unit_id, r.unit_path) for r in InspectedUnit.objects.filter(inspection=inspection)}
    assert rows == {(tree.thai_nguyen.pk, tree.thai_nguyen.rollup_path), (tree.pho_yen.pk, tree.pho_yen.rollup_path)}


def test_a_legacy_inspected_unit_counts_under_the_current_unit_it_rolls_into(tree, inspector):
    inspection = make_inspection(inspector, tree.thai_nguyen, [tree.legacy_pho_yen_town], on=date(2021, 5, 10))
    assert inspection.inspected.get().unit_path == tree.thai_nguyen.path


def test_national_inspector_inspects_anywhere_but_a_provincial_one_only_inside_the_province(
    tree, inspector, national_inspector
):
    make_inspection(national_inspector, tree.root, [tree.ha_noi, tree.thai_nguyen], body="Đoàn kiểm tra của Chính phủ")
    with pytest.raises(InspectionError) as refused:
        make_inspection(inspector, tree.ha_noi, [tree.ba_dinh])
    assert "inspecting_unit" in refused.value.message_dict


def test_inspected_units_must_lie_in_the_inspecting_units_area(tree, inspector):
    with pytest.raises(InspectionError) as refused:
        make_inspection(inspector, tree.thai_nguyen, [tree.pho_yen, tree.ba_dinh])
    assert "Phường Ba Đình" in refused.value.message_dict["inspected_units"][0]
    with pytest.raises(InspectionError):
        make_inspection(inspector, tree.thai_nguyen, [])


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "field"),
    [(date(2026, 6, 2), date(2026, 6, 3), "starts_on"), (date(2026, 3, 10), date(2026, 3, 9), "ends_on")],
)
def test_dates_are_ordered_and_the_start_is_not_in_the_future(tree, inspector, starts_on, ends_on, field):
    with pytest.raises(InspectionError) as refused:
        make_inspection(inspector, tree.thai_nguyen, [tree.pho_yen], on=starts_on, ends_on=ends_on)
    assert field in refused.value.message_dict


def test_an_inspection_still_under_way_may_end_in_the_future(tree, inspector):
    inspection = make_inspection(
        inspector, tree.thai_nguyen, [tree.pho_yen], on=date(2026, 5, 30), ends_on=date(2026, 6, 5)
    )
    assert inspection.ends_on == date(2026, 6, 5)


@pytest.mark.parametrize("topics", [[], ["astrology"]])
def test_topics_are_valid_and_not_empty(tree, inspector, topics):
    with pytest.raises(InspectionError) as refused:
        make_inspection(inspector, tree.thai_nguyen, [tree.pho_yen], topics=topics)
    assert "topics" in refused.value.message_dict


def test_readers_cannot_record_inspections(tree, make_user):
    leader = make_user(User.Role.LEADER, tree.thai_nguyen)
    with pytest.raises(InspectionError, match="does not allow"):
        make_inspection(leader, tree.thai_nguyen, [tree.pho_yen])


def test_update_needs_the_version_read_and_bumps_it(tree, inspector):
    inspection = make_inspection(inspector, tree.thai_nguyen, [tree.pho_yen])
    updated = inspection_update(
        inspection=inspection, actor=inspector, version=1, findings="Còn hạn chế", rating="fair"
    )
    assert updated.version == 2 and updated.rating == "fair"
    with pytest.raises(InspectionStaleVersionError):
        inspection_update(inspection=inspection, actor=inspector, version=1, findings="Khác")
    assert Inspection.objects.get().findings == "Còn hạn chế"


def test_update_replaces_the_inspected_units_and_refuses_unknown_fields(tree, inspector):
    inspection = make_inspection(inspector, tree.thai_nguyen, [tree.pho_yen])
    inspection_update(inspection=inspection, actor=inspector, version=1, inspected_units=[tree.thai_nguyen])
    assert list(inspection.inspected.values_list("unit_id", flat=True)) == [tree.thai_nguyen.pk]
    with pytest.raises(InspectionError):
        inspection_update(inspection=inspection, actor=inspector, version=2, unit_path="x")


def test_the_inspected_side_sees_but_cannot_change_an_inspection_from_above(tree, inspector, national_inspector):
    inspection = make_inspection(national_inspector, tree.root, [tree.thai_nguyen], body="Đoàn kiểm tra của Chính phủ")
    assert inspection_list(user=inspector).filter(pk=inspection.pk).exists()
    with pytest.raises(InspectionError, match="Only the inspecting unit"):
        inspection_update(inspection=inspection, actor=inspector, version=1, findings="Sửa")


def test_inspection_is_visible_to_both_sides_and_not_to_another_province(tree, make_user, national_inspector):
    inspection = make_inspection(national_inspector, tree.root, [tree.pho_yen], body="Đoàn kiểm tra của Chính phủ")
    ours = make_user(User.Role.STANDING_OFFICER, tree.pho_yen)
    theirs = make_user(User.Role.LEADER, tree.ha_noi)
    viewer = make_user(User.Role.VIEWER, tree.pho_yen)
    assert list(inspection_list(user=ours)) == [inspection]
    assert list(inspection_list(user=theirs)) == []
    assert list(inspection_list(user=viewer)) == []  # DESIGN §4: viewers do not read inspections


def test_detail_loads_units_documents_and_directives_in_a_fixed_number_of_queries(
    tree, inspector, django_assert_num_queries
):
    inspection = make_inspection(inspector, tree.thai_nguyen, [tree.thai_nguyen, tree.pho_yen])
    with django_assert_num_queries(4):  # the inspection, inspected units, documents, directives
        loaded = inspection_detail(user=inspector, inspection_id=inspection.pk)
        assert [r.unit.name for r in loaded.inspected.all()] and list(loaded.documents.all()) == []
        assert list(loaded.directives.all()) == [] and loaded.inspecting_unit.name


def test_dates_in_refusals_read_day_month_year(tree, inspector):
    with pytest.raises(InspectionError) as refused:
        make_inspection(inspector, tree.thai_nguyen, [tree.pho_yen], on=DAY, ends_on=date(2026, 3, 1))
    assert "01/03/2026" in refused.value.message_dict["ends_on"][0]


def test_admin_lists_and_shows_history_only_in_scope(client, tree, inspector, make_user, national_inspector):
    ours = make_inspection(inspector, tree.thai_nguyen, [tree.pho_yen], body="kiem-tra-trong")
    theirs = make_inspection(national_inspector, tree.ha_noi, [tree.ba_dinh], body="kiem-tra-ngoai")
    client.force_login(make_user(User.Role.ADMIN, tree.thai_nguyen))
    page = client.get(reverse("admin:oversight_inspection_changelist")).content.decode()
    assert "kiem-tra-trong" in page and "kiem-tra-ngoai" not in page
    assert client.get(reverse("admin:oversight_inspection_history", args=[ours.pk])).status_code == 200
    assert client.get(reverse("admin:oversight_inspection_history", args=[theirs.pk])).status_code == 404
    version = theirs.history.first().history_id
    url = reverse("admin:oversight_inspection_simple_history", args=[theirs.pk, version])
    assert client.get(url).status_code == 404
    assert client.get(reverse("admin:oversight_directive_changelist")).status_code == 200
