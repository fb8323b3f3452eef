"""The Penal Code articles shipped in cases/fixtures/penal_code_articles.json, and their loader."""

import json
import re
from pathlib import Path

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "penal_code_articles.json"


def load_articles(category_model) -> int:
    """Create or update every shipped article; takes the model so migrations can pass theirs."""
    rows = json.loads(FIXTURE.read_text(encoding="utf-8"))
    for row in rows:
        category_model.objects.update_or_create(
            article=row["article"],
            defaults={
                "name": row["name"],
                "line": row["line"],
                "sort_key": int(re.match(r"\d+", row["article"]).group()),
            },
        )
    return len(rows)
