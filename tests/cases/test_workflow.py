"""The case workflow through the services: every legal and illegal move, clearing, dating, locking, edits."""

from collections import deque
from datetime import date, timedelta

import pytest
from django.utils import timezone, translation

from cases.models import Case, CaseEvent, DeadlineExtension
from cases.services import (
    CaseError,
    StaleVersionError,
    case_clear,
    case_create,
    case_extend_deadline,
    case_transition,
    case_update,
)
from portal.accounts.models import User
from portal.units.models import Unit
from tests.factories import CategoryFactory, UnitFactory, make_case

pytestmark = pytest.mark.django_db

S = Case.Status
TODAY = date(2026, 6, 1)  # the frozen clock: every date below lies before it
RECORDED_ON = date(2025, 9, 1)
STEP = timedelta(days=5)
DATE_FIELDS = [
    "verification_started_on",
    "investigation_started_on",
    "suspended_on",
    "cleared_on",
    "indicted_on",
    "tried_on",
    "closed_on",
    "due_on",
]

LEGAL_MOVES = [(frm, to) for frm in S for to in S if to in Case.TRANSITIONS[frm]]
ILLEGAL_MOVES = [(frm, to) for frm in S for to in S if to not in Case.TRANSITIONS[frm]]


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def officer(tree, make_user):
    return make_user(User.Role.STANDING_OFFICER, tree.thai_nguyen)


def path_to(status: str) -> list[str]:
    """The shortest list of moves from `received` to `status`, found by BFS over Case.TRANSITIONS."""
    came_from: dict[str, str | None] = {S.RECEIVED: None}
    queue = deque([S.RECEIVED])
    while queue:
        current = queue.popleft()
        for nxt in sorted(Case.TRANSITIONS[current]):
            if nxt not in came_from:
                came_from[nxt] = current
                queue.append(nxt)
    moves: list[str] = []
    step = status
    while came_from[step] is not None:
        moves.append(step)
        step = came_from[step]
    return moves[::-1]


def last_step_on(case: Case) -> date:
    return case.events.order_by("-on").values_list("on", flat=True).first()


def case_in(status: str, *, actor: User, unit: Unit, clear: bool = False, **kwargs) -> Case:
    """A case brought to `status` by legal moves through the services, cleared on the way to indicted.

    With `clear`, a case that ends investigating or suspended is cleared as well.
    """
    kwargs.setdefault("recorded_on", RECORDED_ON)
    case = make_case(actor=actor, unit=unit, **kwargs)
    on = case.received_on
    for to in path_to(status):
        on += STEP
        if to == S.INDICTED and not case.is_cleared:
            case = case_clear(case=case, on=on, actor=actor, version=case.version)
        case = case_transition(case=case, to=to, on=on, actor=actor, version=case.version)
    if clear and case.status in Case.CLEARABLE and not case.is_cleared:
        case = case_clear(case=case, on=on + STEP, actor=actor, version=case.version)
    case.refresh_from_db()
    return case


def label(status: str) -> str:
    return str(S(status).label)


def snapshot(case: Case) -> dict:
    case.refresh_from_db()
    return {
        "status": case.status,
        "version": case.version,
        "events": case.events.count(),
        "extensions": case.extensions.count(),
        **{f: getattr(case, f) for f in DATE_FIELDS},
    }


# ---- the helper itself -------------------------------------------------------------------------


@pytest.mark.parametrize("status", list(S))
def test_case_in_reaches_every_status_by_legal_moves(tree, officer, status):
    case = case_in(status, actor=officer, unit=tree.pho_yen)
    assert case.status == status
    moves = list(case.events.filter(kind=CaseEvent.Kind.STATUS).values_list("from_status", "to_status"))
    assert all(to in Case.TRANSITIONS[frm] for frm, to in moves)


# ---- legal moves -------------------------------------------------------------------------------


