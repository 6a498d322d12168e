"""The back office's page of periodic task runs: when each ran, and which are overdue."""

from django.contrib import admin
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import PeriodicTaskRun
from .periodic import state_of


@admin.register(PeriodicTaskRun)
class PeriodicTaskRunAdmin(admin.ModelAdmin):
    """Read-only: the rows are written by the workers (immapp.periodic), never by hand."""

    list_display = (
        "name",
        "last_started_at",
        "last_succeeded_at",
        "last_failed_at",
        "due_by",
        "overdue",
    )
    readonly_fields = list_display
    fields = list_display

    @admin.display(description=_("next success due by"))
    def due_by(self, run: PeriodicTaskRun) -> object:
        state = state_of(run, now=timezone.now())
        return state.due_by if state else _("not scheduled")

    @admin.display(description=_("overdue"), boolean=True)
    def overdue(self, run: PeriodicTaskRun) -> bool | None:
        state = state_of(run, now=timezone.now())
        return state.overdue if state else None

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
