# The scope index with the pattern operator class on unit_path, so LIKE 'VN/79/%' is an index range
# under any collation (docs/performance.md, "The index that mattered").

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_case_campaign_hotspot"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="case",
            name="case_scope_recorded",
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=["unit_path", "recorded_on"],
                name="case_scope_recorded",
                opclasses=["varchar_pattern_ops", "date_ops"],
            ),
        ),
    ]
