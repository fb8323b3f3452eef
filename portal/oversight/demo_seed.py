"""Demo oversight records for `seed_demo`: the 2021 Government inspection of Thái Nguyên and Phổ Yên, and after.

The 2021 visit (source: the report kept as DESIGN's `source/000_ea9967da7c9156b8.txt`) is recorded on
the legacy units it inspected; its directives and the province's recommendations to the central
committee are in several states. Two recent inspections by the provincial committee of its communes
are dated from today, so that overdue and due-soon directives and recommendations exist on any day.
Rows are written straight through the ORM (paths = the unit's roll-up path, as the services write
them); each move has its step. Idempotent: a province that already has oversight records is left alone.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from portal.accounts.models import User
from portal.units.models import Unit

from .models import (
    Directive,
    DirectiveUpdate,
    InspectedUnit,
    Inspection,
    Recommendation,
    RecommendationStep,
    Topic,
)

GOVERNMENT = "Đoàn kiểm tra của Chính phủ"
PROVINCIAL = "Ban Chỉ đạo 138 tỉnh Thái Nguyên"
VISIT_2021 = date(2021, 10, 14)
REPLY_DAYS = 30
ACTORS = {"province": "tn.thuongtruc", "nation": "tw.lanhdao"}  # created by seed_demo before the seeders run

D = Directive.Status
R = Recommendation.Status
K = RecommendationStep.Kind


@dataclass
class Places:
    root: Unit
    province: Unit  # current Tỉnh Thái Nguyên
    legacy_province: Unit  # Tỉnh Thái Nguyên before 1 July 2025
    legacy_town: Unit  # thị xã Phổ Yên (code 172) before the reform
    communes: list[Unit]  # two current communes of the province (the same one twice on a tiny tree)


def seed(stdout=None) -> str:
    """Seed Thái Nguyên's oversight records once."""
    province = Unit.objects.current().filter(code="19").first()
    if province is None:
        return "Demo oversight NOT seeded: Tỉnh Thái Nguyên is not loaded."
    mine = Q(unit_path__startswith=province.path) | Q(inspected__unit_path__startswith=province.path)
    if (
        Inspection.objects.filter(mine).exists()
        or Recommendation.objects.filter(raised_path__startswith=province.path).exists()
    ):
        return "Demo oversight: Thái Nguyên already has inspections or recommendations, none added."
    legacy_province = Unit.objects.filter(edition=Unit.Edition.LEGACY, code="19").first()
    legacy_town = Unit.objects.filter(edition=Unit.Edition.LEGACY, code="172", parent=legacy_province).first()
    communes = list(Unit.objects.current().filter(parent=province, level=Unit.Level.COMMUNE).order_by("code")[:2])
    if legacy_province is None or legacy_town is None or not communes:
        return "Demo oversight NOT seeded: the legacy province, thị xã Phổ Yên or the communes are missing."
    places = Places(
        root=Unit.objects.get(edition=Unit.Edition.CURRENT, code=Unit.ROOT_CODE),
        province=province,
        legacy_province=legacy_province,
        legacy_town=legacy_town,
        communes=(communes * 2)[:2],
    )
    users = {u.username: u for u in User.objects.filter(username__in=ACTORS.values())}
    actors = {side: users.get(name) for side, name in ACTORS.items()}
    today = timezone.localdate()
    with transaction.atomic():
        inspections = [_government_2021(places, actors), *_provincial(places, actors, today)]
        recommendations = _recommendations(places, actors, today, inspections[0])
    directives = Directive.objects.filter(inspection__in=inspections)
    overdue_d = directives.overdue_on(today).count()
    overdue_r = Recommendation.objects.filter(pk__in=[r.pk for r in recommendations]).overdue_on(today).count()
    return (
        f"Demo oversight: {len(inspections)} inspections (the Government's of 14/10/2021 and "
        f"{len(inspections) - 1} by the provincial committee), {directives.count()} directives ({overdue_d} overdue), "
        f"{len(recommendations)} recommendations ({overdue_r} overdue) for {province.name}."
    )


