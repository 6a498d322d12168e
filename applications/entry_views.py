"""The pages before the wizard and around it: eligibility pre-check, collection statement,
starting a draft, save and exit, resuming, the suspended-draft notice and the session keep-alive.

The pre-start pages keep their progress in the session (`SESSION_KEY`): a page whose earlier
step was not completed sends the user back to it, and a POST to it changes nothing.
"""

import datetime

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import references, services
from .access import (
    acknowledgment_when_submitted,
    applicant_group_or_404,
    client_address,
    leave_group,
    remember_group,
)
from .eligibility import answers_data, check_eligibility
from .exceptions import (
    DraftError,
    EmailNotSent,
    NotEligible,
    ResumeLinkInvalid,
    TooManyAttempts,
    TooManyDrafts,
)
from .forms_entry import (
    CollectionStatementForm,
    EligibilityForm,
    NewDraftForm,
    ResumeForm,
    answers_from_session,
)
from .languages import (
    chosen_language,
    in_language,
    keep_typed,
    posted_names,
    typed_again,
    typed_initial,
)
from .models import ApplicationGroup

SESSION_KEY = "applications.entry"
SAVED_SESSION_KEY = "applications.saved"
TEMPLATES = "applications/entry/"


def _entry(request: HttpRequest) -> dict:
    return request.session.get(SESSION_KEY) or {}


def _continue_url(group: ApplicationGroup, *, resumed: bool) -> str:
    if services.drafts_suspended(group=group):
        return reverse("applications:suspended", kwargs={"group_id": group.public_id})
    if resumed:
        return services.task_list_path(group)
    return services.first_step_path(group)


def _open_draft(request: HttpRequest, group: ApplicationGroup, *, resumed: bool) -> HttpResponse:
    """Let this browser open the draft, under a new session key; a new draft opens on its
    first step, a resumed one on its task list.

    Starting and resuming (by reference or link) all come here: a session id planted in the
    browser beforehand (session fixation) stops being the one that opens the draft. The
    session's data is kept, so drafts opened before stay open. A request that came without a
    session needs no renewal: its session gets a fresh key when it is first saved.
    """
    if not request.session.is_empty():
        request.session.cycle_key()
    remember_group(request, group)
    return redirect(_continue_url(group, resumed=resumed))


def _not_eligible(request: HttpRequest, failures: tuple, status: int = 200) -> HttpResponse:
    return render(request, TEMPLATES + "not_eligible.html", {"failures": failures}, status=status)


def _switched_language(request: HttpRequest, page: str, form_class: type) -> HttpResponse | None:
    """The language switch pressed on `page`: keep what was typed, show the page in that
    language (applications.languages); None for any other button."""
    language = chosen_language(request)
    if not language:
        return None
    keep_typed(request, page=page, fields=posted_names(form_class))
    return redirect(in_language(language, page))


def _form_again(request: HttpRequest, page: str, form_class: type, **kwargs: object):
    """The page's form for a GET: with what was typed before a language switch, shown as
    typed without errors; else unbound."""
    typed = typed_again(request, page=page)
    if typed is None:
        return form_class(**kwargs)
    return form_class(initial=typed_initial(form_class, typed), **kwargs)


@require_http_methods(["GET", "POST"])
def eligibility(request: HttpRequest) -> HttpResponse:
    """The pre-check: nothing personal is stored, only the answers in the session (kept
    there too when they do not allow an application, so the user can change them)."""
    page = "applications:eligibility"
    if request.method == "POST":
        switched = _switched_language(request, page, EligibilityForm)
        if switched is not None:
            return switched
        form = EligibilityForm(request.POST)
        if form.is_valid():
            answers = form.answers()
            result = check_eligibility(answers=answers)
            if not result.eligible:
                request.session[SESSION_KEY] = {"refused": answers_data(answers)}
                return _not_eligible(request, result.failures)
            request.session[SESSION_KEY] = {
                "answers": answers_data(answers),
                "scheme": result.scheme,
            }
            return redirect("applications:pics")
    else:
        entry = _entry(request)
        saved = entry.get("answers") or entry.get("refused")
        form = _form_again(request, page, EligibilityForm)
        if saved and not form.initial:
            form = EligibilityForm(initial=saved)
    context = {"form": form, "language_form": "eligibility-form"}
    return render(request, TEMPLATES + "eligibility.html", context)


@require_http_methods(["GET", "POST"])
def pics(request: HttpRequest) -> HttpResponse:
    """The Personal Information Collection Statement; acknowledged here before starting.

    Linked from every step: without a pre-check in progress it is shown to read only.
    """
    entry = _entry(request)
    in_progress = bool(entry.get("answers"))
    if request.method == "POST":
        if not in_progress:
            messages.error(request, _("Answer the eligibility questions first."))
            return redirect("applications:eligibility")
        form = CollectionStatementForm(request.POST)
        if form.is_valid():
            entry["pics_acknowledged_at"] = timezone.now().isoformat()
            request.session[SESSION_KEY] = entry
            return redirect("applications:new_draft")
    else:
        form = CollectionStatementForm()
    context = {"form": form if in_progress else None, "scheme": entry.get("scheme")}
    return render(request, TEMPLATES + "pics.html", context)


