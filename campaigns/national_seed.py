"""`seed_national`'s campaign records: a Tết crackdown per province per winter, hotspots, propaganda, models.

In proportion to the number of cases (SCALE = cases / 1,000,000; at a million about 20 hotspots, 3
propaganda programs with ~600 activities and 5 good-practice models per province, by population).
Units follow the rule the services apply: a record dated before 1 July 2025 sits on a legacy commune,
a later one on a current commune; paths are the unit's roll-up path. Cases are linked with one UPDATE
per campaign and per hotspot (a campaign takes 70% of its province's counted social-order and drugs
cases in its window, chosen by id; a hotspot up to 12 cases of its kind in its commune).
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection, transaction

from cases.models import Case, CrimeLine
from cases.national_seed import POPULATION, Progress, delete_rows, load_provinces, window
from cases.services import REFORM_DATE

from .demo_texts import (
    BRANCHES,
    EVALUATIONS,
    FORMATS,
    HOTSPOTS,
    KIND_ARTICLES,
    KIND_DESCRIPTIONS,
    MODELS,
    PROGRAMS,
    REMEDIATION_NOTE,
    RESOLVED_NOTE,
    RESULT_NOTES,
    STEMS,
)
from .models import (
    Campaign,
    CampaignResult,
    CampaignTarget,
    GoodPracticeModel,
    Hotspot,
    HotspotEvent,
    ModelEvaluation,
    ModelReplication,
    PropagandaActivity,
    PropagandaProgram,
    ResultKind,
)

HOTSPOTS_PER_PROVINCE = 20  # on average, at a million cases
PROGRAMS_PER_PROVINCE = 3
ACTIVITIES_PER_PROVINCE = 600
MODELS_PER_PROVINCE = 5
FOCUS_LINES = [CrimeLine.SOCIAL_ORDER.value, CrimeLine.DRUGS.value]
LINK_PERCENT = 7  # in tenths: cases with id % 10 < 7 are credited to the campaign
HOTSPOT_CASES = 12
LEAD_IN = 180
H = Hotspot.Status


def exists() -> bool:
    return any(m.objects.exists() for m in (Campaign, Hotspot, PropagandaProgram, GoodPracticeModel))


def clear() -> None:
    with transaction.atomic():
        Case.objects.exclude(campaign=None, hotspot=None).update(campaign=None, hotspot=None)
        delete_rows(
            *(Campaign._meta.get_field(f).remote_field.through for f in ("scope_units", "focus_categories")),
            Campaign.focus_hotspots.through,
            CampaignTarget,
            CampaignResult,
            Campaign,
            HotspotEvent,
            Hotspot,
            PropagandaActivity,
            PropagandaProgram,
            ModelReplication,
            ModelEvaluation,
            GoodPracticeModel,
        )


def _between(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange(max(0, (end - start).days) + 1))


def _share(rng: random.Random, per_province: int, scale: float, weight: float) -> int:
    """How many of a kind a province gets: per_province × scale × its population share × 34, at least 1."""
    return max(1, round(per_province * scale * weight))


class Seeder:
    def __init__(self, *, cases: int, seed: int, today: date) -> None:
        self.rng = random.Random(f"campaigns-{seed}")
        self.scale = cases / 1_000_000
        self.first, self.last = window(today)
        self.provinces = load_provinces()
        total = sum(POPULATION.get(p.code, 1000) for p in self.provinces)
        self.weights = {p.pk: POPULATION.get(p.code, 1000) * len(self.provinces) / total for p in self.provinces}
        self.articles = dict(Case.category.field.related_model.objects.values_list("article", "pk"))

    def places(self, province, on: date):
        return province.legacy if on < REFORM_DATE else province.current

    def pick(self, province, on: date):
        places = self.places(province, on)
        return places[self.rng.randrange(len(places))]

    # --- Hotspots ---------------------------------------------------------------------------------

    def hotspots(self) -> dict[int, list[Hotspot]]:
        rng, last = self.rng, self.last
        created: dict[int, list[Hotspot]] = {}
        rows = []
        for province in self.provinces:
            for _ in range(_share(rng, HOTSPOTS_PER_PROVINCE, self.scale, self.weights[province.pk])):
                kind, template = HOTSPOTS[rng.randrange(len(HOTSPOTS))]
                identified = _between(rng, self.first + timedelta(days=LEAD_IN), last - timedelta(days=7))
                place = self.pick(province, identified)
                started = resolved = None
                age = (last - identified).days
                if age > 60:
                    started = identified + timedelta(days=rng.randrange(10, 60))
                    if age > 400 and rng.random() < 0.75:
                        resolved = min(started + timedelta(days=rng.randrange(300, 720)), last)
                status = H.RESOLVED if resolved else H.UNDER_REMEDIATION if started else H.IDENTIFIED
                short = place.name.split(" ", 1)[-1].title() if " " in place.name else place.name
                hamlet = (
                    f"tổ dân phố {rng.randrange(1, 25)}"
                    if place.name.startswith("phường")
                    else f"xóm {rng.randrange(1, 25)}"
                )
                hotspot = Hotspot(
                    unit_id=place.pk,
                    unit_path=place.rollup_path,
                    kind=kind,
                    name=template.format(hamlet=hamlet, commune=place.name, short=short)[:255],
                    description=KIND_DESCRIPTIONS[kind],
                    status=status,
                    identified_on=identified,
                    remediation_started_on=started,
                    resolved_on=resolved,
                    version=1 + bool(started) + bool(resolved),
                )
                hotspot.province_pk = province.pk
                hotspot.place = place
                rows.append(hotspot)
        Hotspot.objects.bulk_create(rows, batch_size=2000)
        events = []
        for h in rows:
            created.setdefault(h.province_pk, []).append(h)
            events.append(HotspotEvent(hotspot=h, kind="created", to_status=H.IDENTIFIED, on=h.identified_on))
            moves = [(H.IDENTIFIED, H.UNDER_REMEDIATION, h.remediation_started_on, REMEDIATION_NOTE)]
            moves.append((H.UNDER_REMEDIATION, H.RESOLVED, h.resolved_on, RESOLVED_NOTE))
            for frm, to, on, note in moves:
                if on:
                    events.append(
                        HotspotEvent(hotspot=h, kind="status", from_status=frm, to_status=to, on=on, note=note)
                    )
        HotspotEvent.objects.bulk_create(events, batch_size=2000)
        self.link_hotspots(rows)
        return created

    def link_hotspots(self, hotspots: list[Hotspot]) -> int:
        table = connection.ops.quote_name(Case._meta.db_table)
        linked = 0
        with connection.cursor() as cursor:
            for h in hotspots:
                categories = [self.articles[a] for a in KIND_ARTICLES.get(h.kind, ()) if a in self.articles]
                if not categories:
                    continue
                start = h.identified_on - timedelta(days=LEAD_IN)
                end = h.resolved_on or self.last
                if h.identified_on < REFORM_DATE:  # a legacy commune: its own cases, then its successor's
                    where, params = (
                        "(unit_id = %s OR (unit_path = %s AND recorded_on >= %s))",
                        [
                            h.unit_id,
                            h.place.rollup_path,
                            REFORM_DATE,
                        ],
                    )
                else:
                    where, params = "unit_path = %s", [h.unit_path]
                marks = ", ".join(["%s"] * len(categories))
                cursor.execute(
                    f"UPDATE {table} SET hotspot_id = %s WHERE id IN (SELECT id FROM {table} WHERE {where} "  # noqa: S608
                    f"AND recorded_on BETWEEN %s AND %s AND category_id IN ({marks}) AND hotspot_id IS NULL "
                    f"AND status <> %s ORDER BY id LIMIT {HOTSPOT_CASES})",
                    [h.pk, *params, start, end, *categories, Case.Status.NOT_CRIMINAL],
                )
                linked += cursor.rowcount
        return linked

    # --- Campaigns --------------------------------------------------------------------------------

    def campaigns(self, hotspots: dict[int, list[Hotspot]]) -> tuple[int, int]:
        rng, last = self.rng, self.last
        campaigns, plans = [], []
        for province in self.provinces:
            for year in range(self.first.year - 1, last.year + 1):
                starts, ends = date(year, 12, 15), date(year + 1, 2, 28)
                if starts < self.first or starts > last:
                    continue
                tet = year + 1
                campaign = Campaign(
                    name=f"Đợt cao điểm tấn công, trấn áp tội phạm dịp Tết Nguyên đán {STEMS[tet % 10]} "
                    f"{BRANCHES[(tet - 4) % 12]} {tet}",
                    lead_unit_id=province.pk,
                    unit_path=province.path,
                    starts_on=starts,
                    ends_on=ends,
                    description="Kế hoạch của Ban Chỉ đạo 138 tỉnh: tập trung tấn công, trấn áp tội phạm về trật tự "
                    f"xã hội và ma túy, bảo đảm an ninh, trật tự để nhân dân vui Xuân, đón Tết {tet}.",
                    focus_lines=FOCUS_LINES,
                )
                campaigns.append(campaign)
                plans.append((province, starts, min(ends, last)))
        Campaign.objects.bulk_create(campaigns, batch_size=1000)
        table = connection.ops.quote_name(Case._meta.db_table)
        through = Campaign.focus_hotspots.through
        focus, targets, results = [], [], []
        linked = 0
        with connection.cursor() as cursor:
            for campaign, (province, starts, until) in zip(campaigns, plans, strict=True):
                cursor.execute(
                    f"UPDATE {table} SET campaign_id = %s WHERE unit_path LIKE %s AND recorded_on BETWEEN %s AND %s "  # noqa: S608
                    f"AND line IN (%s, %s) AND status <> %s AND id %% 10 < {LINK_PERCENT}",
                    [campaign.pk, province.path + "%", starts, until, *FOCUS_LINES, Case.Status.NOT_CRIMINAL],
                )
                linked += max(cursor.rowcount, 0)
                active = [
                    h
                    for h in hotspots.get(province.pk, [])
                    if h.kind not in (Hotspot.Kind.OTHER, Hotspot.Kind.TRAFFICKING)
                    and h.identified_on <= campaign.ends_on
                    and (h.resolved_on is None or h.resolved_on >= starts)
                ]
                for h in rng.sample(active, min(len(active), rng.randrange(2, 5))):
                    focus.append(through(campaign_id=campaign.pk, hotspot_id=h.pk))
                cases_target = max(1, round(cursor.rowcount / LINK_PERCENT * 10 * rng.uniform(0.8, 1.05)))
                targets.append(CampaignTarget(campaign=campaign, kind=ResultKind.CASES_CLEARED, value=cases_target))
                targets.append(
                    CampaignTarget(campaign=campaign, kind=ResultKind.WANTED_CAUGHT, value=rng.randrange(3, 15))
                )
                if until < starts:
                    continue
                for kind in list(RESULT_NOTES)[: rng.randrange(3, len(RESULT_NOTES) + 1)]:
                    quantity = (
                        Decimal(f"{rng.uniform(15, 450):.1f}")
                        if kind == ResultKind.DRUGS_GRAMS
                        else Decimal(rng.randrange(1, 5))
                    )
                    place = self.pick(province, starts)
                    results.append(
                        CampaignResult(
                            campaign=campaign,
                            unit_id=place.pk,
                            unit_path=place.rollup_path,
                            on=_between(rng, starts, until),
                            kind=kind,
                            quantity=quantity,
                            note=RESULT_NOTES[kind].format(q=f"{quantity:g}".replace(".", ",")),
                        )
                    )
        through.objects.bulk_create(focus, batch_size=2000)
        CampaignTarget.objects.bulk_create(targets, batch_size=2000)
        CampaignResult.objects.bulk_create(results, batch_size=2000)
        return len(campaigns), linked

    # --- Propaganda -------------------------------------------------------------------------------

    def propaganda(self) -> tuple[int, int]:
        rng, last = self.rng, self.last
        formats, weights = list(FORMATS), [f[0] for f in FORMATS.values()]
        programs, plans = [], []
        for province in self.provinces:
            n_activities = _share(rng, ACTIVITIES_PER_PROVINCE, self.scale, self.weights[province.pk])
            chosen = rng.sample(PROGRAMS, min(PROGRAMS_PER_PROVINCE, len(PROGRAMS)))
            for title, topics, _a, _b, audience in chosen:
                starts = _between(rng, self.first, last - timedelta(days=365))
                ends = starts + timedelta(days=rng.randrange(365, 5 * 365))
                until = min(ends, last)
                count = max(1, n_activities // len(chosen))
                program = PropagandaProgram(
                    title=title.format(a=starts.year, b=ends.year),
                    unit_id=province.pk,
                    unit_path=province.path,
                    starts_on=starts,
                    ends_on=ends,
                    topics=[t.value for t in topics],
                    audience=audience,
                    planned_activities=count,
                    planned_reach=count * 400,
                    description="Chương trình của Ban Chỉ đạo 138 tỉnh, triển khai đến các xã, phường.",
                )
                programs.append(program)
                plans.append((province, starts, until, count))
        PropagandaProgram.objects.bulk_create(programs, batch_size=1000)
        activities = []
        for program, (province, starts, until, count) in zip(programs, plans, strict=True):
            for _ in range(count):
                on = _between(rng, starts, until)
                place = self.pick(province, on)
                fmt = rng.choices(formats, weights=weights)[0]
                _w, (lo, hi), (mlo, mhi), note = FORMATS[fmt]
                hamlet = f"xóm {rng.randrange(1, 25)}"
                activities.append(
                    PropagandaActivity(
                        program=program,
                        on=on,
                        unit_id=place.pk,
                        unit_path=place.rollup_path,
                        format=fmt,
                        topic=rng.choice(program.topics),
                        audience=rng.randint(lo, hi),
                        materials=rng.randint(mlo, mhi),
                        note=note.format(hamlet=hamlet),
                        version=1,
                    )
                )
        PropagandaActivity.objects.bulk_create(activities, batch_size=2000)
        return len(programs), len(activities)

    # --- Good-practice models ---------------------------------------------------------------------

    def models(self) -> tuple[int, int]:
        rng, last = self.rng, self.last
        models, plans = [], []
        S = GoodPracticeModel.Status
        for province in self.provinces:
            for _ in range(_share(rng, MODELS_PER_PROVINCE, self.scale, self.weights[province.pk])):
                name, field, _ago, to_effective, copies, mark = MODELS[rng.randrange(len(MODELS))]
                started = _between(rng, self.first, last - timedelta(days=30))
                place = self.pick(province, started)
                effective = started + timedelta(days=to_effective) if to_effective else None
                if effective and effective > last:
                    effective = None
                replications = []
                day = effective
                taken = {place.rollup_path}  # model_replicate: one replication per unit, not the model's own
                for _ in range(copies if effective else 0):
                    day = min(day + timedelta(days=rng.randrange(30, 150)), last)
                    target = self.pick(province, day)
                    if target.rollup_path not in taken and target.pk not in {p.pk for p, _d in replications}:
                        taken.add(target.rollup_path)
                        replications.append((target, day))
                replicated = day if mark and replications else None
                status = S.REPLICATED if replicated else S.EFFECTIVE if effective else S.PILOT
                models.append(
                    GoodPracticeModel(
                        unit_id=place.pk,
                        unit_path=place.rollup_path,
                        name=f"Mô hình “{name}”",
                        field=field,
                        started_on=started,
                        description=f"Khởi xướng tại {place.name}; huy động người dân cùng lực lượng Công an tham gia.",
                        status=status,
                        effective_on=effective,
                        replicated_on=replicated,
                        version=1 + bool(effective) + bool(replicated),
                    )
                )
                plans.append((province, replications, effective or min(started + timedelta(days=150), last)))
        GoodPracticeModel.objects.bulk_create(models, batch_size=1000)
        copies_rows, reviews = [], []
        for model, (province, replications, reviewed) in zip(models, plans, strict=True):
            for place, day in replications:
                copies_rows.append(ModelReplication(model=model, unit_id=place.pk, replicated_on=day))
            text, rating = EVALUATIONS[1 if model.effective_on else 2]
            reviews.append(
                ModelEvaluation(
                    model=model,
                    on=reviewed,
                    evaluator="Ban Chỉ đạo 138 tỉnh",
                    evaluator_unit_id=province.pk,
                    text=text,
                    rating=rating,
                )
            )
        ModelReplication.objects.bulk_create(copies_rows, batch_size=2000)
        ModelEvaluation.objects.bulk_create(reviews, batch_size=2000)
        return len(models), len(copies_rows)


def seed(*, cases: int, seed: int, today: date, progress: Progress) -> str:
    seeder = Seeder(cases=cases, seed=seed, today=today)
    progress("campaigns", 0, 4)
    with transaction.atomic():
        hotspots = seeder.hotspots()
        progress("campaigns", 1, 4)
        campaigns, linked = seeder.campaigns(hotspots)
        progress("campaigns", 2, 4)
        programs, activities = seeder.propaganda()
        progress("campaigns", 3, 4)
        models, replications = seeder.models()
        progress("campaigns", 4, 4)
    n_hotspots = sum(len(v) for v in hotspots.values())
    return (
        f"National campaigns: {campaigns:,} Tết campaigns ({linked:,} cases linked), {n_hotspots:,} hotspots, "
        f"{programs:,} propaganda programs with {activities:,} activities, {models:,} good-practice models "
        f"({replications:,} replications)."
    )
