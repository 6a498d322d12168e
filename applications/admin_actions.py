"""Officers' actions on a case, each behind a confirmation page with a note.

/admin/applications/case-actions/<pk>/ is the case's workflow page (status, officer, the
actions its status allows, its history); /admin/applications/case-actions/<pk>/<action>/ asks
for confirmation and a note, then calls applications.services.review. The views run inside the
admin (login, staff, CSRF, no caching) and check permissions themselves, so a link or a crafted
POST never gets further than the button would:

- applications.review_application (officers and supervisors): start review, approve, refuse,
  withdraw, and take an unassigned case for oneself;
- applications.assign_application (supervisors): give a case to any officer, or take it back.

The case admin shows the buttons with `links_for(request, application)`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from quota.exceptions import QuotaError

from . import services
from .exceptions import ReviewError
from .models import Application, AuditEntry
from .services import assignment, audit, review
from .services.audit import Actor

Action = AuditEntry.Action
REVIEW_PERMISSION = "applications.review_application"

app_name = "case_actions"


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        help_text=_("Why, in a few words. It is kept in the case's audit trail."),
        max_length=review.MAX_NOTE_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
    )

    def __init__(self, *args: Any, note_required: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["note"].required = note_required


class AssignForm(NoteForm):
    officer = forms.ModelChoiceField(
        label=_("Officer"),
        queryset=assignment.assignable_officers(),
        required=False,
        empty_label=_("Nobody (unassigned)"),
    )

    def __init__(self, *args: Any, user: User | AnonymousUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["officer"]
        assert isinstance(field, forms.ModelChoiceField)
        if not user.has_perm("applications.assign_application"):
            # An officer can only take the case: the one choice is themselves.
            field.queryset = assignment.assignable_officers().filter(pk=user.pk)
            field.required = True
            field.empty_label = None


@dataclass(frozen=True)
class Step:
    """One action as the admin offers it: its address, button, page title and service."""

    slug: str
    action: str
    button: str | Promise
    title: str | Promise
    confirm: str | Promise


STEPS = {
    step.slug: step
    for step in (
        Step(
            "start-review",
            Action.REVIEW_STARTED,
            _("Start review"),
            _("Start the review of this application"),
            _("Yes, start the review"),
        ),
        Step(
            "approve",
            Action.APPROVED,
            _("Approve"),
            _("Approve this application"),
            _("Yes, approve it"),
        ),
        Step(
            "refuse",
            Action.REFUSED,
            _("Refuse"),
            _("Refuse this application"),
            _("Yes, refuse it"),
        ),
        Step(
            "withdraw",
            Action.WITHDRAWN,
            _("Withdraw at the applicant's request"),
            _("Withdraw this application at the applicant's request"),
            _("Yes, withdraw it"),
        ),
        Step(
            "assign",
            Action.ASSIGNED,
            _("Assign"),
            _("Assign this case"),
            _("Assign"),
        ),
    )
}
SERVICES: dict[str, Callable[..., review.Decision]] = {
    Action.REVIEW_STARTED: review.start_review,
    Action.APPROVED: review.approve,
    Action.REFUSED: review.refuse,
    Action.WITHDRAWN: review.withdraw,
}


@dataclass(frozen=True)
class Link:
    label: str | Promise
    url: str


def links_for(request: HttpRequest, application: Application) -> list[Link]:
    """The buttons of the case page: the actions this user may take on the case now."""
    if not request.user.has_perm(REVIEW_PERMISSION):
        return []
    allowed = set(review.allowed_actions(application))
    links = [
        Link(step.button, reverse("case_actions:action", args=[application.pk, step.slug]))
        for step in STEPS.values()
        if step.action in allowed
    ]
    user = request.user
    if application.status in review.IN_PROGRESS and (
        user.has_perm("applications.assign_application")
        or application.assigned_to_id in (None, user.pk)
    ):
        step = STEPS["assign"]
        links.append(
            Link(step.button, reverse("case_actions:action", args=[application.pk, "assign"]))
        )
    return links


def case_page_url(application: Application) -> str:
    """The case admin's page of the application; this app's workflow page until that admin
    is registered."""
    try:
        return reverse("admin:applications_application_change", args=[application.pk])
    except NoReverseMatch:
        return reverse("case_actions:case", args=[application.pk])


def _case(pk: int) -> Application:
    """A submitted application (a draft is no case), with what the pages show."""
    queryset = Application.objects.select_related("group", "trade", "assigned_to")
    return get_object_or_404(queryset.exclude(status=Application.Status.DRAFT), pk=pk)


def _require_review(request: HttpRequest) -> None:
    if not request.user.has_perm(REVIEW_PERMISSION):
        raise PermissionDenied


def _context(request: HttpRequest, application: Application, **extra: Any) -> dict[str, Any]:
    return {
        **admin.site.each_context(request),
        "opts": Application._meta,
        "application": application,
        "case_url": case_page_url(application),
        **extra,
    }


def case_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The case's workflow page: status, officer, actions and history. Opening it is audited."""
    _require_review(request)
    application = _case(pk)
    audit.record_view(request, application)
    entries = audit.entries_for(application=application).exclude(action=Action.CASE_VIEWED)
    return TemplateResponse(
        request,
        "admin/applications/case_workflow.html",
        _context(
            request,
            application,
            title=_("Case %(reference)s") % {"reference": application.reference_number},
            links=links_for(request, application),
            entries=entries,
        ),
    )


