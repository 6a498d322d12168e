"""The applicant's supplementary documents pages: open the request with the application
reference number and the date of birth, upload the documents asked for, send them.

Opening is counted and limited like resuming a draft (the applications app's limiter, through
its services). On success the session key is cycled (a session fixed by someone else before
the look-up does not gain the access) and the session remembers the application; every other
view answers only for that application's requests, and 404 for anything else. Items render
with the checklist's partial (documents/_item.html) and the same script (upload.js).
"""

from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from applications import services as application_services
from applications.access import client_address
from applications.exceptions import ApplicationsError, TooManyAttempts
from applications.models import Application, ApplicationGroup

from . import services
from .catalogue import MAX_FILE_BYTES
from .exceptions import DocumentsError
from .forms import ACCEPT, ReplaceForm, SupplementaryAccessForm, SupplementaryUploadForm
from .links import SupplementaryLinks
from .models import SupplementaryItem, SupplementaryRequest, Upload
from .upload_handlers import FileSizeGuard, guard_file_size
from .views import file_response, refusal, wants_json

SESSION_KEY = "documents.supplementary"
ITEM_ERRORS_KEY = "documents.supplementary_errors"
PERSON_KEY = "s"  # the items' key in the partial's element ids ("item-s-<item id>")
TEMPLATES = "documents/supplementary/"
TOO_MANY_ATTEMPTS = gettext_lazy(
    "There have been too many attempts to open an application. Wait 15 minutes and try again."
)


@dataclass(frozen=True)
class ApplicantViewer:
    """What documents/_item.html asks of its viewer: may files change, and the query string."""

    may_change: bool
    query: str = ""


def _application(request: HttpRequest) -> Application | None:
    pk = request.session.get(SESSION_KEY)
    if not isinstance(pk, int):
        return None
    return (
        Application.objects.select_related("group")
        .filter(pk=pk, group__status=ApplicationGroup.Status.SUBMITTED)
        .first()
    )


def _open_request(request: HttpRequest) -> SupplementaryRequest:
    """The open request of the session's application; 404 for anyone else, or when it is no
    longer open (the page then says why)."""
    application = _application(request)
    found = services.latest_request(application=application) if application else None
    if found is None:
        raise Http404
    found = services.close_if_overdue(request=found)
    if not found.is_open:
        raise Http404
    return found


def _item_context(request: HttpRequest, found: SupplementaryRequest) -> dict[str, object]:
    return {
        "document_links": SupplementaryLinks(),
        "viewer": ApplicantViewer(may_change=found.is_open),
        "person": {"key": PERSON_KEY},
        "accept": ACCEPT,
        "max_file_mb": MAX_FILE_BYTES // (1024 * 1024),
    }


@never_cache
@require_http_methods(["GET", "POST"])
def find(request: HttpRequest) -> HttpResponse:
    """The application reference number and the date of birth."""
    form = SupplementaryAccessForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            application = application_services.find_submitted_application(
                reference=form.cleaned_data["reference"],
                date_of_birth=form.cleaned_data["date_of_birth"],
                client_address=client_address(request),
            )
        except TooManyAttempts:
            form.add_error(None, TOO_MANY_ATTEMPTS)
            status = 429
        except ApplicationsError as error:
            form.add_error(None, str(error.message))
        else:
            request.session.cycle_key()
            request.session[SESSION_KEY] = application.pk
            return redirect("supplementary:request")
    return render(request, TEMPLATES + "find.html", {"form": form}, status=status)


@never_cache
@require_GET
def request_page(request: HttpRequest) -> HttpResponse:
    """The latest request of the application and its items, or why there is nothing to send."""
    application = _application(request)
    if application is None:
        messages.info(request, _("Enter the application reference number and date of birth."))
        return redirect("supplementary:find")
    found = services.latest_request(application=application)
    if found is not None:
        found = services.close_if_overdue(request=found)
    items = services.requested_items(request=found) if found else []
    context = {
        "application": application,
        "supplementary": found,
        "items": items,
        "ready": bool(items) and all(item.is_done for item in items),
        "item_errors": request.session.pop(ITEM_ERRORS_KEY, {}),
        **(_item_context(request, found) if found else {}),
    }
    return render(request, TEMPLATES + "request.html", context)


def _item_or_404(found: SupplementaryRequest, item_id: int) -> SupplementaryItem:
    item = found.items.filter(pk=item_id).first()
    if item is None:
        raise Http404
    return item


def _payload(request: HttpRequest, found: SupplementaryRequest, item_id: int) -> dict:
    entry = next(
        (entry for entry in services.requested_items(request=found) if entry.item.pk == item_id),
        None,
    )
    if entry is None:
        raise Http404
    context = {**_item_context(request, found), "item": entry}
    # Translators: a requested document and its state, e.g. "Payslips: Being checked".
    announcement = _("%(label)s: %(state)s") % {"label": entry.label, "state": entry.state_label}
    return {
        "html": render_to_string("documents/_item.html", context, request=request),
        "checking": entry.state == services.ItemState.CHECKING,
        "announcement": announcement,
    }


