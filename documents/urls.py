from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("<uuid:group_id>/", views.group_documents, name="group"),
    path("<uuid:group_id>/upload/", views.upload, name="upload"),
    path("<uuid:group_id>/checks/", views.checks, name="checks"),
    path(
        "<uuid:group_id>/items/<str:person>/<str:code>/",
        views.item_status,
        name="item_status",
    ),
    path("<uuid:group_id>/files/<uuid:upload_id>/", views.serve_file, name="file"),
    path("<uuid:group_id>/files/<uuid:upload_id>/replace/", views.replace, name="replace"),
    path("<uuid:group_id>/files/<uuid:upload_id>/delete/", views.delete, name="delete"),
    path(
        "<uuid:group_id>/versions/<uuid:version_id>/",
        views.serve_version_file,
        name="version_file",
    ),
    path("previews/<uuid:upload_id>/<int:number>/", views.preview_image, name="preview_image"),
]
