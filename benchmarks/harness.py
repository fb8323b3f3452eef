"""The benchmark harness: every hot path, its SQL query count and, where one exists, the hand-written SQL floor.

    make bench                                     # prepares the database, then runs this
    python -m benchmarks.harness [--prepare] [--explain] [--runs 7] [--only summary,breakdown,...]

Against DATABASE_URL. With --prepare: creates a missing PostgreSQL database, migrates, loads units and
roles, and fills the dataset when it holds fewer than BENCH_CASES cases (seed_national when the command
exists, else seed_demo). Each path: a warm-up, then --runs timed runs; median, p95 (nearest rank) and
min/max; the query count of one run (CaptureQueriesContext). Floors are checked equal to the ORM's answer
before any timing, and a path's runs are interleaved with its floor's, so both see the same machine.
Writes benchmarks/results.json and prints a table whose last line names the worst ratio.
"""

import argparse
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results.json"
EXPLAIN_DIR = Path(__file__).resolve().parent / "explain"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/portal_bench"
PATHS = (
    "summary",
    "breakdown",
    "case_list",
    "dashboard",
    "report_pdf",
    "lists",
    "search",
    "build_summaries",
    "import",
    "load",
)


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- Preparing ------------------------------------------------------------------------------------


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database of `url` if missing; refuse SQLite unless BENCH_ALLOW_SQLITE=1."""
    import environ

    config = environ.Env.db_url_config(url)
    if "sqlite" in config["ENGINE"]:
        if os.environ.get("BENCH_ALLOW_SQLITE") != "1":
            sys.exit(
                "make bench measures PostgreSQL, the production database: set DATABASE_URL=postgres://... "
                "(or BENCH_ALLOW_SQLITE=1 to run on SQLite anyway, for a smoke test whose numbers mean little)."
            )
        say("WARNING: benchmarking SQLite (BENCH_ALLOW_SQLITE=1); the numbers say nothing about production.")
        return
    import psycopg
    from psycopg import sql

    params = {
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
    }
    name = config["NAME"]
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            say(f"Creating PostgreSQL database {name!r}.")
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def prepare(cases: int, seed: int) -> None:
    from django.core.management import call_command, get_commands

    from cases.models import Case
    from portal.units.models import Unit

    call_command("migrate", interactive=False, verbosity=0)
    if not Unit.objects.exists():
        call_command("load_units")
    call_command("sync_roles", verbosity=0)
    have = Case.objects.count()
    if have >= cases:
        say(f"Dataset: {have:,} cases already (BENCH_CASES={cases:,}); reusing it.")
        return
    if "seed_national" in get_commands():
        # seed_national refuses a database with data; replace it only where that is clearly safe.
        from django.db import connection

        replace = have > 0
        scratch = connection.settings_dict["NAME"].startswith("portal_bench")
        if replace and not (scratch or os.environ.get("BENCH_RESEED") == "1"):
            sys.exit(
                f"Dataset: {have:,} cases, {cases:,} wanted, in a database not named portal_bench*: refusing to "
                "replace its data. Set BENCH_RESEED=1 to let seed_national --force-clear it, or lower BENCH_CASES."
            )
        say(f"Dataset: {have:,} cases, {cases:,} wanted: seed_national --cases {cases} --seed {seed} ...")
        call_command("seed_national", cases=cases, seed=seed, force_clear=replace)
    elif have == 0:
        say("Dataset: seed_national is not available; loading the demo data (seed_demo) instead.")
        call_command("seed_demo")
    else:
        say(f"Dataset: {have:,} cases and no seed_national command; benchmarking what is there.")


# --- Measuring ------------------------------------------------------------------------------------


def measure(fn, *, runs: int, warmup: int = 1) -> dict:
    """Warm up, count the queries of one run, then time `runs` runs (ms)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        fn()
    connection.queries_log.clear()  # request_started resets the log: start it empty, or the count is off
    with CaptureQueriesContext(connection) as captured:
        fn()
    sql = [q["sql"] for q in captured.captured_queries]  # now: the next request empties the log
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return {**(_spread(times) if times else {}), "queries": len(sql), "_sql": sql}


