"""Uploaded documents and officers' requests for supplementary documents.

An upload's bytes live in the default storage under a random key; the row keeps the sanitised
original name for display and, once the content inspection has run, its verdict as codes
(`reason_code`, `reason_params`, `warning_codes`), so the message is shown in the viewer's
language. Replacing a file keeps the one replaced as an UploadVersion, for officers. The
business rules live in documents.services.
"""

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.models import Application, ApplicationGroup

from .catalogue import BY_CODE, CATALOGUE, Requirement
from .exceptions import DeadlinePassed, RequestClosed
from .messages import describe_reason, describe_warning

REQUIREMENT_CHOICES = [(item.code, item.code) for item in CATALOGUE]
FREE_TEXT_MAX_FILES = 5


class StoredFile(models.Model):
    """A stored file and its inspection verdict: an upload's current file or an earlier one."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Being checked")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    storage_key = models.CharField(_("storage key"), max_length=255, unique=True, editable=False)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size (bytes)"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    format = models.CharField(_("format"), max_length=10, blank=True)
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    reason_code = models.CharField(_("reason"), max_length=64, blank=True)
    reason_params = models.JSONField(_("reason details"), default=dict, blank=True)
    warning_codes = models.JSONField(_("warnings"), default=list, blank=True)
    # When this file was sent (set again when a replacement takes an upload's place).
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now, editable=False)
    inspected_at = models.DateTimeField(_("checked at"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_checked(self) -> bool:
        return self.status != self.Status.PENDING

    @property
    def reason(self) -> str:
        """The rejection reason in the active language ("" when accepted or not checked yet)."""
        if not self.reason_code:
            return ""
        return describe_reason(self.reason_code, self.reason_params or {})

    @property
    def warnings(self) -> list[str]:
        return [describe_warning(code) for code in self.warning_codes or ()]

    def stored_file(self) -> dict[str, Any]:
        """This file's fields and verdict, as StoredFile declares them (to archive them)."""
        return {field.name: getattr(self, field.name) for field in StoredFile._meta.fields}


class Upload(StoredFile):
    """One document uploaded for a catalogue item of one person or a supplementary item.

    The row holds its latest file, the one that counts (checklist, limits, the applicant's
    pages); each file it replaced is kept as an UploadVersion, for officers.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    group = models.ForeignKey(
        ApplicationGroup,
        verbose_name=_("application group"),
        on_delete=models.CASCADE,
        related_name="document_uploads",
    )
    # The person: an application for sections A and C; none for the employer's section B.
    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="document_uploads",
    )
    requirement_code = models.CharField(
        _("document"), max_length=4, choices=REQUIREMENT_CHOICES, blank=True
    )
    supplementary_item = models.ForeignKey(
        "SupplementaryItem",
        verbose_name=_("supplementary item"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="uploads",
    )
    # The number of the current file: 1 for the first, one more at each replacement.
    version = models.PositiveSmallIntegerField(_("version"), default=1, editable=False)
    # Checks started on this file; one that never finished still counts (services.inspections).
    inspection_attempts = models.PositiveSmallIntegerField(
        _("checks started"), default=0, editable=False
    )

    class Meta:
        verbose_name = _("uploaded document")
        verbose_name_plural = _("uploaded documents")
        ordering = ("uploaded_at", "pk")
        indexes = [models.Index(fields=("group", "requirement_code"))]
        constraints = [
            models.CheckConstraint(
                condition=~Q(requirement_code="") | Q(supplementary_item__isnull=False),
                name="upload_for_an_item",
            ),
            # Checklist uploads: section B belongs to the company, A and C to a person.
            models.CheckConstraint(
                condition=Q(supplementary_item__isnull=False)
                | Q(requirement_code__startswith="B", application__isnull=True)
                | (~Q(requirement_code__startswith="B") & Q(application__isnull=False)),
                name="upload_person_matches_section",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def requirement(self) -> Requirement | None:
        return BY_CODE.get(self.requirement_code)

    @property
    def section(self) -> str | None:
        requirement = self.requirement
        return requirement.section if requirement else None

    @property
    def carries_photo(self) -> bool:
        requirement = self.requirement
        return bool(requirement and requirement.carries_photo)


class UploadVersion(StoredFile):
    """A file an upload held before it was replaced, kept with its verdict for officers.

    Never shown to the applicant and never counted: the upload's current file is what counts.
    Goes with its upload (and its stored file with it: documents.services).
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    upload = models.ForeignKey(
        Upload,
        verbose_name=_("uploaded document"),
        on_delete=models.CASCADE,
        related_name="versions",
    )
    number = models.PositiveSmallIntegerField(_("version"))
    replaced_at = models.DateTimeField(_("replaced at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("earlier version")
        verbose_name_plural = _("earlier versions")
        ordering = ("upload", "number")
        constraints = [
            models.UniqueConstraint(fields=("upload", "number"), name="upload_version_number"),
        ]

    def __str__(self) -> str:
        return self.original_name


class SupplementaryRequest(models.Model):
    """An officer's request for further documents for one application."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="supplementary_requests",
    )
    message = models.TextField(_("message to the applicant"))
    deadline = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("supplementary document request")
        verbose_name_plural = _("supplementary document requests")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return str(self.public_id)

    @property
    def is_open(self) -> bool:
        """Files may still be sent against it: open, and its deadline (a local date) not passed."""
        return self.status == self.Status.OPEN and self.deadline >= timezone.localdate()

    def check_open(self) -> None:
        """Raise RequestClosed (answered or withdrawn) or DeadlinePassed unless it is open."""
        if self.status != self.Status.OPEN:
            raise RequestClosed
        if not self.is_open:
            raise DeadlinePassed


class SupplementaryItem(models.Model):
    """One requested document: a catalogue item, or an officer's free-text description."""

    request = models.ForeignKey(
        SupplementaryRequest,
        verbose_name=_("request"),
        on_delete=models.CASCADE,
        related_name="items",
    )
    requirement_code = models.CharField(
        _("document"), max_length=4, choices=REQUIREMENT_CHOICES, blank=True
    )
    description = models.CharField(_("description"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("requested document")
        verbose_name_plural = _("requested documents")
        ordering = ("request", "position")
        constraints = [
            models.CheckConstraint(
                condition=(Q(requirement_code="") & ~Q(description=""))
                | (~Q(requirement_code="") & Q(description="")),
                name="supplementary_item_code_or_description",
            ),
        ]

    def __str__(self) -> str:
        return str(self.label)

    @property
    def requirement(self) -> Requirement | None:
        return BY_CODE.get(self.requirement_code)

    @property
    def label(self) -> str:
        requirement = self.requirement
        return str(requirement.label) if requirement else self.description

    @property
    def max_files(self) -> int:
        requirement = self.requirement
        return requirement.max_files if requirement else FREE_TEXT_MAX_FILES

    @property
    def carries_photo(self) -> bool:
        requirement = self.requirement
        return bool(requirement and requirement.carries_photo)
