from django.db import migrations


def seed(apps, schema_editor):
    # The default set as defined in lianxin.cases.seed when this database was created.
    from lianxin.cases.seed import ensure_categories

    ensure_categories(apps.get_model("cases", "Category"))


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
