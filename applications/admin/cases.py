"""Cases: one row per submitted application, and one read-only page per case.

Officers (view permission on applications) read; nobody edits what applicants declared, so
the page has no form and every add, change or delete is refused. Supervisors also export the
filtered list as CSV (applications.export_cases).

Extension points for the review workflow: `get_urls` (add the action views before
`super().get_urls()`), the page template's block `case_actions` (a place for the action buttons,
outside any form), and applications.case_page.TIMELINE_SOURCES (more events on the timeline).
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quota.models import SkilledTrade

from .. import admin_actions, case_search, references
from ..case_page import case_page
from ..models import Application, Scheme
from ..roles import OFFICER, SUPERVISOR
from ..services import audit, display_name, reports

EXPORT_PERMISSION = "applications.export_cases"


class CaseStatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [
            (value, label)
            for value, label in Application.Status.choices
            if value != Application.Status.DRAFT
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        return queryset.filter(status=self.value()) if self.value() else queryset


class TradeFilter(admin.SimpleListFilter):
    """The group's trade, which only the principal holds: dependants come with their principal."""

    title = _("skilled trade")
    parameter_name = "trade"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [(str(trade.pk), trade.name) for trade in SkilledTrade.objects.all()]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value()
        if not value or not value.isdigit():
            return queryset
        principals = Application.objects.filter(
            role=Application.Role.PRINCIPAL, trade_id=int(value)
        )
        return queryset.filter(group_id__in=principals.values("group_id"))


class SchemeFilter(admin.SimpleListFilter):
    title = _("scheme")
    parameter_name = "scheme"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [(value, value) for value in Scheme.values]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() in Scheme.values:
            return queryset.filter(group__scheme=self.value())
        return queryset


class AssignedFilter(admin.SimpleListFilter):
    title = _("assigned officer")
    parameter_name = "assigned"
    NOBODY = "none"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        staff = (
            get_user_model()
            .objects.filter(is_active=True, groups__name__in=(OFFICER, SUPERVISOR))
            .distinct()
            .order_by("username")
        )
        return [(self.NOBODY, _("Not assigned")), *((str(u.pk), u.get_username()) for u in staff)]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value()
        if value == self.NOBODY:
            return queryset.filter(assigned_to__isnull=True)
        if value and value.isdigit():
            return queryset.filter(assigned_to_id=value)
        return queryset


class CaseChangeList(ChangeList):
    """Puts each row's trade (its principal's, for a dependant) on it with one more query."""

    def get_results(self, request: HttpRequest) -> None:
        super().get_results(request)
        trades = SkilledTrade.objects.in_bulk(
            {row.case_trade_id for row in self.result_list if row.case_trade_id}
        )
        for row in self.result_list:
            row.case_trade = trades.get(row.case_trade_id)


