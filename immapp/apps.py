"""The project package as an app: its model (periodic task runs) and its hooks."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ImmappConfig(AppConfig):
    default = True
    name = "immapp"
    verbose_name = _("Service operations")

    def ready(self) -> None:
        # Celery's task signals record the runs of the periodic tasks (in the worker; connected
        # in every process, where they never fire unless a task runs there).
        from . import periodic

        periodic.connect_signals()
        post_migrate.connect(periodic.watch_schedule_after_migrate, sender=self)
