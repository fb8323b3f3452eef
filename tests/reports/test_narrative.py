"""The Vietnamese narrative paragraph and number format: pure functions, no database."""

import pytest

from portal.reports.narrative import narrative, vn_number, vn_percent

PRESS_SENTENCE = (
    "9 tháng năm 2021, tội phạm về trật tự xã hội giảm 5,1% so với cùng kỳ năm 2020; "
    "tỷ lệ điều tra, khám phá án chung đạt 92,4%, vượt chỉ tiêu 17,4%; "
    "án rất nghiêm trọng và đặc biệt nghiêm trọng khám phá đạt 93,5%, vượt chỉ tiêu 3,5%."
)


def acceptance_figures() -> dict:
    """The acceptance unit: 1,000 -> 949 social-order cases, 877 cleared, 43 of 46 serious cleared."""
    return {
        "cases_total": {"value": 949, "previous": 1000, "change_pct": (949 - 1000) / 1000 * 100},
        "social_order_total": {"value": 949, "previous": 1000, "change_pct": (949 - 1000) / 1000 * 100},
        "cleared": {"value": 877},
        "clearance_rate": {"value": 877 / 949 * 100, "target": 75.0, "target_delta": 877 / 949 * 100 - 75},
        "serious_total": {"value": 46, "previous": 50, "change_pct": -8.0},
        "serious_cleared": {"value": 43},
        "serious_clearance_rate": {"value": 43 / 46 * 100, "target": 90.0, "target_delta": 43 / 46 * 100 - 90},
    }


def say(figures: dict, **kwargs) -> str:
    options = {"period_label": "9 tháng năm 2021", "previous_year_label": "9 tháng năm 2020"} | kwargs
    return narrative(figures=figures, **options)


def rate(value: float | None, target: float | None) -> dict:
    delta = None if value is None or target is None else value - target
    return {"value": value, "target": target, "target_delta": delta}


def test_acceptance_figures_read_as_the_press_sentence():
    assert say(acceptance_figures()) == PRESS_SENTENCE


def test_acceptance_figures_with_the_brief_rounded_inputs_read_as_the_press_sentence():
    figures = {
        "social_order_total": {"value": 949, "previous": 1000, "change_pct": -5.1},
        "cases_total": {"value": 949, "previous": 1000, "change_pct": -5.1},
        "clearance_rate": rate(92.41, 75),
        "serious_clearance_rate": rate(93.47826086956522, 90),
    }
    assert say(figures) == PRESS_SENTENCE


def test_unit_name_is_placed_with_its_administrative_word_in_lower_case():
    text = say(acceptance_figures(), unit_name="Tỉnh Thái Nguyên")
    assert text.startswith("9 tháng năm 2021, trên địa bàn tỉnh Thái Nguyên, tội phạm về trật tự xã hội giảm 5,1%")
    assert text.endswith(PRESS_SENTENCE.removeprefix("9 tháng năm 2021, "))


@pytest.mark.parametrize(
    ("unit_name", "place"),
    [
        ("Tỉnh Thái Nguyên", "trên địa bàn tỉnh Thái Nguyên"),
        ("Thành phố Hà Nội", "trên địa bàn thành phố Hà Nội"),
        ("Xã Yên Phong", "trên địa bàn xã Yên Phong"),
        ("Phường Đống Đa", "trên địa bàn phường Đống Đa"),
        ("Thị xã Phổ Yên", "trên địa bàn thị xã Phổ Yên"),
        ("Thị trấn Hùng Sơn", "trên địa bàn thị trấn Hùng Sơn"),
        ("Đặc khu Phú Quốc", "trên địa bàn đặc khu Phú Quốc"),
        ("Huyện Đại Từ", "trên địa bàn huyện Đại Từ"),
        ("Thái Nguyên", "trên địa bàn Thái Nguyên"),
        ("Xuân Phương", "trên địa bàn Xuân Phương"),
        ("Việt Nam", "trên phạm vi cả nước"),
    ],
)
def test_place_phrase_for_each_kind_of_unit(unit_name, place):
    assert say(acceptance_figures(), unit_name=unit_name).startswith(f"9 tháng năm 2021, {place}, tội phạm")


@pytest.mark.parametrize(
    ("previous_label", "comparison"),
    [
        ("9 tháng năm 2020", "so với cùng kỳ năm 2020"),
        ("Quý III/2020", "so với cùng kỳ năm 2020"),
        ("Tháng 9/2020", "so với cùng kỳ năm 2020"),
        ("6 tháng đầu năm 2020", "so với cùng kỳ năm 2020"),
        ("01/12/2019 – 30/11/2020", "so với cùng kỳ năm trước"),
        ("Kỳ trước", "so với cùng kỳ năm trước"),
        (None, "so với cùng kỳ năm trước"),
    ],
)
def test_comparison_names_the_previous_year_only_when_the_label_ends_with_one(previous_label, comparison):
    text = say(acceptance_figures(), previous_year_label=previous_label)
    assert f"giảm 5,1% {comparison};" in text


