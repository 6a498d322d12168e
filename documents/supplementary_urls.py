"""The applicant's supplementary documents pages, under /supplementary/ in each language."""

from django.urls import path

from . import supplementary_views as views

app_name = "supplementary"

urlpatterns = [
    path("", views.find, name="find"),
    path("documents/", views.request_page, name="request"),
    path("documents/upload/", views.upload, name="upload"),
    path("documents/send/", views.submit, name="submit"),
    path("documents/items/<int:item_id>/", views.item_status, name="item_status"),
    path("documents/files/<uuid:upload_id>/", views.serve_file, name="file"),
    path("documents/files/<uuid:upload_id>/replace/", views.replace, name="replace"),
    path("documents/files/<uuid:upload_id>/delete/", views.delete, name="delete"),
]