@admin.register(Application)
class CaseAdmin(admin.ModelAdmin):
    change_list_template = "admin/applications/case/change_list.html"
    change_form_template = "admin/applications/case/change_form.html"
    list_display = (
        "case_reference",
        "name",
        "role_shown",
        "trade_shown",
        "scheme",
        "status",
        "submitted_at",
        "assigned_to",
        "company",
    )
    list_display_links = ("case_reference",)
    list_filter = (
        CaseStatusFilter,
        TradeFilter,
        SchemeFilter,
        ("submitted_at", admin.DateFieldListFilter),
        AssignedFilter,
    )
    list_select_related = ("group__employer", "assigned_to")
    # The sorts an index serves (the list's order, and the reference's unique index).
    ordering = ("-submitted_at",)
    sortable_by = ("case_reference", "submitted_at")
    # The search is applications.case_search; the field here only makes admin show the box.
    search_fields = ("reference_number",)
    search_help_text = _(
        "Application or temporary reference, name (English or Chinese; three characters or "
        "more for part of a name), travel document, HKID, company name or BR number."
    )
    show_full_result_count = False
    list_per_page = 50
    actions = None

    def get_queryset(self, request: HttpRequest) -> QuerySet[Application]:
        return reports.with_case_trade(Application.objects.cases())

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return CaseChangeList

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        return case_search.search(queryset, search_term), False

    # Read-only for everyone, superusers included: what applicants declared stays as declared.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_export_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(EXPORT_PERMISSION)

    # Columns

    @admin.display(description=_("reference"), ordering="reference_number")
    def case_reference(self, application: Application) -> str:
        return application.reference_number or "-"

    @admin.display(description=_("name"))
    def name(self, application: Application) -> str:
        return display_name(application)

    @admin.display(description=_("role"))
    def role_shown(self, application: Application) -> str:
        if application.relationship:
            return str(application.get_relationship_display())
        return str(application.get_role_display())

    @admin.display(description=_("skilled trade"))
    def trade_shown(self, application: Application) -> str:
        trade = getattr(application, "case_trade", None)
        return trade.name if trade else "-"

    @admin.display(description=_("scheme"), ordering="group__scheme")
    def scheme(self, application: Application) -> str:
        return application.group.scheme

    @admin.display(description=_("company"))
    def company(self, application: Application) -> str:
        employer = application.group.employer_part
        return employer.company_name_en if employer else "-"

    # Pages

    def get_urls(self) -> list:
        view = self.admin_site.admin_view
        return [
            path("export/", view(self.export_view), name="applications_application_export"),
            path(
                "dashboard/", view(self.dashboard_view), name="applications_application_dashboard"
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None) -> Any:
        extra = {
            "title": _("Cases"),
            "may_export": self.has_export_permission(request),
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context=extra)

    def get_fields(self, request: HttpRequest, obj: object = None) -> tuple[()]:
        return ()  # the page shows the case itself (case_page), not a form

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Application | None = None,
    ) -> HttpResponse:
        if obj is not None:
            audit.record_view(request, obj)  # every opening of a case page, by whom, from where
            page = case_page(obj)
            context["case"] = page
            context["case_actions"] = admin_actions.links_for(request, obj)
            context["title"] = _("Case %(reference)s: %(name)s") % {
                "reference": obj.reference_number or page.temporary_reference,
                "name": display_name(obj),
            }
            context["people"] = [
                (person, self._case_url(person)) for person in page.group.applications.all()
            ]
            context["duplicates"] = [
                (other, self._case_url(other) if other.submitted_at else "", self._temp(other))
                for other in page.duplicates
            ]
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _case_url(self, application: Application) -> str:
        return reverse("admin:applications_application_change", args=[application.pk])

    @staticmethod
    def _temp(application: Application) -> str:
        return references.display(application.group.temporary_reference)

    def export_view(self, request: HttpRequest) -> HttpResponseBase:
        """The list as filtered and searched (the list's own query string), as CSV."""
        if not self.has_export_permission(request):
            raise PermissionDenied
        if request.method != "POST":  # it writes a record: never from a plain link
            return HttpResponseNotAllowed(["POST"])
        return _export(self, request)

    def dashboard_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": _("Reports: quota use and cases"),
            "opts": self.model._meta,
            "dashboard": reports.dashboard(),
            "cases_url": reverse("admin:applications_application_changelist"),
        }
        return TemplateResponse(request, "admin/applications/case/dashboard.html", context)


def _export(model_admin: CaseAdmin, request: HttpRequest) -> StreamingHttpResponse:
    changelist = model_admin.get_changelist_instance(request)
    cases = changelist.get_queryset(request)
    criteria = request.META.get("QUERY_STRING", "")
    audit.record_export(request, what="cases", criteria=criteria, count=cases.count())
    lines = reports.export_cases(cases=cases, by=cast(Any, request.user), criteria=criteria)
    filename = "cases-" + timezone.localtime().strftime("%Y%m%d-%H%M") + ".csv"
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="' + filename + '"'
    response["Cache-Control"] = "private, no-store"
    return response
