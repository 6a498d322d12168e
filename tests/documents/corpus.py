"""Sample files for the document tests, generated in memory: valid, hostile and broken.

`corpus()` maps a sample's name to a `Sample`: its bytes, the file name a browser might send (it
lies on purpose for renamed files), whether the document it is uploaded for carries a photo, and
the expected verdict, reason code, format and warnings. Tests parametrise over it::

    @pytest.mark.parametrize("name", sorted(corpus()))
    def test_sample(name): sample = corpus()[name]; ...

The builder functions (`jpeg_bytes`, `tiff_bytes`, `pdf_bytes`, ...) are public too, for tests
that need one particular file; `hostile_filename()` gives an upload name with path separators and
control characters. Nothing is read from disk or fetched. Pixel noise comes from Pillow and may
differ between runs; no expected outcome depends on it.
"""

import functools
import io
import random
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, TiffImagePlugin
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    ByteStringObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from documents.catalogue import MAX_FILE_BYTES
from tests.documents.hostile import (
    ACTION_PLACES,
    OUTWARD_ACTION_KINDS,
    jpeg_with_corrupt_data,
    pdf_with_action_bytes,
    pdf_with_object_streams_bytes,
    pdf_with_xfa_bytes,
    png_with_bad_idat_crc,
    png_with_overlong_chunk,
    tiff_with_bad_code_word,
)

ACCEPTED = "accepted"
REJECTED = "rejected"
# More object streams than the inspection reads (MAX_PDF_OBJECT_STREAMS, checked in a test).
TOO_MANY_OBJECT_STREAMS = 250


@dataclass(frozen=True)
class Sample:
    """One file and what the inspection must say about it (`page_count` None: not checked)."""

    data: bytes
    filename: str
    carries_photo: bool
    verdict: str
    reason_code: str = ""
    format: str | None = None
    warning_codes: tuple[str, ...] = ()
    page_count: int | None = None


# -- images -------------------------------------------------------------------------------------