@pytest.mark.parametrize(("frm", "to"), LEGAL_MOVES, ids=[f"{f}->{t}" for f, t in LEGAL_MOVES])
def test_every_legal_move_succeeds_stamps_its_date_and_writes_one_event(tree, officer, frm, to):
    case = case_in(frm, actor=officer, unit=tree.pho_yen, clear=to == S.INDICTED)
    before = snapshot(case)
    event_ids = set(case.events.values_list("pk", flat=True))
    on = last_step_on(case) + timedelta(days=3)

    case_transition(case=case, to=to, on=on, actor=officer, version=case.version, note="Quyết định số 12/QĐ")

    case.refresh_from_db()
    assert case.status == to
    assert case.version == before["version"] + 1
    resuming = frm == S.SUSPENDED and to == S.INVESTIGATING
    stamp = Case.STAMPS[to]
    if resuming:
        # Resuming keeps the original start of investigation.
        assert case.investigation_started_on == before["investigation_started_on"] != on
    else:
        assert getattr(case, stamp) == on
    untouched = [f for f in DATE_FIELDS if f not in (stamp, "due_on")]
    assert {f: getattr(case, f) for f in untouched} == {f: before[f] for f in untouched}

    new_events = list(case.events.exclude(pk__in=event_ids))
    assert len(new_events) == 1
    event = new_events[0]
    assert (event.kind, event.from_status, event.to_status) == (CaseEvent.Kind.STATUS, frm, to)
    assert (event.actor, event.on, event.note) == (officer, on, "Quyết định số 12/QĐ")


def test_legal_moves_cover_the_design_workflow():
    assert set(LEGAL_MOVES) == {
        (S.RECEIVED, S.VERIFYING),
        (S.RECEIVED, S.INVESTIGATING),
        (S.RECEIVED, S.NOT_CRIMINAL),
        (S.VERIFYING, S.INVESTIGATING),
        (S.VERIFYING, S.NOT_CRIMINAL),
        (S.INVESTIGATING, S.SUSPENDED),
        (S.INVESTIGATING, S.INDICTED),
        (S.INVESTIGATING, S.DISMISSED),
        (S.SUSPENDED, S.INVESTIGATING),
        (S.SUSPENDED, S.DISMISSED),
        (S.INDICTED, S.TRIED),
        (S.INDICTED, S.DISMISSED),
    }
    assert len(ILLEGAL_MOVES) == len(S) ** 2 - len(LEGAL_MOVES)
    assert all((s, s) in ILLEGAL_MOVES for s in S)


# ---- illegal moves -----------------------------------------------------------------------------


@pytest.mark.parametrize(("frm", "to"), ILLEGAL_MOVES, ids=[f"{f}->{t}" for f, t in ILLEGAL_MOVES])
def test_every_illegal_move_is_refused_naming_the_status_and_allowed_moves(tree, officer, frm, to):
    # Cleared where possible, so the refusal comes from the transitions table alone.
    case = case_in(frm, actor=officer, unit=tree.pho_yen, clear=True)
    before = snapshot(case)
    on = last_step_on(case) + timedelta(days=3)

    with pytest.raises(CaseError) as refused:
        case_transition(case=case, to=to, on=on, actor=officer, version=case.version)

    message = refused.value.message_dict["to"][0]
    assert f"“{label(frm)}”" in message
    assert f"“{label(to)}”" in message
    allowed = ", ".join(label(s) for s in S if s in Case.TRANSITIONS[frm]) or "none (the case is closed)"
    assert f"Allowed: {allowed}." in message
    assert snapshot(case) == before


def test_move_to_an_unknown_status_is_refused_with_a_case_error(tree, officer):
    case = case_in(S.RECEIVED, actor=officer, unit=tree.pho_yen)
    before = snapshot(case)
    with pytest.raises(CaseError):
        case_transition(case=case, to="archived", on=date(2025, 9, 10), actor=officer, version=case.version)
    assert snapshot(case) == before


def test_indicting_an_uncleared_case_is_refused(tree, officer):
    case = case_in(S.INVESTIGATING, actor=officer, unit=tree.pho_yen)
    before = snapshot(case)
    with pytest.raises(CaseError) as refused:
        case_transition(case=case, to=S.INDICTED, on=date(2025, 10, 1), actor=officer, version=case.version)
    assert "must be cleared" in refused.value.message_dict["to"][0]
    assert snapshot(case) == before


