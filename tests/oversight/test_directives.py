"""Directives: who records them, for which units, and their progress open → in progress → done."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.accounts.models import User
from portal.oversight.models import Directive, DirectiveUpdate
from portal.oversight.selectors import directive_counts, directive_detail, directive_list
from portal.oversight.services import (
    InspectionError,
    InspectionStaleVersionError,
    directive_progress,
    directive_update,
)

from .inspection_fixtures import *  # noqa: F403 (the fixtures of these tests)
from .inspection_fixtures import TODAY, make_directive, make_inspection


@pytest.fixture
def inspection(tree, inspector):
    return make_inspection(inspector, tree.thai_nguyen, [tree.pho_yen])


@pytest.fixture
def directive(inspector, inspection, tree):
    return make_directive(inspector, inspection, tree.pho_yen)


def test_a_directive_is_recorded_for_a_unit_in_an_inspected_area(directive, tree):
    assert directive.status == Directive.Status.OPEN and directive.unit_path == tree.pho_yen.rollup_path
    assert directive.updates.get().to_status == Directive.Status.OPEN


def test_the_responsible_unit_must_lie_in_an_inspected_units_area(inspector, inspection, tree):
    with pytest.raises(InspectionError) as refused:
        make_directive(inspector, inspection, tree.thai_nguyen)  # the province itself was not inspected
    assert "responsible_unit" in refused.value.message_dict


def test_a_legacy_commune_of_an_inspected_unit_may_be_responsible(inspector, inspection, tree):
    assert make_directive(inspector, inspection, tree.legacy_ba_hang).unit_path == tree.pho_yen.path


def test_a_directive_cannot_fall_due_before_the_inspection(inspector, inspection, tree):
    with pytest.raises(InspectionError) as refused:
        make_directive(inspector, inspection, tree.pho_yen, due_on=date(2026, 1, 1))
    assert "due_on" in refused.value.message_dict


def test_progress_moves_open_to_in_progress_to_done_stamping_dates(directive, make_user, tree):
    officer = make_user(User.Role.STANDING_OFFICER, tree.pho_yen)
    directive = directive_progress(
        directive=directive, actor=officer, version=1, to="in_progress", on=date(2026, 4, 1), note="Đã triển khai"
    )
    assert (directive.status, directive.started_on, directive.version) == ("in_progress", date(2026, 4, 1), 2)
    directive = directive_progress(directive=directive, actor=officer, version=2, to="done", on=date(2026, 5, 2))
    assert (directive.status, directive.done_on) == ("done", date(2026, 5, 2))
    moves = list(directive.updates.exclude(from_status="").values_list("from_status", "to_status"))
    assert moves == [("open", "in_progress"), ("in_progress", "done")]


def test_an_illegal_move_is_refused_naming_the_allowed_ones(directive, inspector):
    directive_progress(directive=directive, actor=inspector, version=1, to="done", on=date(2026, 4, 1))
    with pytest.raises(InspectionError) as refused:
        directive_progress(directive=directive, actor=inspector, version=2, to="in_progress")
    assert "none (final status)" in refused.value.message_dict["to"][0]
    directive = make_directive(inspector, directive.inspection, directive.responsible_unit)
    directive_progress(directive=directive, actor=inspector, version=1, to="in_progress", on=date(2026, 4, 1))
    with pytest.raises(InspectionError) as refused:
        directive_progress(directive=directive, actor=inspector, version=2, to="open")
    assert "Allowed moves: Done" in refused.value.message_dict["to"][0]


def test_a_note_without_a_move_is_kept_but_an_empty_update_is_refused(directive, inspector):
    directive = directive_progress(directive=directive, actor=inspector, version=1, note="Đang rà soát")
    assert directive.status == "open" and directive.updates.last().note == "Đang rà soát"
    assert directive.updates.last().on == TODAY
    with pytest.raises(InspectionError):
        directive_progress(directive=directive, actor=inspector, version=2, note="  ")


def test_progress_dates_are_neither_in_the_future_nor_before_the_work_began(directive, inspector):
    with pytest.raises(InspectionError):
        directive_progress(directive=directive, actor=inspector, version=1, note="x", on=date(2026, 6, 2))
    with pytest.raises(InspectionError):
        directive_progress(directive=directive, actor=inspector, version=1, note="x", on=date(2026, 3, 1))


def test_progress_needs_the_version_read(directive, inspector):
    directive_progress(directive=directive, actor=inspector, version=1, note="Một")
    with pytest.raises(InspectionStaleVersionError):
        directive_progress(directive=directive, actor=inspector, version=1, note="Hai")


def test_evidence_is_kept_with_the_update_and_checked_like_documents(directive, inspector, media):
    png = SimpleUploadedFile("anh.png", b"\x89PNG\r\n\x1a\n" + b"0" * 32)
    directive_progress(directive=directive, actor=inspector, version=1, note="Ảnh hiện trường", evidence=png)
    update = DirectiveUpdate.objects.exclude(evidence="").get()
    assert update.evidence.name.startswith("oversight/evidence/") and "anh" not in update.evidence.name
    with pytest.raises(InspectionError) as refused:
        directive_progress(
            directive=directive, actor=inspector, version=2, note="x", evidence=SimpleUploadedFile("x.exe", b"MZ")
        )
    assert "evidence" in refused.value.message_dict


def test_who_reports_progress(directive, make_user, tree):
    viewer_of_unit = make_user(User.Role.LEADER, tree.pho_yen)
    other_leader = make_user(User.Role.LEADER, tree.ha_noi)
    investigator = make_user(User.Role.INVESTIGATOR, tree.pho_yen)
    directive_progress(directive=directive, actor=viewer_of_unit, version=1, note="Lãnh đạo phường báo cáo")
    for actor in (other_leader, investigator):
        with pytest.raises(InspectionError, match="does not allow"):
            directive_progress(directive=directive, actor=actor, version=2, note="x")


def test_only_writers_of_the_inspecting_side_edit_a_directive(directive, inspector, make_user, tree):
    directive = directive_update(directive=directive, actor=inspector, version=1, due_on=date(2026, 7, 1))
    assert directive.version == 2
    with pytest.raises(InspectionError, match="does not allow"):
        directive_update(directive=directive, actor=make_user(User.Role.LEADER, tree.thai_nguyen), version=2, text="x")
    with pytest.raises(InspectionError):
        directive_update(directive=directive, actor=inspector, version=2, status="done")


def test_directives_are_seen_by_both_sides_only(directive, make_user, tree):
    assert list(directive_list(user=make_user(User.Role.STANDING_OFFICER, tree.pho_yen))) == [directive]
    assert list(directive_list(user=make_user(User.Role.LEADER, tree.ha_noi))) == []
    assert list(directive_list(user=make_user(User.Role.VIEWER, tree.pho_yen))) == []


def test_detail_carries_updates_and_counts_tell_overdue(
    directive, inspector, inspection, tree, django_assert_num_queries
):
    make_directive(inspector, inspection, tree.pho_yen, due_on=date(2026, 7, 1))
    directive_progress(directive=directive, actor=inspector, version=1, note="Chưa xong")
    with django_assert_num_queries(2):  # the directive with its relations, its updates with their authors
        loaded = directive_detail(user=inspector, directive_id=directive.pk)
        assert [u.actor.username for u in loaded.updates.all()] == ["kt.tn", "kt.tn"]
    assert loaded.is_overdue_on(TODAY)
    counts = directive_counts(user=inspector)
    assert counts == {"total": 2, "open": 2, "in_progress": 0, "done": 0, "overdue": 1}