def test_period_label_starts_the_sentence_with_a_capital():
    text = say(acceptance_figures(), period_label="tháng 9/2021", previous_year_label="tháng 9/2020")
    assert text.startswith("Tháng 9/2021, tội phạm về trật tự xã hội giảm 5,1% so với cùng kỳ năm 2020;")


def test_increase_reads_tang():
    figures = acceptance_figures()
    figures["social_order_total"] = {"value": 1032, "previous": 1000, "change_pct": 3.2}
    assert say(figures).startswith("9 tháng năm 2021, tội phạm về trật tự xã hội tăng 3,2% so với cùng kỳ năm 2020;")


def test_no_change_reads_tuong_duong_cung_ky():
    figures = acceptance_figures()
    figures["social_order_total"] = {"value": 1000, "previous": 1000, "change_pct": 0.0}
    assert say(figures).startswith("9 tháng năm 2021, tội phạm về trật tự xã hội tương đương cùng kỳ năm 2020;")


def test_change_that_rounds_to_zero_reads_as_no_change_not_giam_0():
    figures = acceptance_figures()
    figures["social_order_total"] = {"value": 9999, "previous": 10000, "change_pct": -0.01}
    assert "tội phạm về trật tự xã hội tương đương cùng kỳ năm 2020;" in say(figures)


def test_missing_change_pct_is_worked_out_from_the_counts():
    figures = acceptance_figures()
    figures["social_order_total"] = {"value": 949, "previous": 1000}
    assert say(figures) == PRESS_SENTENCE


def test_previous_zero_states_the_count_and_that_nothing_happened_last_year():
    figures = {
        "cases_total": {"value": 5, "previous": 0, "change_pct": None},
        "social_order_total": {"value": 5, "previous": 0, "change_pct": None},
        "clearance_rate": rate(80.0, 75),
    }
    assert say(figures) == (
        "9 tháng năm 2021, phát sinh 5 vụ phạm tội về trật tự xã hội, "
        "trong khi cùng kỳ năm 2020 không xảy ra vụ nào; "
        "tỷ lệ điều tra, khám phá án chung đạt 80%, vượt chỉ tiêu 5%."
    )


def test_previous_unknown_states_the_count_without_comparison():
    figures = {"social_order_total": {"value": 1234, "previous": None, "change_pct": None}}
    assert say(figures) == "9 tháng năm 2021, xảy ra 1.234 vụ phạm tội về trật tự xã hội."


def test_shortfall_reads_thap_hon_chi_tieu_in_percentage_points():
    figures = acceptance_figures()
    figures["clearance_rate"] = rate(70.0, 75)
    assert "tỷ lệ điều tra, khám phá án chung đạt 70%, thấp hơn chỉ tiêu 5%;" in say(figures)


def test_shortfall_with_a_fraction():
    figures = acceptance_figures()
    figures["serious_clearance_rate"] = rate(87.66, 90)
    assert say(figures).endswith(
        "án rất nghiêm trọng và đặc biệt nghiêm trọng khám phá đạt 87,7%, thấp hơn chỉ tiêu 2,3%."
    )


def test_exactly_at_target_reads_dat_chi_tieu():
    figures = acceptance_figures()
    figures["clearance_rate"] = rate(75.0, 75)
    assert "tỷ lệ điều tra, khám phá án chung đạt 75%, đạt chỉ tiêu;" in say(figures)


def test_rate_that_prints_as_the_target_reads_dat_chi_tieu_not_a_tiny_shortfall():
    figures = acceptance_figures()
    figures["clearance_rate"] = rate(74.95, 75)  # prints "75%"; the sentence must add up
    assert "tỷ lệ điều tra, khám phá án chung đạt 75%, đạt chỉ tiêu;" in say(figures)


def test_missing_target_has_no_target_clause():
    figures = acceptance_figures()
    figures["clearance_rate"] = rate(92.41, None)
    assert "tỷ lệ điều tra, khám phá án chung đạt 92,4%; án rất" in say(figures)


def test_missing_rate_entry_omits_its_clause():
    figures = acceptance_figures()
    del figures["clearance_rate"]
    assert say(figures) == (
        "9 tháng năm 2021, tội phạm về trật tự xã hội giảm 5,1% so với cùng kỳ năm 2020; "
        "án rất nghiêm trọng và đặc biệt nghiêm trọng khám phá đạt 93,5%, vượt chỉ tiêu 3,5%."
    )


