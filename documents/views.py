"""The documents pages: a group's checklist with uploads, the item status, the file itself.

Every view first finds who is asking (documents.viewer): anyone without access to the group gets
404, as does an employer link asking for anything outside the company's section. The pages work
as plain forms; static/documents/upload.js adds progress and live status (it asks for JSON).
"""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from applications.access import Access, is_officer
from applications.models import Application
from applications.services import audit

from . import services, storage
from .catalogue import BY_CODE, MAX_FILE_BYTES
from .exceptions import DocumentsError, NotApplicable
from .forms import ACCEPT, MAX_FILES_PER_POST, ReplaceForm, UploadForm
from .models import StoredFile, Upload, UploadVersion
from .upload_handlers import FileSizeGuard, guard_file_size
from .viewer import Viewer, viewer_for

CONTENT_TYPES = {
    "jpeg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "tiff": "image/tiff",
    "pdf": "application/pdf",
}
INLINE_FORMATS = {"jpeg", "png", "gif"}
ITEM_TAG = "item-"
ITEM_ERRORS_KEY = "documents_item_errors"


def wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _item_errors(request: HttpRequest) -> dict[str, str]:
    """Errors of the last change, by item ("key-code"), shown once beside the item's file field.

    Kept in the session by `_done` apart from the message (which names the item for the page's
    message list), so the error itself never has to be parsed back out of a formatted text.
    """
    return request.session.pop(ITEM_ERRORS_KEY, {})


def _return_url(request: HttpRequest, default: str = "") -> str:
    """Where a change sends the browser back to: a page of this site that embeds the checklist
    (the wizard's documents step), given as `next`; anything else is ignored."""
    candidate = request.POST.get("next") or request.GET.get("next") or default
    safe = url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return candidate if safe and candidate.startswith("/") else ""


def checklist_context(
    request: HttpRequest, viewer: Viewer, *, return_url: str = ""
) -> dict[str, object]:
    """What documents/_checklist.html needs. A page embedding the checklist (the wizard's
    documents step) passes its own address as `return_url`, so changes come back to it."""
    return {
        # Read before the checklist (documents.services.progress).
        "checks": services.checks_finished(group_public_id=viewer.group.public_id),
        "return_url": _return_url(request, return_url),
        "item_errors": _item_errors(request),
        "viewer": viewer,
        "group": viewer.group,
        "checklist": services.checklist_for_group(group=viewer.group, sections=viewer.sections),
        "accept": ACCEPT,
        "max_file_mb": MAX_FILE_BYTES // (1024 * 1024),
    }


def _item(
    viewer: Viewer, key: str, code: str
) -> tuple[services.PersonChecklist, services.ChecklistItem]:
    requirement = BY_CODE.get(code)
    if requirement is None or requirement.section not in viewer.sections:
        raise Http404
    checklist = services.checklist_for_group(group=viewer.group, sections=[requirement.section])
    person = checklist.person(key)
    item = person.item(code) if person else None
    if person is None or item is None:
        raise Http404
    return person, item


def _item_payload(request: HttpRequest, viewer: Viewer, key: str, code: str) -> dict:
    # Read before the item: a check ending meanwhile shows as a change on the next question.
    checks = services.checks_finished(group_public_id=viewer.group.public_id)
    person, item = _item(viewer, key, code)
    context = {
        "return_url": _return_url(request),
        "viewer": viewer,
        "group": viewer.group,
        "person": person,
        "item": item,
        "accept": ACCEPT,
        "max_file_mb": MAX_FILE_BYTES // (1024 * 1024),
    }
    # Translators: a checklist item and its state, e.g. "Travel document: Being checked".
    announcement = _("%(label)s: %(state)s") % {"label": item.label, "state": item.state_label}
    return {
        "html": render_to_string("documents/_item.html", context, request=request),
        "checking": item.state == services.ItemState.CHECKING,
        "announcement": announcement,
        "checks": checks,
    }


def _done(
    request: HttpRequest, viewer: Viewer, key: str, code: str, *, error: str = "", ok: str = ""
) -> HttpResponse:
    """Answer a change: JSON for the script, else a message and a redirect to the item."""
    if wants_json(request):
        try:
            payload = _item_payload(request, viewer, key, code)
        except Http404:  # the item went with its last file (no longer asked for)
            payload = {"html": "", "checking": False, "announcement": ""}
        if error:
            payload["error"] = error
        elif ok:
            payload["announcement"] = ok
        return JsonResponse(payload, status=400 if error else 200)
    if error:
        # Translators: a checklist item and why a change to it was refused.
        text = _("%(label)s: %(error)s") % {"label": BY_CODE[code].label, "error": error}
        messages.error(request, text, extra_tags=ITEM_TAG + key + "-" + code)
        errors = request.session.get(ITEM_ERRORS_KEY, {})
        request.session[ITEM_ERRORS_KEY] = {**errors, key + "-" + code: error}
    elif ok:
        messages.success(request, ok)
    url = _return_url(request) or (
        reverse("documents:group", args=[viewer.group.public_id]) + viewer.query
    )
    return redirect(url + "#item-" + key + "-" + code)


