"""Demo campaigns for `seed_demo`: Tết crackdowns, hotspots, propaganda and good-practice models in Thái Nguyên."""

import math
import random
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cases.demo import REFORM, START
from cases.models import Case, CrimeLine, Party
from portal.accounts.models import User
from portal.units.models import Unit

from .demo_texts import (
    ACTIVITIES_PER_DAY,
    BRANCHES,
    DISTRICT_CENTRES,
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
    PropagandaActivity,
    PropagandaProgram,
    ResultKind,
)
from .services import (
    hotspot_create,
    hotspot_transition,
    model_create,
    model_evaluate,
    model_replicate,
    model_transition,
)

K = Hotspot.Kind
R = ResultKind
DEMO_SEED = 138
ACTOR = "tn.thuongtruc"  # the demo standing officer of Thái Nguyên (seed_demo creates it first)
FOCUS_LINES = [CrimeLine.SOCIAL_ORDER.value, CrimeLine.DRUGS.value]
LINK_SHARE = 0.7  # of the focus-line cases recorded in a campaign window, those credited to the campaign
HOTSPOT_CASES = 12  # at most, per hotspot
LEAD_IN = 180  # days before a hotspot is identified whose cases count towards it


@dataclass
class Area:
    """Thái Nguyên's communes on each unit list, and the old district each lies in (for map pins)."""

    province: Unit
    legacy: list[Unit]  # communes of the pre-reform province: where records dated before the reform sit
    current: list[Unit]  # communes of the current province
    district_of: dict[str, str]  # unit path (legacy commune, or current commune it became) -> legacy district code

    @classmethod
    def load(cls, province: Unit) -> "Area":
        old = Unit.objects.get(edition=Unit.Edition.LEGACY, code=province.code)
        legacy = list(Unit.objects.filter(parent__parent=old, level=Unit.Level.COMMUNE).select_related("parent"))
        current = list(Unit.objects.current().filter(parent=province, level=Unit.Level.COMMUNE))
        district_of = {}
        for unit in legacy:
            district_of[unit.path] = unit.parent.code
            district_of.setdefault(unit.rollup_path, unit.parent.code)
        return cls(province, legacy, current, district_of)

    def communes_on(self, on: date) -> list[Unit]:
        # As cases.demo does: the unit list in force on the record's date.
        return self.legacy if on < REFORM else self.current


def seed(stdout=None) -> str:
    """Seed Thái Nguyên's campaign records once (a province that already has any is left alone)."""
    province = Unit.objects.current().get(code="19")
    mine = Q(unit_path__startswith=province.path)
    if any(m.objects.filter(mine).exists() for m in (Campaign, Hotspot, PropagandaProgram, GoodPracticeModel)):
        return "Demo campaigns: Thái Nguyên already has campaigns, hotspots, programs or models, none added."
    actor = User.objects.filter(username=ACTOR, unit=province).first()
    if actor is None:
        return f"Demo campaigns NOT seeded: the demo user {ACTOR} is missing."
    rng = random.Random(DEMO_SEED)
    last = timezone.localdate() - timedelta(days=1)  # the latest date any record gets, as for the demo cases
    area = Area.load(province)
    with transaction.atomic():
        hotspots, hotspot_cases = _hotspots(rng, area, actor, last)
        campaigns, targets, results, campaign_cases = _campaigns(rng, area, actor, last, hotspots)
        programs, activities = _propaganda(rng, area, actor, last)
        models, replications, evaluations = _models(rng, area, actor, last)
    return (
        f"Demo campaigns: {campaigns} Tết campaigns ({targets} targets, {results} results, {campaign_cases} cases "
        f"linked), {len(hotspots)} hotspots ({hotspot_cases} cases linked), {programs} propaganda programs with "
        f"{activities} activities, {models} good-practice models ({replications} replications, {evaluations} "
        f"evaluations) for {province.name}."
    )


def _between(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange((end - start).days + 1))


def _hamlet(rng: random.Random, unit: Unit) -> str:
    urban = unit.kind in (Unit.Kind.WARD, Unit.Kind.TOWNSHIP)
    return f"{'tổ dân phố' if urban else 'xóm'} {rng.randrange(1, 25)}"


