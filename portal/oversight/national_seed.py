"""`seed_national`'s oversight records: inspections with directives, and recommendations, in proportion to cases.

At a million cases: about 300 inspections (the central committee inspecting provinces, provincial
committees inspecting communes), 2–4 directives each with their updates, and about 400 recommendations
raised by provinces and communes, in every state. Units follow the 1 July 2025 rule (a record dated
before it names legacy units); paths are the roll-up paths the services write (a recommendation's
addressed path is the unit's own path, as `recommendation_submit` writes it).
"""

import random
from datetime import date, timedelta

from django.db import transaction

from cases.national_seed import Progress, delete_rows, load_provinces, window
from cases.services import REFORM_DATE
from portal.units.models import Unit

from .models import (
    Directive,
    DirectiveUpdate,
    InspectedUnit,
    Inspection,
    InspectionDocument,
    Recommendation,
    RecommendationStep,
    Topic,
)

INSPECTIONS = 300  # at a million cases
RECOMMENDATIONS = 400
REPLY_DAYS = 30
D = Directive.Status
R = Recommendation.Status
K = RecommendationStep.Kind
DIRECTIVES = [
    "Rà soát, chuyển hóa các địa bàn trọng điểm, phức tạp về trật tự xã hội; báo cáo kết quả về Ban Chỉ đạo.",
    "Tăng cường tuyên truyền phòng, chống tội phạm lừa đảo qua mạng đến từng khu dân cư.",
    "Kiện toàn Tổ tự quản phòng, chống ma túy ở các thôn, tổ dân phố còn thiếu.",
    "Giải quyết dứt điểm các tin báo tồn đọng, bảo đảm đúng thời hạn luật định.",
    "Xây dựng kế hoạch nhân rộng mô hình tự quản về an ninh, trật tự có hiệu quả.",
]
RECOMMENDATION_TEXTS = [
    ("Bổ sung kinh phí cho lực lượng tham gia bảo vệ an ninh, trật tự ở cơ sở",
     "Đề nghị xem xét bổ sung kinh phí hỗ trợ lực lượng tham gia bảo vệ an ninh, trật tự ở cơ sở."),
    ("Hướng dẫn thống kê tội phạm sau sắp xếp đơn vị hành chính",
     "Đề nghị hướng dẫn cách thống kê, so sánh số liệu tội phạm giữa đơn vị hành chính cũ và mới."),
    ("Tăng cường phối hợp ngăn chặn lừa đảo qua mạng",
     "Đề nghị chỉ đạo các doanh nghiệp viễn thông, ngân hàng phối hợp ngăn chặn tài khoản lừa đảo."),
    ("Cơ sở cai nghiện ma túy",
     "Đề nghị bố trí thêm chỗ tại cơ sở cai nghiện ma túy cho người nghiện trên địa bàn."),
]  # fmt: skip
ANSWER = "Ban Chỉ đạo đã tiếp thu, giao cơ quan chuyên môn hướng dẫn thực hiện."


def exists() -> bool:
    return Inspection.objects.exists() or Recommendation.objects.exists()


def clear() -> None:
    delete_rows(
        RecommendationStep,
        Recommendation,
        DirectiveUpdate,
        Directive,
        InspectionDocument,
        InspectedUnit,
        Inspection,
    )


