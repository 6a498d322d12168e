"""Application groups, their applications (principal and dependants) and the employer's part.

The wizard fills these rows step by step; quota, documents and payments refer to them.
"""

import uuid

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Replace, Upper
from django.utils.translation import gettext_lazy as _

from . import references

MAX_APPLICATIONS_PER_GROUP = 9
MAX_DEPENDANTS = MAX_APPLICATIONS_PER_GROUP - 1


class Scheme(models.TextChoices):
    GEP = "GEP", _("General Employment Policy (GEP)")
    ASMTP = "ASMTP", _("Admission Scheme for Mainland Talents and Professionals (ASMTP)")


class Residence(models.TextChoices):
    MAINLAND = "mainland", _("the Mainland")
    MACAO = "macao", _("Macao")
    TAIWAN = "taiwan", _("Taiwan")
    OVERSEAS = "overseas", _("overseas")
    OTHER = "other", _("other")


class Sex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")


class MaritalStatus(models.TextChoices):
    SINGLE = "single", _("Single")
    MARRIED = "married", _("Married")
    DIVORCED = "divorced", _("Divorced")
    WIDOWED = "widowed", _("Widowed")
    SEPARATED = "separated", _("Separated")


class TravelDocumentType(models.TextChoices):
    PASSPORT = "passport", _("Passport")
    PRC_PASSPORT = "prc_passport", _("PRC passport")
    EEP = "eep", _("Exit-entry Permit for Travelling to and from Hong Kong and Macao")
    OTHER = "other", _("Other travel document")
    NONE = "none", _("No travel document (PRC resident identity card)")


class ApplicationGroupQuerySet(models.QuerySet["ApplicationGroup"]):
    def with_parts(self) -> "ApplicationGroupQuerySet":
        """With the employer's part, and the applications (in position order, with their
        trades) prefetched: three queries, whatever the group's size."""
        return self.select_related("employer").prefetch_related(
            models.Prefetch(
                "applications",
                queryset=Application.objects.select_related("trade").order_by("position"),
            )
        )


class ApplicationGroup(models.Model):
    """The principal application and its dependants, submitted and paid together."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PAYMENT_PENDING = "payment_pending", _("Payment pending")
        SUBMITTED = "submitted", _("Submitted")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    temporary_reference = models.CharField(_("temporary reference"), max_length=16, unique=True)
    contact_email = models.EmailField(_("contact email"))
    language = models.CharField(_("language"), max_length=10, default="en")
    scheme = models.CharField(_("scheme"), max_length=8, choices=Scheme.choices, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    wizard_state = models.JSONField(_("wizard state"), default=dict, blank=True)
    pics_acknowledged_at = models.DateTimeField(
        _("collection statement acknowledged at"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last saved at"), auto_now=True, db_index=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # Set by the submission service with the confirmed payment: the whole group's fee in HKD
    # cents (the acknowledgment shows it; applications never reads payments' rows).
    fee_paid_cents = models.PositiveIntegerField(_("fee paid (HKD cents)"), null=True, blank=True)
    # The pre-check's answers as given (applications.eligibility.answers_data): officers read
    # them, and why the scheme was chosen, on the case page. Empty for groups started before.
    eligibility_answers = models.JSONField(_("eligibility answers"), default=dict, blank=True)

    objects = ApplicationGroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("application group")
        verbose_name_plural = _("application groups")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return self.shown_reference

    @property
    def shown_reference(self) -> str:
        """The temporary reference as people read it everywhere: ``ABCD-EFGH-J``."""
        return references.display(self.temporary_reference)

    @property
    def principal(self) -> "Application | None":
        return next((a for a in self.applications.all() if a.is_principal), None)

    # The small rules of a group's status, written once.
    @property
    def is_editable(self) -> bool:
        """Answers, documents, signatures and the employer link may change: a draft only."""
        return self.status == self.Status.DRAFT

    @property
    def payment_in_flight(self) -> bool:
        """A payment attempt is active: the wizard shows the group read-only and says why."""
        return self.status == self.Status.PAYMENT_PENDING

    @property
    def is_resumable(self) -> bool:
        """Opened again by reference or link, saved and exited: a draft, or one being paid."""
        return self.is_editable or self.payment_in_flight

    @property
    def employer_part(self) -> "EmployerPart | None":
        """The employer's part, or None while the group has none (no query when loaded)."""
        try:
            return self.employer
        except EmployerPart.DoesNotExist:
            return None

    @property
    def handed_to_employer(self) -> bool:
        """The company's part is completed by employer HR through the emailed link."""
        part = self.employer_part
        return part is not None and part.completed_by == EmployerPart.CompletedBy.EMPLOYER


