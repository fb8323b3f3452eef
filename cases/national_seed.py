"""`seed_national`'s cases: ten years of national cases with parties and timelines, written by COPY or bulk insert.

Deterministic: the same `seed`, count and day give the same rows. Cases are spread over the 34
provinces by an approximate population weight (POPULATION below), recorded every day of the ten
years ending yesterday, on a legacy commune or district before 1 July 2025 and on a current commune
from then on (the `edition_in_force` rule of the services). Field values are those the services
would leave: `search_title` by `search_key`, `line` from the category, `unit_path` the unit's roll-up
path, `due_on` the running deadline of `cases.deadlines`, references "<province>-<year>-<n>" from the
reference sequences, which are moved past them so later `case_create` calls continue the numbering.
No history records are written (the import writes them; a generated register needs none).
"""

import random
from bisect import bisect_right
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import accumulate
from types import SimpleNamespace

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models.fields import DateField, DateTimeField
from django.utils import timezone

from portal.units.models import Unit
from portal.units.text import search_key

from . import deadlines
from .demo import LS, OFFENCES, PLACES, SE, VS
from .demo_seed import FAMILY
from .models import Case, CaseEvent, Category, DeadlineExtension, Party, ReferenceSequence
from .penal_code import load_articles
from .services import REFORM_DATE, reference_prefix

Progress = Callable[[str, int, int], None]
YEARS = 10
CHUNK = 20_000  # cases generated and written per round
CLEARED_SHARE = 0.88  # of cases under investigation: gives 84-88% clearance over the ten years
NOT_CRIMINAL_SHARE = 0.05
OTHER_ARTICLES_SHARE = 0.06  # cases of the Penal Code articles the demo mix does not name
LEGACY_DISTRICT_SHARE = 0.1  # legacy cases recorded on a district rather than a commune

# Approximate population in 2024, thousands, of each current province (the sum of the provinces merged
# into it in 2025; rounded from the General Statistics Office's yearbook). Only the proportions matter.
POPULATION = {
    "01": 8700, "04": 570, "08": 1870, "11": 640, "12": 480, "14": 1300, "15": 1780, "19": 1800,
    "20": 800, "22": 1380, "24": 3600, "25": 4000, "31": 4700, "33": 3600, "37": 4400, "38": 4300,
    "40": 3800, "42": 1600, "44": 1900, "46": 1400, "48": 3100, "51": 2200, "52": 3600, "56": 2200,
    "66": 3300, "68": 3900, "75": 4500, "79": 14000, "80": 3300, "82": 4400, "86": 4300, "91": 4950,
    "92": 4200, "96": 2600,
}  # fmt: skip
# Urban wards see more crime than rural communes.
KIND_WEIGHT = {Unit.Kind.WARD: 3, Unit.Kind.TOWNSHIP: 2, Unit.Kind.SPECIAL_ZONE: 1}
SPOTS = [(p, search_key(p)) for p in PLACES]
PROPERTY_ARTICLES = {"173", "171", "168", "174", "178", "290", "188"}

FAMILY_WEIGHTS = [38, 11, 9.5, 7, 5, 3.9, 2.1, 2, 1.4, 1.3, 1, 0.5]
MALE_MIDDLE = ["Văn", "Đức", "Minh", "Hữu", "Quang", "Thanh", "Công", "Xuân", "Ngọc", "Anh", "Trọng", "Đình"]
FEMALE_MIDDLE = ["Thị", "Thu", "Ngọc", "Thanh", "Minh", "Hồng", "Kim", "Mai", "Phương", "Thùy"]
MALE_GIVEN = [
    "An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Long", "Nam", "Sơn", "Tuấn", "Tú", "Hoàng", "Quân",
    "Thắng", "Trung", "Việt", "Khánh", "Huy", "Phúc", "Đạt", "Kiên", "Lâm", "Toàn", "Vinh",
]  # fmt: skip
FEMALE_GIVEN = [
    "Hà", "Lan", "Mai", "Phương", "Hương", "Linh", "Trang", "Thảo", "Hằng", "Ngọc", "Nhung", "Yến", "Hoa",
    "Dung", "Huyền", "Thủy", "Oanh", "Vân", "Nga", "Quyên",
]  # fmt: skip

