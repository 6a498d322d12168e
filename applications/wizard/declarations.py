"""The declarations page's form: one block per person still to sign.

Each block asks the declaration (with the warning that a false statement is an offence), for the
company also its undertakings, the name of the person signing (and for a guardian, whether
parent or legal guardian), and the signature: drawn on the canvas (a PNG data URL in a hidden
field) or, for keyboard and screen-reader users, the full name typed.
"""

import re
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..models import ApplicationGroup, Signature
from ..services.signatures import SignatureEntry, Signer, clean_drawn_signature, fingerprint
from .fields import WizardForm

GUARDIAN_CAPACITIES = (("parent", _("Parent")), ("legal_guardian", _("Legal guardian")))
DECLARATION = _(
    "I declare that the information given in this application is correct, complete and true."
)
# Shown with every declaration, above its tick box.
FALSE_STATEMENT_WARNING = _(
    "Anyone who makes a statement or representation to the Immigration Department that they "
    "know to be false or do not believe to be true, or who gives false information, commits "
    "an offence under the Immigration Ordinance (Cap. 115). A visa or entry permit obtained "
    "that way may be declared invalid."
)
# The company's undertakings, which its authorised person gives with the declaration.
EMPLOYER_UNDERTAKINGS = (
    _(
        "employ the applicant in the post, and pay the salary and fringe benefits, stated in "
        "this application for the period of the contract;"
    ),
    _(
        "tell the Immigration Department in writing, as soon as possible, if the employment "
        "ends before the end of the contract or its terms change."
    ),
)
UNDERTAKING = _("On behalf of the company, I give these undertakings")


def _same_name(a: str, b: str) -> bool:
    def norm(value: str) -> str:
        return re.sub(r"\s+", " ", value).strip().casefold()

    return norm(a) == norm(b)


@dataclass(frozen=True)
class Block:
    signer: Signer
    confirm: forms.BoundField
    name: forms.BoundField
    capacity: forms.BoundField | None
    drawn: forms.BoundField
    typed: forms.BoundField
    shown: forms.BoundField
    undertaking: forms.BoundField | None = None

    @property
    def warning(self) -> str:
        return str(FALSE_STATEMENT_WARNING)

    @property
    def undertakings(self) -> tuple[str, ...]:
        return tuple(str(text) for text in EMPLOYER_UNDERTAKINGS) if self.undertaking else ()


class ShownField(forms.CharField):
    """The fingerprint of the data the page shows a signer (applications.services.signatures):
    posted back as the page had it, so signing can tell whether the data changed since; always
    rendered afresh, so a page shown again after an error carries what it shows now."""

    widget = forms.HiddenInput

    def __init__(self, *, initial: str) -> None:
        super().__init__(required=False, initial=initial)

    def bound_data(self, data: object, initial: object) -> object:
        return initial


class DrawnField(forms.CharField):
    """The drawn signature, a PNG data URL in a hidden field that applications' signature-pad.js
    fills and, on a page shown again after an error, draws back on the canvas: so a valid
    drawing is rendered back as posted, and anything else (unreadable, blank, too large) as
    empty, for the person to draw again."""

    widget = forms.HiddenInput

    def __init__(self) -> None:
        super().__init__(
            required=False,
            max_length=300_000,
            widget=forms.HiddenInput(attrs={"data-signature-data": ""}),
        )

    def bound_data(self, data: object, initial: object) -> object:
        if not isinstance(data, str) or not data or len(data) > (self.max_length or 0):
            return ""
        try:
            return clean_drawn_signature(data)
        except ValidationError:
            return ""


