"""Run one management command in this process and print its wall time and the process's peak RSS as JSON.

    python -m benchmarks.peak build_summaries --period 2025-9M

The peak is resource.getrusage(RUSAGE_SELF).ru_maxrss: the whole process (interpreter and Django
included), the number an operator sees, not just the command's own allocations.
"""

import json
import os
import resource
import sys
import time


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    from django.core.management import call_command

    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    call_command(*sys.argv[1:], verbosity=0)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux
    print(json.dumps({"seconds": seconds, "peak_rss_mb": peak / 1024, "baseline_rss_mb": baseline / 1024}))


if __name__ == "__main__":
    main()
