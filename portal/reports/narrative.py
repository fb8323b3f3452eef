"""The Vietnamese summary paragraph of a unit's figures, phrased as the 138 committees' reports phrase it."""

import re
from decimal import ROUND_HALF_UP, Decimal

# Leading administrative words of unit names, longest first so "Thị xã" wins over a bare "Xã".
_ADMINISTRATIVE_PREFIXES = (
    "Thành phố",
    "Thị trấn",
    "Thị xã",
    "Đặc khu",
    "Phường",
    "Huyện",
    "Quận",
    "Tỉnh",
    "Xã",
)
_NATIONWIDE_NAMES = {"việt nam", "cả nước"}
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_TRAILING_YEAR = re.compile(r"(?<!\d)(\d{4})$")

_SOCIAL_ORDER = "tội phạm về trật tự xã hội"
_ALL_CRIME = "tình hình tội phạm"
_SERIOUS = "án rất nghiêm trọng và đặc biệt nghiêm trọng"


def vn_number(value: float, digits: int = 1) -> str:
    """Format a number the Vietnamese way: comma decimal, dot thousands, `digits` decimals.

    Rounding is half away from zero on the decimal text of the value (92.45 -> "92,5", 93.475 -> "93,5"),
    never banker's rounding on the binary float. A fraction that rounds to all zeros is dropped, as the
    press writes "trên 92%" rather than "92,0%": 92.0 -> "92", 5.1 -> "5,1"; with digits=2, 5.1 -> "5,10".
    A value that rounds to zero has no sign: -0.04 -> "0".
    """
    rounded = _rounded(value, digits)
    if rounded.is_zero():
        rounded = abs(rounded)
    sign = "-" if rounded < 0 else ""
    whole, _, fraction = f"{abs(rounded):f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    if fraction.strip("0"):
        return f"{sign}{grouped},{fraction}"
    return f"{sign}{grouped}"


def _rounded(value: float, digits: int = 1) -> Decimal:
    # str() first: Decimal(93.475) is 93.474999..., which would round down.
    number = Decimal(str(value))
    if not number.is_finite():
        raise ValueError(f"Cannot format {value!r} as a number.")
    return number.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def vn_percent(value: float, digits: int = 1) -> str:
    """A percentage in Vietnamese format, no space before the sign: 5.1 -> "5,1%", 92.0 -> "92%"."""
    return f"{vn_number(value, digits)}%"


def narrative(
    *,
    figures: dict,
    period_label: str,
    previous_year_label: str | None,
    unit_name: str | None = None,
) -> str:
    """One Vietnamese paragraph on the period's crime trend and clearance rates against their targets.

    `figures` has the shape of the summary API's "indicators"; any key may be missing. The paragraph is
    always Vietnamese, whatever the reader's language, because it reproduces the committees' own wording:
    "9 tháng năm 2021, tội phạm về trật tự xã hội giảm 5,1% so với cùng kỳ năm 2020; tỷ lệ điều tra,
    khám phá án chung đạt 92,4%, vượt chỉ tiêu 17,4%; án rất nghiêm trọng và đặc biệt nghiêm trọng
    khám phá đạt 93,5%, vượt chỉ tiêu 3,5%."

    Then, for the prevention figures that are present and not zero, one sentence each on crackdown
    campaigns and their results, propaganda, hotspots turned around and models replicated (see
    `_prevention_sentences`), then on inspections, directives and recommendations (see
    `_oversight_sentences`); a snapshot built before those figures existed simply has none.
    """
    crime = _crime_sentence(figures, period_label, previous_year_label, unit_name)
    return " ".join([crime, *_prevention_sentences(figures), *_oversight_sentences(figures)])