def test_someone_who_may_not_edit_the_case_cannot_move_it(tree, officer, make_user):
    case = case_in(S.RECEIVED, actor=officer, unit=tree.pho_yen)
    before = snapshot(case)
    leader = make_user(User.Role.LEADER, tree.thai_nguyen)
    stranger = make_user(User.Role.INVESTIGATOR, tree.pho_yen)  # neither handling unit nor assigned
    for actor in (leader, stranger):
        with pytest.raises(CaseError):
            case_transition(case=case, to=S.VERIFYING, on=date(2025, 9, 10), actor=actor, version=case.version)
    assert snapshot(case) == before


# ---- dating moves ------------------------------------------------------------------------------


def test_move_dated_before_the_last_step_is_refused(tree, officer):
    case = case_in(S.VERIFYING, actor=officer, unit=tree.pho_yen)
    last = last_step_on(case)
    before = snapshot(case)
    with pytest.raises(CaseError) as refused:
        case_transition(case=case, to=S.INVESTIGATING, on=last - timedelta(days=1), actor=officer, version=case.version)
    assert "before the case's last step" in refused.value.message_dict["on"][0]
    assert snapshot(case) == before


def test_move_dated_before_receipt_is_refused(tree, officer):
    case = case_in(S.RECEIVED, actor=officer, unit=tree.pho_yen)
    before = snapshot(case)
    with pytest.raises(CaseError):
        case_transition(case=case, to=S.VERIFYING, on=date(2025, 8, 31), actor=officer, version=case.version)
    assert snapshot(case) == before


def test_move_dated_on_the_day_of_the_last_step_is_accepted(tree, officer):
    case = case_in(S.VERIFYING, actor=officer, unit=tree.pho_yen)
    last = last_step_on(case)
    case = case_transition(case=case, to=S.INVESTIGATING, on=last, actor=officer, version=case.version)
    assert case.investigation_started_on == last


def test_move_dated_in_the_future_is_refused(tree, officer):
    case = case_in(S.RECEIVED, actor=officer, unit=tree.pho_yen)
    before = snapshot(case)
    with pytest.raises(CaseError) as refused:
        case_transition(case=case, to=S.VERIFYING, on=TODAY + timedelta(days=1), actor=officer, version=case.version)
    assert "in the future" in refused.value.message_dict["on"][0]
    assert snapshot(case) == before
    case = case_transition(case=case, to=S.VERIFYING, on=TODAY, actor=officer, version=case.version)
    assert case.verification_started_on == TODAY


def test_an_edit_is_not_a_procedural_step_that_blocks_recording_an_earlier_move(tree, officer):
    # Received 1/9; the title is corrected on TODAY; the decision to investigate dated 10/9 is entered after.
    case = case_in(S.RECEIVED, actor=officer, unit=tree.pho_yen)
    case = case_update(case=case, actor=officer, version=case.version, title="Trộm cắp tài sản tại chợ")
    case = case_transition(case=case, to=S.INVESTIGATING, on=date(2025, 9, 10), actor=officer, version=case.version)
    assert case.investigation_started_on == date(2025, 9, 10)


# ---- clearing ----------------------------------------------------------------------------------


@pytest.mark.parametrize("status", sorted(Case.CLEARABLE))
def test_case_is_cleared_while_investigating_or_suspended(tree, officer, status):
    case = case_in(status, actor=officer, unit=tree.pho_yen)
    before = snapshot(case)
    on = last_step_on(case) + timedelta(days=1)
    case = case_clear(case=case, on=on, actor=officer, version=case.version, note="Bắt được đối tượng")
    case.refresh_from_db()
    assert case.cleared_on == on and case.is_cleared
    assert case.status == status
    assert case.version == before["version"] + 1
    event = case.events.get(kind=CaseEvent.Kind.CLEARED)
    assert (event.on, event.actor, event.note) == (on, officer, "Bắt được đối tượng")


