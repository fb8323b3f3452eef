"""Deterministic, realistic case rows for Thái Nguyên: the demo data and the benchmark files.

Cases are recorded from 1 January 2019 to `today`, on legacy units (communes and some districts
of the pre-reform province) before 1 July 2025 and on current communes from then on, across
crime lines, severities and every status, with step dates that obey the procedure. Units come
from the vietnam-provinces package, the same source `load_units` loads. No Django import here,
so the benchmark script runs without settings.
"""

import random
from collections.abc import Iterator
from datetime import date, timedelta

PROVINCE = 19  # Thái Nguyên
REFORM = date(2025, 7, 1)
START = date(2019, 1, 1)
HEADER = [
    "reference",
    "title",
    "category",
    "severity",
    "unit",
    "recorded_on",
    "occurred_on",
    "status",
    "investigation_started_on",
    "cleared_on",
    "indicted_on",
    "tried_on",
    "ghi_chu",  # an extra column the import ignores
]
LS, SE, VS, ES = "less_serious", "serious", "very_serious", "especially_serious"
# (article, weight, title stems, severities with weights)
OFFENCES = [
    ("173", 30, ["Trộm cắp xe máy", "Trộm cắp tài sản", "Trộm cắp điện thoại", "Trộm cắp tiền"], {LS: 7, SE: 3}),
    ("171", 6, ["Cướp giật túi xách", "Cướp giật điện thoại"], {SE: 6, VS: 4}),
    ("168", 3, ["Cướp tài sản"], {VS: 6, ES: 4}),
    ("174", 10, ["Lừa đảo chiếm đoạt tài sản", "Lừa đảo qua mạng xã hội"], {LS: 4, SE: 4, VS: 2}),
    ("134", 10, ["Cố ý gây thương tích", "Đánh nhau gây thương tích"], {LS: 5, SE: 4, VS: 1}),
    ("123", 1, ["Giết người"], {ES: 1}),
    ("249", 7, ["Tàng trữ trái phép chất ma túy"], {LS: 3, SE: 5, VS: 2}),
    ("251", 6, ["Mua bán trái phép chất ma túy"], {SE: 4, VS: 4, ES: 2}),
    ("255", 2, ["Tổ chức sử dụng trái phép chất ma túy"], {SE: 7, VS: 3}),
    ("321", 8, ["Đánh bạc", "Đánh bạc qua mạng"], {LS: 8, SE: 2}),
    ("322", 2, ["Tổ chức đánh bạc"], {SE: 7, VS: 3}),
    ("260", 7, ["Vi phạm quy định về tham gia giao thông đường bộ"], {LS: 6, SE: 4}),
    ("178", 3, ["Hủy hoại tài sản"], {LS: 7, SE: 3}),
    ("150", 1, ["Mua bán người"], {VS: 6, ES: 4}),
    ("290", 2, ["Sử dụng mạng máy tính chiếm đoạt tài sản"], {SE: 7, VS: 3}),
    ("227", 1, ["Khai thác khoáng sản trái phép"], {LS: 6, SE: 4}),
    ("188", 1, ["Buôn lậu"], {SE: 7, VS: 3}),
]
PLACES = ["xóm", "tổ dân phố", "chợ", "khu công nghiệp", "trường học", "quốc lộ 3", "bến xe"]


def load_units() -> tuple[list[str], list[str]]:
    """(legacy codes: communes and districts of the old province, current commune codes)."""
    from vietnam_provinces import Ward, legacy

    current = [f"{int(w.code):05d}" for w in Ward.iter_all() if int(w.province_code) == PROVINCE]
    districts = [d for d in legacy.District.iter_all() if int(d.province_code) == PROVINCE]
    district_codes = {int(d.code) for d in districts}
    legacy_units = [f"{int(w.code):05d}" for w in legacy.Ward.iter_all() if int(w.district_code) in district_codes]
    legacy_units += [f"{int(d.code):03d}" for d in districts]
    return sorted(legacy_units), sorted(current)


def fmt(value: date | None, rng: random.Random) -> str:
    if value is None:
        return ""
    # Both accepted spellings, as real spreadsheets mix them.
    return value.strftime("%d/%m/%Y") if rng.random() < 0.3 else value.isoformat()


def make_row(rng: random.Random, n: int, units: tuple, today: date, ref_share: float, seed: int) -> list:
    legacy_units, current_units = units
    article, _w, stems, severities = rng.choices(OFFENCES, weights=[o[1] for o in OFFENCES])[0]
    severity = rng.choices(list(severities), weights=list(severities.values()))[0]
    recorded = START + timedelta(days=rng.randrange((today - START).days))
    unit = rng.choice(legacy_units if recorded < REFORM else current_units)
    occurred = recorded - timedelta(days=rng.randrange(0, 10)) if rng.random() < 0.8 else None
    title = f"{rng.choice(stems)} tại {rng.choice(PLACES)} số {rng.randrange(1, 40)} (vụ {n})"

    steps: dict[str, date | None] = dict.fromkeys(("inv", "cleared", "indicted", "tried"))
    if rng.random() < 0.05:
        status = "not_criminal"
    else:
        inv = recorded + timedelta(days=rng.randrange(0, 30))
        if inv > today:
            status = rng.choice(["received", "verifying"])
        else:
            steps["inv"], status = inv, "investigating"
            # Most cases are cleared within days (offenders caught at the scene); some take months.
            cleared = inv + timedelta(days=rng.randrange(0, 90) if rng.random() < 0.25 else rng.randrange(0, 10))
            if rng.random() < 0.93 and cleared <= today:  # clearance near the 85-92% the committees report
                steps["cleared"] = cleared
                indicted = cleared + timedelta(days=rng.randrange(20, 120))
                if rng.random() < 0.9 and indicted <= today:
                    steps["indicted"], status = indicted, "indicted"
                    tried = indicted + timedelta(days=rng.randrange(30, 150))
                    if rng.random() < 0.9 and tried <= today:
                        steps["tried"], status = tried, "tried"
            if status == "investigating" and (today - inv).days > 120:
                status = rng.choices(["investigating", "suspended", "dismissed"], weights=[3, 5, 2])[0]
    reference = f"TN-{seed}-{n:07d}" if rng.random() < ref_share else ""
    return [
        reference,
        title,
        article,
        severity,
        unit,
        fmt(recorded, rng),
        fmt(occurred, rng),
        status,
        fmt(steps["inv"], rng),
        fmt(steps["cleared"], rng),
        fmt(steps["indicted"], rng),
        fmt(steps["tried"], rng),
        "",
    ]


def case_rows(count: int, *, seed: int = 138, today: date, references: float = 0.0) -> Iterator[list]:
    """`count` rows in HEADER's column order, the same for the same seed and day."""
    rng = random.Random(seed)
    units = load_units()
    for n in range(1, count + 1):
        yield make_row(rng, n, units, today, references, seed)
