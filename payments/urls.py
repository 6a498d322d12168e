from django.urls import path

from . import sandbox_views, views

app_name = "payments"

urlpatterns = [
    path("<uuid:group_id>/", views.pay, name="pay"),
    path("attempt/<uuid:attempt_id>/", views.attempt_page, name="attempt"),
    path("attempt/<uuid:attempt_id>/return/", views.return_view, name="return"),
    path("attempt/<uuid:attempt_id>/cancel/", views.cancel, name="cancel"),
    path("sandbox/bank/", sandbox_views.sandbox_bank, name="sandbox_bank"),
    path("sandbox/<str:reference>/", sandbox_views.sandbox_page, name="sandbox_page"),
]
