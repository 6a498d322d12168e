"""The application fee of the seed: HK$600 per application from the pilot's first day."""

import datetime
from zoneinfo import ZoneInfo

from django.db import migrations

HONG_KONG = ZoneInfo("Asia/Hong_Kong")
PILOT_START = datetime.datetime(2025, 6, 30, tzinfo=HONG_KONG)


def seed(apps, schema_editor):
    Fee = apps.get_model("payments", "Fee")
    Fee.objects.get_or_create(
        effective_from=PILOT_START,
        defaults={"amount_cents": 60000, "note": "Application fee of the pilot scheme"},
    )


class Migration(migrations.Migration):
    dependencies = [("payments", "0001_payments")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