def _inline(unit: Unit) -> str:
    """The unit's name inside a sentence: "xã Tân Cương", not "Xã Tân Cương"."""
    return unit.name[0].lower() + unit.name[1:]


def _short(unit: Unit) -> str:
    for prefix in ("Thị trấn ", "Phường ", "Xã ", "Đặc khu "):
        if unit.name.startswith(prefix):
            return unit.name.removeprefix(prefix)
    return unit.name


# --- Hotspots ------------------------------------------------------------------------------------


def _hotspots(rng: random.Random, area: Area, actor: User, last: date) -> tuple[list[Hotspot], int]:
    """Hotspots where the demo cases of their kind concentrate, each with the cases around it linked."""
    cases = list(
        Case.objects.counted()
        .filter(unit_path__startswith=area.province.path)
        .order_by("recorded_on", "pk")
        .values_list("pk", "unit_id", "unit_path", "recorded_on", "category__article", named=True)
    )
    S = Hotspot.Status
    plan = [(S.RESOLVED, k, 7) for k in range(7)] + [(S.UNDER_REMEDIATION, k, 8) for k in range(8)]
    plan += [(S.IDENTIFIED, k, 5) for k in range(5)]
    rng.shuffle(plan)
    unpinned = set(rng.sample(range(len(HOTSPOTS)), 3))
    used: set[str] = set()
    linked: set[int] = set()
    hotspots = []
    for i, ((kind, name), (status, slot, slots)) in enumerate(zip(HOTSPOTS, plan, strict=True)):
        identified, started, resolved = _hotspot_dates(rng, status, slot / slots, (slot + 1) / slots, last)
        window = (identified - timedelta(days=LEAD_IN), resolved or last)
        nearby = [c for c in cases if c.pk not in linked and window[0] <= c.recorded_on <= window[1]]
        unit = _hotspot_unit(rng, kind, identified, area, nearby, used)
        used.add(unit.rollup_path)
        latitude = longitude = None
        if i not in unpinned:
            lat, lon = DISTRICT_CENTRES[area.district_of[unit.path]]
            latitude = Decimal(f"{min(max(lat + rng.uniform(-0.03, 0.03), 21.3), 22.0):.6f}")
            longitude = Decimal(f"{min(max(lon + rng.uniform(-0.03, 0.03), 105.5), 106.2):.6f}")
        hotspot = hotspot_create(
            actor=actor,
            unit=unit,
            kind=kind,
            name=name.format(hamlet=_hamlet(rng, unit), commune=_inline(unit), short=_short(unit)),
            identified_on=identified,
            description=KIND_DESCRIPTIONS[kind],
            latitude=latitude,
            longitude=longitude,
            note="Phát hiện qua tin báo của quần chúng nhân dân và rà soát địa bàn của Công an cơ sở.",
        )
        for to, on, note in ((S.UNDER_REMEDIATION, started, REMEDIATION_NOTE), (S.RESOLVED, resolved, RESOLVED_NOTE)):
            if on:
                hotspot = hotspot_transition(
                    hotspot=hotspot, to=to, on=on, actor=actor, version=hotspot.version, note=note
                )
        ids = [c.pk for c in nearby if _belongs(c, unit, kind)][:HOTSPOT_CASES]
        Case.objects.filter(pk__in=ids).update(hotspot=hotspot)
        linked.update(ids)
        hotspots.append(hotspot)
    return hotspots, len(linked)


