"""Statutory deadlines: verification and investigation time limits, extensions, suspension, SQL status."""

from datetime import date, timedelta

import pytest
from django.utils import timezone, translation

from cases import deadlines
from cases.models import Case, CaseEvent, DeadlineExtension, DeadlineStatus, Severity
from cases.services import CaseError, case_clear, case_extend_deadline, case_transition, case_update
from portal.accounts.models import User
from tests.factories import make_case

pytestmark = pytest.mark.django_db

S = Case.Status
TODAY = date(2027, 6, 1)  # the frozen clock: every date below lies before it
RECEIVED_ON = date(2025, 9, 1)
STARTED_ON = date(2025, 9, 5)


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


@pytest.fixture
def new_case(tree, officer):
    def make(severity: str = Severity.SERIOUS, received_on: date = RECEIVED_ON) -> Case:
        return make_case(
            actor=officer, unit=tree.pho_yen, recorded_on=received_on, received_on=received_on, severity=severity
        )

    return make


@pytest.fixture
def investigating(new_case, officer):
    def make(severity: str = Severity.SERIOUS, started_on: date = STARTED_ON) -> Case:
        case = new_case(severity)
        return case_transition(case=case, to=S.INVESTIGATING, on=started_on, actor=officer, version=case.version)

    return make


def extend(case: Case, actor: User, new_due_on: date, granted_on: date | None = None) -> DeadlineExtension:
    case.refresh_from_db()
    return case_extend_deadline(
        case=case,
        new_due_on=new_due_on,
        granted_on=granted_on or case.due_on - timedelta(days=3),
        actor=actor,
        version=case.version,
    )


# ---- the pure arithmetic -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received_on", "due", "limit"),
    [
        (date(2025, 9, 1), date(2025, 9, 21), date(2025, 11, 1)),
        (date(2025, 12, 20), date(2026, 1, 9), date(2026, 2, 20)),
        (date(2025, 12, 31), date(2026, 1, 20), date(2026, 2, 28)),  # month end clamps
        (date(2023, 12, 31), date(2024, 1, 20), date(2024, 2, 29)),  # leap year
    ],
)
def test_verification_runs_20_days_and_extends_to_two_months_from_receipt(received_on, due, limit):
    assert deadlines.verification_due(received_on) == due
    assert deadlines.verification_limit(received_on) == limit


@pytest.mark.parametrize(
    ("started_on", "severity", "due"),
    [
        (date(2025, 9, 5), Severity.LESS_SERIOUS, date(2025, 11, 5)),
        (date(2025, 9, 5), Severity.SERIOUS, date(2025, 12, 5)),
        (date(2025, 9, 5), Severity.VERY_SERIOUS, date(2026, 1, 5)),
        (date(2025, 9, 5), Severity.ESPECIALLY_SERIOUS, date(2026, 1, 5)),
        # Month ends: the day is clamped to the end of the shorter month.
        (date(2024, 12, 31), Severity.LESS_SERIOUS, date(2025, 2, 28)),
        (date(2023, 12, 31), Severity.LESS_SERIOUS, date(2024, 2, 29)),
        (date(2025, 1, 31), Severity.LESS_SERIOUS, date(2025, 3, 31)),
        (date(2025, 1, 31), Severity.SERIOUS, date(2025, 4, 30)),
        (date(2025, 10, 31), Severity.VERY_SERIOUS, date(2026, 2, 28)),
    ],
)
def test_investigation_time_limit_by_severity(started_on, severity, due):
    assert deadlines.investigation_due(started_on, severity) == due


@pytest.mark.parametrize(
    ("severity", "months"),
    [
        (Severity.LESS_SERIOUS, [2]),
        (Severity.SERIOUS, [3, 2]),
        (Severity.VERY_SERIOUS, [4, 4]),
        (Severity.ESPECIALLY_SERIOUS, [4, 4, 4]),
    ],
)
def test_investigation_extension_limits_by_severity(severity, months):
    previous = date(2026, 2, 28)
    expected = {2: date(2026, 4, 28), 3: date(2026, 5, 28), 4: date(2026, 6, 28)}
    for granted, n in enumerate(months):
        assert deadlines.investigation_extension_limit(previous, severity, granted) == expected[n]
    assert deadlines.investigation_extension_limit(previous, severity, len(months)) is None


