"""Propaganda services and selectors: programs and activities obey their rules, scope, locking and totals."""

from datetime import date, timedelta

import pytest

from campaigns.models import PropagandaActivity, PropagandaProgram
from campaigns.selectors import activity_list, program_detail, program_get, program_list
from campaigns.services import (
    CampaignError,
    RowsRefused,
    StaleVersionError,
    activities_bulk_create,
    activity_delete,
    activity_update,
    program_update,
)
from portal.accounts.models import User
from portal.units.models import Unit
from tests.campaigns.conftest import TODAY
from tests.campaigns.propaganda_helpers import ENDS, HELD, STARTS, make_activity, make_program
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db
R = User.Role


@pytest.fixture
def program(tree, officer):
    return make_program(officer, tree.thai_nguyen, planned_activities=4, planned_reach=1000)


def messages_of(exc: CampaignError) -> dict[str, list[str]]:
    return exc.message_dict


# --- Programs ------------------------------------------------------------------------------------


def test_create_copies_the_units_path_and_keeps_each_topic_once(tree, officer):
    program = make_program(officer, tree.thai_nguyen, topics=["drugs", "trafficking", "drugs"])
    program.refresh_from_db()
    assert (program.unit_path, program.topics, program.version) == (
        tree.thai_nguyen.rollup_path,
        ["drugs", "trafficking"],
        1,
    )
    assert program.created_by == officer
    assert program.history.count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"ends_on": STARTS - timedelta(days=1)}, "ends_on", "cannot end"),
        ({"topics": []}, "topics", "at least one topic"),
        ({"topics": ["drugs", "gossip"]}, "topics", "Unknown topic gossip"),
        ({"planned_reach": -5}, "planned_reach", ""),
    ],
)
def test_create_refuses_a_broken_program(tree, officer, changes, field, words):
    with pytest.raises(CampaignError) as refused:
        make_program(officer, tree.thai_nguyen, **changes)
    assert field in messages_of(refused.value)
    assert words in " ".join(messages_of(refused.value)[field])
    assert not PropagandaProgram.objects.exists()


def test_create_refuses_a_unit_outside_the_scope_and_a_legacy_unit(tree, officer):
    with pytest.raises(CampaignError) as refused:
        make_program(officer, tree.ha_noi)
    assert "outside your scope" in messages_of(refused.value)["unit"][0]
    with pytest.raises(CampaignError) as refused:
        make_program(officer, tree.legacy_pho_yen_town)
    assert "current (2025) list" in messages_of(refused.value)["unit"][0]


@pytest.mark.parametrize("role", [R.LEADER, R.INSPECTOR, R.VIEWER, R.INVESTIGATOR])
def test_only_propaganda_writers_record_programs(tree, make_user, role):
    with pytest.raises(CampaignError, match="does not allow"):
        make_program(make_user(role, tree.thai_nguyen), tree.thai_nguyen)


def test_propaganda_officer_records_programs(tree, make_user):
    program = make_program(make_user(R.PROPAGANDA_OFFICER, tree.thai_nguyen), tree.pho_yen)
    assert program.unit == tree.pho_yen


def test_update_bumps_the_version_and_refuses_a_stale_one(program, officer):
    program = program_update(program=program, actor=officer, version=1, title="Tháng hành động phòng, chống ma túy")
    assert (program.title, program.version) == ("Tháng hành động phòng, chống ma túy", 2)
    with pytest.raises(StaleVersionError, match="your version 1, now 2"):
        program_update(program=program, actor=officer, version=1, planned_reach=9)
    program.refresh_from_db()
    assert program.planned_reach == 1000


def test_update_refuses_unknown_fields(program, officer):
    with pytest.raises(CampaignError, match="cannot be changed here: unit_path"):
        program_update(program=program, actor=officer, version=1, unit_path="VN/")


def test_update_keeps_recorded_activities_inside_the_program(tree, program, officer):
    make_activity(officer, program, tree.pho_yen, on=date(2026, 2, 10), topic="drugs")
    with pytest.raises(CampaignError) as refused:
        program_update(program=program, actor=officer, version=1, starts_on=date(2026, 3, 1))
    assert "1 recorded activity falls outside the new window (the first on 10/02/2026)" in str(refused.value)
    with pytest.raises(CampaignError) as refused:
        program_update(program=program, actor=officer, version=1, topics=["cyber_fraud"])
    assert "Recorded activities are on Drugs" in messages_of(refused.value)["topics"][0]
    other_ward = UnitFactory(code="05900", name="Phường Bách Quang", kind=Unit.Kind.WARD, parent=tree.thai_nguyen)
    with pytest.raises(CampaignError) as refused:
        program_update(program=program, actor=officer, version=1, unit=other_ward)
    assert "took place outside Phường Bách Quang" in messages_of(refused.value)["unit"][0]
    program.refresh_from_db()
    assert (program.version, program.starts_on, program.unit) == (1, STARTS, tree.thai_nguyen)
    # A change the activities still fit is fine.
    program = program_update(program=program, actor=officer, version=1, starts_on=date(2026, 2, 1))
    assert program.version == 2