def _crime_sentence(figures: dict, period_label: str, previous_year_label: str | None, unit_name: str | None) -> str:
    opening = _capitalize(period_label.strip())
    place = _place(unit_name)
    same_period = _same_period(previous_year_label)

    cases_total = figures.get("cases_total") or {}
    if cases_total.get("value") == 0:
        # Nothing recorded: no trend to speak of and rates are undefined.
        head = f"{opening}, {place}" if place else f"{opening},"
        return f"{head} {_none_recorded('vụ phạm tội', cases_total.get('previous'), same_period)}."

    clauses = [
        clause
        for clause in (
            _trend_clause(figures, same_period),
            _rate_clause("tỷ lệ điều tra, khám phá án chung", figures.get("clearance_rate")),
            _serious_clause(figures),
        )
        if clause
    ]
    if not clauses:
        clauses = ["chưa có số liệu thống kê"]
    head = f"{opening}, {place}," if place else f"{opening},"
    return f"{head} {'; '.join(clauses)}."


def _capitalize(text: str) -> str:
    return text[:1].upper() + text[1:]


def _place(unit_name: str | None) -> str:
    """Where the figures apply: "trên địa bàn tỉnh Thái Nguyên"; the national root "trên phạm vi cả nước"."""
    name = " ".join((unit_name or "").split())
    if not name:
        return ""
    if name.lower() in _NATIONWIDE_NAMES:
        return "trên phạm vi cả nước"
    for prefix in _ADMINISTRATIVE_PREFIXES:
        if name.lower().startswith(prefix.lower() + " "):
            # Inside a sentence the administrative word is a common noun; the proper name keeps its capitals.
            name = prefix.lower() + name[len(prefix) :]
            break
    return f"trên địa bàn {name}"


def _same_period(previous_label: str | None) -> str:
    """The comparison period: "Quý III/2020" gives "cùng kỳ năm 2020", a label without one year "cùng kỳ năm trước"."""
    label = (previous_label or "").strip()
    match = _TRAILING_YEAR.search(label)
    # A custom window across two years ("01/12/2019 – 30/11/2020") has no single "năm" to name.
    if match and len(set(_YEAR.findall(label))) == 1:
        return f"cùng kỳ năm {match.group(1)}"
    return "cùng kỳ năm trước"


def _trend_clause(figures: dict, same_period: str) -> str:
    """The crime count against the same period last year; the social-order line when it is known."""
    if (figures.get("social_order_total") or {}).get("value") is not None:
        indicator, subject, cases = figures["social_order_total"], _SOCIAL_ORDER, "vụ phạm tội về trật tự xã hội"
    elif (figures.get("cases_total") or {}).get("value") is not None:
        indicator, subject, cases = figures["cases_total"], _ALL_CRIME, "vụ phạm tội"
    else:
        return ""
    value, previous = indicator["value"], indicator.get("previous")
    if value == 0:
        return _none_recorded(cases, previous, same_period)
    if previous is None:
        return f"xảy ra {vn_number(value, 0)} {cases}"
    if previous == 0:
        return f"phát sinh {vn_number(value, 0)} {cases}, trong khi {same_period} không xảy ra vụ nào"
    change = indicator.get("change_pct")
    if change is None:
        change = (value - previous) / previous * 100
    shown = vn_percent(abs(change))
    if shown == "0%":
        return f"{subject} tương đương {same_period}"
    direction = "tăng" if change > 0 else "giảm"
    return f"{subject} {direction} {shown} so với {same_period}"


def _none_recorded(cases: str, previous: int | None, same_period: str) -> str:
    clause = f"không xảy ra {cases} nào"
    if previous:
        clause += f", trong khi {same_period} xảy ra {vn_number(previous, 0)} vụ"
    return clause


def _serious_clause(figures: dict) -> str:
    if (figures.get("serious_total") or {}).get("value") == 0:
        return f"không xảy ra {_SERIOUS}"
    return _rate_clause(f"{_SERIOUS} khám phá", figures.get("serious_clearance_rate"))