def measure_together(fns: dict, *, runs: int) -> dict[str, dict]:
    """Like `measure` for several functions, their timed runs interleaved (A B C A B C ...).

    A path and its floor then see the same machine: a neighbour's burst of load slows both, not one.
    """
    results = {name: measure(fn, runs=0) for name, fn in fns.items()}  # warm-up and query counts
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(runs):
        for name, fn in fns.items():
            started = time.perf_counter()
            fn()
            times[name].append((time.perf_counter() - started) * 1000)
    for name, result in results.items():
        result.update(_spread(times[name]))
    return results


def _spread(times: list[float]) -> dict:
    ordered = sorted(times)
    return {
        "median_ms": statistics.median(times),
        "p95_ms": ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))],
        "min_ms": ordered[0],
        "max_ms": ordered[-1],
        "runs": len(times),
    }


def count_queries(fn) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    connection.queries_log.clear()  # request_started resets the log: start it empty, or the count is off
    with CaptureQueriesContext(connection) as captured:
        fn()
    return len(captured.captured_queries)


def with_floor(name: str, orm: dict, floor: dict, **extra) -> dict:
    return {
        "name": name,
        **orm,
        "floor_ms": floor["median_ms"],
        "floor_p95_ms": floor["p95_ms"],
        "ratio": orm["median_ms"] / floor["median_ms"] if floor["median_ms"] else None,
        "_floor_sql": floor["_sql"],
        **extra,
    }


class Context:
    """What the paths share: the period, the units, the users and a logged-in test client per user."""

    def __init__(self, year: int | None) -> None:
        from cases.models import Case
        from portal.reports.periods import parse_period
        from portal.units.models import Unit

        today = date.today()
        self.year = year or today.year - 1  # the latest full year
        self.period = parse_period(f"{self.year}-9M")
        self.ytd = parse_period(f"{today.year}-YTD-{today.month:02d}")
        self.root = Unit.objects.get(level=Unit.Level.NATIONAL)
        # The province with the most cases in the period: the heaviest province breakdown.
        provinces = {u.path: u for u in Unit.objects.filter(parent=self.root, edition=Unit.Edition.CURRENT)}
        length = len(next(iter(provinces)))
        from django.db.models import Count
        from django.db.models.functions import Substr

        busiest = (
            Case.objects.filter(recorded_on__gte=self.period.start, recorded_on__lte=self.period.end)
            .annotate(p=Substr("unit_path", 1, length))
            .values("p")
            .annotate(n=Count("id"))
            .order_by("-n")
            .first()
        )
        code = os.environ.get("BENCH_PROVINCE")
        if code:
            self.province = Unit.objects.get(code=code, edition=Unit.Edition.CURRENT)
        else:
            self.province = provinces[busiest["p"]] if busiest else next(iter(provinces.values()))
        self.leader = self._user("bench-leader", "leader", self.root)
        self.officer = self._user("bench-officer", "standing_officer", self.province)
        self.cases = Case.objects.count()

    @staticmethod
    def _user(username: str, role: str, unit):
        from portal.accounts.models import User

        user, _ = User.objects.update_or_create(
            username=username, defaults={"role": role, "unit": unit, "full_name": username, "is_active": True}
        )
        return user

    @staticmethod
    def client(user):
        from django.test import Client

        from portal.accounts import two_factor

        client = Client(SERVER_NAME="127.0.0.1")
        client.force_login(user)
        # A leader who also passed the two-step code, as every leader's session has.
        session = client.session
        session[two_factor.SESSION_KEY] = user.second_step_epoch
        session.save()
        return client


def get_ok(client, url: str) -> int:
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}: {response.content[:300]!r}")
    return len(response.content)