# --- Activities ----------------------------------------------------------------------------------


def test_activity_copies_the_units_path(tree, program, officer):
    activity = make_activity(officer, program, tree.pho_yen, audience=250, materials=300, note="Tổ dân phố 3")
    activity.refresh_from_db()
    assert (activity.unit_path, activity.audience, activity.materials, activity.created_by) == (
        tree.pho_yen.rollup_path,
        250,
        300,
        officer,
    )


def test_an_activity_in_a_legacy_commune_rolling_into_the_area_is_accepted(tree, program, officer):
    activity = make_activity(officer, program, tree.legacy_ba_hang)
    assert activity.unit_path == tree.pho_yen.path


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"on": STARTS - timedelta(days=1)}, "on", "outside the program's window (01/01/2026–31/12/2026)"),
        ({"on": TODAY + timedelta(days=1)}, "on", "is in the future"),
        ({"topic": "trafficking"}, "topic", "does not cover Human trafficking"),
        ({"format": "carrier_pigeon"}, "format", "Unknown format"),
        ({"audience": -1}, "audience", "whole number"),
    ],
)
def test_activity_rules(tree, program, officer, changes, field, words):
    with pytest.raises(CampaignError) as refused:
        make_activity(officer, program, tree.pho_yen, **changes)
    assert words in " ".join(messages_of(refused.value)[field])
    assert not PropagandaActivity.objects.exists()


def test_an_activity_must_lie_in_the_programs_area(tree, national, make_user):
    program = make_program(national, tree.thai_nguyen)
    with pytest.raises(CampaignError) as refused:
        make_activity(national, program, tree.ba_dinh)
    assert messages_of(refused.value)["unit"] == ["Phường Ba Đình is outside the program's area (Tỉnh Thái Nguyên)."]
    ward_officer = make_user(R.PROPAGANDA_OFFICER, tree.pho_yen)
    national_program = make_program(national, tree.root)
    with pytest.raises(CampaignError) as refused:
        make_activity(ward_officer, national_program, tree.ba_dinh)
    assert messages_of(refused.value)["unit"] == ["This unit is outside your scope."]


def test_activity_update_checks_what_changes_and_the_version(tree, program, officer):
    activity = make_activity(officer, program, tree.pho_yen)
    activity = activity_update(activity=activity, actor=officer, version=1, audience=180, note="Bổ sung")
    assert (activity.audience, activity.note, activity.version) == (180, "Bổ sung", 2)
    with pytest.raises(CampaignError) as refused:
        activity_update(activity=activity, actor=officer, version=2, on=ENDS + timedelta(days=1))
    assert "on" in messages_of(refused.value)
    with pytest.raises(StaleVersionError):
        activity_update(activity=activity, actor=officer, version=1, audience=1)
    with pytest.raises(CampaignError, match="cannot be changed here: program"):
        activity_update(activity=activity, actor=officer, version=2, program=program)
    activity.refresh_from_db()
    assert (activity.audience, activity.version) == (180, 2)


def test_activity_delete_keeps_the_history_and_checks_the_version(tree, program, officer, make_user):
    activity = make_activity(officer, program, tree.pho_yen)
    with pytest.raises(CampaignError, match="does not allow"):
        activity_delete(activity=activity, actor=make_user(R.LEADER, tree.thai_nguyen))
    activity_update(activity=activity, actor=officer, version=1, audience=7)
    with pytest.raises(StaleVersionError):
        activity_delete(activity=activity, actor=officer, version=1)
    activity_delete(activity=activity, actor=officer, version=2)
    assert not PropagandaActivity.objects.exists()
    assert PropagandaActivity.history.filter(id=activity.pk, history_type="-").count() == 1


# --- Many at once --------------------------------------------------------------------------------


def rows(tree, n: int) -> list[dict]:
    return [
        {
            "on": HELD + timedelta(days=i % 60),
            "unit": tree.pho_yen,
            "format": "loudspeaker",
            "topic": "drugs",
            "audience": 10 * (i + 1),
        }
        for i in range(n)
    ]