# --- Building rows ---------------------------------------------------------------------------------


def _inspection(body: str, by: Unit, inspected: list[Unit], starts_on: date, ends_on: date, **fields) -> Inspection:
    found = Inspection.objects.create(
        inspecting_body=body,
        inspecting_unit=by,
        unit_path=by.rollup_path,
        starts_on=starts_on,
        ends_on=ends_on,
        **fields,
    )
    for unit in inspected:
        InspectedUnit.objects.create(inspection=found, unit=unit, unit_path=unit.rollup_path)
    return found


def _directive(inspection: Inspection, text: str, unit: Unit, due_on: date, moves=(), actor=None) -> Directive:
    """A directive and its moves: (date, status, note) each, with one update per move."""
    found = Directive.objects.create(
        inspection=inspection,
        text=text,
        responsible_unit=unit,
        unit_path=unit.rollup_path,
        due_on=due_on,
        created_by=actor,
    )
    status = D.OPEN
    for on, to, note in moves:
        DirectiveUpdate.objects.create(directive=found, on=on, actor=actor, note=note, from_status=status, to_status=to)
        if to == D.IN_PROGRESS:
            found.started_on = on
        if to == D.DONE:
            found.done_on = on
            found.started_on = found.started_on or on
        status = to
    if moves:
        found.status = status
        found.save(update_fields=["status", "started_on", "done_on"])
    return found


def _recommendation(
    *, title: str, text: str, by: Unit, to: Unit, raised_on: date, inspection=None, actor=None
) -> Recommendation:
    found = Recommendation.objects.create(
        inspection=inspection,
        title=title,
        text=text,
        raised_by_unit=by,
        raised_path=by.rollup_path,
        raised_on=raised_on,
        addressed_to=to,
        addressed_path=to.rollup_path,
        due_on=raised_on + timedelta(days=REPLY_DAYS),
        created_by=actor,
    )
    RecommendationStep.objects.create(
        recommendation=found, kind=K.SUBMITTED, on=raised_on, actor=actor, from_unit=by, to_unit=to,
        to_path=to.rollup_path,
    )  # fmt: skip
    return found


def _review(found: Recommendation, on: date, actor=None) -> None:
    RecommendationStep.objects.create(
        recommendation=found, kind=K.REVIEW, on=on, actor=actor, to_unit=found.addressed_to,
        to_path=found.addressed_path, note="Giao Cơ quan thường trực nghiên cứu, tham mưu trả lời.",
    )  # fmt: skip
    found.status = R.UNDER_REVIEW
    found.save(update_fields=["status"])


def _forward(found: Recommendation, to: Unit, on: date, actor=None) -> None:
    RecommendationStep.objects.create(
        recommendation=found, kind=K.FORWARDED, on=on, actor=actor, from_unit=found.addressed_to, to_unit=to,
        to_path=to.rollup_path, note="Vượt thẩm quyền của tỉnh, chuyển Ban Chỉ đạo 138 của Chính phủ xem xét.",
    )  # fmt: skip
    found.addressed_to, found.addressed_path = to, to.rollup_path
    found.due_on = on + timedelta(days=REPLY_DAYS)
    found.save(update_fields=["addressed_to", "addressed_path", "due_on"])


def _answer(found: Recommendation, on: date, answer: str, declined: bool = False, actor=None) -> None:
    RecommendationStep.objects.create(
        recommendation=found, kind=K.DECLINED if declined else K.ANSWERED, on=on, actor=actor,
        to_unit=found.addressed_to, to_path=found.addressed_path, note=answer,
    )  # fmt: skip
    found.status = R.DECLINED if declined else R.ANSWERED
    found.answer, found.answered_on, found.answered_by = answer, on, actor
    found.save(update_fields=["status", "answer", "answered_on", "answered_by"])


# --- The 2021 Government inspection ----------------------------------------------------------------