def trigram(column: str, *, name: str) -> GinIndex:
    """A trigram index on the upper-cased column: what `icontains` (UPPER(col) LIKE ...) uses."""
    return GinIndex(OpClass(Upper(column), name="gin_trgm_ops"), name=name)


def travel_document_key(column: str) -> models.Func:
    """A travel document number as searched and compared: upper case, no spaces or hyphens."""
    without_spaces = Replace(models.F(column), Value(" "), Value(""))
    return Upper(Replace(without_spaces, Value("-"), Value("")))


class ApplicationQuerySet(models.QuerySet["Application"]):
    def cases(self) -> "ApplicationQuerySet":
        """Submitted applications: what officers handle (drafts stay their applicants')."""
        return self.filter(submitted_at__isnull=False)


class Application(models.Model):
    """One person's application: the principal (technical professional) or a dependant."""

    class Role(models.TextChoices):
        PRINCIPAL = "principal", _("Applicant")
        DEPENDANT = "dependant", _("Dependant")

    class Relationship(models.TextChoices):
        SPOUSE = "spouse", _("Spouse or legally recognised partner")
        CHILD = "child", _("Unmarried dependent child under 18")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        UNDER_REVIEW = "under_review", _("Under review")
        SUPPLEMENTARY_REQUESTED = "supplementary_requested", _("Supplementary documents requested")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    group = models.ForeignKey(
        ApplicationGroup, on_delete=models.CASCADE, related_name="applications"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    position = models.PositiveSmallIntegerField(_("position in the group"), default=0)
    relationship = models.CharField(
        _("relationship to the applicant"), max_length=10, choices=Relationship.choices, blank=True
    )
    status = models.CharField(
        _("status"), max_length=30, choices=Status.choices, default=Status.DRAFT
    )
    reference_number = models.CharField(
        _("application reference number"), max_length=20, unique=True, null=True, blank=True
    )
    trade = models.ForeignKey(
        "quota.SkilledTrade",
        verbose_name=_("skilled trade"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
    )

    # Particulars
    surname = models.CharField(_("surname (English)"), max_length=100, blank=True)
    given_names = models.CharField(_("given names (English)"), max_length=100, blank=True)
    chinese_name = models.CharField(_("name in Chinese"), max_length=50, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    place_of_birth = models.CharField(_("place of birth"), max_length=100, blank=True)
    nationality = models.CharField(_("nationality"), max_length=2, blank=True)
    marital_status = models.CharField(
        _("marital status"), max_length=10, choices=MaritalStatus.choices, blank=True
    )
    residence = models.CharField(
        _("place of residence"), max_length=10, choices=Residence.choices, blank=True
    )
    overseas_chinese_prc_passport = models.BooleanField(
        _("overseas Chinese holding a PRC passport"), default=False
    )
    in_hong_kong = models.BooleanField(_("now in Hong Kong"), default=False)
    travel_document_type = models.CharField(
        _("travel document type"), max_length=20, choices=TravelDocumentType.choices, blank=True
    )
    travel_document_number = models.CharField(
        _("travel document number"), max_length=30, blank=True
    )
    # The number as officers search for it and as the duplicate check compares it.
    travel_document_key = models.GeneratedField(
        expression=travel_document_key("travel_document_number"),
        output_field=models.CharField(max_length=30),
        db_persist=True,
        verbose_name=_("travel document number (normalised)"),
    )
    travel_document_place_of_issue = models.CharField(
        _("travel document place of issue"), max_length=100, blank=True
    )
    travel_document_issue_date = models.DateField(
        _("travel document issue date"), null=True, blank=True
    )
    travel_document_expiry_date = models.DateField(
        _("travel document expiry date"), null=True, blank=True
    )
    hkid_number = models.CharField(_("Hong Kong identity card number"), max_length=12, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    address = models.TextField(_("address"), blank=True)

    # Qualifications and experience (principal): lists of dicts the wizard validates.
    academic_qualifications = models.JSONField(
        _("academic qualifications"), default=list, blank=True
    )
    work_experience = models.JSONField(_("work experience"), default=list, blank=True)
    professional_qualifications = models.TextField(
        _("professional qualifications and licences"), blank=True
    )

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # The officer handling the case; the review workflow assigns it.
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned officer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_cases",
    )

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ("group", "position")
        permissions = [("export_cases", _("Can export cases as CSV"))]
        # The case list's searches and filters (applications.case_search): trigram indexes
        # for names, b-trees for exact numbers and for the list's order.
        indexes = [
            trigram("surname", name="application_surname_trgm"),
            trigram("given_names", name="application_given_trgm"),
            trigram("chinese_name", name="application_chinese_trgm"),
            models.Index(fields=("travel_document_key",), name="application_travel_doc_idx"),
            models.Index(fields=("hkid_number",), name="application_hkid_idx"),
            models.Index(fields=("submitted_at", "id"), name="application_submitted_idx"),
            models.Index(fields=("status", "submitted_at"), name="application_status_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=("group", "position"), name="one_application_per_position"
            ),
            models.UniqueConstraint(
                fields=("group",),
                condition=Q(role="principal"),
                name="one_principal_per_group",
            ),
            models.CheckConstraint(
                condition=Q(position__lte=MAX_DEPENDANTS),
                name="at_most_nine_applications_per_group",
            ),
            models.CheckConstraint(
                condition=Q(role="principal", position=0, relationship="")
                | Q(role="dependant", position__gte=1),
                name="principal_first_dependants_after",
            ),
        ]

    def __str__(self) -> str:
        name = " ".join(part for part in (self.surname, self.given_names) if part)
        return name or str(self.get_role_display())

    @property
    def is_principal(self) -> bool:
        return self.role == self.Role.PRINCIPAL

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.surname.upper(), self.given_names) if part)


class EmployerPart(models.Model):
    """The employing company's section of a group, which employer HR may complete by link."""

    group = models.OneToOneField(
        ApplicationGroup, on_delete=models.CASCADE, related_name="employer"
    )
    company_name_en = models.CharField(_("company name (English)"), max_length=200, blank=True)
    company_name_zh = models.CharField(_("company name (Chinese)"), max_length=200, blank=True)
    business_registration_number = models.CharField(
        _("Business Registration number"), max_length=20, blank=True
    )
    incorporation_date = models.DateField(_("date of incorporation"), null=True, blank=True)
    company_address = models.TextField(_("company address"), blank=True)
    listed_main_board_or_gem = models.BooleanField(
        _("listed on the Main Board or GEM of the Stock Exchange of Hong Kong"), default=False
    )
    recent_non_local_visa = models.BooleanField(
        _(
            "obtained an employment or training visa for a non-local staff member in the past "
            "24 months"
        ),
        default=False,
    )
    authorised_person_name = models.CharField(
        _("authorised person's name"), max_length=100, blank=True
    )
    authorised_person_title = models.CharField(
        _("authorised person's title"), max_length=100, blank=True
    )
    authorised_person_email = models.EmailField(_("authorised person's email"), blank=True)
    authorised_person_phone = models.CharField(
        _("authorised person's phone"), max_length=30, blank=True
    )

    # Employment terms
    post_title = models.CharField(_("post title"), max_length=200, blank=True)
    monthly_salary_hkd = models.PositiveIntegerField(
        _("monthly salary (HKD)"), null=True, blank=True
    )
    fringe_benefits = models.TextField(_("fringe benefits"), blank=True)
    contract_start = models.DateField(_("contract start"), null=True, blank=True)
    contract_end = models.DateField(_("contract end"), null=True, blank=True)
    workplace_address = models.TextField(_("workplace address"), blank=True)

    class CompletedBy(models.TextChoices):
        APPLICANT = "applicant", _("I will fill in the company's part myself")
        EMPLOYER = "employer", _("The company's HR will fill it in through an emailed link")

    completed_by = models.CharField(
        _("who completes the company's part"),
        max_length=10,
        choices=CompletedBy.choices,
        blank=True,
    )
    link_sent_to = models.EmailField(_("employer link sent to"), blank=True)
    link_sent_at = models.DateTimeField(_("employer link sent at"), null=True, blank=True)
    # Signed into the employer link; a new one on each sending and on taking the part back, so
    # every earlier link stops working (applications.access).
    link_nonce = models.CharField(_("employer link nonce"), max_length=32, blank=True)

    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("employer's part")
        verbose_name_plural = _("employers' parts")
        indexes = [
            trigram("company_name_en", name="employer_name_en_trgm"),
            trigram("company_name_zh", name="employer_name_zh_trgm"),
            # varchar_pattern_ops: equality and prefix (LIKE '12345678-%') whatever the collation.
            models.Index(
                fields=("business_registration_number",),
                name="employer_br_number_idx",
                opclasses=("varchar_pattern_ops",),
            ),
        ]

    def __str__(self) -> str:
        return self.company_name_en or str(self.group)

    @property
    def is_exempt(self) -> bool:
        """The @ exemption: listed, or a non-local staff visa in the 24 months before."""
        return self.listed_main_board_or_gem or self.recent_non_local_visa


class Signature(models.Model):
    """A declaration that the information is correct, complete and true, and its signature.

    `fingerprint` is a digest of the data the declaration covers when it was signed; a later
    change of that data voids the signature (applications.services.signatures).
    """

    class Role(models.TextChoices):
        APPLICANT = "applicant", _("Applicant")
        DEPENDANT = "dependant", _("Dependant")
        GUARDIAN = "guardian", _("Parent or legal guardian")
        EMPLOYER = "employer", _("Employer's authorised person")

    class Method(models.TextChoices):
        DRAWN = "drawn", _("Drawn")
        TYPED = "typed", _("Typed name")

    group = models.ForeignKey(ApplicationGroup, on_delete=models.CASCADE, related_name="signatures")
    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="signatures",
        help_text=_("Whose declaration; empty for the employer's authorised person."),
    )
    role = models.CharField(_("signed as"), max_length=10, choices=Role.choices)
    signer_name = models.CharField(_("name of the person signing"), max_length=200)
    capacity = models.CharField(_("capacity"), max_length=100, blank=True)
    method = models.CharField(_("method"), max_length=5, choices=Method.choices)
    drawn_image = models.TextField(_("drawn signature (PNG data URL)"), blank=True)
    typed_name = models.CharField(_("typed signature"), max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    signed_at = models.DateTimeField(_("signed at"))
    fingerprint = models.CharField(_("fingerprint of the data signed"), max_length=64)
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    void_reason = models.CharField(_("why it was voided"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ("group", "signed_at", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=("application",),
                condition=Q(voided_at__isnull=True, application__isnull=False),
                name="one_valid_signature_per_application",
            ),
            models.UniqueConstraint(
                fields=("group",),
                condition=Q(voided_at__isnull=True, role="employer"),
                name="one_valid_employer_signature_per_group",
            ),
            models.CheckConstraint(
                condition=Q(role="employer", application__isnull=True)
                | (~Q(role="employer") & Q(application__isnull=False)),
                name="employer_signature_has_no_application",
            ),
            models.CheckConstraint(
                condition=Q(method="drawn", drawn_image__startswith="data:image/png;base64,")
                | (Q(method="typed") & ~Q(typed_name="")),
                name="signature_is_drawn_or_typed",
            ),
        ]

    def __str__(self) -> str:
        return self.signer_name

    @property
    def is_valid(self) -> bool:
        return self.voided_at is None


class AcknowledgmentOutbox(models.Model):
    """The acknowledgment email of a submitted group, to be sent once.

    Created in the transaction that submits the group (one per group: the one-to-one key is
    the outbox's unique key, so two confirmations racing cannot queue two emails); the Celery
    task applications.tasks.send_acknowledgment sends it and sets `sent_at` under the row's
    lock, so running it twice sends one email.
    """

    group = models.OneToOneField(
        ApplicationGroup,
        verbose_name=_("application group"),
        on_delete=models.CASCADE,
        related_name="acknowledgment_outbox",
    )
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    sent_to = models.TextField(_("sent to"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("sending attempts"), default=0)

    class Meta:
        verbose_name = _("acknowledgment email")
        verbose_name_plural = _("acknowledgment emails")

    def __str__(self) -> str:
        return str(self.group)


# The audit trail and the decision emails' outbox live in their own module (the back office's
# rows); importing them here registers them with the app.
from .audit_models import AuditEntry, DecisionEmail  # noqa: E402, F401