def bench_summary(ctx: Context, runs: int) -> list[dict]:
    from django.db import connection

    from benchmarks import floors
    from portal.reports import indicators

    floors.check_summary(ctx.root, ctx.period)  # equal before timed, or we stop here
    sql, params = floors.summary_sql(ctx.root, ctx.period)

    def floor():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            cursor.fetchone()

    family = indicators.FAMILIES["cases"]
    where = indicators.unit_where(ctx.root, family)
    previous = ctx.period.previous_year()

    def cases_family():
        (row,) = family.counts(where=where, period=ctx.period, previous=previous, group_by=None)
        return family.derive(row, {})

    measured = measure_together(
        {
            "floor": floor,
            "figures": lambda: indicators.figures(unit=ctx.root, period=ctx.period),
            "family": cases_family,
        },
        runs=runs,
    )
    floor_result, figures, statement = measured["floor"], measured["figures"], measured["family"]
    families = ", ".join(indicators.FAMILIES)
    return [
        with_floor(
            "summary national 9M",
            figures,
            floor_result,
            period=ctx.period.spec,
            note=f"indicators.figures: every family ({families}) and the targets; the floor is the cases family",
        ),
        with_floor(
            "summary national 9M, cases family",
            statement,
            floor_result,
            period=ctx.period.spec,
            note="the cases family's ORM statement (case_stats) and derive, against the same floor",
        ),
    ]


def bench_breakdown(ctx: Context, runs: int) -> list[dict]:
    from django.db import connection

    from benchmarks import floors
    from portal.reports import indicators

    out = []
    for label, unit in (("national → provinces", ctx.root), (f"{ctx.province.code} → communes", ctx.province)):
        floors.check_breakdown(unit, ctx.period)
        length = len(indicators.children_of(unit)[0].path)
        sql, params = floors.breakdown_sql(unit, ctx.period, length)

        def floor(sql=sql, params=params):
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                cursor.fetchall()

        measured = measure_together(
            {
                "floor": floor,
                "orm": lambda unit=unit: indicators.breakdown(unit=unit, period=ctx.period, by="children"),
            },
            runs=runs,
        )
        out.append(with_floor(f"breakdown {label}", measured["orm"], measured["floor"], unit=unit.code))
    return out


def case_list_url(ctx: Context, page_size: int = 50) -> str:
    return (
        f"/api/v1/cases/?unit={ctx.province.code}&recorded_after={ctx.period.start.isoformat()}"
        f"&recorded_before={ctx.period.end.isoformat()}&page_size={page_size}"
    )


def bench_case_list(ctx: Context, runs: int) -> list[dict]:
    from cases.models import Case

    client = ctx.client(ctx.leader)
    fields = ["id", "reference", "title", "recorded_on", "status", "severity", "line", "unit__code", "unit__name"]

    def floor():
        rows = list(
            Case.objects.filter(
                unit_path__startswith=ctx.province.path,
                recorded_on__gte=ctx.period.start,
                recorded_on__lte=ctx.period.end,
            )
            .order_by("-recorded_on", "-id")
            .values(*fields)[:50]
        )
        return json.dumps(rows, default=str)

    url = case_list_url(ctx)
    measured = measure_together({"floor": floor, "orm": lambda: get_ok(client, url)}, runs=runs)
    queries_10 = count_queries(lambda: get_ok(client, case_list_url(ctx, 10)))
    queries_100 = count_queries(lambda: get_ok(client, case_list_url(ctx, 100)))
    return [
        with_floor(
            "case list API page 50",
            measured["orm"],
            measured["floor"],
            url=url,
            queries_at_10=queries_10,
            queries_at_100=queries_100,
        )
    ]


def bench_dashboard(ctx: Context, runs: int) -> list[dict]:
    """Each page computed (the statistics cache off: what the first reader after a change waits), then
    read from the cache (what the readers after them wait)."""
    from django.test import override_settings

    url = f"/?period={ctx.ytd.spec}"  # an open period: always computed live, whatever snapshots exist
    out = []
    for label, user in (("national leader", ctx.leader), (f"officer of {ctx.province.code}", ctx.officer)):
        client = ctx.client(user)
        with override_settings(PORTAL_STATS_CACHE_SECONDS=0):
            result = measure(lambda client=client: get_ok(client, url), runs=runs)
        out.append({"name": f"dashboard {label}", **result, "floor_ms": None, "ratio": None, "url": url})
        result = measure(lambda client=client: get_ok(client, url), runs=runs)
        out.append({"name": f"dashboard {label}, cached", **result, "floor_ms": None, "ratio": None, "url": url})
    return out