def _done(
    request: HttpRequest,
    found: SupplementaryRequest,
    item: SupplementaryItem,
    *,
    error: str = "",
    ok: str = "",
) -> HttpResponse:
    """Answer a change: JSON for the script, else a message and a redirect to the item."""
    if wants_json(request):
        payload = _payload(request, found, item.pk)
        if error:
            payload["error"] = error
        elif ok:
            payload["announcement"] = ok
        return JsonResponse(payload, status=400 if error else 200)
    key = PERSON_KEY + "-" + str(item.pk)
    if error:
        messages.error(request, _("%(label)s: %(error)s") % {"label": item.label, "error": error})
        errors = request.session.get(ITEM_ERRORS_KEY, {})
        request.session[ITEM_ERRORS_KEY] = {**errors, key: error}
    elif ok:
        messages.success(request, ok)
    return redirect(reverse("supplementary:request") + "#item-" + key)


@never_cache
@require_GET
def item_status(request: HttpRequest, item_id: int) -> HttpResponse:
    found = _open_request(request)
    return JsonResponse(_payload(request, found, item_id))


@csrf_exempt
@require_POST
def upload(request: HttpRequest) -> HttpResponse:
    return _upload(request, guard_file_size(request))


@csrf_protect
def _upload(request: HttpRequest, guard: FileSizeGuard) -> HttpResponse:
    found = _open_request(request)
    form = SupplementaryUploadForm(request.POST, request.FILES)
    if not form.is_bound or "item" in form.errors:
        raise Http404
    item = _item_or_404(found, form.cleaned_data["item"])
    if error := refusal(form, guard):
        return _done(request, found, item, error=error)
    try:
        saved = services.upload_supplementary_document(item=item, file=form.cleaned_data["file"])
    except DocumentsError as exc:
        return _done(request, found, item, error=exc.message)
    ok = _("“%(name)s” was uploaded and is being checked.") % {"name": saved.original_name}
    return _done(request, found, item, ok=ok)


def _own_upload(request: HttpRequest, upload_id: str) -> Upload:
    """An upload made against a request of the session's application; 404 otherwise."""
    application = _application(request)
    found = (
        Upload.objects.select_related("group", "supplementary_item__request")
        .filter(public_id=upload_id, supplementary_item__request__application=application)
        .first()
        if application
        else None
    )
    if found is None:
        raise Http404
    return found


@never_cache
@require_GET
def serve_file(request: HttpRequest, upload_id: str) -> HttpResponseBase:
    return file_response(_own_upload(request, upload_id))


def _changeable(request: HttpRequest, upload_id: str) -> tuple[SupplementaryRequest, Upload]:
    found = _open_request(request)
    target = _own_upload(request, upload_id)
    item = target.supplementary_item
    if item is None or item.request_id != found.pk:
        raise Http404
    return found, target


@csrf_exempt
@require_POST
def replace(request: HttpRequest, upload_id: str) -> HttpResponse:
    return _replace(request, upload_id, guard_file_size(request))


@csrf_protect
def _replace(request: HttpRequest, upload_id: str, guard: FileSizeGuard) -> HttpResponse:
    found, target = _changeable(request, upload_id)
    item = target.supplementary_item
    assert item is not None  # _changeable checked it
    form = ReplaceForm(request.POST, request.FILES)
    if error := refusal(form, guard):
        return _done(request, found, item, error=error)
    try:
        saved = services.replace_upload(upload=target, file=form.cleaned_data["file"])
    except DocumentsError as exc:
        return _done(request, found, item, error=exc.message)
    ok = _("“%(name)s” was replaced by “%(new)s”, which is being checked.") % {
        "name": target.original_name,
        "new": saved.original_name,
    }
    return _done(request, found, item, ok=ok)


@require_POST
def delete(request: HttpRequest, upload_id: str) -> HttpResponse:
    found, target = _changeable(request, upload_id)
    item = target.supplementary_item
    assert item is not None  # _changeable checked it
    try:
        services.delete_upload(upload=target)
    except DocumentsError as exc:
        return _done(request, found, item, error=exc.message)
    return _done(
        request, found, item, ok=_("“%(name)s” was deleted.") % {"name": target.original_name}
    )


@require_POST
def submit(request: HttpRequest) -> HttpResponse:
    """Send the documents: every item needs an accepted file."""
    application = _application(request)
    found = services.latest_request(application=application) if application else None
    if found is None:
        raise Http404
    try:
        services.submit_supplementary_documents(request=found)
    except DocumentsError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Thank you. The documents were sent to the officer handling the application."),
        )
    return redirect("supplementary:request")
