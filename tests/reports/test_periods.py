"""Statistical periods under the calendar (day 1) and police (day 15) month conventions."""

from datetime import date, timedelta

import pytest
from django.utils import translation

from portal.reports.periods import (
    ASKABLE_YEARS,
    Kind,
    Period,
    PeriodError,
    current_period,
    custom_period,
    month_bounds,
    months_of,
    parse_period,
    period_for,
    period_from_params,
)

CALENDAR, POLICE = 1, 15
D = date.fromisoformat


@pytest.mark.parametrize(
    ("day", "kind", "year", "number", "start", "end"),
    [
        # Calendar months.
        (CALENDAR, Kind.MONTH, 2021, 1, "2021-01-01", "2021-01-31"),
        (CALENDAR, Kind.MONTH, 2021, 9, "2021-09-01", "2021-09-30"),
        (CALENDAR, Kind.MONTH, 2021, 12, "2021-12-01", "2021-12-31"),
        (CALENDAR, Kind.MONTH, 2023, 2, "2023-02-01", "2023-02-28"),
        (CALENDAR, Kind.MONTH, 2024, 2, "2024-02-01", "2024-02-29"),
        (CALENDAR, Kind.QUARTER, 2021, 1, "2021-01-01", "2021-03-31"),
        (CALENDAR, Kind.QUARTER, 2021, 3, "2021-07-01", "2021-09-30"),
        (CALENDAR, Kind.QUARTER, 2021, 4, "2021-10-01", "2021-12-31"),
        (CALENDAR, Kind.HALF, 2021, 1, "2021-01-01", "2021-06-30"),
        (CALENDAR, Kind.HALF, 2021, 2, "2021-07-01", "2021-12-31"),
        (CALENDAR, Kind.NINE_MONTHS, 2021, None, "2021-01-01", "2021-09-30"),
        (CALENDAR, Kind.YEAR, 2021, None, "2021-01-01", "2021-12-31"),
        (CALENDAR, Kind.YTD, 2021, 9, "2021-01-01", "2021-09-30"),
        (CALENDAR, Kind.YTD, 2024, 2, "2024-01-01", "2024-02-29"),
        # Police months: month M runs 15/(M-1) to 14/M, so month 1 and the year start in December before.
        (POLICE, Kind.MONTH, 2021, 1, "2020-12-15", "2021-01-14"),
        (POLICE, Kind.MONTH, 2021, 3, "2021-02-15", "2021-03-14"),
        (POLICE, Kind.MONTH, 2021, 9, "2021-08-15", "2021-09-14"),
        (POLICE, Kind.MONTH, 2021, 12, "2021-11-15", "2021-12-14"),
        (POLICE, Kind.MONTH, 2025, 12, "2025-11-15", "2025-12-14"),
        (POLICE, Kind.QUARTER, 2021, 1, "2020-12-15", "2021-03-14"),
        (POLICE, Kind.QUARTER, 2021, 3, "2021-06-15", "2021-09-14"),
        (POLICE, Kind.QUARTER, 2021, 4, "2021-09-15", "2021-12-14"),
        (POLICE, Kind.HALF, 2021, 1, "2020-12-15", "2021-06-14"),
        (POLICE, Kind.HALF, 2021, 2, "2021-06-15", "2021-12-14"),
        (POLICE, Kind.NINE_MONTHS, 2021, None, "2020-12-15", "2021-09-14"),
        (POLICE, Kind.YEAR, 2021, None, "2020-12-15", "2021-12-14"),
        (POLICE, Kind.YTD, 2021, 1, "2020-12-15", "2021-01-14"),
        (POLICE, Kind.YTD, 2021, 9, "2020-12-15", "2021-09-14"),
        # Any start day from 1 to 28 follows the same rule.
        (10, Kind.MONTH, 2021, 3, "2021-02-10", "2021-03-09"),
        (28, Kind.YEAR, 2021, None, "2020-12-28", "2021-12-27"),
    ],
)
def test_every_kind_has_exact_bounds_under_each_convention(day, kind, year, number, start, end):
    period = period_for(kind, year, number, month_start_day=day)

    assert (period.start, period.end) == (D(start), D(end))
    assert (period.kind, period.year, period.number) == (kind, year, number)