def _perform(
    request: HttpRequest, step: Step, application: Application, form: forms.Form
) -> review.Decision:
    actor = Actor.of(request)
    note = form.cleaned_data["note"]
    if step.action == Action.ASSIGNED:
        officer = form.cleaned_data["officer"]
        if not assignment.may_assign(request.user, application=application, officer=officer):
            raise PermissionDenied
        return assignment.assign(application=application, officer=officer, actor=actor, note=note)
    return SERVICES[step.action](application=application, actor=actor, note=note)


def action_view(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    """Confirm one action on the case (GET), then do it (POST) and go back to the case."""
    _require_review(request)
    step = STEPS.get(slug)
    if step is None:
        raise PermissionDenied
    application = _case(pk)
    transition = review.TRANSITIONS.get(step.action)
    data = request.POST if request.method == "POST" else None
    form: NoteForm
    if step.action == Action.ASSIGNED:
        form = AssignForm(data, user=request.user, initial={"officer": application.assigned_to_id})
    else:
        form = NoteForm(data, note_required=bool(transition and transition.note_required))
    if data is not None and form.is_valid():
        try:
            decision = _perform(request, step, application, form)
        except (ReviewError, QuotaError) as error:
            form.add_error(None, str(error.message))
        else:
            done = _("Done.") if decision.changed else _("Nothing to do: this was already done.")
            messages.success(request, done)
            return HttpResponseRedirect(case_page_url(application))
    possible = transition is None or application.status in transition.sources
    return TemplateResponse(
        request,
        "admin/applications/case_action.html",
        _context(
            request,
            application,
            title=step.title,
            step=step,
            form=form,
            possible=possible and application.status not in review.FINAL,
            target=Application.Status(transition.target).label if transition else "",
            releases_quota=bool(transition and transition.release_reason)
            and application.is_principal,
            emails=bool(transition and transition.emails),
            visa_fee=_fee_due(application) if step.action == Action.APPROVED else "",
        ),
    )


def _fee_due(application: Application) -> str:
    """The fee approving it now would make due, as shown (the service records the same)."""
    try:
        return services.hkd(review.visa_fee_cents(application=application))
    except ReviewError:
        return ""


urlpatterns = [
    path("<int:pk>/", admin.site.admin_view(case_view), name="case"),
    path("<int:pk>/<slug:slug>/", admin.site.admin_view(action_view), name="action"),
]