@pytest.mark.parametrize("status", [S.RECEIVED, S.VERIFYING, S.NOT_CRIMINAL, S.DISMISSED])
def test_case_cannot_be_cleared_outside_investigation(tree, officer, status):
    case = case_in(status, actor=officer, unit=tree.pho_yen)
    before = snapshot(case)
    with pytest.raises(CaseError) as refused:
        case_clear(case=case, on=last_step_on(case), actor=officer, version=case.version)
    assert "Only a case under investigation" in refused.value.message_dict["on"][0]
    assert snapshot(case) == before


def test_case_is_cleared_only_once(tree, officer):
    case = case_in(S.INVESTIGATING, actor=officer, unit=tree.pho_yen, clear=True)
    first = case.cleared_on
    before = snapshot(case)
    with pytest.raises(CaseError) as refused:
        case_clear(case=case, on=first + timedelta(days=1), actor=officer, version=case.version)
    assert "already cleared" in refused.value.message_dict["on"][0]
    assert snapshot(case) == before and case.cleared_on == first


def test_case_cannot_be_cleared_before_investigation_started(tree, officer):
    case = case_in(S.INVESTIGATING, actor=officer, unit=tree.pho_yen)
    started = case.investigation_started_on
    before = snapshot(case)
    with pytest.raises(CaseError) as refused:
        case_clear(case=case, on=started - timedelta(days=1), actor=officer, version=case.version)
    assert "before the start of investigation" in refused.value.message_dict["on"][0]
    assert snapshot(case) == before
    case = case_clear(case=case, on=started, actor=officer, version=case.version)
    assert case.cleared_on == started


def test_case_cannot_be_cleared_in_the_future(tree, officer):
    case = case_in(S.INVESTIGATING, actor=officer, unit=tree.pho_yen)
    before = snapshot(case)
    with pytest.raises(CaseError) as refused:
        case_clear(case=case, on=TODAY + timedelta(days=1), actor=officer, version=case.version)
    assert "in the future" in refused.value.message_dict["on"][0]
    assert snapshot(case) == before


def test_resumed_case_keeps_its_clearance_and_can_then_be_indicted(tree, officer):
    case = case_in(S.SUSPENDED, actor=officer, unit=tree.pho_yen, clear=True)
    on = last_step_on(case) + timedelta(days=1)
    case = case_transition(case=case, to=S.INVESTIGATING, on=on, actor=officer, version=case.version)
    case = case_transition(case=case, to=S.INDICTED, on=on, actor=officer, version=case.version)
    assert case.status == S.INDICTED and case.is_cleared


# ---- optimistic locking ------------------------------------------------------------------------


def _stale_write(action: str, case: Case, actor: User, version: int) -> None:
    on = date(2025, 10, 20)
    if action == "move":
        case_transition(case=case, to=S.SUSPENDED, on=on, actor=actor, version=version)
    elif action == "edit":
        case_update(case=case, actor=actor, version=version, title="Ghi đè")
    elif action == "clear":
        case_clear(case=case, on=on, actor=actor, version=version)
    elif action == "extend":
        case_extend_deadline(
            case=case, new_due_on=case.due_on + timedelta(days=30), granted_on=on, actor=actor, version=version
        )


@pytest.mark.parametrize("action", ["move", "edit", "clear", "extend"])
def test_write_based_on_a_stale_version_is_refused_and_writes_nothing(tree, officer, make_user, action):
    case = case_in(S.INVESTIGATING, actor=officer, unit=tree.pho_yen)
    opened_version = case.version
    colleague = make_user(User.Role.STANDING_OFFICER, tree.thai_nguyen)
    # A colleague saves a change after the officer opened the case.
    case_update(case=case, actor=colleague, version=opened_version, summary="Bổ sung tình tiết")
    before = snapshot(case)
    title = case.title

    with pytest.raises(StaleVersionError) as refused:
        _stale_write(action, case, officer, opened_version)

    assert "nothing was saved" in refused.value.messages[0]
    assert snapshot(case) == before
    assert case.title == title and case.summary == "Bổ sung tình tiết"
    assert not DeadlineExtension.objects.filter(case=case).exists()