@pytest.mark.parametrize(
    ("day", "month", "bounds"),
    [
        (CALENDAR, 2, ("2024-02-01", "2024-02-29")),
        (POLICE, 1, ("2023-12-15", "2024-01-14")),
        (POLICE, 3, ("2024-02-15", "2024-03-14")),
    ],
)
def test_month_bounds_are_the_first_and_last_day_of_the_statistical_month(day, month, bounds):
    assert month_bounds(2024, month, month_start_day=day) == (D(bounds[0]), D(bounds[1]))


@pytest.mark.parametrize("day", [CALENDAR, POLICE, 7])
def test_consecutive_months_tile_the_year_without_gaps_or_overlaps(day):
    months = [period_for(Kind.MONTH, y, m, month_start_day=day) for y in (2023, 2024) for m in range(1, 13)]

    for earlier, later in zip(months, months[1:], strict=False):
        assert later.start == earlier.end + timedelta(days=1)
    assert months[12].start == period_for(Kind.YEAR, 2024, month_start_day=day).start


@pytest.mark.parametrize(
    ("spec", "kind", "year", "number", "canonical"),
    [
        ("2021", Kind.YEAR, 2021, None, "2021"),
        ("2021-Q3", Kind.QUARTER, 2021, 3, "2021-Q3"),
        (" 2021-q3 ", Kind.QUARTER, 2021, 3, "2021-Q3"),
        ("2021-H1", Kind.HALF, 2021, 1, "2021-H1"),
        ("2021-h2", Kind.HALF, 2021, 2, "2021-H2"),
        ("2021-9M", Kind.NINE_MONTHS, 2021, None, "2021-9M"),
        ("2021-9m", Kind.NINE_MONTHS, 2021, None, "2021-9M"),
        ("2021-09", Kind.MONTH, 2021, 9, "2021-09"),
        ("2021-9", Kind.MONTH, 2021, 9, "2021-09"),
        ("2021-12", Kind.MONTH, 2021, 12, "2021-12"),
        ("2021-YTD-09", Kind.YTD, 2021, 9, "2021-YTD-09"),
        ("2021-ytd-9", Kind.YTD, 2021, 9, "2021-YTD-09"),
    ],
)
def test_parse_accepts_every_named_form_case_insensitively(spec, kind, year, number, canonical):
    period = parse_period(spec, month_start_day=CALENDAR)

    assert (period.kind, period.year, period.number, period.spec) == (kind, year, number, canonical)


@pytest.mark.parametrize("spec", ["2021-01-05..2021-03-31", " 2021-01-05 .. 2021-03-31 "])
def test_parse_accepts_an_explicit_date_range_as_a_custom_period(spec):
    period = parse_period(spec)

    assert period == Period(Kind.CUSTOM, D("2021-01-05"), D("2021-03-31"), None, None)
    assert period.spec == "2021-01-05..2021-03-31"


@pytest.mark.parametrize(
    ("spec", "problem"),
    [
        ("2021-Q5", "quarter must be 1 to 4"),
        ("2021-Q0", "quarter must be 1 to 4"),
        ("2021-13", "month must be 1 to 12"),
        ("2021-00", "month must be 1 to 12"),
        ("2021-H3", "H1 or H2"),
        ("2021-YTD-13", "month must be 1 to 12"),
        ("2021-02-30..2021-03-31", "a date does not exist"),
        ("garbage", "is not a period"),
        ("", "is not a period"),
        ("21-Q3", "is not a period"),
        ("2021-Q3-extra", "is not a period"),
    ],
)
def test_parse_rejects_a_bad_spec_saying_what_is_wrong_and_what_is_accepted(spec, problem):
    with translation.override("en"), pytest.raises(PeriodError) as error:
        parse_period(spec)

    message = str(error.value)
    assert problem in message
    assert f"“{spec.strip()}”" in message
    assert "2021-Q3" in message and "2021-YTD-09" in message and "2021-01-05..2021-03-31" in message


@pytest.mark.parametrize(
    ("spec", "year"), [("0001", 1), ("1899-Q4", 1899), ("3000-01", 3000), ("1999-12-01..3001-01-01", 3001)]
)
def test_parse_rejects_a_year_no_statistics_are_asked_for(spec, year):
    with translation.override("en"), pytest.raises(PeriodError, match=f"The year {year} is out of range"):
        parse_period(spec)


def test_the_first_year_statistics_are_asked_for_still_has_a_year_before_it():
    period = parse_period(f"{ASKABLE_YEARS[0]}-01-01..{ASKABLE_YEARS[0]}-01-31")
    assert period.previous_year().start == date(ASKABLE_YEARS[0] - 1, 1, 1)
    assert parse_period(f"{ASKABLE_YEARS[-1]}").previous_year().year == ASKABLE_YEARS[-1] - 1