def test_no_cases_in_the_period_says_none_were_recorded_and_gives_no_rates():
    figures = {
        "cases_total": {"value": 0, "previous": 0, "change_pct": None},
        "social_order_total": {"value": 0, "previous": 0, "change_pct": None},
        "cleared": {"value": 0},
        "clearance_rate": rate(None, 75),
        "serious_total": {"value": 0, "previous": 0, "change_pct": None},
        "serious_cleared": {"value": 0},
        "serious_clearance_rate": rate(None, 90),
    }
    assert say(figures) == "9 tháng năm 2021, không xảy ra vụ phạm tội nào."


def test_no_cases_in_the_period_mentions_last_years_count():
    figures = {
        "cases_total": {"value": 0, "previous": 12, "change_pct": -100.0},
        "clearance_rate": rate(None, 75),
    }
    assert say(figures, unit_name="Xã Yên Phong") == (
        "9 tháng năm 2021, trên địa bàn xã Yên Phong không xảy ra vụ phạm tội nào, "
        "trong khi cùng kỳ năm 2020 xảy ra 12 vụ."
    )


def test_no_social_order_cases_but_other_crime_keeps_the_rates():
    figures = acceptance_figures()
    figures["social_order_total"] = {"value": 0, "previous": 3, "change_pct": -100.0}
    assert say(figures).startswith(
        "9 tháng năm 2021, không xảy ra vụ phạm tội về trật tự xã hội nào, trong khi cùng kỳ năm 2020 xảy ra 3 vụ; "
        "tỷ lệ điều tra, khám phá án chung đạt 92,4%"
    )


def test_no_serious_cases_says_none_occurred():
    figures = acceptance_figures()
    figures["serious_total"] = {"value": 0, "previous": 2, "change_pct": -100.0}
    figures["serious_cleared"] = {"value": 0}
    figures["serious_clearance_rate"] = rate(None, 90)
    assert say(figures) == (
        "9 tháng năm 2021, tội phạm về trật tự xã hội giảm 5,1% so với cùng kỳ năm 2020; "
        "tỷ lệ điều tra, khám phá án chung đạt 92,4%, vượt chỉ tiêu 17,4%; "
        "không xảy ra án rất nghiêm trọng và đặc biệt nghiêm trọng."
    )


def test_serious_figures_missing_entirely_omit_the_serious_clause():
    figures = acceptance_figures()
    for key in ("serious_total", "serious_cleared", "serious_clearance_rate"):
        del figures[key]
    assert say(figures).endswith("tỷ lệ điều tra, khám phá án chung đạt 92,4%, vượt chỉ tiêu 17,4%.")


def test_without_social_order_line_speaks_of_crime_in_general():
    figures = acceptance_figures()
    del figures["social_order_total"]
    assert say(figures).startswith("9 tháng năm 2021, tình hình tội phạm giảm 5,1% so với cùng kỳ năm 2020;")


def test_no_figures_at_all_says_there_are_none_yet():
    assert say({}) == "9 tháng năm 2021, chưa có số liệu thống kê."


@pytest.mark.parametrize(
    ("value", "digits", "text"),
    [
        (5.1, 1, "5,1"),
        (-5.1, 1, "-5,1"),
        (1234.5, 1, "1.234,5"),
        (1234567.89, 1, "1.234.567,9"),
        (92.0, 1, "92"),
        (92, 1, "92"),
        (92.41, 1, "92,4"),
        (92.45, 1, "92,5"),
        (92.35, 1, "92,4"),
        (93.475, 1, "93,5"),
        (93.47826086956522, 1, "93,5"),
        (17.409999999999997, 1, "17,4"),
        (-2.25, 1, "-2,3"),
        (99.96, 1, "100"),
        (0.04, 1, "0"),
        (-0.04, 1, "0"),
        (0, 1, "0"),
        (949, 0, "949"),
        (1000, 0, "1.000"),
        (2.5, 0, "3"),
        (5.1, 2, "5,10"),
        (5.0, 2, "5"),
        (1.005, 2, "1,01"),
    ],
)
def test_vn_number(value, digits, text):
    assert vn_number(value, digits) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [(5.1, "5,1%"), (92.0, "92%"), (92.41, "92,4%"), (17.41, "17,4%"), (3.478, "3,5%"), (1234.56, "1.234,6%")],
)
def test_vn_percent(value, text):
    assert vn_percent(value) == text


def test_vn_number_refuses_non_finite_values():
    with pytest.raises(ValueError, match="Cannot format"):
        vn_number(float("nan"))
