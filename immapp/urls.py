"""URL configuration: health and webhooks without a language prefix, pages with one."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from applications import status_views
from payments import views as payment_views

from . import health, views

admin.site.site_header = admin.site.site_title = _("TP Stream e-Application: back office")

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    # Before admin's own addresses, which would answer anything under admin/ otherwise.
    path("admin/applications/case-actions/", include("applications.admin_actions")),
    path("admin/", admin.site.urls),
    # Providers call these fixed addresses: no language prefix, no CSRF (verified signatures).
    path("payments/webhooks/<slug:provider>/", payment_views.webhook, name="payment_webhook"),
    path("i18n/", include("django.conf.urls.i18n")),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("guide/<slug:slug>/", views.guide_page, name="guide"),
    path("apply/", include("applications.urls")),
    path("quota/", include("quota.urls")),
    path("payments/", include("payments.urls")),
    path("documents/", include("documents.urls")),
    path("status/", status_views.status, name="status"),
    path("supplementary/", include("documents.supplementary_urls")),
)