ASSESSMENT_2021 = (
    "Đoàn ghi nhận tỉnh Thái Nguyên đã làm tốt công tác phòng, chống tội phạm và phòng, chống mua bán người "
    "trong năm: việc tuyên truyền và phong trào toàn dân bảo vệ an ninh Tổ quốc được đưa về tận cơ sở, chú "
    "trọng những địa bàn phức tạp về trật tự xã hội; các vụ án được điều tra, truy tố, xét xử đúng pháp luật, "
    "không có trường hợp oan, sai; tỷ lệ khám phá án vượt các chỉ tiêu Quốc hội giao, tội phạm được kiềm chế. "
    "Tại thị xã Phổ Yên, cấp ủy, chính quyền và các đoàn thể đã lãnh đạo, chỉ đạo sát sao và triển khai đồng "
    "bộ các mục tiêu phòng, chống tội phạm."
)
FINDINGS_2021 = (
    "Ban Chỉ đạo 138 tỉnh cần tiếp tục tham mưu cho Tỉnh ủy, UBND tỉnh các chương trình, kế hoạch phòng, "
    "chống tội phạm; làm mới cách tuyên truyền, phổ biến pháp luật, giúp người dân nhận biết các thủ đoạn "
    "phạm tội; để lực lượng Công an giữ vai trò nòng cốt, đi đầu; nhân rộng các mô hình hay. Thị xã Phổ Yên "
    "cần xử lý dứt điểm các vụ việc ngay tại cơ sở, không để hình thành điểm nóng, và duy trì các đợt cao "
    "điểm tấn công, truy quét tội phạm. Các kiến nghị của tỉnh được Đoàn tiếp nhận, tổng hợp để trình Ban "
    "Chỉ đạo 138 của Chính phủ trả lời."
)


def _government_2021(p: Places, actors: dict) -> Inspection:
    actor = actors["province"]
    visit = _inspection(
        GOVERNMENT,
        p.root,
        [p.legacy_province, p.legacy_town],
        VISIT_2021,
        VISIT_2021,
        topics=[Topic.CRIME_PREVENTION.value, Topic.TRAFFICKING.value],
        assessment=ASSESSMENT_2021,
        findings=FINDINGS_2021,
        rating=Inspection.Rating.GOOD,
        created_by=actors["nation"],
    )
    _directive(
        visit,
        "Đổi mới nội dung, hình thức tuyên truyền, giáo dục pháp luật; phổ biến rộng rãi các phương thức, "
        "thủ đoạn phạm tội để mọi tầng lớp nhân dân biết mà phòng ngừa.",
        p.legacy_province,
        date(2022, 3, 31),
        [
            (date(2021, 11, 15), D.IN_PROGRESS, "Ban hành kế hoạch tuyên truyền năm 2022, giao Công an tỉnh chủ trì."),
            (date(2022, 3, 25), D.DONE, "Đã phát sóng chuyên mục cảnh báo thủ đoạn lừa đảo trên Đài tỉnh hằng tuần."),
        ],
        actor,
    )
    _directive(
        visit,
        "Phát huy vai trò xung kích, nòng cốt của lực lượng Công an trong phòng, chống tội phạm.",
        p.legacy_province,
        date(2022, 6, 30),
        [(date(2022, 6, 20), D.DONE, "Công an tỉnh đã ký quy chế phối hợp với các sở, ngành và đoàn thể.")],
        actor,
    )
    # A programme that runs to the end of the current year: under way, not late.
    _directive(
        visit,
        "Tiếp tục nhân rộng các mô hình hay, cách làm hiệu quả trong phong trào toàn dân bảo vệ an ninh Tổ quốc.",
        p.province,
        date(timezone.localdate().year, 12, 31),
        [(date(2022, 1, 10), D.IN_PROGRESS, "Chọn 5 mô hình để nhân rộng ra các xã, phường.")],
        actor,
    )
    _directive(
        visit,
        "Giải quyết các vấn đề phát sinh ngay từ cơ sở, không để hình thành điểm nóng về an ninh, trật tự.",
        p.legacy_town,
        date(2022, 4, 30),
        [
            (date(2021, 12, 1), D.IN_PROGRESS, "Rà soát các vụ việc tồn đọng ở các xã, phường."),
            (date(2022, 4, 15), D.DONE, "Đã hòa giải, giải quyết xong các vụ việc tồn đọng."),
        ],
        actor,
    )
    # Never reported done: overdue.
    _directive(
        visit,
        "Thường xuyên mở các đợt cao điểm tấn công, truy quét tội phạm trên địa bàn thị xã.",
        p.legacy_town,
        date(2022, 6, 30),
        (),
        actor,
    )
    return visit