def _rate_clause(subject: str, indicator: dict | None) -> str:
    """A rate and its target: "<subject> đạt 92,4%, vượt chỉ tiêu 17,4%", the difference in percentage points."""
    rate = (indicator or {}).get("value")
    if rate is None:
        return ""
    clause = f"{subject} đạt {vn_percent(rate)}"
    target = indicator.get("target")
    if target is None:
        return clause
    # The difference is taken from the rate as printed, so the sentence adds up for its reader:
    # 74.95 prints as "75%" and must then read "đạt chỉ tiêu", not "thấp hơn chỉ tiêu 0,1%".
    delta = _rounded(rate) - Decimal(str(target))
    shown = vn_percent(abs(delta))
    if shown == "0%":
        return f"{clause}, đạt chỉ tiêu"
    if delta > 0:
        return f"{clause}, vượt chỉ tiêu {shown}"
    return f"{clause}, thấp hơn chỉ tiêu {shown}"


# --- Prevention and crackdown ------------------------------------------------------------------------


def _amount(figures: dict, code: str) -> float:
    """The figure's value when it is present and a number, else 0 (a snapshot may predate it)."""
    value = (figures.get(code) or {}).get("value")
    return value if isinstance(value, int | float) and not isinstance(value, bool) else 0


def _count_text(value: float) -> str:
    return vn_number(value, 0)


def _quantity_text(value: float) -> str:
    """A measured quantity (grams): whole numbers without decimals, else up to two: 12.5 -> "12,5"."""
    text = vn_number(value, 2)
    return text.rstrip("0").rstrip(",") if "," in text else text


def _joined(parts: list[str], separator: str) -> str:
    return separator.join(part for part in parts if part)


def _sentence(clauses: list[str]) -> str:
    text = _joined(clauses, "; ")
    return f"{_capitalize(text)}." if text else ""


def _prevention_sentences(figures: dict) -> list[str]:
    """The committees' sentences on the period's prevention work, only for figures present and not zero.

    "Mở 2 đợt cao điểm tấn công, trấn áp tội phạm; bắt 15 đối tượng truy nã, thu giữ 1.250 gam ma túy;
    triệt phá 3 băng, nhóm tội phạm." "Tổ chức 40 buổi tuyên truyền với 5.200 lượt người tham dự."
    "Xác định thêm 3 địa bàn trọng điểm, phức tạp về trật tự xã hội; chuyển hóa 2 địa bàn."
    "Duy trì 12 mô hình hay, cách làm hiệu quả; nhân rộng 3 mô hình."
    """
    return [
        sentence
        for sentence in (
            _campaign_sentence(figures),
            _propaganda_sentence(figures),
            _hotspot_sentence(figures),
            _model_sentence(figures),
        )
        if sentence
    ]


def _campaign_sentence(figures: dict) -> str:
    started, active = _amount(figures, "campaigns_started"), _amount(figures, "campaigns_active")
    if started:
        campaigns = f"mở {_count_text(started)} đợt cao điểm tấn công, trấn áp tội phạm"
    elif active:
        # Every campaign under way in the period began before it.
        campaigns = f"tiếp tục triển khai {_count_text(active)} đợt cao điểm tấn công, trấn áp tội phạm"
    else:
        campaigns = ""
    wanted = _amount(figures, "campaign_wanted_caught")
    drugs = _amount(figures, "campaign_drugs_grams")
    weapons = _amount(figures, "campaign_weapons")
    seized = _joined(
        [
            f"{_quantity_text(drugs)} gam ma túy" if drugs else "",
            f"{_count_text(weapons)} vũ khí" if weapons else "",
        ],
        ", ",
    )
    caught = _joined(
        [
            f"bắt {_count_text(wanted)} đối tượng truy nã" if wanted else "",
            f"thu giữ {seized}" if seized else "",
        ],
        ", ",
    )
    gangs = _amount(figures, "campaign_gangs_broken")
    dens = _amount(figures, "campaign_gambling_dens")
    broken = _joined(
        [
            f"triệt phá {_count_text(gangs)} băng, nhóm tội phạm" if gangs else "",
            f"triệt xóa {_count_text(dens)} tụ điểm đánh bạc" if dens else "",
        ],
        ", ",
    )
    return _sentence([campaigns, caught, broken])


