"""When each periodic task last ran: what makes a stalled Celery beat visible (immapp.periodic)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodicTaskRun(models.Model):
    """One entry of settings.CELERY_BEAT_SCHEDULE and its last runs on a worker, as sent by beat.

    `watched_since` is when the entry became known (the migration run that added the row): an
    entry that never ran is overdue counting from then.
    """

    name = models.CharField(_("periodic task"), max_length=200, unique=True)
    watched_since = models.DateTimeField(_("watched since"))
    last_started_at = models.DateTimeField(_("last started at"), null=True, blank=True)
    last_succeeded_at = models.DateTimeField(_("last succeeded at"), null=True, blank=True)
    last_failed_at = models.DateTimeField(_("last failed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("periodic task run")
        verbose_name_plural = _("periodic task runs")
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name
