"""Celery beat's scheduler: django-celery-beat's database scheduler, settings as the source.

The schedule lives in the database (no schedule file for beat to write: nothing depends on a
folder existing, any host can run beat), and supervisors see it in the admin. At each start
beat copies settings.CELERY_BEAT_SCHEDULE into it (django-celery-beat's own behaviour) and, on
top of that, disables every entry the settings no longer name, so a task removed from settings
stops running instead of lingering in the table. An entry someone disabled in the admin stays
disabled (a way to pause it; the health check then reports it overdue).
"""

from typing import Any

from django.db import transaction
from django_celery_beat.models import PeriodicTask, PeriodicTasks
from django_celery_beat.schedulers import DatabaseScheduler


def retire_unlisted_entries(*, listed: set[str]) -> int:
    """Disable every enabled database entry not in `listed`; return how many."""
    with transaction.atomic():
        retired = (
            PeriodicTask.objects.filter(enabled=True).exclude(name__in=listed).update(enabled=False)
        )
        if retired:
            PeriodicTasks.update_changed()  # a running beat re-reads its schedule
    return retired


class SettingsScheduler(DatabaseScheduler):
    def setup_schedule(self) -> None:
        # Before the first read of the table, so a retired entry is never scheduled.
        listed: Any = self.app.conf.beat_schedule
        retire_unlisted_entries(listed=set(listed))
        super().setup_schedule()
