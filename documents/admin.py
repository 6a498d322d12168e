"""Back office: uploads and supplementary requests, read-mostly, files through the serving view;
the officer's request for supplementary documents (a form, then a confirmation)."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from applications import services as application_services
from applications.models import Application
from applications.services import audit

from . import services
from .exceptions import DocumentsError
from .models import (
    Preview,
    StoredFile,
    SupplementaryItem,
    SupplementaryRequest,
    Upload,
    UploadVersion,
)
from .officer_forms import FindApplicationForm, SupplementaryRequestForm


def _current_preview(upload: Upload) -> Preview | None:
    """The upload's preview if it is of the upload's current file (no query when selected)."""
    try:
        preview = upload.preview
    except Preview.DoesNotExist:
        return None
    return preview if preview.source_key == upload.storage_key else None


class ReadOnlyMixin:
    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class FormatFilter(admin.AllValuesFieldListFilter):
    """The formats found, with a name for the uploads not checked yet (no format)."""

    def choices(self, changelist):
        for choice in super().choices(changelist):
            if choice["display"] == "":
                choice["display"] = _("Not checked yet")
            yield choice


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
        "file_link",
        "thumbnail",
    )
    list_filter = ("status", ("format", FormatFilter), "requirement_code")
    search_fields = ("group__temporary_reference", "original_name", "application__surname")

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        # A reference typed as people read it (GGQP-KJRR-N, tp26gep7kq3mxr) finds its stored form.
        return super().get_search_results(
            request, queryset, application_services.reference_search_term(search_term)
        )

    list_select_related = ("group", "application", "preview")
    readonly_fields = (
        "file_link",
        "pages",
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
    def file_link(self, obj: Upload) -> str:
        url = reverse("documents:file", args=[obj.group.public_id, obj.public_id])
        return format_html('<a href="{}">{}</a>', url, _("Open"))

    @admin.display(description=_("preview"))
    def thumbnail(self, obj: Upload) -> str:
        preview = _current_preview(obj)
        if preview is None or preview.status != Preview.Status.READY:
            return str(preview.get_status_display()) if preview else "-"
        url = reverse("documents:preview_image", args=[obj.public_id, 0])
        alt = _("First page of “%(name)s”") % {"name": obj.original_name}
        return format_html('<img src="{}" alt="{}" width="96">', url, alt)

    @admin.display(description=_("pages"))
    def pages(self, obj: Upload) -> str:
        """Every page drawn, each linking to its full-size image; or why there is none."""
        preview = _current_preview(obj)
        if preview is None or preview.status == Preview.Status.PENDING:
            return str(_("The preview is being prepared. Reload the page in a moment."))
        if preview.status == Preview.Status.FAILED:
            return str(
                _(
                    "No preview: the file could not be drawn safely within the limits. "
                    "Download it to read it."
                )
            )
        images = format_html_join(
            " ",
            '<a href="{}"><img src="{}" alt="{}" width="{}" height="{}"></a>',
            (
                (
                    reverse("documents:preview_image", args=[obj.public_id, page.number]),
                    reverse("documents:preview_image", args=[obj.public_id, page.number]),
                    _("Page %(number)d") % {"number": page.number},
                    page.width // 2,
                    page.height // 2,
                )
                for page in preview.pages.exclude(number=0)
            ),
        )
        shown = preview.pages.exclude(number=0).count()
        if preview.page_count and preview.page_count > shown:
            more = _(
                "The first %(shown)d of %(count)d pages are shown; download the file for the rest."
            ) % {
                "shown": shown,
                "count": preview.page_count,
            }
            return format_html("{}<p>{}</p>", images, more)
        return images

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict | None = None,
    ) -> HttpResponse:
        """Opening an upload queues its preview if it has none of its current file yet."""
        upload = Upload.objects.filter(pk=object_id).first() if object_id.isdigit() else None
        if upload is not None:
            services.request_preview(upload=upload)
        return super().change_view(request, object_id, form_url, extra_context)

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
    fields = ("requirement_code", "description", "files")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[SupplementaryItem]:
        return super().get_queryset(request).prefetch_related("uploads")

    @admin.display(description=_("files sent"))
    def files(self, obj: SupplementaryItem) -> str:
        uploads = list(obj.uploads.all())
        if not uploads:
            return "-"
        return format_html_join(
            ", ",
            '<a href="{}">{}</a> ({})',
            (
                (
                    reverse("admin:documents_upload_change", args=[upload.pk]),
                    upload.original_name,
                    upload.get_status_display(),
                )
                for upload in uploads
            ),
        )


@admin.register(SupplementaryRequest)
class SupplementaryRequestAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Requests, read-only once made; officers make them through `request_view`, which asks
    for confirmation and calls the service (the add page leads there)."""

    list_display = (
        "application",
        "reference",
        "status",
        "deadline",
        "requested_by",
        "created_at",
        "answered_at",
    )
    list_filter = ("status", "deadline")
    search_fields = (
        "application__reference_number",
        "application__group__temporary_reference",
        "application__surname",
    )

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        # A reference typed as people read it (GGQP-KJRR-N, tp26gep7kq3mxr) finds its stored form.
        return super().get_search_results(
            request, queryset, application_services.reference_search_term(search_term)
        )

    list_select_related = ("application", "requested_by")
    readonly_fields = (
        "application",
        "reference",
        "message",
        "deadline",
        "status",
        "requested_by",
        "created_at",
        "applicant_emailed_at",
        "answered_at",
        "closed_at",
        "officers_notified_at",
    )
    inlines = (SupplementaryItemInline,)

    @admin.display(description=_("application reference number"))
    def reference(self, obj: SupplementaryRequest) -> str:
        return obj.application.reference_number or "-"

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return admin.ModelAdmin.has_add_permission(self, request)

    def get_urls(self) -> list:
        return [
            path(
                "request/",
                self.admin_site.admin_view(self.find_view),
                name="documents_supplementaryrequest_find",
            ),
            path(
                "request/<int:application_id>/",
                self.admin_site.admin_view(self.request_view),
                name="documents_supplementaryrequest_request",
            ),
            *super().get_urls(),
        ]

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: dict | None = None
    ) -> HttpResponse:
        return redirect("admin:documents_supplementaryrequest_find")

    def _context(self, request: HttpRequest, **extra: object) -> dict[str, object]:
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Request supplementary documents"),
            **extra,
        }

    def find_view(self, request: HttpRequest) -> HttpResponse:
        """Which application: by its reference number (the case page links straight on)."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = FindApplicationForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            application = form.cleaned_data["reference"]
            return redirect("admin:documents_supplementaryrequest_request", application.pk)
        context = self._context(request, form=form)
        return render(request, "admin/documents/supplementaryrequest/find.html", context)

    def request_view(self, request: HttpRequest, application_id: int) -> HttpResponse:
        """The request form, then a confirmation page; "Confirm" calls the service."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        application = (
            Application.objects.select_related("group", "trade").filter(pk=application_id).first()
        )
        if application is None:
            raise Http404
        form = SupplementaryRequestForm(request.POST or None, application=application)
        confirming = False
        if request.method == "POST" and form.is_valid():
            if "confirm" in request.POST:
                try:
                    made = services.request_supplementary_documents(
                        application=application,
                        requirement_codes=form.cleaned_data["requirement_codes"],
                        descriptions=form.cleaned_data["descriptions"],
                        message=form.cleaned_data["message"],
                        deadline=form.cleaned_data["deadline"],
                        officer=request.user,  # type: ignore[arg-type]
                        actor=audit.Actor.of(request),
                    )
                except DocumentsError as error:
                    form.add_error(None, error.message)
                else:
                    self.message_user(
                        request, _("The request was made; the applicant is emailed."), "success"
                    )
                    return redirect("admin:documents_supplementaryrequest_change", made.pk)
            else:
                confirming = "edit" not in request.POST
        context = self._context(request, form=form, application=application, confirming=confirming)
        return render(request, "admin/documents/supplementaryrequest/request.html", context)