@pytest.mark.parametrize(
    ("severity", "due"),
    [
        (Severity.LESS_SERIOUS, date(2026, 3, 31)),
        (Severity.SERIOUS, date(2026, 3, 31)),
        (Severity.VERY_SERIOUS, date(2026, 4, 30)),
        (Severity.ESPECIALLY_SERIOUS, date(2026, 4, 30)),
    ],
)
def test_resumed_investigation_time_limit_by_severity(severity, due):
    assert deadlines.resumed_due(date(2026, 1, 31), severity) == due


# ---- verification through the services ---------------------------------------------------------


def test_new_case_runs_the_verification_deadline_from_receipt(new_case):
    assert new_case().due_on == date(2025, 9, 21)


def test_starting_verification_keeps_the_deadline_counted_from_receipt(new_case, officer):
    case = new_case()
    case = case_transition(case=case, to=S.VERIFYING, on=date(2025, 9, 10), actor=officer, version=case.version)
    assert case.due_on == date(2025, 9, 21)


@pytest.mark.parametrize("status", [S.RECEIVED, S.VERIFYING])
def test_verification_extends_up_to_two_months_from_receipt(new_case, officer, status):
    case = new_case()
    if status == S.VERIFYING:
        case_transition(case=case, to=S.VERIFYING, on=date(2025, 9, 3), actor=officer, version=case.version)

    with pytest.raises(CaseError) as refused:
        extend(case, officer, date(2025, 11, 2))
    assert "at most 01/11/2025" in refused.value.message_dict["new_due_on"][0]
    assert not case.extensions.exists()

    first = extend(case, officer, date(2025, 10, 10))
    second = extend(case, officer, date(2025, 11, 1))

    case.refresh_from_db()
    assert case.due_on == date(2025, 11, 1)
    assert [(e.kind, e.previous_due_on, e.new_due_on) for e in (first, second)] == [
        (DeadlineExtension.Kind.VERIFICATION, date(2025, 9, 21), date(2025, 10, 10)),
        (DeadlineExtension.Kind.VERIFICATION, date(2025, 10, 10), date(2025, 11, 1)),
    ]
    assert case.events.filter(kind=CaseEvent.Kind.EXTENDED).count() == 2


def test_extension_must_move_the_deadline_later(new_case, officer):
    case = new_case()
    with pytest.raises(CaseError) as refused:
        extend(case, officer, date(2025, 9, 21))
    assert "must be after the current one" in refused.value.message_dict["new_due_on"][0]
    assert not case.extensions.exists()


def test_extension_granted_in_the_future_is_refused(new_case, officer):
    case = new_case()
    with pytest.raises(CaseError):
        extend(case, officer, date(2025, 10, 1), granted_on=TODAY + timedelta(days=1))
    case.refresh_from_db()
    assert case.due_on == date(2025, 9, 21) and not case.extensions.exists()


# ---- investigation through the services --------------------------------------------------------


@pytest.mark.parametrize(
    ("severity", "due"),
    [
        (Severity.LESS_SERIOUS, date(2025, 11, 5)),
        (Severity.SERIOUS, date(2025, 12, 5)),
        (Severity.VERY_SERIOUS, date(2026, 1, 5)),
        (Severity.ESPECIALLY_SERIOUS, date(2026, 1, 5)),
    ],
)
@pytest.mark.parametrize("via_verification", [False, True], ids=["from_received", "from_verifying"])
def test_investigation_runs_2_3_4_4_months_from_its_start(new_case, officer, severity, due, via_verification):
    case = new_case(severity)
    if via_verification:
        case = case_transition(case=case, to=S.VERIFYING, on=date(2025, 9, 2), actor=officer, version=case.version)
    case = case_transition(case=case, to=S.INVESTIGATING, on=STARTED_ON, actor=officer, version=case.version)
    assert case.due_on == due


@pytest.mark.parametrize(
    ("severity", "limits"),
    [
        (Severity.LESS_SERIOUS, [date(2026, 1, 5)]),
        (Severity.SERIOUS, [date(2026, 3, 5), date(2026, 5, 5)]),
        (Severity.VERY_SERIOUS, [date(2026, 5, 5), date(2026, 9, 5)]),
        (Severity.ESPECIALLY_SERIOUS, [date(2026, 5, 5), date(2026, 9, 5), date(2027, 1, 5)]),
    ],
)
def test_investigation_extensions_follow_the_severity_and_no_more(investigating, officer, severity, limits):
    case = investigating(severity)
    for n, limit in enumerate(limits):
        with pytest.raises(CaseError) as refused:
            extend(case, officer, limit + timedelta(days=1))
        assert f"at most {limit:%d/%m/%Y}" in refused.value.message_dict["new_due_on"][0]
        assert case.extensions.count() == n

        previous = Case.objects.get(pk=case.pk).due_on
        extension = extend(case, officer, limit)
        assert (extension.kind, extension.previous_due_on, extension.new_due_on) == (
            DeadlineExtension.Kind.INVESTIGATION,
            previous,
            limit,
        )
        case.refresh_from_db()
        assert case.due_on == limit

    with pytest.raises(CaseError) as refused:
        extend(case, officer, case.due_on + timedelta(days=1))
    assert f"({len(limits)} already granted)" in refused.value.message_dict["new_due_on"][0]
    case.refresh_from_db()
    assert case.due_on == limits[-1]
    assert case.extensions.count() == len(limits)