@pytest.mark.parametrize("action", ["move", "edit", "clear", "extend"])
def test_write_based_on_the_current_version_goes_through(tree, officer, action):
    case = case_in(S.INVESTIGATING, actor=officer, unit=tree.pho_yen)
    before = snapshot(case)
    _stale_write(action, case, officer, case.version)
    case.refresh_from_db()
    assert case.version == before["version"] + 1
    assert case.events.count() == before["events"] + 1


# ---- editing -----------------------------------------------------------------------------------


def edited_labels(event: CaseEvent) -> set[str]:
    assert event.note.startswith("Changed: ")
    return set(event.note.removeprefix("Changed: ").split(", "))


def test_edit_changes_fields_bumps_version_and_lists_them_on_the_timeline(tree, officer):
    case = case_in(S.RECEIVED, actor=officer, unit=tree.pho_yen, damage_amount=5_000_000)
    drugs = CategoryFactory(article="249", name="Tàng trữ trái phép chất ma túy", line="drugs")
    before = snapshot(case)

    case = case_update(
        case=case,
        actor=officer,
        version=case.version,
        title="Tàng trữ ma túy",
        category=drugs,
        severity="very_serious",
        damage_amount=5_000_000,  # unchanged: not listed
    )

    case.refresh_from_db()
    assert (case.title, case.category, case.severity) == ("Tàng trữ ma túy", drugs, "very_serious")
    assert case.line == "drugs"
    assert case.search_title == "tang tru ma tuy"
    assert case.version == before["version"] + 1
    event = case.events.get(kind=CaseEvent.Kind.EDITED)
    assert (event.actor, event.on) == (officer, TODAY)
    assert edited_labels(event) == {"title", "offence", "severity"}


def test_edit_of_the_unit_recomputes_the_roll_up_path(tree, officer):
    case = case_in(S.RECEIVED, actor=officer, unit=tree.pho_yen)
    assert case.unit_path == tree.pho_yen.path
    case = case_update(case=case, actor=officer, version=case.version, unit=tree.thai_nguyen)
    case.refresh_from_db()
    assert case.unit == tree.thai_nguyen and case.unit_path == tree.thai_nguyen.path
    assert edited_labels(case.events.get(kind=CaseEvent.Kind.EDITED)) == {"place (unit)"}


def test_edit_of_a_legacy_unit_recomputes_the_roll_up_through_the_crosswalk(tree, officer):
    case = case_in(S.RECEIVED, actor=officer, unit=tree.legacy_ba_hang, recorded_on=date(2021, 3, 2))
    assert case.unit_path == tree.pho_yen.path
    case = case_update(case=case, actor=officer, version=case.version, unit=tree.legacy_pho_yen_town)
    case.refresh_from_db()
    assert case.unit_path == tree.thai_nguyen.path


def test_edit_of_officers_is_listed_on_the_timeline(tree, officer, make_user):
    case = case_in(S.RECEIVED, actor=officer, unit=tree.pho_yen)
    investigator = make_user(User.Role.INVESTIGATOR, tree.pho_yen)
    case_update(case=case, actor=officer, version=case.version, officers=[investigator])
    assert list(case.officers.all()) == [investigator]
    assert edited_labels(case.events.get(kind=CaseEvent.Kind.EDITED)) == {"assigned officers"}


def test_edit_that_changes_nothing_writes_nothing(tree, officer):
    case = case_in(S.RECEIVED, actor=officer, unit=tree.pho_yen)
    before = snapshot(case)
    case_update(case=case, actor=officer, version=case.version, title=case.title, unit=case.unit, officers=[])
    assert snapshot(case) == before


def test_edit_of_a_field_outside_the_form_is_refused(tree, officer):
    case = case_in(S.RECEIVED, actor=officer, unit=tree.pho_yen)
    before = snapshot(case)
    with pytest.raises(CaseError) as refused:
        case_update(case=case, actor=officer, version=case.version, status=S.TRIED, reference="X")
    assert "reference, status" in refused.value.messages[0]
    assert snapshot(case) == before