def _person(viewer: Viewer, key: str) -> Application | None:
    if key == services.EMPLOYER_KEY:
        return None
    if not key.isdigit():
        raise NotApplicable
    application = viewer.group.applications.filter(position=int(key)).first()
    if application is None:
        raise NotApplicable
    return application


@never_cache
@require_GET
def group_documents(request: HttpRequest, group_id: str) -> HttpResponse:
    viewer = viewer_for(request, group_id)
    return render(request, "documents/group.html", checklist_context(request, viewer))


@never_cache
@require_GET
def item_status(request: HttpRequest, group_id: str, person: str, code: str) -> HttpResponse:
    viewer = viewer_for(request, group_id)
    return JsonResponse(_item_payload(request, viewer, person, code))


@require_GET
def checks(request: HttpRequest, group_id: str) -> HttpResponse:
    """How many checks of the group's files have finished (documents.services.progress): what
    upload.js asks a few times a second while an item is being checked, fetching the item
    only once this changes. No database query and no access check: the answer is a number
    that says only that some check of the group with this (unguessable) id ended. Answered by
    documents.middleware before the session is read (this view, reached through the URLconf,
    is the same answer for a stack without that middleware)."""
    response = JsonResponse({"checks": services.checks_finished(group_public_id=group_id)})
    response["Cache-Control"] = "no-store"
    return response


def _first_error(form: UploadForm | ReplaceForm) -> str:
    return str(next(iter(form.errors.values()))[0])


def refusal(form: UploadForm | ReplaceForm, guard: FileSizeGuard) -> str:
    """Why a change cannot go on, or "": a post of more files than any item takes, or an
    oversized file the guard stopped reading (the upload service's own size refusal, naming
    the file when several were sent); otherwise the form's first error."""
    if guard.too_many:
        return ngettext(
            "You sent %(sent)d files at once. Choose at most %(most)d file at a time.",
            "You sent %(sent)d files at once. Choose at most %(most)d files at a time.",
            guard.max_files,
        ) % {"sent": guard.files_sent, "most": guard.max_files}
    if guard.too_large:
        try:
            services.check_size(size=guard.stopped_at)
        except DocumentsError as exc:
            if guard.files_sent > 1:
                # Translators: a file's name and why it was refused.
                return _("“%(name)s”: %(error)s") % {
                    "name": storage.sanitise_name(guard.stopped_name),
                    "error": exc.message,
                }
            return exc.message
    return "" if form.is_valid() else _first_error(form)


def uploaded_text(saved: list[Upload]) -> str:
    """What the applicant is told after adding files: each by name."""
    # Translators: how the names in a list of files are separated (Chinese: "、").
    separator = pgettext("list of file names", ", ")
    # Translators: one file's name in a list, in quotation marks (Chinese: 「%(name)s」).
    names = separator.join(_("“%(name)s”") % {"name": upload.original_name} for upload in saved)
    if len(saved) == 1:
        return _("“%(name)s” was uploaded and is being checked.") % {"name": saved[0].original_name}
    return _("%(count)d files were uploaded and are being checked: %(names)s.") % {
        "count": len(saved),
        "names": names,
    }


# The upload handlers must be set before the body is read, and the CSRF check reads it: so these
# views are csrf_exempt and the part that reads request.POST is csrf_protect (Django's pattern).
@csrf_exempt
@require_POST
def upload(request: HttpRequest, group_id: str) -> HttpResponse:
    return _upload(request, group_id, guard_file_size(request, max_files=MAX_FILES_PER_POST))


@csrf_protect
def _upload(request: HttpRequest, group_id: str, guard: FileSizeGuard) -> HttpResponse:
    viewer = viewer_for(request, group_id)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_bound or "person" in form.errors or "item" in form.errors:
        raise Http404
    key, code = form.cleaned_data["person"], form.cleaned_data["item"]
    if error := refusal(form, guard):
        return _done(request, viewer, key, code, error=error)
    _item(viewer, key, code)  # 404 for an item this viewer may not see
    if not viewer.may_change:
        raise Http404
    try:
        saved = services.upload_documents(
            group=viewer.group,
            application=_person(viewer, key),
            requirement_code=code,
            files=form.cleaned_data["file"],
        )
    except DocumentsError as exc:
        return _done(request, viewer, key, code, error=exc.message)
    return _done(request, viewer, key, code, ok=uploaded_text(saved))


