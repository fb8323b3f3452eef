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
) -> dict:
    """mix: (name, weight, path or callable(rng) -> path). Returns requests/s, p50/p95, errors and per-name p95."""
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

    started = time.monotonic()
    threads = [threading.Thread(target=user, args=(i,), daemon=True) for i in range(users)]
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
        "think_s": list(think),
    }