def test_a_shorter_extension_still_uses_up_one_of_the_allowed(investigating, officer):
    case = investigating(Severity.LESS_SERIOUS)
    extend(case, officer, date(2025, 11, 25))
    with pytest.raises(CaseError):
        extend(case, officer, date(2025, 12, 5))
    case.refresh_from_db()
    assert case.due_on == date(2025, 11, 25)


def test_extension_is_written_on_the_timeline_and_bumps_the_version(investigating, officer):
    case = investigating(Severity.SERIOUS)
    version = case.version
    extend(case, officer, date(2026, 2, 1), granted_on=date(2025, 12, 1))
    case.refresh_from_db()
    assert case.version == version + 1
    event = case.events.get(kind=CaseEvent.Kind.EXTENDED)
    assert (event.on, event.actor) == (date(2025, 12, 1), officer)


@pytest.mark.parametrize("status", [S.SUSPENDED, S.INDICTED, S.DISMISSED, S.NOT_CRIMINAL])
def test_only_a_running_deadline_can_be_extended(new_case, officer, status):
    case = new_case()
    path = {
        S.SUSPENDED: [S.INVESTIGATING, S.SUSPENDED],
        S.INDICTED: [S.INVESTIGATING, "clear", S.INDICTED],
        S.DISMISSED: [S.INVESTIGATING, S.DISMISSED],
        S.NOT_CRIMINAL: [S.NOT_CRIMINAL],
    }[status]
    on = STARTED_ON
    for step in path:
        if step == "clear":
            case = case_clear(case=case, on=on, actor=officer, version=case.version)
        else:
            case = case_transition(case=case, to=step, on=on, actor=officer, version=case.version)
        on += timedelta(days=5)
    with pytest.raises(CaseError) as refused:
        case_extend_deadline(
            case=case, new_due_on=date(2026, 12, 1), granted_on=on, actor=officer, version=case.version
        )
    assert "Only a running" in refused.value.messages[0]
    assert not case.extensions.exists()


@pytest.mark.parametrize(
    ("to", "path"),
    [
        (S.SUSPENDED, [S.INVESTIGATING]),
        (S.DISMISSED, [S.INVESTIGATING]),
        (S.NOT_CRIMINAL, [S.VERIFYING]),
        (S.NOT_CRIMINAL, []),
    ],
)
def test_suspension_and_closure_stop_the_clock(new_case, officer, to, path):
    case = new_case()
    on = STARTED_ON
    for step in [*path, to]:
        case = case_transition(case=case, to=step, on=on, actor=officer, version=case.version)
        on += timedelta(days=5)
    assert case.due_on is None
    assert Case.objects.with_deadline_status(TODAY).get(pk=case.pk).deadline_status == DeadlineStatus.NONE


def test_indictment_stops_the_clock(investigating, officer):
    case = investigating(Severity.SERIOUS)
    case = case_clear(case=case, on=date(2025, 10, 1), actor=officer, version=case.version)
    case = case_transition(case=case, to=S.INDICTED, on=date(2025, 10, 2), actor=officer, version=case.version)
    assert case.due_on is None
    case = case_transition(case=case, to=S.TRIED, on=date(2025, 12, 2), actor=officer, version=case.version)
    assert case.due_on is None


