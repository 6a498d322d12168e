"""The back office's audit trail, and the outbox of the emails its decisions send.

AuditEntry rows are append-only: applications.services.audit writes them, nothing changes or
deletes them. The table itself refuses UPDATE and DELETE (triggers of migration
0008_review_audit), so neither admin nor a script through the ORM or SQL can rewrite history.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """Who did or looked at what, when and from where."""

    class Action(models.TextChoices):
        CASE_VIEWED = "case_viewed", _("Case opened")
        DOCUMENT_VIEWED = "document_viewed", _("Document opened or downloaded")
        EXPORTED = "exported", _("List exported")
        REVIEW_STARTED = "review_started", _("Review started")
        SUPPLEMENTARY_REQUESTED = "supplementary_requested", _("Supplementary documents requested")
        REVIEW_RESUMED = "review_resumed", _("Review resumed")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn at the applicant's request")
        ASSIGNED = "assigned", _("Assigned")
        QUOTA_CLOSED = "quota_closed", _("Quota pool closed")
        QUOTA_REOPENED = "quota_reopened", _("Quota pool reopened")

    # PROTECT: whoever acted stays known; staff accounts are deactivated, never deleted.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when the service itself acted (an applicant's reply, a deadline)."),
    )
    actor_name = models.CharField(_("user name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=30, choices=Action.choices)
    object_type = models.CharField(_("object type"), max_length=60)
    object_id = models.CharField(_("object id"), max_length=40)
    # No database constraint and nothing done on delete: the 14-day purge deletes drafts whose
    # documents an officer may have opened, and their entries must outlive them unchanged.
    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("application"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="audit_entries",
    )
    group = models.ForeignKey(
        "applications.ApplicationGroup",
        verbose_name=_("application group"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="audit_entries",
    )
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("from address"), null=True, blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        ordering = ("-at", "-id")
        indexes = [
            models.Index(fields=("application", "at"), name="audit_application_at"),
            models.Index(fields=("actor", "at"), name="audit_actor_at"),
            models.Index(fields=("action", "at"), name="audit_action_at"),
        ]
        # The workflow's permissions. They are declared here, on the model the review
        # workflow owns, rather than on Application, whose options the case admin changes at
        # the same time; a permission's name is "applications.<codename>" either way.
        permissions = [
            ("review_application", _("Can review and decide applications")),
            ("assign_application", _("Can assign applications to any officer")),
        ]

    def __str__(self) -> str:
        return str(self.get_action_display()) + " " + self.object_type + " " + self.object_id


class DecisionEmail(models.Model):
    """The email announcing a decision recorded in `entry`, to be sent once.

    Created in the decision's transaction; the Celery task applications.tasks.send_decision_email
    sends it and sets `sent_at` under the row's lock, so running the task twice sends one email.
    """

    entry = models.OneToOneField(
        AuditEntry,
        verbose_name=_("audit entry"),
        on_delete=models.PROTECT,
        related_name="email",
    )
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    sent_to = models.TextField(_("sent to"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("sending attempts"), default=0)

    class Meta:
        verbose_name = _("decision email")
        verbose_name_plural = _("decision emails")

    def __str__(self) -> str:
        return str(self.entry)
