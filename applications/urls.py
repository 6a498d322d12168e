from django.urls import path

from . import entry_views, views

app_name = "applications"

urlpatterns = [
    path("", views.start, name="start"),
    # Before and around the wizard (entry_views): pre-check, statement, start, save, resume.
    path("eligibility/", entry_views.eligibility, name="eligibility"),
    path("privacy/", entry_views.pics, name="pics"),
    path("new/", entry_views.new_draft, name="new_draft"),
    path("saved/", entry_views.saved, name="saved"),
    path("resume/", entry_views.resume, name="resume"),
    path("resume/<str:token>/", entry_views.resume_link, name="resume_link"),
    path("session/keepalive/", entry_views.keepalive, name="keepalive"),
    path("<uuid:group_id>/save-and-exit/", entry_views.save_and_exit, name="save_and_exit"),
    path("<uuid:group_id>/suspended/", entry_views.suspended, name="suspended"),
]