def test_bulk_create_writes_every_row_with_its_history(tree, program, officer, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):  # the same for 3 rows or 300: one insert each for rows and history
        created = activities_bulk_create(actor=officer, program=program, rows=rows(tree, 300))
    assert len(created) == 300
    assert PropagandaActivity.objects.filter(program=program).count() == 300
    assert PropagandaActivity.history.filter(history_type="+").count() == 300
    assert sorted(PropagandaActivity.objects.values_list("audience", flat=True))[:3] == [10, 20, 30]
    assert set(PropagandaActivity.objects.values_list("unit_path", flat=True)) == {tree.pho_yen.rollup_path}


def test_bulk_create_writes_nothing_when_one_row_is_refused(tree, program, officer):
    data = rows(tree, 5)
    data[3]["topic"] = "trafficking"
    data[4]["on"] = TODAY + timedelta(days=3)
    with pytest.raises(RowsRefused) as refused:
        activities_bulk_create(actor=officer, program=program, rows=data, row_numbers=[2, 3, 4, 5, 6])
    assert set(refused.value.rows) == {5, 6}
    assert list(refused.value.rows[5]) == ["topic"]
    assert list(refused.value.rows[6]) == ["on"]
    assert refused.value.messages[0].startswith("Row 5 – topic: The program does not cover Human trafficking")
    assert not PropagandaActivity.objects.exists()


def test_bulk_create_needs_rows_and_a_writer(tree, program, officer, make_user):
    with pytest.raises(CampaignError, match="no activity"):
        activities_bulk_create(actor=officer, program=program, rows=[])
    with pytest.raises(CampaignError, match="does not allow"):
        activities_bulk_create(actor=make_user(R.VIEWER, tree.thai_nguyen), program=program, rows=rows(tree, 1))


# --- Selectors -----------------------------------------------------------------------------------


def test_program_totals_and_breakdowns_come_from_the_activities(tree, program, officer):
    make_activity(officer, program, tree.pho_yen, format="meeting", topic="drugs", audience=120, materials=40)
    make_activity(officer, program, tree.pho_yen, format="meeting", topic="cyber_fraud", audience=80, materials=0)
    make_activity(officer, program, tree.thai_nguyen, format="broadcast", topic="drugs", audience=5000, materials=0)
    empty = make_program(officer, tree.pho_yen, title="Chưa triển khai")
    listed = {p.pk: p for p in program_list(user=officer)}
    assert (listed[program.pk].activity_count, listed[program.pk].audience_reached) == (3, 5200)
    assert listed[program.pk].materials_distributed == 40
    assert (listed[empty.pk].activity_count, listed[empty.pk].audience_reached) == (0, 0)
    detail = program_detail(user=officer, program_id=program.pk)
    assert [(b.key, b.activities, b.audience, b.materials) for b in detail.by_format] == [
        ("meeting", 2, 200, 40),
        ("broadcast", 1, 5000, 0),
    ]
    assert [(b.key, b.activities, b.audience) for b in detail.by_topic] == [("drugs", 2, 5120), ("cyber_fraud", 1, 80)]


def test_program_list_has_a_fixed_number_of_queries(tree, officer, django_assert_num_queries):
    for n in range(12):
        program = make_program(officer, tree.thai_nguyen, title=f"Chương trình {n}")
        make_activity(officer, program, tree.pho_yen)
    with django_assert_num_queries(1):
        programs = list(program_list(user=officer))
        assert [p.unit.name for p in programs][:1] == ["Tỉnh Thái Nguyên"]
        assert sum(p.activity_count for p in programs) == 12
    with django_assert_num_queries(1):
        activities = list(activity_list(user=officer))
        assert {a.unit.name for a in activities} == {"Phường Phổ Yên"}
        assert {a.program.title for a in activities} == {f"Chương trình {n}" for n in range(12)}


def test_reads_are_scoped(tree, national, officer, make_user):
    ours = make_program(national, tree.thai_nguyen)
    theirs = make_program(national, tree.ha_noi)
    make_activity(national, theirs, tree.ba_dinh)
    assert list(program_list(user=officer)) == [ours]
    assert list(activity_list(user=officer)) == []
    with pytest.raises(Exception) as missing:
        program_get(user=officer, program_id=theirs.pk)
    assert missing.value.__class__.__name__ == "Http404"
    assert list(program_list(user=make_user(R.INVESTIGATOR, tree.root))) == []
    assert set(program_list(user=make_user(R.VIEWER, tree.root))) == {ours, theirs}