def _hotspot_dates(
    rng: random.Random, status: str, lo: float, hi: float, last: date
) -> tuple[date, date | None, date | None]:
    """Identified, remediation started, resolved: in order, as far as the status goes, none after `last`.

    Each hotspot takes the [lo, hi) share of its status's span, so the hotspots of a status spread over the years.
    """
    to_work, to_resolve = rng.randrange(10, 60), rng.randrange(300, 720)
    if status == Hotspot.Status.IDENTIFIED:
        first, final = last - timedelta(days=150), last - timedelta(days=7)
    elif status == Hotspot.Status.UNDER_REMEDIATION:
        first, final = last - timedelta(days=3 * 365), last - timedelta(days=to_work + 30)
    else:
        first, final = START + timedelta(days=60), last - timedelta(days=to_work + to_resolve)
    span = (final - first).days
    identified = _between(rng, first + timedelta(days=int(span * lo)), first + timedelta(days=int(span * hi)))
    if status == Hotspot.Status.IDENTIFIED:
        return identified, None, None
    started = identified + timedelta(days=to_work)
    if status == Hotspot.Status.UNDER_REMEDIATION:
        return identified, started, None
    return identified, started, started + timedelta(days=to_resolve)


def _belongs(case, unit: Unit, kind: str) -> bool:
    """A case of the hotspot's kind in its commune: on a legacy commune, its own cases, then those of its successor."""
    if case.category__article not in KIND_ARTICLES[kind]:
        return False
    if unit.edition == Unit.Edition.LEGACY:
        return case.unit_id == unit.pk or (case.unit_path == unit.rollup_path and case.recorded_on >= REFORM)
    return case.unit_path == unit.path


def _hotspot_unit(rng: random.Random, kind: str, on: date, area: Area, nearby: list, used: set[str]) -> Unit:
    """A commune (of the unit list in force on `on`) among the busiest for the kind of crime around that time."""
    pool = [u for u in area.communes_on(on) if u.path in area.district_of and u.rollup_path not in used]
    if kind == K.PROSTITUTION:  # no demo offence of the kind: among wards and townships
        pool = [u for u in pool if u.kind in (Unit.Kind.WARD, Unit.Kind.TOWNSHIP)] or pool
    matching = [c for c in nearby if c.category__article in KIND_ARTICLES[kind]]
    if on < REFORM:
        by_unit = Counter(c.unit_id for c in matching)
        after = Counter(c.unit_path for c in matching if c.recorded_on >= REFORM)
        pool.sort(key=lambda u: (-(by_unit[u.pk] + after[u.rollup_path]), u.path))
    else:
        by_path = Counter(c.unit_path for c in matching)
        pool.sort(key=lambda u: (-by_path[u.path], u.path))
    return rng.choice(pool[:4])


# --- Crackdown campaigns -------------------------------------------------------------------------


def _campaigns(rng: random.Random, area: Area, actor: User, last: date, hotspots: list[Hotspot]) -> tuple:
    """One Tết crackdown per winter the demo cases cover, up to the one under way.

    An ended campaign's targets lie around what its window holds (some met, some missed); the one under way
    plans around the previous season's results.
    """
    province = area.province
    in_scope = Case.objects.counted().filter(unit_path__startswith=province.path, line__in=FOCUS_LINES)
    first = in_scope.order_by("recorded_on").values_list("recorded_on", flat=True).first() or REFORM
    counts = {"campaigns": 0, "targets": 0, "results": 0, "cases": 0}
    previous: dict[str, Decimal] = {}
    for year in range(first.year - 1, last.year + 1):
        starts, ends = date(year, 12, 15), date(year + 1, 2, 28)
        if starts < first or starts > last + timedelta(days=1):
            continue
        tet = year + 1
        campaign = Campaign.objects.create(
            name=f"Đợt cao điểm tấn công, trấn áp tội phạm dịp Tết Nguyên đán {STEMS[tet % 10]} "
            f"{BRANCHES[(tet - 4) % 12]} {tet}",
            lead_unit=province,
            unit_path=province.rollup_path,
            starts_on=starts,
            ends_on=ends,
            description=(
                "Kế hoạch của Ban Chỉ đạo 138 tỉnh: tập trung tấn công, trấn áp tội phạm về trật tự xã hội và ma "
                "túy, tín dụng đen, đánh bạc, trộm cắp tài sản; chuyển hóa các địa bàn trọng điểm, bảo đảm an ninh, "
                f"trật tự để nhân dân vui Xuân, đón Tết {tet}."
            ),
            focus_lines=FOCUS_LINES,
            created_by=actor,
        )
        active = [
            h
            for h in hotspots
            if h.kind not in (K.OTHER, K.TRAFFICKING)
            and h.identified_on <= ends
            and (h.resolved_on is None or h.resolved_on >= starts)
        ]
        campaign.focus_hotspots.set(rng.sample(active, min(len(active), rng.randrange(2, 5))))
        until = min(ends, last)
        results = _campaign_results(rng, area, actor, campaign, until)
        achieved = _achieved(in_scope, starts, until, results)
        # The plan: around last season's results for a campaign under way, around its own results for an ended one.
        base = previous if until < ends and previous else achieved
        factors = rng.sample([0.9, 0.92, 0.94, 0.96, 0.98, 1.03, 1.06, 1.1], len(base))
        CampaignTarget.objects.bulk_create(
            [
                CampaignTarget(campaign=campaign, kind=kind, value=_planned(kind, value, factor))
                for (kind, value), factor in zip(sorted(base.items()), factors, strict=True)
            ]
        )
        window = in_scope.filter(recorded_on__range=(starts, until)).order_by("pk").values_list("pk", flat=True)
        ids = [pk for pk in window if rng.random() < LINK_SHARE]
        Case.objects.filter(pk__in=ids).update(campaign=campaign)
        previous = achieved
        counts["campaigns"] += 1
        counts["targets"] += len(base)
        counts["results"] += len(results)
        counts["cases"] += len(ids)
    return counts["campaigns"], counts["targets"], counts["results"], counts["cases"]