class Seeder:
    def __init__(self, *, cases: int, seed: int, today: date) -> None:
        self.rng = random.Random(f"oversight-{seed}")
        self.scale = cases / 1_000_000
        self.first, self.last = window(today)
        self.provinces = load_provinces()
        self.root = Unit.objects.get(level=Unit.Level.NATIONAL)
        legacy = Unit.objects.filter(edition=Unit.Edition.LEGACY, level=Unit.Level.PROVINCE)
        self.legacy_provinces: dict[str, list[tuple[int, str]]] = {}
        self.own_paths = {self.root.pk: self.root.path} | {p.pk: p.path for p in self.provinces}
        for unit in legacy.values("pk", "rollup_path", "path"):
            self.legacy_provinces.setdefault(unit["rollup_path"], []).append((unit["pk"], unit["rollup_path"]))
            self.own_paths[unit["pk"]] = unit["path"]

    def province_unit(self, province, on: date) -> tuple[int, str]:
        """The province on the list in force on `on`: a legacy province merged into it, or itself."""
        if on < REFORM_DATE and self.legacy_provinces.get(province.path):
            olds = self.legacy_provinces[province.path]
            return olds[self.rng.randrange(len(olds))]
        return province.pk, province.path

    def commune(self, province, on: date) -> tuple[int, str]:
        places = province.legacy if on < REFORM_DATE else province.current
        place = places[self.rng.randrange(len(places))]
        return place.pk, place.rollup_path

    def inspections(self) -> tuple[int, int]:
        rng, last = self.rng, self.last
        topics = [t.value for t in Topic]
        rows, plans = [], []
        for _ in range(max(len(self.provinces) // 3, round(INSPECTIONS * self.scale))):
            province = self.provinces[rng.randrange(len(self.provinces))]
            starts = self.first + timedelta(days=rng.randrange((last - self.first).days - 5))
            ends = starts + timedelta(days=rng.randrange(1, 5))
            national = rng.random() < 0.3
            if national:
                body, by_pk, by_path = "Đoàn kiểm tra của Ban Chỉ đạo 138 của Chính phủ", self.root.pk, self.root.path
                inspected = [self.province_unit(province, starts)]
            else:
                body, (by_pk, by_path) = "Ban Chỉ đạo 138 tỉnh", self.province_unit(province, starts)
                inspected = list({self.commune(province, starts) for _ in range(rng.randrange(1, 4))})
            rows.append(
                Inspection(
                    inspecting_body=body,
                    inspecting_unit_id=by_pk,
                    unit_path=by_path,
                    starts_on=starts,
                    ends_on=ends,
                    topics=rng.sample(topics, rng.randrange(1, 4)),
                    assessment="Đơn vị đã triển khai nghiêm túc công tác phòng, chống tội phạm; tội phạm được kiềm chế",
                    findings="Cần tiếp tục chuyển hóa địa bàn phức tạp và nâng cao tỷ lệ khám phá án.",
                    rating=rng.choice(["excellent", "good", "good", "fair", "weak"]),
                )
            )
            plans.append(inspected)
        Inspection.objects.bulk_create(rows, batch_size=1000)
        inspected_rows, directives, moves = [], [], []
        for inspection, inspected in zip(rows, plans, strict=True):
            for pk, path in inspected:
                inspected_rows.append(InspectedUnit(inspection=inspection, unit_id=pk, unit_path=path))
            for _ in range(rng.randrange(2, 5)):
                pk, path = inspected[rng.randrange(len(inspected))]
                due = inspection.ends_on + timedelta(days=rng.randrange(30, 180))
                directive = Directive(
                    inspection=inspection,
                    text=DIRECTIVES[rng.randrange(len(DIRECTIVES))],
                    responsible_unit_id=pk,
                    unit_path=path,
                    due_on=due,
                )
                steps = []
                started = inspection.ends_on + timedelta(days=rng.randrange(5, 40))
                if started <= last and rng.random() < 0.9:
                    steps.append((started, D.OPEN, D.IN_PROGRESS, "Đã xây dựng kế hoạch thực hiện."))
                    directive.started_on, directive.status = started, D.IN_PROGRESS
                    done = started + timedelta(days=rng.randrange(20, 200))
                    if done <= last and rng.random() < 0.85:
                        steps.append((done, D.IN_PROGRESS, D.DONE, "Đã hoàn thành, có báo cáo kết quả."))
                        directive.done_on, directive.status = done, D.DONE
                directive.version = 1 + len(steps)
                directives.append(directive)
                moves.append(steps)
        InspectedUnit.objects.bulk_create(inspected_rows, batch_size=2000)
        Directive.objects.bulk_create(directives, batch_size=2000)
        DirectiveUpdate.objects.bulk_create(
            [
                DirectiveUpdate(directive=d, on=on, from_status=frm, to_status=to, note=note)
                for d, steps in zip(directives, moves, strict=True)
                for on, frm, to, note in steps
            ],
            batch_size=2000,
        )
        return len(rows), len(directives)

    def recommendations(self) -> int:
        rng, last = self.rng, self.last
        rows, plans = [], []
        for _ in range(max(len(self.provinces) // 3, round(RECOMMENDATIONS * self.scale))):
            province = self.provinces[rng.randrange(len(self.provinces))]
            raised = self.first + timedelta(days=rng.randrange((last - self.first).days))
            if rng.random() < 0.5:  # a province to the central committee
                (by_pk, by_path), to = self.province_unit(province, raised), (self.root.pk, self.root.path)
            else:  # a commune to its province
                (by_pk, by_path), to = self.commune(province, raised), self.province_unit(province, raised)
            to = (to[0], self.own_paths[to[0]])  # recommendation_submit addresses the unit's own path
            title, text = RECOMMENDATION_TEXTS[rng.randrange(len(RECOMMENDATION_TEXTS))]
            recommendation = Recommendation(
                title=title,
                text=text,
                raised_by_unit_id=by_pk,
                raised_path=by_path,
                raised_on=raised,
                addressed_to_id=to[0],
                addressed_path=to[1],
                due_on=raised + timedelta(days=REPLY_DAYS),
            )
            steps = [(K.SUBMITTED, raised, by_pk, to, "")]
            review = raised + timedelta(days=rng.randrange(1, 10))
            if review <= last and rng.random() < 0.9:
                steps.append((K.REVIEW, review, None, to, "Giao Cơ quan thường trực nghiên cứu, tham mưu trả lời."))
                recommendation.status = R.UNDER_REVIEW
                answered = review + timedelta(days=rng.randrange(5, 60))
                if answered <= last and rng.random() < 0.85:
                    declined = rng.random() < 0.1
                    steps.append((K.DECLINED if declined else K.ANSWERED, answered, None, to, ANSWER))
                    recommendation.status = R.DECLINED if declined else R.ANSWERED
                    recommendation.answer, recommendation.answered_on = ANSWER, answered
            recommendation.version = len(steps)
            rows.append(recommendation)
            plans.append(steps)
        Recommendation.objects.bulk_create(rows, batch_size=1000)
        RecommendationStep.objects.bulk_create(
            [
                RecommendationStep(
                    recommendation=r, kind=kind, on=on, from_unit_id=frm, to_unit_id=to[0], to_path=to[1], note=note
                )
                for r, steps in zip(rows, plans, strict=True)
                for kind, on, frm, to, note in steps
            ],
            batch_size=2000,
        )
        return len(rows)


def seed(*, cases: int, seed: int, today: date, progress: Progress) -> str:
    seeder = Seeder(cases=cases, seed=seed, today=today)
    progress("oversight", 0, 2)
    with transaction.atomic():
        inspections, directives = seeder.inspections()
        progress("oversight", 1, 2)
        recommendations = seeder.recommendations()
        progress("oversight", 2, 2)
    return (
        f"National oversight: {inspections:,} inspections with {directives:,} directives, "
        f"{recommendations:,} recommendations."
    )