# --- Recent inspections by the provincial committee (dated from today) -----------------------------


def _provincial(p: Places, actors: dict, today: date) -> list[Inspection]:
    actor = actors["province"]
    first, second = p.communes
    spring = _inspection(
        PROVINCIAL,
        p.province,
        sorted({first, second}, key=lambda u: u.path),
        today - timedelta(days=50),
        today - timedelta(days=48),
        topics=[Topic.DRUGS.value, Topic.ALL_PEOPLE_MOVEMENT.value],
        assessment="Các xã đã xây dựng kế hoạch phòng, chống ma túy; phong trào toàn dân bảo vệ an ninh Tổ quốc "
        "được duy trì nhưng chưa đều ở các thôn, tổ dân phố.",
        findings="Còn người nghiện chưa được quản lý sau cai; một số tổ an ninh cơ sở hoạt động hình thức.",
        rating=Inspection.Rating.FAIR,
        created_by=actor,
    )
    _directive(
        spring,
        "Lập danh sách, phân công quản lý người sử dụng trái phép chất ma túy trên địa bàn.",
        first,
        today - timedelta(days=20),
        [
            (today - timedelta(days=40), D.IN_PROGRESS, "Đã rà soát xong 3 thôn."),
            (today - timedelta(days=22), D.DONE, "Hoàn thành danh sách và phân công quản lý."),
        ],
        actor,
    )
    _directive(
        spring,
        "Kiện toàn các tổ bảo vệ an ninh, trật tự ở cơ sở hoạt động chưa hiệu quả.",
        second,
        today + timedelta(days=5),
        [(today - timedelta(days=30), D.IN_PROGRESS, "Đang rà soát thành viên các tổ.")],
        actor,
    )
    _directive(
        spring,
        "Báo cáo kết quả khắc phục các tồn tại Đoàn kiểm tra đã chỉ ra.",
        first,
        today - timedelta(days=10),
        (),
        actor,
    )
    autumn = _inspection(
        PROVINCIAL,
        p.province,
        [second],
        today - timedelta(days=15),
        today - timedelta(days=15),
        topics=[Topic.CRIME_PREVENTION.value, Topic.CYBER.value],
        assessment="Công tác phòng ngừa lừa đảo qua mạng được triển khai, người dân bước đầu biết cách nhận diện.",
        findings="Chưa có số liệu theo dõi các vụ lừa đảo qua mạng xảy ra với người dân trên địa bàn.",
        rating=Inspection.Rating.GOOD,
        created_by=actor,
    )
    _directive(
        autumn,
        "Mở sổ theo dõi các vụ lừa đảo qua mạng, báo cáo hằng tháng về Cơ quan thường trực.",
        second,
        today + timedelta(days=20),
        (),
        actor,
    )
    return [spring, autumn]


# --- Recommendations -------------------------------------------------------------------------------