@pytest.mark.parametrize(
    ("severity", "resumed_due"),
    [
        (Severity.LESS_SERIOUS, date(2026, 4, 10)),
        (Severity.SERIOUS, date(2026, 4, 10)),
        (Severity.VERY_SERIOUS, date(2026, 5, 10)),
        (Severity.ESPECIALLY_SERIOUS, date(2026, 5, 10)),
    ],
)
def test_resuming_after_suspension_sets_the_resumed_time_limit(investigating, officer, severity, resumed_due):
    case = investigating(severity)
    case = case_transition(case=case, to=S.SUSPENDED, on=date(2025, 10, 1), actor=officer, version=case.version)
    assert case.due_on is None
    case = case_transition(case=case, to=S.INVESTIGATING, on=date(2026, 2, 10), actor=officer, version=case.version)
    assert case.due_on == resumed_due
    assert case.investigation_started_on == STARTED_ON


def test_changing_severity_during_investigation_recomputes_the_time_limit(investigating, officer):
    case = investigating(Severity.LESS_SERIOUS)
    assert case.due_on == date(2025, 11, 5)
    case = case_update(case=case, actor=officer, version=case.version, severity=Severity.VERY_SERIOUS)
    case.refresh_from_db()
    assert case.due_on == date(2026, 1, 5)


def test_changing_severity_keeps_an_extended_deadline(investigating, officer):
    case = investigating(Severity.LESS_SERIOUS)
    extend(case, officer, date(2025, 12, 20))
    case.refresh_from_db()
    case = case_update(case=case, actor=officer, version=case.version, severity=Severity.VERY_SERIOUS)
    case.refresh_from_db()
    assert case.due_on == date(2025, 12, 20)


# ---- deadline status in SQL --------------------------------------------------------------------

STATUS_DAY = date(2025, 10, 1)
BOUNDARIES = [
    # (running deadline, expected status on STATUS_DAY)
    (STATUS_DAY - timedelta(days=30), DeadlineStatus.OVERDUE),
    (STATUS_DAY - timedelta(days=1), DeadlineStatus.OVERDUE),
    (STATUS_DAY, DeadlineStatus.DUE_SOON),
    (STATUS_DAY + timedelta(days=1), DeadlineStatus.DUE_SOON),
    (STATUS_DAY + timedelta(days=7), DeadlineStatus.DUE_SOON),
    (STATUS_DAY + timedelta(days=8), DeadlineStatus.OK),
    (STATUS_DAY + timedelta(days=60), DeadlineStatus.OK),
    (None, DeadlineStatus.NONE),
]


@pytest.fixture
def cases_by_due(new_case, officer):
    """One case per boundary, its deadline set the way the services set it (20 days from receipt)."""
    made = {}
    for due, expected in BOUNDARIES:
        if due is None:
            case = new_case(received_on=date(2025, 9, 1))
            case = case_transition(
                case=case, to=S.NOT_CRIMINAL, on=date(2025, 9, 2), actor=officer, version=case.version
            )
        else:
            case = new_case(received_on=due - timedelta(days=deadlines.VERIFICATION_DAYS))
        assert case.due_on == due
        made[case.pk] = expected
    return made


def test_deadline_status_is_annotated_in_sql_at_the_boundaries(cases_by_due):
    annotated = dict(Case.objects.with_deadline_status(STATUS_DAY).values_list("pk", "deadline_status"))
    assert annotated == cases_by_due


@pytest.mark.parametrize("status", list(DeadlineStatus))
def test_deadline_filter_selects_the_same_cases_as_the_annotation(cases_by_due, status):
    filtered = set(Case.objects.deadline(status, STATUS_DAY).values_list("pk", flat=True))
    assert filtered == {pk for pk, expected in cases_by_due.items() if expected == status}
    annotated = set(
        Case.objects.with_deadline_status(STATUS_DAY).filter(deadline_status=status).values_list("pk", flat=True)
    )
    assert annotated == filtered


def test_deadline_status_of_one_case_agrees_with_sql(cases_by_due):
    for case in Case.objects.filter(pk__in=cases_by_due):
        assert case.deadline_status_on(STATUS_DAY) == cases_by_due[case.pk]


def test_deadline_status_moves_with_the_given_day_not_the_clock(new_case):
    case = new_case(received_on=date(2025, 9, 1))  # due 21/9/2025
    by_day = {
        day: Case.objects.with_deadline_status(day).get(pk=case.pk).deadline_status
        for day in (date(2025, 9, 1), date(2025, 9, 14), date(2025, 9, 21), date(2025, 9, 22))
    }
    assert by_day == {
        date(2025, 9, 1): DeadlineStatus.OK,
        date(2025, 9, 14): DeadlineStatus.DUE_SOON,
        date(2025, 9, 21): DeadlineStatus.DUE_SOON,
        date(2025, 9, 22): DeadlineStatus.OVERDUE,
    }
