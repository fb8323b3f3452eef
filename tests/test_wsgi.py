"""The WSGI module gunicorn loads: a worker is ready to answer before its first request."""

import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def test_loading_the_wsgi_application_imports_every_view_module_before_the_first_request():
    # A worker that imported its views lazily spent its first request (and, on a busy machine, more than
    # gunicorn's 30 s timeout) importing them; gunicorn then killed it and the next worker started over.
    probe = "import sys, portal.wsgi; print(all(m in sys.modules for m in ('cases.views', 'campaigns.api_urls')))"
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=BASE_DIR, capture_output=True, text=True, timeout=300, check=True
    )
    assert result.stdout.strip() == "True", result.stderr