def test_custom_period_params_out_of_range_are_refused_too():
    with pytest.raises(PeriodError):
        period_from_params({"start": "0001-01-07", "end": "0001-01-07"}, date(2026, 6, 1))


def test_parse_rejects_an_end_before_the_start():
    with (
        translation.override("en"),
        pytest.raises(PeriodError, match=r"ends \(05/01/2021\) before it starts \(31/03/2021\)"),
    ):
        parse_period("2021-03-31..2021-01-05")


def test_a_period_error_is_a_value_error():
    assert issubclass(PeriodError, ValueError)


@pytest.mark.parametrize("day", [CALENDAR, POLICE])
@pytest.mark.parametrize(
    "spec",
    ["2021", "2021-Q1", "2021-Q4", "2021-H1", "2021-H2", "2021-9M", "2021-01", "2021-12", "2021-YTD-01", "2024-YTD-12"]
    + ["2021-01-05..2021-03-31", "2020-12-31..2021-01-01"],
)
def test_spec_survives_a_round_trip_through_parse(spec, day):
    period = parse_period(spec, month_start_day=day)

    assert period.spec == spec
    assert parse_period(period.spec, month_start_day=day) == period


@pytest.mark.parametrize(
    ("spec", "label"),
    [
        ("2021-09", "Tháng 9/2021"),
        ("2021-12", "Tháng 12/2021"),
        ("2021-Q1", "Quý I/2021"),
        ("2021-Q2", "Quý II/2021"),
        ("2021-Q3", "Quý III/2021"),
        ("2021-Q4", "Quý IV/2021"),
        ("2021-H1", "6 tháng đầu năm 2021"),
        ("2021-H2", "6 tháng cuối năm 2021"),
        ("2021-9M", "9 tháng năm 2021"),
        ("2021", "Năm 2021"),
        ("2021-YTD-09", "Từ đầu năm đến hết tháng 9/2021"),
        ("2021-YTD-12", "Từ đầu năm đến hết tháng 12/2021"),
        ("2021-01-05..2021-03-31", "Từ 05/01/2021 đến 31/03/2021"),
    ],
)
def test_labels_read_as_the_press_writes_them_in_any_language(spec, label):
    for language in ("vi", "en"):
        with translation.override(language):
            assert parse_period(spec, month_start_day=POLICE).label == label


@pytest.mark.parametrize(
    ("period", "start", "end", "year"),
    [
        (custom_period(D("2024-01-01"), D("2024-02-29")), "2023-01-01", "2023-02-28", None),
        (custom_period(D("2024-02-29"), D("2024-03-10")), "2023-02-28", "2023-03-10", None),
        (period_for(Kind.YEAR, 2021, month_start_day=POLICE), "2019-12-15", "2020-12-14", 2020),
        (period_for(Kind.QUARTER, 2021, 3, month_start_day=POLICE), "2020-06-15", "2020-09-14", 2020),
        (period_for(Kind.MONTH, 2021, 1, month_start_day=POLICE), "2019-12-15", "2020-01-14", 2020),
        (period_for(Kind.NINE_MONTHS, 2021, month_start_day=CALENDAR), "2020-01-01", "2020-09-30", 2020),
        (period_for(Kind.MONTH, 2024, 2, month_start_day=CALENDAR), "2023-02-01", "2023-02-28", 2023),
        # Shifting 28/02/2025 would lose 29/02/2024: the previous February is taken whole.
        (period_for(Kind.MONTH, 2025, 2, month_start_day=CALENDAR), "2024-02-01", "2024-02-29", 2024),
        (period_for(Kind.YTD, 2025, 2, month_start_day=CALENDAR), "2024-01-01", "2024-02-29", 2024),
    ],
)
def test_previous_year_is_the_same_period_one_year_earlier(period, start, end, year):
    previous = period.previous_year()

    assert (previous.start, previous.end, previous.year) == (D(start), D(end), year)
    assert (previous.kind, previous.number) == (period.kind, period.number)


def test_previous_year_of_a_police_nine_months_is_labelled_for_the_year_before():
    previous = parse_period("2021-9M", month_start_day=POLICE).previous_year()

    assert previous.label == "9 tháng năm 2020"
    assert previous.spec == "2020-9M"


