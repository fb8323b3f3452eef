"""A small threaded HTTP load generator (no dependency): N users for S seconds against a running portal.

Each simulated user is a thread that loops over a weighted mix of GET requests with its session cookie,
one connection per request (gunicorn's sync workers close after each response), and records the latency
and status of every request. Between two requests a user waits a random time drawn uniformly from
`think` seconds (locust's `between(a, b)`); `think=(0, 0)`, the default, sends the next at once, so
the server is saturated by construction and the run measures capacity (requests/s). The generator
shares the machine with the server: its own CPU use is part of the measurement, so compare runs on
the same machine only.
"""

import http.client
import json
import random
import threading
import time
from dataclasses import dataclass, field


@dataclass
class Result:
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    by_name: dict[str, list[float]] = field(default_factory=dict)
    error_samples: list[str] = field(default_factory=list)
    # Writes the server acknowledged: record id -> the value the last acknowledged write left.
    ledger: dict[int, str] = field(default_factory=dict)
    writes: int = 0


def _percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run(
    *,
    host: str,
    port: int,
    cookie: str,
    mix: list[tuple[str, int, object]],
    users: int,
    seconds: float,
    think: tuple[float, float] = (0.0, 0.0),
    writers: int = 0,
    writer: "WriterPlan | None" = None,
) -> dict:
    """mix: (name, weight, path or callable(rng) -> path). Returns requests/s, p50/p95, errors and per-name p95.

    `writers` of the `users` write instead of read, as `writer` plans: each records new cases and changes
    its own, and the result's `ledger` holds what every acknowledged write left, for the caller to check
    against the database (a write the server acknowledged and then lost shows there)."""
    result = Result()
    lock = threading.Lock()
    names = [m[0] for m in mix]
    weights = [m[1] for m in mix]
    paths = {m[0]: m[2] for m in mix}
    deadline = time.monotonic() + seconds

    def user(seed: int) -> None:
        rng = random.Random(seed)
        while time.monotonic() < deadline:
            name = rng.choices(names, weights)[0]
            target = paths[name]
            path = target(rng) if callable(target) else target
            started = time.perf_counter()
            ok, note = False, ""
            try:
                conn = http.client.HTTPConnection(host, port, timeout=30)
                conn.request("GET", path, headers={"Cookie": cookie, "Connection": "close"})
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
                note = f"{response.status} {path}"
                conn.close()
            except OSError as exc:
                note = f"{type(exc).__name__} {path}"
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                result.latencies_ms.append(elapsed)
                result.by_name.setdefault(name, []).append(elapsed)
                if not ok:
                    result.errors += 1
                    if len(result.error_samples) < 5:
                        result.error_samples.append(note)
            pause = rng.uniform(*think)
            if pause:
                time.sleep(min(pause, max(0.0, deadline - time.monotonic())))

    def write_user(seed: int) -> None:
        rng = random.Random(seed)
        own: dict[int, int] = {}  # case id -> version
        n = 0
        while time.monotonic() < deadline:
            n += 1
            if not own or rng.random() < 0.5:
                name, method, path = "write: new case", "POST", writer.create_path
                body = {**writer.create_body(rng), "title": writer.title(seed, n)}
            else:
                target = rng.choice(list(own))
                name, method, path = "write: change case", "PATCH", writer.change_path.format(id=target)
                body = {"title": writer.title(seed, n), "version": own[target]}
            started = time.perf_counter()
            ok, note, answer = False, "", None
            try:
                conn = http.client.HTTPConnection(host, port, timeout=30)
                conn.request(
                    method,
                    path,
                    body=json.dumps(body).encode(),
                    headers={**writer.headers, "Content-Type": "application/json", "Connection": "close"},
                )
                response = conn.getresponse()
                raw = response.read()
                ok = response.status in {200, 201}
                note = f"{response.status} {method} {path} {raw[:200]!r}"
                answer = json.loads(raw) if ok else None
                conn.close()
            except (OSError, ValueError) as exc:
                note = f"{type(exc).__name__} {method} {path}"
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                result.latencies_ms.append(elapsed)
                result.by_name.setdefault(name, []).append(elapsed)
                if ok:
                    result.writes += 1
                    result.ledger[answer["id"]] = answer["title"]
                else:
                    result.errors += 1
                    if len(result.error_samples) < 5:
                        result.error_samples.append(note)
            if ok:
                own[answer["id"]] = answer["version"]
            pause = rng.uniform(*think)
            if pause:
                time.sleep(min(pause, max(0.0, deadline - time.monotonic())))

    started = time.monotonic()
    threads = [
        threading.Thread(target=write_user if i < writers else user, args=(i,), daemon=True) for i in range(users)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    n = len(result.latencies_ms)
    return {
        "requests": n,
        "requests_per_s": n / elapsed if elapsed else None,
        "p50_ms": _percentile(result.latencies_ms, 0.5),
        "p95_ms": _percentile(result.latencies_ms, 0.95),
        "errors": result.errors,
        "error_samples": result.error_samples,
        "per_path_p95_ms": {k: _percentile(v, 0.95) for k, v in sorted(result.by_name.items())},
        "seconds": round(elapsed, 1),
        "users": users,
        "writers": writers,
        "writes": result.writes,
        "ledger": result.ledger,
        "think_s": list(think),
    }


@dataclass
class WriterPlan:
    """What the writing users send: new cases to `create_path`, title changes to `change_path`."""

    headers: dict
    create_path: str
    change_path: str  # with {id}
    create_body: object  # rng -> the new case's fields but its title
    tag: str  # in every title the run writes, to find its rows afterwards

    def title(self, seed: int, n: int) -> str:
        return f"{self.tag} u{seed} #{n}"
