"""The PDF acknowledgment of a submitted group, drawn with fpdf2 in the active language.

One font for every language: Noto Sans CJK (Debian's fonts-noto-cjk) covers Latin, Traditional
and Simplified Chinese and the Hong Kong supplementary characters found in names (such as 𨋢).
fpdf2 embeds only the glyphs used (a subset), so the file opens the same in every viewer.
The collection holds one face per region: Hong Kong for English and Traditional Chinese,
Simplified Chinese for Simplified Chinese (both have every character; the glyph shapes follow
each region's conventions). reportlab's built-in CID fonts are not used: they are not embedded
or are mis-encoded in common viewers.

Called through applications.services.acknowledgment_pdf, which activates the group's language.
"""

from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import WrapMode, XPos, YPos
from fpdf.fonts import FontFace

if TYPE_CHECKING:
    from .services.acknowledgment import Acknowledgment

# Faces of NotoSansCJK-Regular.ttc (0 JP, 1 KR, 2 SC, 3 TC, 4 HK).
FACE_FOR_LANGUAGE = {"zh-hans": 2}
HONG_KONG_FACE = 4
FAMILY = "noto-cjk"
INSTALL_HINT = "apt-get install -y fonts-noto-cjk (or set ACKNOWLEDGMENT_FONT to its .ttc)"


class FontMissing(RuntimeError):
    """The CJK font file is not installed: an installation fault, not the applicant's."""


def font_path() -> Path:
    path = Path(settings.ACKNOWLEDGMENT_FONT)
    if not path.is_file():
        raise FontMissing("the acknowledgment font " + str(path) + " is missing: " + INSTALL_HINT)
    return path


def _face(language: str) -> int:
    return FACE_FOR_LANGUAGE.get(language, HONG_KONG_FACE)


class _Document(FPDF):
    def __init__(self, language: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.language = language
        self.add_font(FAMILY, fname=str(font_path()), collection_font_number=_face(language))
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(left=18, top=18, right=18)
        # CJK text has no spaces: it may wrap between any two characters.
        self.wrap = WrapMode.WORD if language == "en" else WrapMode.CHAR
        self.set_title(_("Acknowledgment of application"))
        self.set_creator(_("Technical Professionals Stream e-Application"))
        self.set_lang(language)

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font(FAMILY, size=8)
        self.set_text_color(90, 90, 90)
        self.cell(
            0,
            5,
            _("Immigration Department, Hong Kong Special Administrative Region")
            + "    "
            + _("Page %(page)s") % {"page": self.page_no()},
            align="C",
        )

    def paragraph(self, text: str, *, size: float = 10.5, gap: float = 2.0) -> None:
        self.set_font(FAMILY, size=size)
        self.multi_cell(
            0, size * 0.55, text, wrapmode=self.wrap, new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        self.ln(gap)

    def heading(self, text: str, *, size: float = 13.0) -> None:
        self.ln(2)
        self.set_text_color(11, 12, 12)
        self.paragraph(text, size=size, gap=1.5)


def render(acknowledgment: "Acknowledgment") -> bytes:
    """The acknowledgment as PDF bytes, in the active language (the group's)."""
    language = translation.get_language() or acknowledgment.language
    document = _Document(language)
    document.add_page()

    document.set_text_color(90, 90, 90)
    document.paragraph(_("Technical Professionals Stream e-Application"), size=10, gap=0.5)
    document.set_text_color(11, 12, 12)
    document.paragraph(_("Acknowledgment of application"), size=20, gap=3)

    submitted = timezone.localtime(acknowledgment.submitted_at)
    document.paragraph(
        _("Your application was submitted on %(date)s at %(time)s (Hong Kong time).")
        % {
            "date": formats.date_format(submitted, "DATE_FORMAT"),
            "time": formats.time_format(submitted, "TIME_FORMAT"),
        }
    )
    document.paragraph(
        _("Temporary reference used while filling in: %(reference)s")
        % {"reference": acknowledgment.temporary_reference}
    )

    document.heading(_("Application reference numbers"))
    document.set_font(FAMILY, size=10.5)
    with document.table(
        col_widths=(62, 80, 32),
        text_align=("LEFT", "LEFT", "LEFT"),
        line_height=7,
        wrapmode=document.wrap,
        # No bold: a second face of the collection would double the time spent loading fonts.
        headings_style=FontFace(emphasis=None, fill_color=(228, 228, 228)),
    ) as table:
        header = table.row()
        for title in (_("Application reference number"), _("Name"), _("Role")):
            header.cell(title)
        for line in acknowledgment.lines:
            row = table.row()
            row.cell(line.reference)
            row.cell(line.name)
            row.cell(str(line.role))
    document.ln(3)
    document.paragraph(
        _("Application fee paid: %(amount)s") % {"amount": acknowledgment.fee}, size=12
    )
    document.paragraph(_("The application fee is not refundable."))

    document.heading(_("What happens next"))
    document.paragraph(
        _(
            "Processing normally takes %(weeks)s weeks once every required document and the "
            "fee have been received. An officer may ask for more documents."
        )
        % {"weeks": acknowledgment.processing_weeks}
    )
    document.paragraph(
        _(
            "To check the status of an application or send the supplementary documents an "
            "officer asks for, use the status look-up of this service with the application "
            "reference number and the applicant's date of birth."
        )
    )
    document.paragraph(
        _("Keep this acknowledgment. Quote the application reference number when you contact us.")
    )
    return bytes(document.output())