def _propaganda_sentence(figures: dict) -> str:
    held = _amount(figures, "activities_held")
    if not held:
        return ""
    text = f"tổ chức {_count_text(held)} buổi tuyên truyền"
    audience = _amount(figures, "audience_reached")
    if audience:
        text += f" với {_count_text(audience)} lượt người tham dự"
    materials = _amount(figures, "materials_distributed")
    if materials:
        text += f", cấp phát {_count_text(materials)} tài liệu tuyên truyền"
    return _sentence([text])


def _hotspot_sentence(figures: dict) -> str:
    identified = _amount(figures, "hotspots_identified")
    resolved = _amount(figures, "hotspots_resolved")
    place = "địa bàn trọng điểm, phức tạp về trật tự xã hội"
    if identified and resolved:
        clauses = [f"xác định thêm {_count_text(identified)} {place}", f"chuyển hóa {_count_text(resolved)} địa bàn"]
    elif identified:
        clauses = [f"xác định thêm {_count_text(identified)} {place}"]
    elif resolved:
        clauses = [f"chuyển hóa {_count_text(resolved)} {place}"]
    else:
        clauses = []
    return _sentence(clauses)


def _model_sentence(figures: dict) -> str:
    active = _amount(figures, "models_active")
    replicated = _amount(figures, "models_replicated")
    return _sentence(
        [
            f"duy trì {_count_text(active)} mô hình hay, cách làm hiệu quả" if active else "",
            f"nhân rộng {_count_text(replicated)} mô hình" if replicated else "",
        ]
    )


# --- Oversight ---------------------------------------------------------------------------------------


def _oversight_sentences(figures: dict) -> list[str]:
    """Inspections and their directives, then recommendations, only for figures present and not zero.

    "Tiếp đón 1 đoàn kiểm tra; thực hiện 3/5 yêu cầu, 1 yêu cầu quá hạn." "Gửi 4 kiến nghị, đề xuất,
    đã được trả lời 2; 1 kiến nghị quá hạn chưa được trả lời." In "3/5", 3 directives were done in the
    period and 2 were still open at its end; with none done: "còn 2 yêu cầu chưa thực hiện xong".
    """
    held = _amount(figures, "inspections_held")
    conducted = _amount(figures, "inspections_conducted")
    done = _amount(figures, "directives_done")
    still_open = _amount(figures, "directives_open_at_end")
    overdue = _amount(figures, "directives_overdue_at_end")
    directives = _joined(
        [
            (
                f"thực hiện {_count_text(done)}/{_count_text(done + still_open)} yêu cầu"
                if done
                else f"còn {_count_text(still_open)} yêu cầu chưa thực hiện xong"
            )
            if done + still_open
            else "",
            f"{_count_text(overdue)} yêu cầu quá hạn" if overdue else "",
        ],
        ", ",
    )
    inspections = _sentence(
        [
            f"tiếp đón {_count_text(held)} đoàn kiểm tra" if held else "",
            f"tổ chức {_count_text(conducted)} đoàn kiểm tra" if conducted else "",
            directives,
        ]
    )
    submitted = _amount(figures, "recommendations_submitted")
    answered = _amount(figures, "recommendations_answered")
    late = _amount(figures, "recommendations_overdue_at_end")
    if submitted:
        sent = f"gửi {_count_text(submitted)} kiến nghị, đề xuất"
        if answered:
            sent += f", đã được trả lời {_count_text(answered)}"
    elif answered:
        sent = f"được trả lời {_count_text(answered)} kiến nghị, đề xuất"
    else:
        sent = ""
    recommendations = _sentence([sent, f"{_count_text(late)} kiến nghị quá hạn chưa được trả lời" if late else ""])
    return [sentence for sentence in (inspections, recommendations) if sentence]