S = Case.Status
P = Party


def window(today: date) -> tuple[date, date]:
    """(first, last) day any national record gets: the ten years ending yesterday."""
    last = today - timedelta(days=1)
    try:
        first = last.replace(year=last.year - YEARS) + timedelta(days=1)
    except ValueError:  # 29 February
        first = date(last.year - YEARS, 3, 1)
    return first, last


@dataclass
class Place:
    pk: int
    rollup_path: str
    name: str  # for a title: "phường Ba Đình"
    key: str  # search_key(name)


@dataclass
class Province:
    pk: int
    code: str
    path: str
    legacy: list[Place]
    legacy_cum: list[float]
    current: list[Place]
    current_cum: list[float]


def _place(unit: dict) -> Place:
    name = unit["name"][0].lower() + unit["name"][1:]
    return Place(unit["id"], unit["rollup_path"], name, search_key(name))


_loaded: dict[tuple, list[Province]] = {}


def load_provinces() -> list[Province]:
    """The current provinces with their communes on each unit list (and cumulative weights); computed once
    per process for the same unit table (each app's seeder asks)."""
    key = tuple(Unit.objects.aggregate(n=models.Count("pk"), lo=models.Min("pk"), hi=models.Max("pk")).values())
    if key not in _loaded:
        _loaded.clear()
        _loaded[key] = _load_provinces()
    return _loaded[key]


def _load_provinces() -> list[Province]:
    provinces = list(Unit.objects.current().filter(level=Unit.Level.PROVINCE).order_by("code"))
    if not provinces:
        raise RuntimeError("Units are not loaded: run `python manage.py load_units` first.")
    by_path = {p.path: p for p in provinces}
    current: dict[str, list] = {p.path: [] for p in provinces}
    legacy: dict[str, list] = {p.path: [] for p in provinces}
    rows = (
        Unit.objects.filter(level__in=[Unit.Level.DISTRICT, Unit.Level.COMMUNE])
        .order_by("path")
        .values("id", "name", "kind", "level", "edition", "rollup_path")
    )
    for unit in rows:
        province_path = "/".join(unit["rollup_path"].split("/")[:2]) + "/"
        if province_path not in by_path:
            continue
        if unit["edition"] == Unit.Edition.CURRENT:
            current[province_path].append((unit, KIND_WEIGHT.get(unit["kind"], 1)))
        elif unit["level"] == Unit.Level.COMMUNE:
            legacy[province_path].append((unit, (1 - LEGACY_DISTRICT_SHARE) * KIND_WEIGHT.get(unit["kind"], 1)))
        else:
            legacy[province_path].append((unit, None))  # a district: weighted below
    result = []
    for p in provinces:
        communes = current[p.path] or [({"id": p.pk, "name": p.name, "rollup_path": p.path}, 1)]
        old = legacy[p.path]
        commune_weight = sum(w for _u, w in old if w is not None) or 1
        districts = [u for u, w in old if w is None]
        old = [(u, w if w is not None else commune_weight * LEGACY_DISTRICT_SHARE / len(districts)) for u, w in old]
        old = old or communes
        result.append(
            Province(
                pk=p.pk,
                code=p.code,
                path=p.path,
                legacy=[_place(u) for u, _w in old],
                legacy_cum=list(accumulate(w for _u, w in old)),
                current=[_place(u) for u, _w in communes],
                current_cum=list(accumulate(w for _u, w in communes)),
            )
        )
    return result


@dataclass
class Offence:
    category_id: int
    article: str
    line: str
    stems: list[tuple[str, str]]  # (title stem, its search key)
    severities: list[str]
    severity_cum: list[float]


