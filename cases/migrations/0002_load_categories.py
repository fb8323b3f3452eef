"""Load the Penal Code 2015 articles shipped in cases/fixtures/penal_code_articles.json."""

import json
import re
from pathlib import Path

from django.db import migrations

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "penal_code_articles.json"


def load(apps, schema_editor):
    Category = apps.get_model("cases", "Category")
    for row in json.loads(FIXTURE.read_text(encoding="utf-8")):
        Category.objects.update_or_create(
            article=row["article"],
            defaults={
                "name": row["name"],
                "line": row["line"],
                "sort_key": int(re.match(r"\d+", row["article"]).group()),
            },
        )


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
