# The header search looks case references up by prefix (LIKE '19-2026-12%'): a pattern-class index serves
# that under any collation (the unique index does only under "C"); see docs/search.md.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0005_case_scope_pattern_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["reference"], name="case_reference_prefix", opclasses=["varchar_pattern_ops"]),
        ),
    ]