@pytest.mark.parametrize(
    ("day", "inside", "outside"),
    [
        (CALENDAR, ["2021-09-01", "2021-09-30"], ["2021-08-31", "2021-10-01"]),
        (POLICE, ["2021-08-15", "2021-09-14"], ["2021-08-14", "2021-09-15"]),
    ],
)
def test_a_month_contains_its_first_and_last_day_and_nothing_beyond(day, inside, outside):
    period = period_for(Kind.MONTH, 2021, 9, month_start_day=day)

    assert all(period.contains(D(d)) for d in inside)
    assert not any(period.contains(D(d)) for d in outside)


@pytest.mark.parametrize(
    ("today", "is_closed"),
    [("2021-09-01", False), ("2021-09-14", False), ("2021-09-15", True), ("2022-01-01", True)],
)
def test_a_period_is_closed_only_after_its_last_day(today, is_closed):
    assert parse_period("2021-09", month_start_day=POLICE).is_closed(D(today)) is is_closed


@pytest.mark.parametrize(
    ("day", "kind", "today", "spec"),
    [
        (POLICE, Kind.MONTH, "2021-09-14", "2021-09"),
        (POLICE, Kind.MONTH, "2021-09-15", "2021-10"),
        (POLICE, Kind.MONTH, "2021-12-14", "2021-12"),
        (POLICE, Kind.MONTH, "2021-12-15", "2022-01"),
        (POLICE, Kind.YEAR, "2021-12-14", "2021"),
        (POLICE, Kind.YEAR, "2021-12-15", "2022"),
        (POLICE, Kind.QUARTER, "2021-06-14", "2021-Q2"),
        (POLICE, Kind.QUARTER, "2021-06-15", "2021-Q3"),
        (POLICE, Kind.HALF, "2021-06-14", "2021-H1"),
        (POLICE, Kind.HALF, "2021-06-15", "2021-H2"),
        (POLICE, Kind.YTD, "2021-09-14", "2021-YTD-09"),
        (POLICE, Kind.YTD, "2021-09-15", "2021-YTD-10"),
        (POLICE, Kind.YTD, "2021-12-15", "2022-YTD-01"),
        (POLICE, Kind.NINE_MONTHS, "2021-09-14", "2021-9M"),
        (CALENDAR, Kind.MONTH, "2021-09-14", "2021-09"),
        (CALENDAR, Kind.MONTH, "2021-09-15", "2021-09"),
        (CALENDAR, Kind.MONTH, "2021-12-31", "2021-12"),
        (CALENDAR, Kind.YEAR, "2021-12-31", "2021"),
        (CALENDAR, Kind.QUARTER, "2021-07-01", "2021-Q3"),
        (CALENDAR, Kind.YTD, "2024-02-29", "2024-YTD-02"),
        ("15", "month", "2021-09-15", "2021-10"),  # plain strings, as a form or URL would give them
    ],
)
def test_current_period_is_the_period_of_that_kind_containing_today(day, kind, today, spec):
    period = current_period(kind, D(today), month_start_day=int(day))

    assert period.spec == spec
    assert period.contains(D(today))


@pytest.mark.parametrize("day", [CALENDAR, POLICE])
def test_current_ytd_runs_from_the_start_of_the_statistical_year(day):
    period = current_period(Kind.YTD, D("2021-12-20"), month_start_day=day)

    assert period.start == period_for(Kind.YEAR, period.year, month_start_day=day).start
    assert period.contains(D("2021-12-20"))


@pytest.mark.parametrize("day", [CALENDAR, POLICE])
def test_current_period_contains_every_day_of_two_years(day):
    today = D("2020-01-01")
    while today < D("2022-01-01"):
        for kind in (Kind.MONTH, Kind.QUARTER, Kind.HALF, Kind.YEAR, Kind.YTD):
            assert current_period(kind, today, month_start_day=day).contains(today), (kind, today)
        today += timedelta(days=1)


def test_current_nine_months_in_the_last_quarter_is_the_closed_nine_months_of_that_year():
    period = current_period(Kind.NINE_MONTHS, D("2021-09-15"), month_start_day=POLICE)

    assert period.spec == "2021-9M"
    assert period.is_closed(D("2021-09-15"))


def test_current_period_has_no_custom_kind():
    with pytest.raises(PeriodError):
        current_period(Kind.CUSTOM, D("2021-09-15"))