def _own_upload(viewer: Viewer, upload_id: str) -> Upload:
    found = (
        Upload.objects.select_related("group", "application", "supplementary_item__request")
        .filter(public_id=upload_id, group=viewer.group)
        .first()
    )
    if found is None or not viewer.may_see(found):
        raise Http404
    return found


def _change_target(viewer: Viewer, upload_id: str) -> tuple[Upload, str, str]:
    found = _own_upload(viewer, upload_id)
    if not viewer.may_change or found.supplementary_item_id is not None:
        raise Http404
    return found, services.person_key(found.application), found.requirement_code


@csrf_exempt
@require_POST
def replace(request: HttpRequest, group_id: str, upload_id: str) -> HttpResponse:
    return _replace(request, group_id, upload_id, guard_file_size(request))


@csrf_protect
def _replace(
    request: HttpRequest, group_id: str, upload_id: str, guard: FileSizeGuard
) -> HttpResponse:
    viewer = viewer_for(request, group_id)
    target, key, code = _change_target(viewer, upload_id)
    form = ReplaceForm(request.POST, request.FILES)
    if error := refusal(form, guard):
        return _done(request, viewer, key, code, error=error)
    try:
        saved = services.replace_upload(upload=target, file=form.cleaned_data["file"])
    except DocumentsError as exc:
        return _done(request, viewer, key, code, error=exc.message)
    ok = _("“%(name)s” was replaced by “%(new)s”, which is being checked.") % {
        "name": target.original_name,
        "new": saved.original_name,
    }
    return _done(request, viewer, key, code, ok=ok)


@require_POST
def delete(request: HttpRequest, group_id: str, upload_id: str) -> HttpResponse:
    viewer = viewer_for(request, group_id)
    target, key, code = _change_target(viewer, upload_id)
    try:
        services.delete_upload(upload=target)
    except DocumentsError as exc:
        return _done(request, viewer, key, code, error=exc.message)
    ok = _("“%(name)s” was deleted.") % {"name": target.original_name}
    return _done(request, viewer, key, code, ok=ok)


@require_GET
def serve_file(request: HttpRequest, group_id: str, upload_id: str) -> HttpResponseBase:
    """Stream the stored file after the access check (on S3 too: no public or signed address).
    An officer's opening is written to the audit trail."""
    viewer = viewer_for(request, group_id)
    found = _own_upload(viewer, upload_id)
    response = file_response(found)
    if viewer.access is Access.OFFICER:  # staff looking at someone's documents
        audit.record_document_view(request, upload=found)
    return response


@require_GET
def serve_version_file(request: HttpRequest, group_id: str, version_id: str) -> HttpResponseBase:
    """Stream a file an upload held before it was replaced: officers only, 404 for anyone else."""
    viewer = viewer_for(request, group_id)
    if not viewer.may_see_versions:
        raise Http404
    found = (
        UploadVersion.objects.select_related("upload")
        .filter(public_id=version_id, upload__group=viewer.group)
        .first()
    )
    if found is None:
        raise Http404
    response = file_response(found)
    audit.record_document_view(request, upload=found.upload, version=found)
    return response


def file_response(found: StoredFile) -> HttpResponseBase:
    """Stream the stored file, after the caller's access check (on S3 too: no public or signed
    address). The content type comes from the inspected format, never from the upload;
    anything not an accepted image is sent as an attachment."""
    try:
        fileobj = storage.open_file(found.storage_key)
    except FileNotFoundError:
        raise Http404 from None
    fmt = found.format.lower()
    content_type = CONTENT_TYPES.get(fmt, "application/octet-stream")
    inline = found.status == Upload.Status.ACCEPTED and fmt in INLINE_FORMATS
    response = FileResponse(
        fileobj,
        as_attachment=not inline,
        filename=found.original_name,
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_GET
def preview_image(request: HttpRequest, upload_id: str, number: int) -> HttpResponseBase:
    """One image of an upload's preview (0: the thumbnail), for officers only: a PNG this
    service encoded from the renderer's pixels. Anyone else, or a preview not drawn, gets 404."""
    if not is_officer(request):
        raise Http404
    found = Upload.objects.filter(public_id=upload_id).first()
    image = services.preview_image(upload=found, number=number) if found else None
    if image is None:
        raise Http404
    try:
        fileobj = storage.open_file(image.storage_key)
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(fileobj, content_type="image/png")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