def _campaign_results(rng: random.Random, area: Area, actor: User, campaign: Campaign, until: date) -> list:
    """Results several communes report on days inside the window: each reported kind at least once."""
    if until < campaign.starts_on:  # it starts today: nothing to report yet
        return []
    communes = rng.sample(area.communes_on(campaign.starts_on), rng.randrange(6, 10))
    kinds = list(RESULT_NOTES) + rng.choices(list(RESULT_NOTES), weights=[4, 3, 2, 1, 2], k=rng.randrange(5, 11))
    results = []
    for kind in kinds:
        if kind == R.DRUGS_GRAMS:
            quantity = Decimal(f"{rng.uniform(15, 450):.1f}")
        else:
            quantity = Decimal(rng.randrange(1, {R.WANTED_CAUGHT: 4, R.WEAPONS: 5, R.GAMBLING_DENS: 3}.get(kind, 2)))
        unit = rng.choice(communes)
        results.append(
            CampaignResult(
                campaign=campaign,
                unit=unit,
                unit_path=unit.rollup_path,
                on=_between(rng, campaign.starts_on, until),
                kind=kind,
                quantity=quantity,
                note=RESULT_NOTES[kind].format(q=f"{quantity:g}".replace(".", ",")),
                created_by=actor,
            )
        )
    results.sort(key=lambda r: r.on)
    return CampaignResult.objects.bulk_create(results)


def _achieved(in_scope, starts: date, until: date, results: list) -> dict[str, Decimal]:
    """What the window holds: cases cleared and suspects arrested (from the cases), reported results (summed)."""
    cleared = in_scope.filter(cleared_on__range=(starts, until))
    achieved = {
        R.CASES_CLEARED.value: Decimal(cleared.count()),
        R.SUSPECTS_ARRESTED.value: Decimal(
            Party.objects.filter(
                case__in=cleared, role=Party.Role.SUSPECT, custody__in=[Party.Custody.ARRESTED, Party.Custody.DETAINED]
            ).count()
        ),
    }
    for result in results:
        kind = ResultKind(result.kind).value
        achieved[kind] = achieved.get(kind, Decimal(0)) + result.quantity
    return achieved


def _planned(kind: str, value: Decimal, factor: float) -> Decimal:
    """`value` scaled by `factor`, rounded away from it: above 1 the target is missed, below 1 it is met."""
    step = 10 if kind == R.DRUGS_GRAMS else 1
    scaled = float(value) * factor / step
    planned = (math.ceil(scaled) if factor > 1 else math.floor(scaled)) * step
    if factor > 1 and planned <= value:
        planned = int(value) + step
    return Decimal(max(step, planned))


# --- Propaganda ----------------------------------------------------------------------------------