def colour_image(size: tuple[int, int] = (320, 240), seed: int = 1) -> Image.Image:
    """A colour "photo": a gradient, coloured shapes and a little noise (so JPEG looks real)."""
    width, height = size
    red = Image.linear_gradient("L").resize(size)
    green = Image.linear_gradient("L").rotate(90).resize(size)
    blue = Image.radial_gradient("L").resize(size)
    image = Image.merge("RGB", (red, green, blue))
    draw = ImageDraw.Draw(image)
    rng = random.Random(seed)
    for _ in range(12):
        x, y = rng.randrange(width), rng.randrange(height)
        radius = rng.randrange(4, max(5, min(width, height) // 4))
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=colour)
    noise = Image.effect_noise(size, 24).convert("RGB")
    return Image.blend(image, noise, 0.08)


def gray_image(size: tuple[int, int] = (320, 240), seed: int = 2) -> Image.Image:
    """A grayscale "scan" (mode L): the colour picture without its colour."""
    return colour_image(size, seed).convert("L")


def encode(image: Image.Image, fmt: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def jpeg_bytes(size: tuple[int, int] = (320, 240), *, quality: int = 85) -> bytes:
    return encode(colour_image(size), "JPEG", quality=quality)


def gray_rgb_jpeg_bytes(size: tuple[int, int] = (320, 240)) -> bytes:
    """A grayscale picture stored as an RGB JPEG (all channels equal, up to JPEG noise)."""
    return encode(gray_image(size).convert("RGB"), "JPEG", quality=90)


def png_bytes(size: tuple[int, int] = (320, 240)) -> bytes:
    return encode(colour_image(size), "PNG")


def gif_bytes(*, frames: int = 1, size: tuple[int, int] = (160, 120)) -> bytes:
    images = [colour_image(size, seed=index).quantize(64) for index in range(frames)]
    return encode(images[0], "GIF", save_all=frames > 1, append_images=images[1:], duration=100)


def tiff_bytes(
    compressions: tuple[str, ...] = ("raw",),
    *,
    size: tuple[int, int] = (320, 240),
    colour: bool = True,
) -> bytes:
    """A TIFF with one page per entry of `compressions`, in Pillow's names: raw, tiff_lzw, jpeg,
    group4, group3, tiff_ccitt, packbits, tiff_adobe_deflate... CCITT pages are bilevel (mode
    "1"); the others are colour, or grayscale (mode L) when `colour` is false."""
    buffer = io.BytesIO()
    with TiffImagePlugin.AppendingTiffWriter(buffer, new=True) as writer:
        for index, compression in enumerate(compressions):
            page = colour_image(size, seed=index) if colour else gray_image(size, seed=index)
            if compression in _BILEVEL_COMPRESSIONS:
                page = page.convert("L").convert("1")
            page.save(writer, format="TIFF", compression=compression)
            writer.newFrame()
    return buffer.getvalue()


_BILEVEL_COMPRESSIONS = {"group3", "group4", "tiff_ccitt"}


def truncated(data: bytes, *, keep: float = 0.6) -> bytes:
    return data[: int(len(data) * keep)]


def png_bomb(width: int, height: int, *, complete: bool = True) -> bytes:
    """A bilevel PNG of width x height black pixels, a few KB on disk whatever it declares.

    With `complete`, the IDAT stream really holds every row (a genuine decompression bomb, about
    1 KB per million pixels); without, the header alone declares the size.
    """
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    compressor = zlib.compressobj(9)
    if complete:
        row = b"\x00" * (1 + (width + 7) // 8)
        chunks = [compressor.compress(row) for _ in range(height)]
        idat = b"".join(chunks) + compressor.flush()
    else:
        idat = compressor.compress(b"\x00" * 1024) + compressor.flush()
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", idat)
        + _png_chunk(b"IEND", b"")
    )


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def gif_bomb() -> bytes:
    """A GIF whose logical screen and only frame declare 65535 x 65535 pixels (4.3 gigapixels)."""
    screen = (
        b"GIF89a" + struct.pack("<HHBBB", 0xFFFF, 0xFFFF, 0x80, 0, 0) + b"\x00" * 3 + b"\xff" * 3
    )
    frame = b"\x2c" + struct.pack("<HHHHB", 0, 0, 0xFFFF, 0xFFFF, 0) + b"\x02\x02\x4c\x01\x00"
    return screen + frame + b"\x3b"


def gif_frames_on_canvas(canvas: tuple[int, int], frames: int) -> bytes:
    """A GIF of `frames` one-pixel frames on a canvas of `canvas` pixels: tiny on disk, while a
    decoder paints every frame onto the whole canvas."""
    width, height = canvas
    screen = (
        b"GIF89a" + struct.pack("<HHBBB", width, height, 0x80, 0, 0) + b"\x00" * 3 + b"\xff" * 3
    )
    frame = b"\x2c" + struct.pack("<HHHHB", 0, 0, 1, 1, 0) + b"\x02\x02\x44\x01\x00"
    return screen + frame * frames + b"\x3b"


def tiff_with_compression_code(code: int) -> bytes:
    """A one-page raw TIFF whose Compression tag (259) is rewritten to `code`, for compressions
    no encoder here writes (old-style JPEG, LZMA, unknown codes). Its data is never decoded."""
    return _tiff_with_short_tags({259: code})


def tiff_bomb(width: int, height: int) -> bytes:
    """A raw TIFF of a few hundred bytes whose only page declares width x height pixels."""
    return _tiff_with_short_tags({256: width, 257: height})


def _tiff_with_short_tags(values: dict[int, int]) -> bytes:
    """A 16 x 16 raw TIFF with the given tags of its first directory rewritten (as SHORT when
    the value fits, else LONG)."""
    data = bytearray(tiff_bytes(("raw",), size=(16, 16)))
    assert data[:2] == b"II"
    (offset,) = struct.unpack_from("<I", data, 4)
    (entries,) = struct.unpack_from("<H", data, offset)
    missing = set(values)
    for index in range(entries):
        entry = offset + 2 + 12 * index
        tag = struct.unpack_from("<H", data, entry)[0]
        if tag in values:
            value = values[tag]
            if value < 0x10000:
                struct.pack_into("<HHIHH", data, entry, tag, 3, 1, value, 0)
            else:
                struct.pack_into("<HHII", data, entry, tag, 4, 1, value)
            missing.discard(tag)
    assert not missing, "tags not written: " + repr(missing)
    return bytes(data)


# -- PDF --------------------------------------------------------------------------------------


def pdf_bytes(*, pages: int = 1, colour: bool = True, size: tuple[int, int] = (320, 240)) -> bytes:
    """A PDF of scanned pages (one JPEG image each), as Pillow's PDF writer makes it."""
    images = [
        colour_image(size, seed=index) if colour else gray_image(size, seed=index)
        for index in range(pages)
    ]
    return encode(images[0], "PDF", save_all=True, append_images=images[1:], resolution=72.0)


def blank_pdf_bytes(*, pages: int = 1) -> bytes:
    """A PDF with empty pages and no image (grayscale by the PDF colour rule)."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    return _written(writer)


def _writer_with_scan() -> PdfWriter:
    return PdfWriter(clone_from=io.BytesIO(pdf_bytes()))


def _written(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _action(kind: str, **entries: object) -> DictionaryObject:
    action = DictionaryObject({NameObject("/S"): NameObject(kind)})
    for key, value in entries.items():
        action[NameObject("/" + key)] = value
    return action


def encrypted_pdf_bytes(user_password: str) -> bytes:
    writer = _writer_with_scan()
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="AES-128")
    return _written(writer)


def pdf_with_javascript_bytes(where: str = "names") -> bytes:
    """JavaScript in the document's name tree ("names"), its /OpenAction ("open_action"), a
    page's additional actions ("page_aa") or a link annotation's action ("link")."""
    writer = _writer_with_scan()
    script = TextStringObject("app.alert('hello');")
    if where == "names":
        tree = DictionaryObject(
            {
                NameObject("/Names"): ArrayObject(
                    [
                        TextStringObject("init"),
                        writer._add_object(_action("/JavaScript", JS=script)),
                    ]
                )
            }
        )
        names = DictionaryObject({NameObject("/JavaScript"): writer._add_object(tree)})
        writer._root_object[NameObject("/Names")] = writer._add_object(names)
    elif where == "open_action":
        writer._root_object[NameObject("/OpenAction")] = _action("/JavaScript", JS=script)
    elif where == "page_aa":
        aa = DictionaryObject({NameObject("/O"): _action("/JavaScript", JS=script)})
        writer.pages[0][NameObject("/AA")] = aa
    elif where == "link":
        _add_annotation(writer, "/Link", A=writer._add_object(_action("/JavaScript", JS=script)))
    else:
        raise ValueError(where)
    return _written(writer)


def pdf_with_launch_bytes() -> bytes:
    writer = _writer_with_scan()
    launch = _action("/Launch", F=TextStringObject("calc.exe"))
    writer._root_object[NameObject("/OpenAction")] = launch
    return _written(writer)


def pdf_with_attachment_bytes(how: str = "embedded_files") -> bytes:
    """An attached file in the /EmbeddedFiles name tree, or in a FileAttachment annotation."""
    writer = _writer_with_scan()
    if how == "embedded_files":
        writer.add_attachment("payload.exe", b"MZ\x90\x00")
    elif how == "annotation":
        stream = writer._add_object(_embedded_file_stream(b"MZ\x90\x00"))
        filespec = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Filespec"),
                NameObject("/F"): TextStringObject("payload.exe"),
                NameObject("/EF"): DictionaryObject({NameObject("/F"): stream}),
            }
        )
        _add_annotation(writer, "/FileAttachment", FS=writer._add_object(filespec))
    else:
        raise ValueError(how)
    return _written(writer)


def _embedded_file_stream(data: bytes) -> DecodedStreamObject:
    stream = _stream(data)
    stream[NameObject("/Type")] = NameObject("/EmbeddedFile")
    return stream


def _add_annotation(writer: PdfWriter, subtype: str, **entries: object) -> None:
    annotation = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject(subtype),
            NameObject("/Rect"): ArrayObject([FloatObject(v) for v in (10, 10, 60, 60)]),
            NameObject("/F"): NumberObject(4),
        }
    )
    for key, value in entries.items():
        annotation[NameObject("/" + key)] = value
    page = writer.pages[0]
    page[NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])


def spliced(data: bytes) -> bytes:
    """The file with its middle third cut out: start and end look right, objects are missing."""
    third = len(data) // 3
    return data[:third] + data[2 * third :]


IMAGE_COLOUR_SPACES = (
    "gray",
    "rgb",
    "cmyk",
    "calrgb",
    "lab",
    "icc_gray",
    "icc_rgb",
    "indexed_gray",
    "indexed_colour",
    "separation",
    "devicen",
    "jpx",
    "image_mask",
    "form_rgb",
)


def pdf_with_image_bytes(kind: str) -> bytes:
    """A one-page PDF drawing one image XObject declared in the colour space `kind` (one of
    IMAGE_COLOUR_SPACES; "form_rgb" is an RGB image inside a form XObject). The image data is a
    few bytes: the inspection judges PDF colour by declarations and never decodes it."""
    writer = PdfWriter()
    page = writer.add_blank_page(width=200, height=200)
    image = _stream(b"\x80" * 16)
    image.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Image"),
            NameObject("/Width"): NumberObject(2),
            NameObject("/Height"): NumberObject(2),
            NameObject("/BitsPerComponent"): NumberObject(8),
        }
    )
    base = kind.removeprefix("form_")
    if base == "jpx":
        image[NameObject("/Filter")] = NameObject("/JPXDecode")
    elif base == "image_mask":
        image[NameObject("/ImageMask")] = BooleanObject(True)
        image[NameObject("/BitsPerComponent")] = NumberObject(1)
    else:
        image[NameObject("/ColorSpace")] = _colour_space(writer, base)
    xobject = writer._add_object(image)
    if kind.startswith("form_"):
        form = _stream(b"q 2 0 0 2 0 0 cm /Im0 Do Q")
        form.update(
            {
                NameObject("/Type"): NameObject("/XObject"),
                NameObject("/Subtype"): NameObject("/Form"),
                NameObject("/BBox"): ArrayObject([NumberObject(v) for v in (0, 0, 2, 2)]),
                NameObject("/Resources"): _xobjects(xobject),
            }
        )
        xobject = writer._add_object(form)
    page[NameObject("/Resources")] = _xobjects(xobject)
    page[NameObject("/Contents")] = writer._add_object(_stream(b"q 200 0 0 200 0 0 cm /Im0 Do Q"))
    return _written(writer)


def _colour_space(writer: PdfWriter, kind: str) -> object:
    names = {"gray": "/DeviceGray", "rgb": "/DeviceRGB", "cmyk": "/DeviceCMYK"}
    if kind in names:
        return NameObject(names[kind])
    if kind in ("calrgb", "lab"):
        family = "/CalRGB" if kind == "calrgb" else "/Lab"
        white = ArrayObject([FloatObject(v) for v in (0.9505, 1.0, 1.089)])
        return ArrayObject(
            [NameObject(family), DictionaryObject({NameObject("/WhitePoint"): white})]
        )
    if kind.startswith("icc_"):
        profile = _stream(b"\x00" * 128)
        profile[NameObject("/N")] = NumberObject(1 if kind == "icc_gray" else 3)
        return ArrayObject([NameObject("/ICCBased"), writer._add_object(profile)])
    if kind.startswith("indexed_"):
        palette = b"\x00\x00\x00\x80\x80\x80\xff\xff\xff"
        if kind == "indexed_colour":
            palette += b"\xff\x00\x00"
        hival = NumberObject(len(palette) // 3 - 1)
        return ArrayObject(
            [NameObject("/Indexed"), NameObject("/DeviceRGB"), hival, ByteStringObject(palette)]
        )
    tint = writer._add_object(_stream(b"{ pop 0 }"))
    if kind == "separation":
        return ArrayObject(
            [NameObject("/Separation"), NameObject("/Black"), NameObject("/DeviceGray"), tint]
        )
    if kind == "devicen":
        inks = ArrayObject([NameObject("/Cyan"), NameObject("/Magenta")])
        return ArrayObject([NameObject("/DeviceN"), inks, NameObject("/DeviceCMYK"), tint])
    raise ValueError(kind)


def _xobjects(reference: object) -> DictionaryObject:
    return DictionaryObject(
        {NameObject("/XObject"): DictionaryObject({NameObject("/Im0"): reference})}
    )


def _stream(data: bytes) -> DecodedStreamObject:
    stream = DecodedStreamObject()
    stream.set_data(data)
    return stream


def pdf_with_objects_bytes(count: int) -> bytes:
    """A one-page PDF whose catalogue refers to `count` extra (indirect) objects."""
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    extra = ArrayObject(writer._add_object(NumberObject(index)) for index in range(count))
    writer._root_object[NameObject("/Extra")] = extra
    return _written(writer)


def pdf_claiming_pages_bytes(count: int) -> bytes:
    """A one-page PDF whose page tree declares /Count `count` (a lie the walk would pay for)."""
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer._root_object["/Pages"][NameObject("/Count")] = NumberObject(count)
    return _written(writer)


def pdf_lookalike_bytes() -> bytes:
    """A file that only starts like a PDF: the header and end marker around garbage."""
    rng = random.Random(7)
    return b"%PDF-1.7\n" + bytes(rng.randrange(256) for _ in range(2048)) + b"\n%%EOF\n"


# -- other formats ------------------------------------------------------------------------------


def zip_bytes(members: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in (members or {"notes.txt": b"hello"}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx_bytes() -> bytes:
    return zip_bytes(
        {
            "[Content_Types].xml": b"<?xml version='1.0'?><Types/>",
            "word/document.xml": b"<?xml version='1.0'?><w:document/>",
        }
    )


def heic_bytes() -> bytes:
    """The opening boxes of a HEIC file (ftyp with the heic brand), as phones write them."""
    ftyp = struct.pack(">I", 24) + b"ftypheic" + struct.pack(">I", 0) + b"mif1heic"
    return ftyp + struct.pack(">I", 16) + b"meta" + b"\x00" * 8


def elf_bytes() -> bytes:
    return b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + struct.pack("<HH", 2, 0x3E) + b"\x00" * 100


def pe_bytes() -> bytes:
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 50 + b"PE\x00\x00" + b"\x00" * 100


def html_bytes() -> bytes:
    return b"<!DOCTYPE html>\n<html><body><script>alert(1)</script></body></html>\n"


def oversize_bytes() -> bytes:
    """MAX_FILE_BYTES + 1 bytes that start like a JPEG: the size is refused before the content."""
    data = jpeg_bytes()
    return data + b"\x00" * (MAX_FILE_BYTES + 1 - len(data))


def hostile_filename() -> str:
    """An upload name with both path separators, parent references, control characters, a NUL,
    a right-to-left override and an ANSI escape: to be kept only as sanitised data."""
    return "../..\\..\\etc/passwd\x00\r\n\x1b[31m\u202egpj.exe\x07\ttravel document.jpg"


def write_sample(directory: Path, name: str) -> Path:
    """Write one corpus sample under a safe name of its own in `directory`; return its path."""
    path = Path(directory) / ("sample-" + name)
    path.write_bytes(corpus()[name].data)
    return path


@functools.cache
def corpus() -> dict[str, Sample]:
    """Every sample by name (built once per process; the values are immutable)."""
    ok, no = ACCEPTED, REJECTED

    def tiff(compressions: tuple[str, ...], **options: object) -> bytes:
        return tiff_bytes(compressions, **options)

    samples = {
        # valid
        "jpeg": Sample(jpeg_bytes(), "passport.jpg", True, ok, "", "JPEG", (), 1),
        "png": Sample(png_bytes(), "photo.png", True, ok, "", "PNG", (), 1),
        "gif_still": Sample(gif_bytes(), "photo.gif", True, ok, "", "GIF", (), 1),
        "gif_animated": Sample(gif_bytes(frames=3), "anim.gif", True, ok, "", "GIF", (), 3),
        "tiff_raw": Sample(tiff(("raw",)), "scan.tif", True, ok, "", "TIFF", (), 1),
        "tiff_lzw": Sample(tiff(("tiff_lzw",)), "scan.tif", True, ok, "", "TIFF", (), 1),
        "tiff_jpeg": Sample(tiff(("jpeg",)), "scan.tiff", True, ok, "", "TIFF", (), 1),
        "tiff_group4": Sample(tiff(("group4",)), "scan.tif", False, ok, "", "TIFF", (), 1),
        "tiff_multipage": Sample(
            tiff(("raw", "tiff_lzw", "jpeg", "group4")), "pages.tif", True, ok, "", "TIFF", (), 4
        ),
        "tiff_gray_multipage": Sample(
            tiff(("tiff_lzw", "group4"), colour=False), "letter.tif", False, ok, "", "TIFF", (), 2
        ),
        "pdf": Sample(pdf_bytes(pages=2), "scan.pdf", True, ok, "", "PDF", (), 2),
        "pdf_gray": Sample(pdf_bytes(colour=False), "letter.pdf", False, ok, "", "PDF", (), 1),
        "pdf_blank": Sample(blank_pdf_bytes(pages=3), "form.pdf", False, ok, "", "PDF", (), 3),
        "gray_jpeg_no_photo": Sample(
            encode(gray_image(), "JPEG"), "letter.jpg", False, ok, "", "JPEG", (), 1
        ),
        "colour_jpeg_no_photo": Sample(
            jpeg_bytes(), "letter.jpg", False, ok, "", "JPEG", ("expected_grayscale",), 1
        ),
        "colour_pdf_no_photo": Sample(
            pdf_bytes(), "letter.pdf", False, ok, "", "PDF", ("expected_grayscale",), 1
        ),
        # colour rule
        "grayscale_photo": Sample(
            encode(gray_image(), "JPEG"), "photo.jpg", True, no, "not_in_colour", "JPEG"
        ),
        "grayscale_photo_rgb": Sample(
            gray_rgb_jpeg_bytes(), "photo.jpg", True, no, "not_in_colour", "JPEG"
        ),
        "grayscale_photo_tiff_group4": Sample(
            tiff(("group4",)), "passport.tif", True, no, "not_in_colour", "TIFF"
        ),
        "grayscale_photo_pdf": Sample(
            pdf_bytes(colour=False), "passport.pdf", True, no, "not_in_colour", "PDF"
        ),
        # disallowed TIFF compressions
        "tiff_packbits": Sample(
            tiff(("packbits",)), "scan.tif", True, no, "tiff_compression", "TIFF"
        ),
        "tiff_deflate": Sample(
            tiff(("tiff_adobe_deflate",)), "scan.tif", True, no, "tiff_compression", "TIFF"
        ),
        "tiff_group3": Sample(tiff(("group3",)), "scan.tif", False, no, "tiff_compression", "TIFF"),
        "tiff_ccitt_rle": Sample(
            tiff(("tiff_ccitt",)), "scan.tif", False, no, "tiff_compression", "TIFF"
        ),
        "tiff_multipage_one_bad": Sample(
            tiff(("raw", "packbits", "tiff_lzw")), "pages.tif", True, no, "tiff_compression", "TIFF"
        ),
        # broken or hostile images
        "jpeg_truncated": Sample(truncated(jpeg_bytes()), "photo.jpg", True, no, "corrupt", "JPEG"),
        "png_truncated": Sample(truncated(png_bytes()), "photo.png", True, no, "corrupt", "PNG"),
        "gif_truncated": Sample(
            truncated(gif_bytes(frames=3)), "anim.gif", True, no, "corrupt", "GIF"
        ),
        "png_without_end": Sample(png_bytes()[:-12], "photo.png", True, no, "corrupt", "PNG"),
        "png_zip_polyglot": Sample(
            png_bytes() + zip_bytes(), "photo.png", True, no, "corrupt", "PNG"
        ),
        "gif_without_trailer": Sample(gif_bytes()[:-1], "photo.gif", True, no, "corrupt", "GIF"),
        "tiff_truncated": Sample(
            truncated(tiff(("raw", "raw"))), "pages.tif", True, no, "corrupt", "TIFF"
        ),
        # damaged in ways the decoders repair with no more than a warning
        "jpeg_corrupt_data": Sample(
            jpeg_with_corrupt_data(jpeg_bytes((640, 480))),
            "photo.jpg",
            True,
            no,
            "jpeg_data_corrupt",
            "JPEG",
        ),
        "png_idat_bad_crc": Sample(
            png_with_bad_idat_crc(png_bytes()), "photo.png", True, no, "png_bad_checksum", "PNG"
        ),
        "png_chunk_past_the_end": Sample(
            png_with_overlong_chunk(png_bytes()), "photo.png", True, no, "png_chunk_overrun", "PNG"
        ),
        "tiff_group4_bad_code_word": Sample(
            tiff_with_bad_code_word(tiff(("group4", "group4")), page=2),
            "letter.tif",
            False,
            no,
            "tiff_data_corrupt",
            "TIFF",
        ),
        "decompression_bomb": Sample(
            png_bomb(8000, 8000), "photo.png", True, no, "too_many_pixels", "PNG"
        ),
        "decompression_bomb_header": Sample(
            png_bomb(100_000, 100_000, complete=False),
            "photo.png",
            True,
            no,
            "too_many_pixels",
            "PNG",
        ),
        "gif_bomb": Sample(gif_bomb(), "anim.gif", True, no, "too_many_pixels", "GIF"),
        "tiff_bomb": Sample(
            tiff_bomb(100_000, 100_000), "scan.tif", True, no, "too_many_pixels", "TIFF"
        ),
        # PDF
        "pdf_encrypted": Sample(
            encrypted_pdf_bytes("secret"), "scan.pdf", True, no, "pdf_encrypted", "PDF"
        ),
        "pdf_encrypted_empty_password": Sample(
            encrypted_pdf_bytes(""), "scan.pdf", True, no, "pdf_encrypted", "PDF"
        ),
        "pdf_javascript": Sample(
            pdf_with_javascript_bytes("names"), "scan.pdf", True, no, "pdf_javascript", "PDF"
        ),
        "pdf_javascript_open_action": Sample(
            pdf_with_javascript_bytes("open_action"),
            "scan.pdf",
            True,
            no,
            "pdf_javascript",
            "PDF",
        ),
        "pdf_javascript_page_aa": Sample(
            pdf_with_javascript_bytes("page_aa"), "scan.pdf", True, no, "pdf_javascript", "PDF"
        ),
        "pdf_javascript_link": Sample(
            pdf_with_javascript_bytes("link"), "scan.pdf", True, no, "pdf_javascript", "PDF"
        ),
        "pdf_launch": Sample(pdf_with_launch_bytes(), "scan.pdf", True, no, "pdf_launch", "PDF"),
        "pdf_attachment": Sample(
            pdf_with_attachment_bytes(), "scan.pdf", True, no, "pdf_embedded_file", "PDF"
        ),
        "pdf_attachment_annotation": Sample(
            pdf_with_attachment_bytes("annotation"),
            "scan.pdf",
            True,
            no,
            "pdf_embedded_file",
            "PDF",
        ),
        "pdf_object_streams": Sample(
            pdf_with_object_streams_bytes(), "form.pdf", False, ok, "", "PDF", (), 1
        ),
        # Three object streams of about 500 bytes, each inflating to 70 MB of white space that
        # pypdf would read byte by byte (the 2 KB file that held a worker for minutes).
        "pdf_nested_deflate_object_streams": Sample(
            pdf_with_object_streams_bytes(streams=3, padding=70_000_000, layers=2),
            "form.pdf",
            False,
            no,
            "too_complex",
            "PDF",
        ),
        "pdf_too_many_object_streams": Sample(
            pdf_with_object_streams_bytes(streams=TOO_MANY_OBJECT_STREAMS),
            "form.pdf",
            False,
            no,
            "too_complex",
            "PDF",
        ),
        "pdf_xfa": Sample(pdf_with_xfa_bytes(), "form.pdf", False, no, "pdf_xfa", "PDF"),
        "pdf_link_uri": Sample(
            pdf_with_action_bytes("URI", "link"), "letter.pdf", False, ok, "", "PDF", (), 1
        ),
        "pdf_lookalike": Sample(pdf_lookalike_bytes(), "scan.pdf", True, no, "corrupt", "PDF"),
        "pdf_truncated": Sample(truncated(pdf_bytes()), "scan.pdf", True, no, "corrupt", "PDF"),
        "pdf_spliced": Sample(spliced(pdf_bytes(pages=3)), "scan.pdf", True, no, "corrupt", "PDF"),
        # renamed and other formats
        "png_renamed_pdf": Sample(png_bytes(), "scan.pdf", True, ok, "", "PNG", (), 1),
        "zip_renamed_jpg": Sample(zip_bytes(), "photo.jpg", True, no, "unsupported_format"),
        "docx": Sample(docx_bytes(), "letter.docx", False, no, "unsupported_format"),
        "webp": Sample(
            encode(colour_image(), "WEBP"), "photo.webp", True, no, "unsupported_format"
        ),
        "heic": Sample(heic_bytes(), "photo.heic", True, no, "unsupported_format"),
        "html": Sample(html_bytes(), "scan.pdf", True, no, "unsupported_format"),
        "elf": Sample(elf_bytes(), "photo.jpg", True, no, "unsupported_format"),
        "exe": Sample(pe_bytes(), "scan.pdf", True, no, "unsupported_format"),
        "bmp": Sample(encode(colour_image(), "BMP"), "photo.bmp", True, no, "unsupported_format"),
        "empty": Sample(b"", "photo.jpg", True, no, "empty"),
        "too_large": Sample(oversize_bytes(), "photo.jpg", True, no, "too_large"),
    }
    # Each outward action type once, in turn in each place where it runs by itself.
    automatic_places = [place for place in ACTION_PLACES if place != "link"]
    for index, kind in enumerate(OUTWARD_ACTION_KINDS):
        where = automatic_places[index % len(automatic_places)]
        reason = "pdf_launch" if kind == "Launch" else "pdf_automatic_action"
        data = pdf_with_action_bytes(kind, where)
        samples["pdf_" + where + "_" + kind.lower()] = Sample(
            data, "form.pdf", False, no, reason, "PDF"
        )
    return samples
