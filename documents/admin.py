"""Back office: uploads and supplementary requests, read-mostly, files through the serving view."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import services
from .exceptions import DocumentsError
from .models import StoredFile, SupplementaryItem, SupplementaryRequest, Upload, UploadVersion


class ReadOnlyMixin:
    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


def _verdict(stored: StoredFile) -> str:
    return "; ".join(text for text in [stored.reason, *stored.warnings] if text) or "-"


class UploadVersionInline(ReadOnlyMixin, admin.TabularInline):
    """Every file the upload held before its current one, with its verdict and its times."""

    model = UploadVersion
    fields = (
        "number",
        "file",
        "size",
        "status",
        "verdict",
        "uploaded_at",
        "inspected_at",
        "replaced_at",
    )
    readonly_fields = fields
    extra = 0
    can_delete = False

    @admin.display(description=_("file"))
    def file(self, obj: UploadVersion) -> str:
        url = reverse("documents:version_file", args=[obj.upload.group.public_id, obj.public_id])
        return format_html('<a href="{}">{}</a>', url, obj.original_name)

    @admin.display(description=_("verdict"))
    def verdict(self, obj: UploadVersion) -> str:
        return _verdict(obj)

    def get_queryset(self, request: HttpRequest) -> QuerySet[UploadVersion]:
        return super().get_queryset(request).select_related("upload__group")


@admin.register(Upload)
class UploadAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = (
        "original_name",
        "group",
        "application",
        "requirement_code",
        "status",
        "format",
        "size",
        "version",
        "uploaded_at",
        "preview",
    )
    list_filter = ("status", "format", "requirement_code")
    search_fields = ("group__temporary_reference", "original_name", "application__surname")
    list_select_related = ("group", "application")
    readonly_fields = (
        "preview",
        "group",
        "application",
        "requirement_code",
        "supplementary_item",
        "original_name",
        "size",
        "status",
        "format",
        "page_count",
        "verdict",
        "version",
        "uploaded_at",
        "inspected_at",
    )
    fields = readonly_fields
    inlines = (UploadVersionInline,)

    @admin.display(description=_("file"))
    def preview(self, obj: Upload) -> str:
        url = reverse("documents:file", args=[obj.group.public_id, obj.public_id])
        return format_html('<a href="{}">{}</a>', url, _("Open"))

    @admin.display(description=_("verdict"))
    def verdict(self, obj: Upload) -> str:
        return _verdict(obj)

    def has_delete_permission(self, request: HttpRequest, obj: Upload | None = None) -> bool:
        """Only what the applicant could still delete: a draft's checklist files."""
        if obj is not None and (obj.supplementary_item_id is not None or not obj.group.is_editable):
            return False
        return super().has_delete_permission(request, obj)

    def delete_model(self, request: HttpRequest, obj: Upload) -> None:
        """Through the service, so the stored file goes too (and only while allowed)."""
        services.delete_upload(upload=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Upload]) -> None:
        for upload in queryset.select_related("group", "supplementary_item__request"):
            try:
                services.delete_upload(upload=upload)
            except DocumentsError as exc:
                text = _("%(label)s: %(error)s") % {
                    "label": upload.original_name,
                    "error": exc.message,
                }
                self.message_user(request, text, "error")


class SupplementaryItemInline(ReadOnlyMixin, admin.TabularInline):
    model = SupplementaryItem
    fields = ("requirement_code", "description")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(SupplementaryRequest)
class SupplementaryRequestAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("application", "status", "deadline", "requested_by", "created_at")
    list_filter = ("status",)
    search_fields = ("application__group__temporary_reference", "application__surname")
    list_select_related = ("application", "requested_by")
    readonly_fields = (
        "application",
        "message",
        "deadline",
        "status",
        "requested_by",
        "created_at",
        "answered_at",
    )
    inlines = (SupplementaryItemInline,)