def bench_report_pdf(ctx: Context, runs: int) -> list[dict]:
    from portal.reports.document import report_pdf

    result = measure(
        lambda: report_pdf(user=ctx.officer, unit=ctx.province, period=ctx.period), runs=max(1, min(runs, 3))
    )
    return [{"name": f"report PDF {ctx.province.code} 9M", **result, "floor_ms": None, "ratio": None}]


def bench_lists(ctx: Context, runs: int) -> list[dict]:
    client = ctx.client(ctx.leader)
    out = []
    for name, url in (
        ("campaign list API", "/api/v1/campaigns/"),
        ("recommendation list API", "/api/v1/recommendations/"),
        ("inspection list API", "/api/v1/inspections/"),
    ):
        result = measure(lambda url=url, client=client: get_ok(client, url), runs=runs)
        out.append({"name": name, **result, "floor_ms": None, "ratio": None, "url": url})
    return out


def search_queries(ctx: Context) -> list[tuple[str, str]]:
    """(what, query) for the header search: a case reference prefix, a commune typed without diacritics, a word."""
    from cases.models import Case
    from portal.units.models import Unit

    reference = (
        Case.objects.filter(unit_path__startswith=ctx.province.path).order_by("-id").values_list("reference", flat=True)
    ).first() or f"{ctx.province.code}-{ctx.year}-"
    commune = Unit.objects.current().filter(parent=ctx.province).order_by("path").first()
    # "Phường Phổ Yên" typed as "pho yen": the folded name without its kind word.
    typed = commune.search_name.split(" ", 1)[-1] if commune else ctx.province.search_name
    return [("reference prefix", reference[:-2]), ("unit without diacritics", typed), ("campaign word", "cao diem")]


def bench_search(ctx: Context, runs: int) -> list[dict]:
    """The /search/ page, as the national leader and as a provincial officer: every group, rendered."""
    from urllib.parse import urlencode

    out = []
    for who, user in (("national leader", ctx.leader), (f"officer {ctx.province.code}", ctx.officer)):
        client = ctx.client(user)
        for what, query in search_queries(ctx):
            url = f"/search/?{urlencode({'q': query})}"
            result = measure(lambda url=url, client=client: get_ok(client, url), runs=runs)
            queries = count_queries(lambda url=url, client=client: get_ok(client, url))
            out.append(
                {
                    "name": f"search {what}, {who}",
                    **result,
                    "floor_ms": None,
                    "ratio": None,
                    "url": url,
                    "queries": queries,
                }
            )
    return out


