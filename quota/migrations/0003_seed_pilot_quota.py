"""Seed the eight trades of the Technical Professional List and the pilot period's pools."""

from django.db import migrations

from quota.seed import ensure_pilot_quota


def seed(apps, schema_editor):
    ensure_pilot_quota(
        trade_model=apps.get_model("quota", "SkilledTrade"),
        pool_model=apps.get_model("quota", "QuotaPool"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("quota", "0002_pools_holds_allocations"),
    ]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
