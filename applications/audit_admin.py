"""The audit trail in admin: read-only for everyone, superusers included.

Entries are listed for those with applications.view_auditentry (supervisors); nobody adds,
changes or deletes one here, and the table refuses it anyway (migration 0008_review_audit).
"""

from django.contrib import admin
from django.http import HttpRequest

from .models import AuditEntry, DecisionEmail


class AppendOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(AppendOnlyAdmin):
    list_display = ("at", "actor_name", "action", "object_type", "object_id", "application")
    list_filter = ("action", "object_type")
    search_fields = ("actor_name", "application__reference_number", "object_id")
    list_select_related = ("application",)
    date_hierarchy = "at"
    fields = (
        "at",
        "actor_name",
        "action",
        "object_type",
        "object_id",
        "application",
        "group",
        "ip_address",
        "detail",
    )
    readonly_fields = fields


@admin.register(DecisionEmail)
class DecisionEmailAdmin(AppendOnlyAdmin):
    list_display = ("entry", "created_at", "sent_at", "sent_to", "attempts")
    list_select_related = ("entry",)
    readonly_fields = ("entry", "created_at", "sent_at", "sent_to", "attempts")
