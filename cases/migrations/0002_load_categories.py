"""Load the Penal Code 2015 articles shipped in cases/fixtures/penal_code_articles.json."""

from django.db import migrations


def load(apps, schema_editor):
    from cases.penal_code import load_articles

    load_articles(apps.get_model("cases", "Category"))


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