def test_edit_moving_the_case_out_of_the_actors_scope_is_refused(tree, officer):
    case = case_in(S.RECEIVED, actor=officer, unit=tree.pho_yen)
    before = snapshot(case)
    with pytest.raises(CaseError) as refused:
        case_update(case=case, actor=officer, version=case.version, unit=tree.ba_dinh)
    assert "outside your scope" in refused.value.message_dict["unit"][0]
    assert snapshot(case) == before
    case.refresh_from_db()
    assert case.unit == tree.pho_yen


def test_edit_giving_the_case_to_a_handling_unit_outside_the_actors_scope_is_refused(tree, officer):
    case = case_in(S.RECEIVED, actor=officer, unit=tree.pho_yen)
    before = snapshot(case)
    with pytest.raises(CaseError):
        case_update(case=case, actor=officer, version=case.version, handling_unit=tree.ba_dinh)
    assert snapshot(case) == before


def test_edit_making_the_case_occur_after_it_was_recorded_is_refused(tree, officer):
    case = case_in(S.RECEIVED, actor=officer, unit=tree.pho_yen)
    before = snapshot(case)
    with pytest.raises(CaseError):
        case_update(case=case, actor=officer, version=case.version, occurred_on=RECORDED_ON + timedelta(days=3))
    assert snapshot(case) == before


def test_edit_moving_recorded_on_across_the_reform_needs_a_unit_of_that_edition(tree, officer):
    case = case_in(
        S.RECEIVED, actor=officer, unit=tree.pho_yen, recorded_on=date(2025, 7, 2), received_on=date(2025, 6, 20)
    )
    before = snapshot(case)
    with pytest.raises(CaseError) as refused:
        case_update(case=case, actor=officer, version=case.version, recorded_on=date(2025, 6, 30))
    assert "legacy" in refused.value.message_dict["unit"][0]
    assert snapshot(case) == before
    case = case_update(
        case=case, actor=officer, version=case.version, recorded_on=date(2025, 6, 30), unit=tree.legacy_ba_hang
    )
    assert case.unit_path == tree.pho_yen.path


# ---- creating: units in force and scope --------------------------------------------------------


@pytest.mark.parametrize(
    ("recorded_on", "unit_name", "accepted", "wording"),
    [
        (date(2025, 6, 30), "legacy_ba_hang", True, ""),
        (date(2025, 6, 30), "legacy_pho_yen_town", True, ""),
        (date(2025, 6, 30), "pho_yen", False, "legacy (pre-reform) list"),
        (date(2025, 6, 30), "thai_nguyen", False, "legacy (pre-reform) list"),
        (date(2025, 7, 1), "pho_yen", True, ""),
        (date(2025, 7, 1), "thai_nguyen", True, ""),
        (date(2025, 7, 1), "legacy_ba_hang", False, "current (2025) list"),
        (date(2025, 7, 1), "legacy_thai_nguyen", False, "current (2025) list"),
    ],
)
def test_case_takes_a_unit_of_the_edition_in_force_on_its_recorded_date(
    tree, officer, recorded_on, unit_name, accepted, wording
):
    unit = getattr(tree, unit_name)
    if accepted:
        case = make_case(actor=officer, unit=unit, recorded_on=recorded_on)
        assert case.unit == unit
    else:
        with pytest.raises(CaseError) as refused:
            make_case(actor=officer, unit=unit, recorded_on=recorded_on)
        assert wording in refused.value.message_dict["unit"][0]
        assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("role", "actor_unit", "case_unit"),
    [
        (User.Role.STANDING_OFFICER, "thai_nguyen", "ba_dinh"),
        (User.Role.ADMIN, "ha_noi", "pho_yen"),
        (User.Role.INVESTIGATOR, "pho_yen", "thai_nguyen"),
    ],
)
def test_case_in_a_unit_outside_the_actors_scope_is_refused(tree, make_user, role, actor_unit, case_unit):
    actor = make_user(role, getattr(tree, actor_unit))
    with pytest.raises(CaseError) as refused:
        make_case(actor=actor, unit=getattr(tree, case_unit), recorded_on=RECORDED_ON)
    assert "outside your scope" in refused.value.message_dict["unit"][0]
    assert not Case.objects.exists()