class DeclarationsForm(WizardForm):
    def __init__(self, *args, signers: list[Signer], group: ApplicationGroup, **kwargs):
        super().__init__(*args, **kwargs)
        self.signers = signers
        employer = getattr(group, "employer", None)
        for signer in signers:
            k = "sig" + signer.key
            self.fields[k + "_confirm"] = forms.BooleanField(
                label=DECLARATION,
                error_messages={"required": _("Confirm the declaration")},
            )
            if signer.role == Signature.Role.EMPLOYER:
                self.fields[k + "_undertaking"] = forms.BooleanField(
                    label=UNDERTAKING,
                    error_messages={"required": _("Confirm the company's undertakings")},
                )
            suggested = signer.person_name
            if signer.role == Signature.Role.GUARDIAN:
                name_label = _("Full name of the parent or legal guardian signing")
                suggested = ""
            elif signer.role == Signature.Role.EMPLOYER:
                name_label = _("Full name of the authorised person signing")
                suggested = employer.authorised_person_name if employer else ""
            else:
                name_label = _("Full name of the person signing")
            self.fields[k + "_name"] = forms.CharField(
                label=name_label,
                max_length=200,
                initial=suggested,
                widget=forms.TextInput(attrs={"class": "input", "autocomplete": "name"}),
                error_messages={"required": _("Enter the full name of the person signing")},
            )
            if signer.role == Signature.Role.GUARDIAN:
                self.fields[k + "_capacity"] = forms.ChoiceField(
                    label=_("Signing as"),
                    choices=GUARDIAN_CAPACITIES,
                    widget=forms.RadioSelect,
                    error_messages={"required": _("Select parent or legal guardian")},
                )
            elif signer.role == Signature.Role.EMPLOYER:
                self.fields[k + "_capacity"] = forms.CharField(
                    label=_("Title of the authorised person"),
                    max_length=100,
                    initial=employer.authorised_person_title if employer else "",
                    widget=forms.TextInput(
                        attrs={"class": "input", "autocomplete": "organization-title"}
                    ),
                    error_messages={"required": _("Enter the authorised person's title")},
                )
            self.fields[k + "_drawn"] = DrawnField()
            self.fields[k + "_shown"] = ShownField(initial=fingerprint(group, signer))
            self.fields[k + "_typed"] = forms.CharField(
                label=_("Or type the full name of the person signing as the signature"),
                required=False,
                max_length=200,
                help_text=_("If you cannot draw, type the same full name as above."),
                widget=forms.TextInput(attrs={"class": "input", "autocomplete": "off"}),
            )

    def blocks(self) -> list[Block]:
        out = []
        for signer in self.signers:
            k = "sig" + signer.key
            out.append(
                Block(
                    signer=signer,
                    confirm=self[k + "_confirm"],
                    name=self[k + "_name"],
                    capacity=self[k + "_capacity"] if k + "_capacity" in self.fields else None,
                    drawn=self[k + "_drawn"],
                    typed=self[k + "_typed"],
                    shown=self[k + "_shown"],
                    undertaking=self[k + "_undertaking"]
                    if k + "_undertaking" in self.fields
                    else None,
                )
            )
        return out

    def clean(self):
        cleaned = super().clean()
        for signer in self.signers:
            k = "sig" + signer.key
            drawn, typed = cleaned.get(k + "_drawn", ""), cleaned.get(k + "_typed", "").strip()
            name = cleaned.get(k + "_name", "")
            if drawn:
                try:
                    cleaned[k + "_drawn"] = clean_drawn_signature(drawn)
                except ValidationError as exc:
                    self.add_error(k + "_typed", exc)
            elif not typed:
                self.add_error(
                    k + "_typed",
                    ValidationError(
                        _("Draw the signature in the box, or type the full name instead"),
                        code="signature_missing",
                    ),
                )
            elif name and not _same_name(typed, name):
                self.add_error(
                    k + "_typed",
                    ValidationError(
                        _(
                            "The typed signature must be the same as the full name of the person "
                            "signing"
                        ),
                        code="signature_mismatch",
                    ),
                )
        return cleaned

    def entries(self) -> list[SignatureEntry]:
        c = self.cleaned_data
        return [
            SignatureEntry(
                signer=signer,
                signer_name=c["sig" + signer.key + "_name"],
                capacity=c.get("sig" + signer.key + "_capacity", ""),
                drawn_image=c.get("sig" + signer.key + "_drawn", ""),
                typed_name=c.get("sig" + signer.key + "_typed", "").strip(),
                shown_fingerprint=c.get("sig" + signer.key + "_shown", ""),
            )
            for signer in self.signers
        ]