@require_http_methods(["GET", "POST"])
def new_draft(request: HttpRequest) -> HttpResponse:
    """The contact email, then the draft is created and the wizard opens."""
    entry = _entry(request)
    if not entry.get("answers"):
        messages.error(request, _("Answer the eligibility questions first."))
        return redirect("applications:eligibility")
    if not entry.get("pics_acknowledged_at"):
        messages.error(
            request, _("Read and confirm the Personal Information Collection Statement.")
        )
        return redirect("applications:pics")
    page = "applications:new_draft"
    if request.method == "POST":
        switched = _switched_language(request, page, NewDraftForm)
        if switched is not None:
            return switched
        form = NewDraftForm(request.POST)
    else:
        form = _form_again(request, page, NewDraftForm)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            group = services.start_draft(
                answers=answers_from_session(entry["answers"]),
                contact_email=form.cleaned_data["contact_email"],
                language=translation.get_language() or settings.LANGUAGE_CODE,
                pics_acknowledged_at=datetime.datetime.fromisoformat(entry["pics_acknowledged_at"]),
                client_address=client_address(request),
            )
        except NotEligible as error:
            request.session[SESSION_KEY] = {"refused": entry["answers"]}
            return _not_eligible(request, error.failures)
        except TooManyDrafts as error:
            form.add_error(None, error.message)
            status = 429
        except DraftError as error:
            form.add_error(None, error.message)
        else:
            request.session.pop(SESSION_KEY, None)
            return _open_draft(request, group, resumed=False)
    context = {"form": form, "language_form": "new-draft-form"}
    return render(request, TEMPLATES + "new_draft.html", context, status=status)


def exit_after_saving(request: HttpRequest, group: ApplicationGroup) -> HttpResponse:
    """Email the reference and link, forget the draft in this browser, show the 'saved' page.

    The wizard calls this after saving the step's data when "Save and exit" is pressed.
    """
    email_failed = False
    try:
        services.save_and_exit(group=group)
    except EmailNotSent:
        email_failed = True
    request.session[SAVED_SESSION_KEY] = {
        "reference": group.temporary_reference,
        "email": group.contact_email,
        "deletion_date": services.deletion_date(group).isoformat(),
        "email_failed": email_failed,
    }
    leave_group(request, group)
    return redirect("applications:saved")


@require_POST
@acknowledgment_when_submitted
def save_and_exit(request: HttpRequest, group_id: object) -> HttpResponse:
    """'Save and exit' from a page that has no step data of its own to save."""
    group = applicant_group_or_404(request, group_id)
    return exit_after_saving(request, group)


@require_GET
@never_cache  # it shows the temporary reference and the email address
def saved(request: HttpRequest) -> HttpResponse:
    info = request.session.get(SAVED_SESSION_KEY)
    if not info:
        return redirect("applications:resume")
    context = {
        "reference": references.display(info["reference"]),
        "email": info["email"],
        "deletion_date": datetime.date.fromisoformat(info["deletion_date"]),
        "email_failed": info["email_failed"],
        "lifetime_days": services.DRAFT_LIFETIME.days,
    }
    return render(request, TEMPLATES + "saved.html", context)


@require_http_methods(["GET", "POST"])
def resume(request: HttpRequest) -> HttpResponse:
    """Resume by temporary reference and the applicant's date of birth."""
    page = "applications:resume"
    if request.method == "POST":
        switched = _switched_language(request, page, ResumeForm)
        if switched is not None:
            return switched
        form = ResumeForm(request.POST)
    else:
        form = _form_again(request, page, ResumeForm)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            group = services.resume_by_reference(
                reference=form.cleaned_data["reference"],
                date_of_birth=form.cleaned_data["date_of_birth"],
                client_address=client_address(request),
            )
        except TooManyAttempts as error:
            form.add_error(None, error.message)
            status = 429
        except DraftError as error:
            form.add_error(None, error.message)
        else:
            return _open_draft(request, group, resumed=True)
    context = {"form": form, "language_form": "resume-form"}
    return render(request, TEMPLATES + "resume.html", context, status=status)


@require_GET
@never_cache  # no cache may answer for the draft it opens
def resume_link(request: HttpRequest, token: str) -> HttpResponse:
    """Resume by the signed link in the email, while its group is a draft (or being paid):
    once submitted, the link says it is no longer valid (applications.services.resume_by_link).
    """
    try:
        group = services.resume_by_link(token=token)
    except ResumeLinkInvalid as error:
        context = {"message": error.message}
        return render(request, TEMPLATES + "resume_link_invalid.html", context, status=410)
    return _open_draft(request, group, resumed=True)


@require_GET
@never_cache  # it shows the temporary reference
@acknowledgment_when_submitted
def suspended(request: HttpRequest, group_id: object) -> HttpResponse:
    """The notice for a draft whose trade's quota is used up or closed."""
    group = applicant_group_or_404(request, group_id)
    reason = services.suspension_reason(group=group)
    context = {
        "group": group,
        "reference": references.display(group.temporary_reference),
        "reason": reason,
        "continue_url": services.task_list_path(group),
    }
    return render(request, TEMPLATES + "suspended.html", context)


@require_POST
def keepalive(request: HttpRequest) -> JsonResponse:
    """Extend the session (SESSION_SAVE_EVERY_REQUEST saves it with a new expiry).

    Answers 410 when the session has already ended, so the page can say so.
    """
    if request.session.is_empty():
        return JsonResponse({"active": False}, status=410)
    request.session.modified = True
    return JsonResponse({"active": True, "expires_in": settings.SESSION_COOKIE_AGE})