@pytest.mark.parametrize(
    ("day", "spec", "months"),
    [
        (POLICE, "2021-9M", [f"2021-{m:02d}" for m in range(1, 10)]),
        (CALENDAR, "2021-9M", [f"2021-{m:02d}" for m in range(1, 10)]),
        (CALENDAR, "2021", [f"2021-{m:02d}" for m in range(1, 13)]),
        (CALENDAR, "2021-Q4", ["2021-10", "2021-11", "2021-12"]),
        (POLICE, "2021-H2", [f"2021-{m:02d}" for m in range(7, 13)]),
        (CALENDAR, "2021-YTD-03", ["2021-01", "2021-02", "2021-03"]),
        (POLICE, "2021-09", ["2021-09"]),
        (CALENDAR, "2020-11-20..2021-02-10", ["2020-11", "2020-12", "2021-01", "2021-02"]),
        # Under the police month 20/11/2020 is in month 12 and 10/02/2021 in month 2.
        (POLICE, "2020-11-20..2021-02-10", ["2020-12", "2021-01", "2021-02"]),
        (POLICE, "2021-09-14..2021-09-15", ["2021-09", "2021-10"]),
        (CALENDAR, "2021-09-10..2021-09-12", ["2021-09"]),
    ],
)
def test_months_of_lists_the_statistical_months_a_period_covers(day, spec, months):
    result = months_of(parse_period(spec, month_start_day=day), month_start_day=day)

    assert [m.spec for m in result] == months
    assert all(m.kind == Kind.MONTH for m in result)


def test_months_of_a_police_nine_months_tile_it_exactly():
    period = parse_period("2021-9M", month_start_day=POLICE)
    months = months_of(period, month_start_day=POLICE)

    assert len(months) == 9
    assert (months[0].start, months[-1].end) == (period.start, period.end) == (D("2020-12-15"), D("2021-09-14"))


def test_the_setting_is_read_at_call_time(settings):
    settings.STATISTICS_MONTH_START_DAY = POLICE
    assert period_for(Kind.MONTH, 2021, 9).start == D("2021-08-15")
    assert parse_period("2021").start == D("2020-12-15")
    assert month_bounds(2021, 1) == (D("2020-12-15"), D("2021-01-14"))
    assert current_period(Kind.MONTH, D("2021-09-15")).spec == "2021-10"
    assert months_of(custom_period(D("2021-09-14"), D("2021-09-15")))[-1].spec == "2021-10"

    settings.STATISTICS_MONTH_START_DAY = CALENDAR
    assert period_for(Kind.MONTH, 2021, 9).start == D("2021-09-01")
    assert parse_period("2021").start == D("2021-01-01")
    assert current_period(Kind.MONTH, D("2021-09-15")).spec == "2021-09"


def test_calendar_months_are_the_default_without_the_setting(settings):
    del settings.STATISTICS_MONTH_START_DAY

    assert parse_period("2021").start == D("2021-01-01")


def test_an_explicit_start_day_overrides_the_setting(settings):
    settings.STATISTICS_MONTH_START_DAY = POLICE

    assert parse_period("2021", month_start_day=CALENDAR).start == D("2021-01-01")


@pytest.mark.parametrize("day", [0, 29, 31])
def test_a_month_cannot_start_after_the_28th(day):
    with pytest.raises(ValueError, match="1 to 28"):
        month_bounds(2021, 1, month_start_day=day)


@pytest.mark.parametrize(
    ("kind", "number"),
    [
        (Kind.MONTH, None),
        (Kind.MONTH, 13),
        (Kind.QUARTER, 5),
        (Kind.HALF, 0),
        (Kind.YTD, None),
        (Kind.YEAR, 1),
        (Kind.NINE_MONTHS, 9),
        (Kind.CUSTOM, None),
        ("week", 1),
    ],
)
def test_period_for_rejects_a_number_that_does_not_fit_the_kind(kind, number):
    with pytest.raises(PeriodError):
        period_for(kind, 2021, number, month_start_day=CALENDAR)


def test_custom_period_rejects_an_end_before_the_start_but_allows_a_single_day():
    with pytest.raises(PeriodError):
        custom_period(D("2021-03-31"), D("2021-03-30"))

    assert custom_period(D("2021-03-31"), D("2021-03-31")).label == "Từ 31/03/2021 đến 31/03/2021"


def test_a_period_built_with_a_plain_string_kind_equals_one_built_with_the_enum():
    period = Period("month", D("2021-09-01"), D("2021-09-30"), 2021, 9)

    assert period.kind is Kind.MONTH
    assert period == period_for(Kind.MONTH, 2021, 9, month_start_day=CALENDAR)
    assert hash(period) == hash(period_for("month", 2021, 9, month_start_day=CALENDAR))