def bench_build_summaries(ctx: Context, runs: int) -> list[dict]:
    command = [sys.executable, "-m", "benchmarks.peak", "build_summaries", "--period", ctx.period.spec]
    say(f"  {' '.join(command[2:])} (in a subprocess, for its peak RSS)")
    done = subprocess.run(command, cwd=BASE_DIR, capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(f"build_summaries failed: {done.stderr[-2000:]}")
    stats = json.loads(done.stdout.strip().splitlines()[-1])
    ms = stats["seconds"] * 1000
    return [
        {
            "name": f"build_summaries all units {ctx.period.spec}",
            "median_ms": ms,
            "runs": 1,
            "queries": None,
            "floor_ms": None,
            "ratio": None,
            "peak_rss_mb": round(stats["peak_rss_mb"], 1),
            "memory_method": "getrusage(RUSAGE_SELF).ru_maxrss of a subprocess (whole process)",
            "output": done.stdout.strip().splitlines()[:-1],
        }
    ]


def bench_import(ctx: Context, runs: int) -> list[dict]:
    from django.core.management import call_command
    from django.db import transaction

    from cases.models import Case

    rows = int(os.environ.get("BENCH_IMPORT_ROWS", "100000"))
    before = Case.objects.count()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"cases-{rows}.csv"
        # Another seed than seed_demo's, so references do not collide with the dataset's.
        subprocess.run(
            [sys.executable, "benchmarks/make_cases_file.py", str(rows), str(path), "--seed", "13813"],
            cwd=BASE_DIR,
            check=True,
            capture_output=True,
        )
        started = time.perf_counter()
        with transaction.atomic():
            call_command("import_cases", str(path), verbosity=0)
            imported = Case.objects.count() - before
            transaction.set_rollback(True)  # the dataset stays as it was
        ms = (time.perf_counter() - started) * 1000
    if imported != rows:
        raise RuntimeError(f"import_cases imported {imported} of {rows} rows")
    return [
        {
            "name": f"import_cases {rows:,} rows",
            "median_ms": ms,
            "runs": 1,
            "queries": None,
            "floor_ms": None,
            "ratio": None,
            "rows": rows,
            "note": "in one transaction rolled back afterwards (the rollback is included)",
        }
    ]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bench_load(ctx: Context, runs: int) -> list[dict]:
    from django.conf import settings

    from benchmarks import loadtest
    from cases.models import Case
    from portal.units.models import Unit

    seconds = float(os.environ.get("BENCH_LOAD_SECONDS", "60"))
    users = int(os.environ.get("BENCH_LOAD_USERS", "50"))
    workers = os.environ.get("BENCH_LOAD_WORKERS", "4")
    # Each "a-b" (seconds) is one run: 0-0 saturates the server (capacity); 1-3 is locust's usual between(1, 3).
    thinks = [
        tuple(float(x) for x in spec.split("-", 1))
        for spec in os.environ.get("BENCH_LOAD_THINK", "0-0,1-3").split(",")
        if spec.strip()
    ]
    # Then one run where half the users write (BENCH_LOAD_MIXED: its think time; empty: no such run).
    mixed = os.environ.get("BENCH_LOAD_MIXED", "1-3").strip()
    runs_plan = [(think, 0) for think in thinks]
    if mixed:
        runs_plan.append((tuple(float(x) for x in mixed.split("-", 1)), users // 2))
    port = free_port()
    client = ctx.client(ctx.leader)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    writer = write_plan(ctx)
    ids = list(
        Case.objects.filter(unit_path__startswith=ctx.province.path, recorded_on__gte=ctx.period.start)
        .order_by("-recorded_on")
        .values_list("id", flat=True)[:2000]
    )
    # Dashboards of the whole country and of each province (35 different pages, as leaders across the
    # country would open them), so the statistics cache is not one page read 50 times.
    dashboard_codes = [
        "",
        *Unit.objects.filter(parent=ctx.root, edition=Unit.Edition.CURRENT).values_list("code", flat=True),
    ]
    mix = [
        ("dashboard", 2, lambda rng: f"/?unit={rng.choice(dashboard_codes)}&period={ctx.ytd.spec}"),
        ("case list", 4, case_list_url(ctx)),
        ("case detail", 3, lambda rng: f"/api/v1/cases/{rng.choice(ids)}/"),
        ("summary API", 2, f"/api/v1/summaries/?unit={ctx.province.code}&period={ctx.period.spec}"),
    ]
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "portal.wsgi",
        "-b",
        f"127.0.0.1:{port}",
        "-w",
        workers,
        "--log-level",
        "warning",
    ]
    log = tempfile.TemporaryFile()  # noqa: SIM115 (closed in the finally below)
    env = os.environ.copy()
    # 50 simulated users share one session and one address: the API rate limits would measure themselves.
    env.setdefault("API_RATE_PER_USER", "1000000/minute")
    env.setdefault("API_RATE_PER_ADDRESS", "1000000/minute")
    server = subprocess.Popen(command, cwd=BASE_DIR, stdout=log, stderr=log, env=env)
    try:
        for _ in range(150):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not start")
        # Warm every worker (imports, connections) before the clock starts.
        loadtest.run(host="127.0.0.1", port=port, cookie=cookie, mix=mix, users=8, seconds=3)
        runs_stats = []
        for think, writers in runs_plan:
            say(
                f"  {users} users ({writers} writing), think {think[0]:g}–{think[1]:g} s, for {seconds:.0f} s, "
                f"gunicorn -w {workers}"
            )
            stats = loadtest.run(
                host="127.0.0.1",
                port=port,
                cookie=cookie,
                mix=mix,
                users=users,
                seconds=seconds,
                think=think,
                writers=writers,
                writer=writer,
            )
            stats.update(check_writes(writer.tag, stats.pop("ledger")))
            runs_stats.append(stats)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.seek(0)
        server_log = log.read().decode(errors="replace")[-2000:]
        log.close()
    return [
        {
            "name": f"load test {users} users"
            + (f" ({stats['writers']} writing)" if stats["writers"] else "")
            + (f", think {think[0]:g}–{think[1]:g} s" if any(think) else ""),
            "median_ms": stats["p50_ms"],
            "p95_ms": stats["p95_ms"],
            "queries": None,
            "floor_ms": None,
            "ratio": None,
            **{k: v for k, v in stats.items() if k not in ("p50_ms", "p95_ms")},
            "gunicorn_workers": int(workers),
            "generator": "benchmarks/loadtest.py (threads, http.client)",
            "server_log_tail": server_log if stats["errors"] else "",
        }
        for (think, _writers), stats in zip(runs_plan, runs_stats, strict=True)
    ]


def write_plan(ctx: Context):
    """The writing users: the province's standing officer (token auth) records cases in its communes and
    changes their titles. Every title carries a tag unique to this harness run."""
    from rest_framework.authtoken.models import Token

    from benchmarks import loadtest
    from portal.units.models import Unit

    token, _created = Token.objects.get_or_create(user=ctx.officer)
    communes = list(
        Unit.objects.filter(parent=ctx.province, edition=Unit.Edition.CURRENT).values_list("pk", flat=True)[:200]
    ) or [ctx.province.pk]
    today = date.today().isoformat()

    def create_body(rng) -> dict:
        return {"category": "173", "severity": "serious", "unit": rng.choice(communes), "recorded_on": today}

    return loadtest.WriterPlan(
        headers={"Authorization": f"Token {token.key}"},
        create_path="/api/v1/cases/",
        change_path="/api/v1/cases/{id}/",
        create_body=create_body,
        tag=f"Tải thử {int(time.time())}",
    )


def check_writes(tag: str, ledger: dict[int, str]) -> dict:
    """Every write the server acknowledged is in the database as acknowledged, and nothing else was written."""
    from cases.models import Case

    stored = dict(Case.objects.filter(title__startswith=tag).values_list("id", "title"))
    lost = sorted(pk for pk, title in ledger.items() if stored.get(pk) != title)
    unacknowledged = sorted(set(stored) - set(ledger))
    return {
        "writes_acknowledged": len(ledger),
        "writes_lost": len(lost),
        "writes_lost_ids": lost[:20],
        "rows_written_without_acknowledgement": len(unacknowledged),
    }


BENCHES = {
    "summary": bench_summary,
    "breakdown": bench_breakdown,
    "case_list": bench_case_list,
    "dashboard": bench_dashboard,
    "report_pdf": bench_report_pdf,
    "lists": bench_lists,
    "search": bench_search,
    "build_summaries": bench_build_summaries,
    "import": bench_import,
    "load": bench_load,
}


# --- EXPLAIN and output ---------------------------------------------------------------------------


def write_explain(results: list[dict]) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) of the floor and the ORM statements, one file per path."""
    from django.db import connection

    if connection.vendor != "postgresql":
        say("--explain needs PostgreSQL; skipped.")
        return
    EXPLAIN_DIR.mkdir(exist_ok=True)
    for result in results:
        statements = [("floor", s) for s in result.get("_floor_sql", [])]
        statements += [("ORM", s) for s in result.get("_sql", []) if s.lstrip().upper().startswith("SELECT")]
        if not result.get("_floor_sql"):
            continue
        slug = "".join(c if c.isalnum() else "-" for c in result["name"].lower()).strip("-")
        parts = []
        with connection.cursor() as cursor:
            for label, sql in statements:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                plan = "\n".join(row[0] for row in cursor.fetchall())
                parts.append(f"-- {label}\n{sql}\n\n{plan}\n")
        (EXPLAIN_DIR / f"{slug}.txt").write_text("\n".join(parts), encoding="utf-8")
        say(f"  wrote benchmarks/explain/{slug}.txt")


def git_commit() -> str | None:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=BASE_DIR, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def fmt(value, digits: int = 1) -> str:
    if value is None:
        return "—"
    return f"{value:,.{digits}f}"


def table(results: list[dict]) -> str:
    head = f"{'path':<40} {'median ms':>10} {'p95 ms':>9} {'queries':>7} {'floor ms':>9} {'ratio':>7}"
    lines = [head, "-" * len(head)]
    for r in results:
        ratio = f"{r['ratio']:.2f}×" if r.get("ratio") is not None else "—"
        queries = "—" if r.get("queries") is None else str(r["queries"])
        lines.append(
            f"{r['name'][:40]:<40} {fmt(r.get('median_ms')):>10} {fmt(r.get('p95_ms')):>9} {queries:>7} "
            f"{fmt(r.get('floor_ms')):>9} {ratio:>7}"
        )
        extra = []
        if "peak_rss_mb" in r:
            extra.append(f"peak RSS {r['peak_rss_mb']} MB")
        if "requests_per_s" in r:
            extra.append(f"{r['requests_per_s']:.1f} req/s, {r['requests']} requests, {r['errors']} errors")
            if r.get("writers"):
                extra.append(
                    f"{r['writes']} writes acknowledged ({r['writes_acknowledged']} cases), "
                    f"{r['writes_lost']} lost, {r['rows_written_without_acknowledgement']} written unacknowledged"
                )
        if "queries_at_10" in r:
            extra.append(f"queries at page size 10/50/100: {r['queries_at_10']}/{r['queries']}/{r['queries_at_100']}")
        if extra:
            lines.append(f"{'':<4}{'; '.join(extra)}")
    with_ratio = [r for r in results if r.get("ratio") is not None]
    if with_ratio:
        worst = max(with_ratio, key=lambda r: r["ratio"])
        lines.append(f"worst ratio: {worst['name']} {worst['ratio']:.2f}× floor")
    else:
        lines.append("worst ratio: none measured")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--prepare", action="store_true", help="create/migrate/fill the database first")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN (ANALYZE, BUFFERS) to benchmarks/explain/")
    parser.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_RUNS", "7")))
    parser.add_argument("--only", default=os.environ.get("BENCH_ONLY", ""), help=f"comma-separated: {','.join(PATHS)}")
    parser.add_argument("--year", type=int, help="the statistical year of the 9-month period (default: last year)")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    if args.prepare:
        url = os.environ.get("DATABASE_URL") or DEFAULT_URL
        os.environ["DATABASE_URL"] = url
        ensure_database(url)
    import django

    django.setup()
    from django.db import connection

    say(f"Database: {connection.vendor} {connection.settings_dict['NAME']}")
    total_started = time.monotonic()
    if args.prepare:
        started = time.monotonic()
        prepare(int(os.environ.get("BENCH_CASES", "1000000")), int(os.environ.get("BENCH_SEED", "138")))
        say(f"Prepared in {time.monotonic() - started:.0f} s.")
    ctx = Context(args.year)
    say(
        f"{ctx.cases:,} cases; period {ctx.period.spec} ({ctx.period.start}–{ctx.period.end}); "
        f"province {ctx.province.code} {ctx.province.name}"
    )
    wanted = [p.strip() for p in args.only.split(",") if p.strip()] or list(PATHS)
    unknown = set(wanted) - set(PATHS)
    if unknown:
        parser.error(f"unknown paths: {', '.join(sorted(unknown))}")
    results: list[dict] = []
    for name in PATHS:
        if name not in wanted:
            continue
        say(f"- {name}")
        started = time.monotonic()
        results += BENCHES[name](ctx, args.runs)
        say(f"  {time.monotonic() - started:.1f} s")
    if args.explain:
        write_explain(results)
    meta = {
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "database": connection.vendor,
        "cases": ctx.cases,
        "period": ctx.period.spec,
        "province": ctx.province.code,
        "git_commit": git_commit(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "runs": args.runs,
        "seconds": round(time.monotonic() - total_started, 1),
    }
    public = [{k: v for k, v in r.items() if not k.startswith("_")} for r in results]
    RESULTS.write_text(json.dumps({"meta": meta, "results": public}, indent=2, default=str) + "\n", encoding="utf-8")
    say(f"Wrote {RESULTS.relative_to(BASE_DIR)}.")
    print(table(public))


if __name__ == "__main__":
    main()