def _recommendations(p: Places, actors: dict, today: date, visit: Inspection) -> list[Recommendation]:
    province_actor, nation_actor = actors["province"], actors["nation"]
    first, second = p.communes
    made = []
    # Raised with the 2021 visit, answered by the central committee.
    funding = _recommendation(
        title="Hướng dẫn chế độ hỗ trợ lực lượng tham gia bảo vệ an ninh, trật tự ở cơ sở",
        text="Đề nghị có văn bản hướng dẫn thống nhất mức hỗ trợ cho lực lượng tham gia bảo vệ an ninh, "
        "trật tự ở cơ sở để địa phương bố trí kinh phí.",
        by=p.legacy_province,
        to=p.root,
        raised_on=VISIT_2021,
        inspection=visit,
        actor=province_actor,
    )
    _review(funding, date(2021, 10, 25), nation_actor)
    _answer(
        funding,
        date(2021, 11, 10),
        "Ban Chỉ đạo 138 của Chính phủ đã tổng hợp, đề nghị Bộ Công an phối hợp Bộ Tài chính hướng dẫn; "
        "trong thời gian chờ, địa phương áp dụng theo nghị quyết của HĐND tỉnh.",
        actor=nation_actor,
    )
    made.append(funding)
    # Raised with the 2021 visit, declined (and late).
    staff = _recommendation(
        title="Bổ sung biên chế cho Cơ quan thường trực Ban Chỉ đạo 138 cấp huyện",
        text="Đề nghị bổ sung biên chế chuyên trách cho Cơ quan thường trực Ban Chỉ đạo 138 các huyện, thị xã.",
        by=p.legacy_province,
        to=p.root,
        raised_on=VISIT_2021,
        inspection=visit,
        actor=province_actor,
    )
    _answer(
        staff,
        date(2021, 12, 2),
        "Không bổ sung biên chế riêng; địa phương bố trí trong tổng biên chế được giao.",
        declined=True,
        actor=nation_actor,
    )
    made.append(staff)
    # Recent, under review, within its deadline.
    criteria = _recommendation(
        title="Tiêu chí xác định địa bàn trọng điểm, phức tạp về trật tự xã hội sau sáp nhập",
        text="Đề nghị hướng dẫn tiêu chí xác định địa bàn trọng điểm, phức tạp phù hợp với xã, phường mới.",
        by=p.province,
        to=p.root,
        raised_on=today - timedelta(days=20),
        actor=province_actor,
    )
    _review(criteria, today - timedelta(days=12), nation_actor)
    made.append(criteria)
    # Recent, never taken up: overdue.
    made.append(
        _recommendation(
            title="Kinh phí in tài liệu tuyên truyền phòng, chống mua bán người",
            text="Đề nghị hỗ trợ kinh phí in tài liệu tuyên truyền phòng, chống mua bán người cho các xã biên giới, "
            "vùng sâu.",
            by=p.province,
            to=p.root,
            raised_on=today - timedelta(days=75),
            actor=province_actor,
        )
    )
    # From a commune to the province, forwarded to the central committee; due within days.
    camera = _recommendation(
        title="Cơ chế đầu tư camera an ninh tại các tuyến đường liên xã",
        text="Đề nghị có cơ chế hỗ trợ đầu tư hệ thống camera an ninh ở các tuyến đường liên xã.",
        by=first,
        to=p.province,
        raised_on=today - timedelta(days=35),
        actor=province_actor,
    )
    _forward(camera, p.root, today - timedelta(days=27), province_actor)
    made.append(camera)
    # A commune's proposal to the province after the recent inspection: overdue.
    made.append(
        _recommendation(
            title="Hỗ trợ phương tiện cho tổ bảo vệ an ninh, trật tự ở cơ sở",
            text="Đề nghị tỉnh hỗ trợ bộ đàm, đèn pin và áo phản quang cho các tổ bảo vệ an ninh, trật tự.",
            by=second,
            to=p.province,
            raised_on=today - timedelta(days=47),
            actor=province_actor,
        )
    )
    # Answered by the province.
    drugs = _recommendation(
        title="Tập huấn nhận diện người sử dụng ma túy tổng hợp",
        text="Đề nghị Công an tỉnh mở lớp tập huấn nhận diện người sử dụng ma túy tổng hợp cho công an xã.",
        by=first,
        to=p.province,
        raised_on=today - timedelta(days=46),
        actor=province_actor,
    )
    _answer(
        drugs, today - timedelta(days=30), "Công an tỉnh tổ chức lớp tập huấn trong tháng tới.", actor=province_actor
    )
    made.append(drugs)
    return made