def _propaganda(rng: random.Random, area: Area, actor: User, last: date) -> tuple[int, int]:
    """Province-wide programs over the years, their sessions spread over the communes of the day."""
    province, year = area.province, last.year
    formats, weights = list(FORMATS), [f[0] for f in FORMATS.values()]
    programs = activities = 0
    for title, topics, (a, am, ad), (b, bm, bd), audience in PROGRAMS:
        starts, ends = date(year - a, am, ad), date(year - b, bm, bd)
        if starts > last:
            continue
        until = min(ends, last)
        count = max(1, round(((until - starts).days + 1) * ACTIVITIES_PER_DAY))
        planned = max(1, round(((ends - starts).days + 1) * ACTIVITIES_PER_DAY, -1))
        program = PropagandaProgram.objects.create(
            title=title.format(a=starts.year, b=ends.year),
            unit=province,
            unit_path=province.rollup_path,
            starts_on=starts,
            ends_on=ends,
            topics=[t.value for t in topics],
            audience=audience,
            planned_activities=planned,
            planned_reach=planned * 400,
            description="Chương trình của Ban Chỉ đạo 138 tỉnh, triển khai đến các xã, phường.",
            created_by=actor,
        )
        rows = []
        for _ in range(count):
            on = _between(rng, starts, until)
            unit = rng.choice(area.communes_on(on))
            fmt = rng.choices(formats, weights=weights)[0]
            _weight, (lo, hi), (mlo, mhi), note = FORMATS[fmt]
            rows.append(
                PropagandaActivity(
                    program=program,
                    on=on,
                    unit=unit,
                    unit_path=unit.rollup_path,
                    format=fmt,
                    topic=rng.choice(program.topics),
                    audience=rng.randint(lo, hi),
                    materials=rng.randint(mlo, mhi),
                    note=note.format(hamlet=_hamlet(rng, unit)),
                    version=1,
                    created_by=actor,
                )
            )
        PropagandaActivity.objects.bulk_create(sorted(rows, key=lambda r: r.on))
        programs += 1
        activities += len(rows)
    return programs, activities


# --- Good-practice models ------------------------------------------------------------------------


def _models(rng: random.Random, area: Area, actor: User, last: date) -> tuple[int, int, int]:
    """Models at every stage: started in a commune, recognised, replicated to others, evaluated."""
    models = replications = evaluations = 0
    for name, field, ago, to_effective, copies, mark in MODELS:
        started = last - timedelta(days=ago)
        unit = rng.choice(area.communes_on(started))
        model = model_create(
            actor=actor,
            unit=unit,
            name=f"Mô hình “{name}”",
            field=field,
            started_on=started,
            description=f"Khởi xướng tại {_inline(unit)}; huy động người dân cùng lực lượng Công an tham gia.",
        )
        models += 1
        reviews = [(min(started + timedelta(days=150), last), EVALUATIONS[2])]
        if to_effective:
            effective = started + timedelta(days=to_effective)
            model = model_transition(
                model=model, to=GoodPracticeModel.Status.EFFECTIVE, on=effective, actor=actor, version=model.version
            )
            reviews = [(effective, EVALUATIONS[1])]
            day = effective
            for _ in range(copies):
                day = min(day + timedelta(days=rng.randrange(30, 150)), last)
                taken = {model.unit_path, *model.replications.values_list("unit__rollup_path", flat=True)}
                target = rng.choice([u for u in area.communes_on(day) if u.rollup_path not in taken])
                model_replicate(model=model, unit=target, replicated_on=day, actor=actor)
                replications += 1
            if mark:
                model = model_transition(
                    model=model, to=GoodPracticeModel.Status.REPLICATED, on=day, actor=actor, version=model.version
                )
                reviews.append((min(day + timedelta(days=90), last), EVALUATIONS[0]))
        for on, (text, rating) in reviews:
            model_evaluate(
                model=model,
                actor=actor,
                on=on,
                evaluator="Ban Chỉ đạo 138 tỉnh Thái Nguyên",
                evaluator_unit=area.province,
                text=text,
                rating=rating,
            )
            evaluations += 1
    return models, replications, evaluations