def test_role_without_case_editing_cannot_record_a_case(tree, make_user):
    leader = make_user(User.Role.LEADER, tree.thai_nguyen)
    with pytest.raises(CaseError):
        make_case(actor=leader, unit=tree.pho_yen, recorded_on=RECORDED_ON)
    assert not Case.objects.exists()


def test_case_recorded_in_the_future_is_refused(tree, officer):
    with pytest.raises(CaseError):
        make_case(actor=officer, unit=tree.pho_yen, recorded_on=TODAY + timedelta(days=1))
    assert not Case.objects.exists()


def test_new_case_starts_received_with_a_created_event(tree, officer):
    case = make_case(actor=officer, unit=tree.pho_yen, recorded_on=RECORDED_ON, received_on=date(2025, 8, 28))
    assert (case.status, case.version, case.created_by) == (S.RECEIVED, 1, officer)
    event = case.events.get()
    assert (event.kind, event.to_status, event.on, event.actor) == (
        CaseEvent.Kind.CREATED,
        S.RECEIVED,
        date(2025, 8, 28),
        officer,
    )


def test_investigator_records_cases_for_their_own_unit_and_is_assigned(tree, make_user):
    investigator = make_user(User.Role.INVESTIGATOR, tree.pho_yen)
    case = case_create(
        actor=investigator,
        title="Cướp giật túi xách",
        category=CategoryFactory(),
        severity="serious",
        unit=tree.pho_yen,
        recorded_on=RECORDED_ON,
        handling_unit=tree.legacy_ba_hang,
    )
    assert case.handling_unit == tree.pho_yen
    assert list(case.officers.all()) == [investigator]


# ---- references --------------------------------------------------------------------------------


def test_references_are_sequential_per_province_and_year(tree, make_user):
    national = make_user(User.Role.STANDING_OFFICER, tree.root)
    legacy_ha_noi = UnitFactory(
        code="01",
        name="Thành phố Hà Nội",
        kind=Unit.Kind.CENTRAL_CITY,
        edition=Unit.Edition.LEGACY,
        successor=tree.ha_noi,
    )
    made = [
        (tree.legacy_ba_hang, date(2021, 3, 1)),
        (tree.legacy_pho_yen_town, date(2021, 11, 5)),
        (legacy_ha_noi, date(2021, 4, 1)),
        (tree.legacy_thai_nguyen, date(2022, 1, 3)),
        (tree.pho_yen, date(2025, 9, 1)),
        (tree.ba_dinh, date(2025, 9, 2)),
        (tree.thai_nguyen, date(2025, 9, 3)),
    ]
    references = [make_case(actor=national, unit=unit, recorded_on=on).reference for unit, on in made]
    assert references == [
        "19-2021-00001",
        "19-2021-00002",
        "01-2021-00001",
        "19-2022-00001",
        "19-2025-00001",
        "01-2025-00001",
        "19-2025-00002",
    ]


def test_case_recorded_before_it_was_received_is_refused(tree, officer):
    with pytest.raises(CaseError) as refused:
        make_case(
            actor=officer, unit=tree.pho_yen, recorded_on=RECORDED_ON, received_on=RECORDED_ON + timedelta(days=1)
        )
    assert "before the date received" in refused.value.message_dict["recorded_on"][0]
    assert not Case.objects.exists()


def test_edit_moving_recorded_on_before_receipt_is_refused(tree, officer):
    case = case_in(S.RECEIVED, actor=officer, unit=tree.pho_yen)
    before = snapshot(case)
    with pytest.raises(CaseError) as refused:
        case_update(case=case, actor=officer, version=case.version, recorded_on=RECORDED_ON - timedelta(days=1))
    assert "before the date received" in refused.value.message_dict["recorded_on"][0]
    assert snapshot(case) == before
