"""The project package as an app (its model of periodic task runs, its hooks), and the admin's
configuration with the back office's site."""

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
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


class StaffAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the back office's site: staff log in with a second factor
    (immapp.staff). Not this module's default configuration: INSTALLED_APPS names it."""

    default = False
    default_site = "immapp.staff.StaffAdminSite"