def load_offences() -> tuple[list[Offence], list[float]]:
    """The demo's offence mix (cases.demo.OFFENCES), plus every other shipped article at a small weight."""
    if not Category.objects.exists():
        load_articles(Category)
    categories = {c.article: c for c in Category.objects.all()}
    offences, weights = [], []
    named = {o[0] for o in OFFENCES}
    for article, weight, stems, severities in OFFENCES:
        c = categories[article]
        offences.append(_offence(c, stems, severities))
        weights.append(weight)
    total = sum(weights)
    others = [c for a, c in sorted(categories.items()) if a not in named]
    for c in others:
        offences.append(_offence(c, [c.name], {LS: 4, SE: 4, VS: 2}))
        weights.append(total * OTHER_ARTICLES_SHARE / len(others))
    return offences, list(accumulate(weights))


def _offence(category: Category, stems: list[str], severities: dict) -> Offence:
    return Offence(
        category.pk,
        category.article,
        category.line,
        [(s, search_key(s)) for s in stems],
        list(severities),
        list(accumulate(severities.values())),
    )


class Writer:
    """Rows as tuples into one table: PostgreSQL COPY, else executemany (what bulk_create runs, minus the ORM)."""

    def __init__(self, model: type[models.Model], columns: list[str]) -> None:
        fields = [model._meta.get_field(c) for c in columns]
        ops = connection.ops
        qn = ops.quote_name
        self.table = qn(model._meta.db_table)
        self.columns = ", ".join(qn(f.column) for f in fields)
        self.copy = connection.vendor == "postgresql"
        self.adapters = []
        if not self.copy:
            for i, f in enumerate(fields):
                if isinstance(f, DateTimeField):
                    self.adapters.append((i, ops.adapt_datetimefield_value))
                elif isinstance(f, DateField):
                    self.adapters.append((i, ops.adapt_datefield_value))
        self.count = 0

    def write(self, rows: list[tuple]) -> None:
        if not rows:
            return
        with connection.cursor() as cursor:
            if self.copy:
                with cursor.cursor.copy(f"COPY {self.table} ({self.columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                if self.adapters:
                    adapted = []
                    for row in rows:
                        row = list(row)
                        for i, adapt in self.adapters:
                            if row[i] is not None:
                                row[i] = adapt(row[i])
                        adapted.append(row)
                    rows = adapted
                marks = ", ".join(["%s"] * len(rows[0]))
                cursor.executemany(f"INSERT INTO {self.table} ({self.columns}) VALUES ({marks})", rows)  # noqa: S608
        self.count += len(rows)


CASE_COLUMNS = [
    "id", "reference", "title", "search_title", "summary", "category", "severity", "line", "occurred_on",
    "received_on", "recorded_on", "unit", "unit_path", "handling_unit", "campaign", "hotspot", "damage_amount",
    "recovered_amount", "status", "verification_started_on", "investigation_started_on", "suspended_on",
    "cleared_on", "indicted_on", "tried_on", "closed_on", "due_on", "version", "created_at", "updated_at",
    "created_by",
]  # fmt: skip
PARTY_COLUMNS = ["case", "role", "full_name", "birth_year", "gender", "id_number", "residence", "custody"]
EVENT_COLUMNS = ["case", "kind", "from_status", "to_status", "on", "at", "actor", "note"]


def _next_id(model) -> int:
    return (model.objects.aggregate(m=models.Max("pk"))["m"] or 0) + 1


def delete_rows(*tables: type[models.Model]) -> None:
    """DELETE every row of each table, in the order given (children first). No signals, no history records:
    the ORM's cascade would load every row and write a "-" history record for each."""
    with transaction.atomic(), connection.cursor() as cursor:
        for model in tables:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608


def clear() -> None:
    """Delete every case and what hangs off it, and the reference sequences."""
    delete_rows(CaseEvent, Party, DeadlineExtension, Case.officers.through, Case, ReferenceSequence)


def exists() -> bool:
    return Case.objects.exists()


class Generator:
    """Builds case, party and event rows in order of recording; one random stream for everything."""

    def __init__(self, *, count: int, seed: int, today: date) -> None:
        self.rng = random.Random(seed)
        self.count = count
        self.first, self.last = window(today)
        self.provinces = load_provinces()
        self.province_cum = list(accumulate(POPULATION.get(p.code, 1000) for p in self.provinces))
        self.offences, self.offence_cum = load_offences()
        self.now = timezone.now()
        self.tz = timezone.get_current_timezone()
        self.moments: dict[date, datetime] = {}
        sequences = dict(ReferenceSequence.objects.values_list("prefix", "last"))
        self.sequences = sequences
        self.prefixes: dict[tuple[int, int], str] = {}
        self.next_case = _next_id(Case)

    def moment(self, on: date) -> datetime:
        """A timestamp on the day (08:00 local): when the row was entered."""
        at = self.moments.get(on)
        if at is None:
            at = self.moments[on] = timezone.make_aware(datetime.combine(on, time(8)), self.tz)
        return at

    def reference(self, province: Province, year: int) -> str:
        key = (province.pk, year)
        prefix = self.prefixes.get(key)
        if prefix is None:
            prefix = self.prefixes[key] = reference_prefix(unit=SimpleNamespace(rollup_path=province.path), year=year)
        n = self.sequences.get(prefix, 0) + 1
        self.sequences[prefix] = n
        return f"{prefix}{n:05d}"

    def days(self) -> list[int]:
        """The recording day (offset from `first`) of every case, in order."""
        span = (self.last - self.first).days + 1
        rnd = self.rng.random
        # Slightly more cases in later years (reporting got better), a Tết bump each winter is left out.
        return sorted(int(span * (rnd() ** 0.9)) for _ in range(self.count))

    def chunks(self) -> Iterator[tuple[list, list, list]]:
        days = self.days()
        for start in range(0, self.count, CHUNK):
            yield self.build(days[start : start + CHUNK])

    def build(self, days: list[int]) -> tuple[list, list, list]:
        rng = self.rng
        rnd, randrange, choices = rng.random, rng.randrange, rng.choices
        cases, parties, events = [], [], []
        first, last = self.first, self.last
        provinces, province_cum = self.provinces, self.province_cum
        offences, offence_cum = self.offences, self.offence_cum
        province_total, offence_total = province_cum[-1], offence_cum[-1]
        for day in days:
            pk = self.next_case
            self.next_case += 1
            recorded = first + timedelta(days=day)
            province = provinces[bisect_right(province_cum, rnd() * province_total)]
            if recorded < REFORM_DATE:
                places, cum = province.legacy, province.legacy_cum
            else:
                places, cum = province.current, province.current_cum
            place = places[min(bisect_right(cum, rnd() * cum[-1]), len(places) - 1)]
            offence = offences[min(bisect_right(offence_cum, rnd() * offence_total), len(offences) - 1)]
            severity = offence.severities[bisect_right(offence.severity_cum, rnd() * offence.severity_cum[-1])]
            stem, stem_key = offence.stems[randrange(len(offence.stems))]
            spot, spot_key = SPOTS[randrange(len(SPOTS))]
            title = f"{stem} tại {spot}, {place.name}"
            # search_key(title), from the keys of its parts (computed once): the same text.
            search_title = f"{stem_key} tai {spot_key}, {place.key}"
            received = recorded - timedelta(days=randrange(1, 6)) if rnd() < 0.3 else recorded
            if received < first:
                received = recorded
            occurred = received - timedelta(days=randrange(0, 10)) if rnd() < 0.8 else None

            status = S.RECEIVED
            moves: list[tuple[str, str, date]] = []  # (event kind, to status, on)
            verification = investigation = suspended = cleared = indicted = tried = closed = None
            if rnd() < 0.5:
                verification = received + timedelta(days=randrange(0, 5))
                if verification <= last:
                    status = S.VERIFYING
                    moves.append(("status", S.VERIFYING, verification))
                else:
                    verification = None
            step = verification or received
            if rnd() < NOT_CRIMINAL_SHARE:
                on = step + timedelta(days=randrange(3, 25))
                if on <= last:
                    closed, status = on, S.NOT_CRIMINAL
                    moves.append(("status", S.NOT_CRIMINAL, on))
            else:
                on = step + timedelta(days=randrange(0, 25))
                if on <= last:
                    investigation, status = on, S.INVESTIGATING
                    moves.append(("status", S.INVESTIGATING, on))
                    quick = randrange(0, 10) if rnd() < 0.75 else randrange(0, 120)
                    on = investigation + timedelta(days=quick)
                    if rnd() < CLEARED_SHARE and on <= last:
                        cleared = on
                        moves.append(("cleared", "", on))
                        on = cleared + timedelta(days=randrange(20, 120))
                        if rnd() < 0.9 and on <= last:
                            indicted, status = on, S.INDICTED
                            moves.append(("status", S.INDICTED, on))
                            on = indicted + timedelta(days=randrange(30, 150))
                            if rnd() < 0.92 and on <= last:
                                tried, status = on, S.TRIED
                                moves.append(("status", S.TRIED, on))
                    if status == S.INVESTIGATING and (last - investigation).days > 150:
                        # Past every deadline: most uncleared ones are suspended, some dismissed; a few linger.
                        base = cleared or investigation
                        on = min(base + timedelta(days=randrange(60, 150)), last)
                        outcome = choices(
                            (S.SUSPENDED, S.DISMISSED, S.INVESTIGATING), (2, 5, 3) if cleared else (6, 1, 3)
                        )[0]
                        if outcome == S.SUSPENDED:
                            suspended, status = on, S.SUSPENDED
                            moves.append(("status", S.SUSPENDED, on))
                        elif outcome == S.DISMISSED:
                            closed, status = on, S.DISMISSED
                            moves.append(("status", S.DISMISSED, on))

            if status in (S.RECEIVED, S.VERIFYING):
                due = deadlines.verification_due(received)
            elif status == S.INVESTIGATING:
                due = deadlines.investigation_due(investigation, severity)
            else:
                due = None
            damage = recovered = None
            if offence.article in PROPERTY_ARTICLES:
                damage = int(10 ** (6 + 2.5 * rnd())) // 1000 * 1000
                if cleared:
                    recovered = damage * randrange(0, 11) // 10
            open_case = status in Case.OPEN
            updated = moves[-1][2] if moves else received
            cases.append(
                (
                    pk,
                    self.reference(province, recorded.year),
                    title,
                    search_title,
                    "",
                    offence.category_id,
                    severity,
                    offence.line,
                    occurred,
                    received,
                    recorded,
                    place.pk,
                    place.rollup_path,
                    province.pk if open_case else None,
                    None,
                    None,
                    damage,
                    recovered,
                    status,
                    verification,
                    investigation,
                    suspended,
                    cleared,
                    indicted,
                    tried,
                    closed,
                    due,
                    1 + len(moves),
                    self.moment(received),
                    self.moment(updated),
                    None,
                )
            )
            events.append((pk, CaseEvent.Kind.CREATED, "", S.RECEIVED, received, self.moment(received), None, ""))
            previous = S.RECEIVED
            for kind, to, on in moves:
                if kind == "cleared":
                    events.append((pk, CaseEvent.Kind.CLEARED, "", "", on, self.moment(on), None, ""))
                else:
                    events.append((pk, CaseEvent.Kind.STATUS, previous, to, on, self.moment(on), None, ""))
                    previous = to
            self.people(parties, pk, province, place, offence.article, cleared, status)
        return cases, parties, events

    def people(self, out: list, pk: int, province: Province, place: Place, article: str, cleared, status) -> None:
        """1–3 parties: the suspect(s) of a cleared case, the victim of a crime against a person or property."""
        rnd, randrange = self.rng.random, self.rng.randrange
        roles = [P.Role.SUSPECT] if cleared else []
        if article in PROPERTY_ARTICLES or article in {"134", "123", "150"}:
            roles.append(P.Role.VICTIM)
        if rnd() < 0.25:
            roles.append(P.Role.WITNESS)
        if cleared and rnd() < 0.2:
            roles.append(P.Role.SUSPECT)
        if not roles:
            roles.append(P.Role.WITNESS if rnd() < 0.5 else P.Role.VICTIM)
        for role in roles[:3]:
            male = rnd() < (0.85 if role == P.Role.SUSPECT else 0.5)
            born = randrange(1960, 2007) if role == P.Role.SUSPECT else randrange(1945, 2012)
            middle, given = (MALE_MIDDLE, MALE_GIVEN) if male else (FEMALE_MIDDLE, FEMALE_GIVEN)
            family = self.rng.choices(FAMILY, FAMILY_WEIGHTS)[0]
            name = f"{family} {middle[randrange(len(middle))]} {given[randrange(len(given))]}"
            # The 12-digit citizen ID: province of birth, century and sex, year of birth, a serial.
            century = (0 if born < 2000 else 2) + (0 if male else 1)
            id_number = f"0{province.code}{century}{born % 100:02d}{randrange(10**6):06d}"
            custody = ""
            if role == P.Role.SUSPECT:
                if status in (S.INDICTED, S.TRIED):
                    custody = P.Custody.DETAINED if rnd() < 0.6 else P.Custody.ARRESTED
                elif cleared:
                    custody = P.Custody.ARRESTED if rnd() < 0.8 else P.Custody.WANTED
                else:
                    custody = P.Custody.AT_LARGE
            residence = f"Tổ {randrange(1, 30)}, {place.name}"
            out.append(
                (pk, role, name, born, P.Gender.MALE if male else P.Gender.FEMALE, id_number, residence, custody)
            )


@contextmanager
def _bare_tables(tables: list[str], progress: Progress) -> Iterator[None]:
    """PostgreSQL: drop the tables' foreign keys and secondary indexes for the load, then add them back.

    Checking a foreign key row by row (a trigger per row, at commit) and updating ten indexes per row cost
    more than the COPY itself; adding a constraint back validates it in one join, and an index is built in
    one sort. Inside the caller's transaction, so a failure restores everything. Elsewhere: nothing.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE contype = 'f' AND conrelid = ANY(%s::regclass[])",
            [tables],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
            [tables],
        )
        indexes = cursor.fetchall()
        qn = connection.ops.quote_name
        # Run the checks still pending in this transaction now (e.g. the units just loaded by a caller):
        # a table with pending trigger events cannot be altered.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for table, name, _definition in constraints:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {qn(name)}")
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
    yield
    with connection.cursor() as cursor:
        for i, (_name, definition) in enumerate(indexes, start=1):
            progress("indexes", i - 1, len(indexes) + len(constraints))
            cursor.execute(definition)
        for i, (table, name, definition) in enumerate(constraints, start=len(indexes) + 1):
            progress("indexes", i - 1, len(indexes) + len(constraints))
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {qn(name)} {definition}")
        progress("indexes", len(indexes) + len(constraints), len(indexes) + len(constraints))


def seed(*, cases: int, seed: int, today: date, progress: Progress) -> str:
    """Write `cases` cases with their parties and events; returns a line for the command to print."""
    generator = Generator(count=cases, seed=seed, today=today)
    writers = (Writer(Case, CASE_COLUMNS), Writer(Party, PARTY_COLUMNS), Writer(CaseEvent, EVENT_COLUMNS))
    tables = [m._meta.db_table for m in (Case, Party, CaseEvent)]
    progress("cases", 0, cases)
    with transaction.atomic(), _bare_tables(tables, progress):
        done = 0
        for rows in generator.chunks():
            for writer, batch in zip(writers, rows, strict=True):
                writer.write(batch)
            done += len(rows[0])
            progress("cases", done, cases)
        _move_sequences(generator.sequences)
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [Case, Party, CaseEvent]):
                cursor.execute(sql)
    case_w, party_w, event_w = writers
    return (
        f"National cases: {case_w.count:,} cases in {len(generator.provinces)} provinces "
        f"({generator.first:%d/%m/%Y} to {generator.last:%d/%m/%Y}), {party_w.count:,} parties, "
        f"{event_w.count:,} events."
    )


def _move_sequences(sequences: dict[str, int]) -> None:
    existing = dict(ReferenceSequence.objects.values_list("prefix", "last"))
    new = [ReferenceSequence(prefix=p, last=n) for p, n in sequences.items() if p not in existing]
    ReferenceSequence.objects.bulk_create(new, batch_size=2000)
    changed = [(p, n) for p, n in sequences.items() if p in existing and existing[p] < n]
    for prefix, last in changed:
        ReferenceSequence.objects.filter(prefix=prefix).update(last=last)
