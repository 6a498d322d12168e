from django.urls import path

from . import entry_views, submission_views, views
from .wizard import employer_views
from .wizard import views as wizard_views

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
    # After payment (submission_views): the acknowledgment, its PDF, finding it again.
    path(
        "acknowledgment/find/",
        submission_views.find_acknowledgment,
        name="find_acknowledgment",
    ),
    path(
        "<uuid:group_id>/acknowledgment/",
        submission_views.acknowledgment,
        name="acknowledgment",
    ),
    path(
        "<uuid:group_id>/acknowledgment/pdf/",
        submission_views.acknowledgment_pdf,
        name="acknowledgment_pdf",
    ),
    # The wizard (applications.wizard): one address per step, and the employer's link.
    path("<uuid:group_id>/", wizard_views.wizard_start, name="wizard_start"),
    path("<uuid:group_id>/status/", wizard_views.wizard_status, name="wizard_status"),
    path("<uuid:group_id>/tasks/", wizard_views.task_list, name="task_list"),
    path(
        "<uuid:group_id>/employer-link/",
        wizard_views.send_employer_link,
        name="send_employer_link",
    ),
    path("<uuid:group_id>/<str:step>/", wizard_views.applicant_wizard, name="wizard"),
    path("employer/<str:token>/done/", employer_views.employer_done, name="employer_done"),
    path(
        "employer/<str:token>/<str:step>/",
        employer_views.employer_wizard,
        name="employer_wizard",
    ),
]
