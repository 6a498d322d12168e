"""PDF: parsed with pypdf, then every reachable object scanned for active or embedded content.

Rules, in the order they are applied:
- "%%EOF" must appear in the last 1024 bytes (where readers look for it): a truncated file, or
  one that only starts like a PDF, is rejected as damaged even where pypdf could patch it up.
- Any encryption is rejected, an empty user password included: officers must be able to open,
  print and annotate every page.
- The cross-reference table may hold at most MAX_PDF_OBJECTS objects and the page tree at most
  MAX_PAGES pages (its /Count is checked before the tree is walked); at least one page.
- Every object reachable from the trailer is visited once (at most MAX_PDF_NODES dictionaries and
  arrays): JavaScript anywhere (a /JS entry, a /JavaScript name tree or action, in /OpenAction,
  /AA, annotations, outlines or forms), a /Launch action, or an embedded file (/EmbeddedFiles,
  /EF, /EmbeddedFile streams, FileAttachment or RichMedia annotations) rejects the file. Stream
  contents are never decoded for this, so a hostile PDF cannot make the scan decompress data
  (pypdf itself unpacks object streams to read the objects in them, within its own limits).
  A reference to an object the file does not define makes it damaged: ISO 32000-1 (7.3.10) lets
  readers take it as null, but in an upload it means a cut or spliced file, and resolving it
  would cost pypdf a search through the whole file each time.
- The scan stops at MAX_PDF_SECONDS whatever happens (pypdf repairs a broken cross-reference
  table by searching the file, which a hostile file could make slow): "too complex".
- Colour is judged from the declared colour spaces of the image XObjects met in the scan: an
  image in RGB, CMYK, Lab, a multi-component ICC profile or DeviceN, or a JPEG 2000 image with no
  declared colour space, makes the PDF colour; gray, CalGray, Separation, stencil masks and
  indexed images whose palette is gray do not. Image data is not decoded, so an RGB image of gray
  content counts as colour, and a PDF without images (a document printed to PDF) is grayscale.
"""

import io
import time
from collections.abc import Iterator
from typing import Any

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, StreamObject

from documents.inspection.limits import (
    MAX_PAGES,
    MAX_PDF_NODES,
    MAX_PDF_OBJECTS,
    MAX_PDF_SECONDS,
)
from documents.inspection.result import InspectionResult, accept, reject

EOF_WINDOW = 1024
_COLOUR_NAMES = frozenset({"/DeviceRGB", "/DeviceCMYK", "/RGB", "/CMYK", "/CalRGB", "/Lab"})


class _TooComplex(Exception):
    pass


class _Damaged(Exception):
    pass


def inspect_pdf(stream: io.BytesIO, tail: bytes, *, carries_photo: bool) -> InspectionResult:
    """Inspect a file whose signature said PDF; `tail` is its last EOF_WINDOW bytes."""
    if b"%%EOF" not in tail[-EOF_WINDOW:]:
        return reject("corrupt", fmt="PDF", format="PDF")
    try:
        # Closing the reader clears its object cache, whose reference cycles would otherwise keep
        # the file's data alive until the next full garbage collection. The buffered wrapper hides
        # BytesIO.getbuffer(), through which pypdf would copy the whole file to learn its size.
        with PdfReader(io.BufferedReader(stream), strict=False) as reader:
            return _inspect(reader, carries_photo=carries_photo)
    except _TooComplex:
        return reject("pdf_too_complex", fmt="PDF", limit=MAX_PDF_OBJECTS)
    except Exception:  # pypdf raises many kinds of error on a hostile file; _Damaged too
        return reject("corrupt", fmt="PDF", format="PDF")


def _inspect(reader: PdfReader, *, carries_photo: bool) -> InspectionResult:
    if reader.is_encrypted:
        return reject("pdf_encrypted", fmt="PDF")
    objects = sum(len(table) for table in reader.xref.values()) + len(reader.xref_objStm)
    if objects > MAX_PDF_OBJECTS:
        raise _TooComplex
    declared = reader.trailer["/Root"]["/Pages"].get("/Count", 0)
    if int(_resolve(declared) or 0) > MAX_PAGES:
        return reject("too_many_pages", fmt="PDF", limit=MAX_PAGES)
    seen_colour = False
    for node in _reachable(reader):
        problem = _active_content(node)
        if problem:
            return reject(problem, fmt="PDF")
        seen_colour = seen_colour or _is_colour_image(node)
    # Every object of the page tree is known to exist now, so this walk is cheap.
    page_count = len(reader.pages)
    if page_count == 0:
        return reject("pdf_no_pages", fmt="PDF", page_count=0)
    if page_count > MAX_PAGES:
        return reject("too_many_pages", fmt="PDF", limit=MAX_PAGES)
    if carries_photo and not seen_colour:
        return reject("not_in_colour", fmt="PDF", page_count=page_count)
    warnings = ("expected_grayscale",) if seen_colour and not carries_photo else ()
    return accept("PDF", page_count=page_count, warning_codes=warnings)


def _reachable(reader: PdfReader) -> Iterator[DictionaryObject]:
    """Every dictionary (streams included) reachable from the trailer, each object once.

    Raises _Damaged for a reference to an object the cross-reference table does not hold (looking
    it up would make pypdf search the whole file, once per such reference), _TooComplex past
    the node, object or time budget.
    """
    deadline = time.monotonic() + MAX_PDF_SECONDS
    seen: set[tuple[int, int]] = set()
    pending: list[Any] = [reader.trailer]
    visited = 0
    while pending:
        node = pending.pop()
        if isinstance(node, IndirectObject):
            key = (node.idnum, node.generation)
            if key in seen:
                continue
            if not _is_defined(reader, node):
                raise _Damaged
            seen.add(key)
            node = node.get_object()
        if not isinstance(node, (DictionaryObject, ArrayObject)):
            continue
        visited += 1
        if visited > MAX_PDF_NODES or len(seen) > MAX_PDF_OBJECTS:
            raise _TooComplex
        if visited % 256 == 0 and time.monotonic() > deadline:
            raise _TooComplex
        if isinstance(node, DictionaryObject):
            yield node
            pending.extend(dict.values(node))
        else:
            pending.extend(list.__iter__(node))


def _is_defined(reader: PdfReader, reference: IndirectObject) -> bool:
    if reference.generation == 0 and reference.idnum in reader.xref_objStm:
        return True
    return reference.idnum in reader.xref.get(reference.generation, {})


def _active_content(node: DictionaryObject) -> str:
    """The reason code for JavaScript, a launch action or an embedded file in `node`, else ""."""
    if "/JS" in node or "/JavaScript" in node:
        return "pdf_javascript"
    action = _resolve(dict.get(node, "/S"))
    if action == "/JavaScript":
        return "pdf_javascript"
    if action == "/Launch":
        return "pdf_launch"
    if "/EmbeddedFiles" in node or "/EF" in node:
        return "pdf_embedded_file"
    if _resolve(dict.get(node, "/Type")) == "/EmbeddedFile":
        return "pdf_embedded_file"
    if _resolve(dict.get(node, "/Subtype")) in ("/FileAttachment", "/RichMedia"):
        return "pdf_embedded_file"
    return ""


def _is_colour_image(node: DictionaryObject) -> bool:
    if not isinstance(node, StreamObject) or _resolve(dict.get(node, "/Subtype")) != "/Image":
        return False
    if _resolve(dict.get(node, "/ImageMask")):
        return False
    colour_space = _resolve(dict.get(node, "/ColorSpace"))
    if colour_space is None:
        filters = _resolve(dict.get(node, "/Filter"))
        names = filters if isinstance(filters, ArrayObject) else [filters]
        return "/JPXDecode" in [_resolve(name) for name in names]
    return _is_colour_space(colour_space)


def _is_colour_space(space: Any, depth: int = 0) -> bool:
    space = _resolve(space)
    if isinstance(space, NameObject):
        return space in _COLOUR_NAMES
    if not isinstance(space, ArrayObject) or not space or depth > 3:
        return False
    family = _resolve(space[0])
    if family in _COLOUR_NAMES:
        return True
    if family == "/ICCBased" and len(space) > 1:
        profile = _resolve(space[1])
        return isinstance(profile, DictionaryObject) and int(_resolve(profile.get("/N", 1))) > 1
    if family == "/DeviceN" and len(space) > 1:
        names = _resolve(space[1])
        return isinstance(names, ArrayObject) and len(names) > 1
    if family in ("/Indexed", "/I") and len(space) > 3:
        return _is_colour_palette(space[1], _resolve(space[3]), depth)
    return False


def _is_colour_palette(base: Any, lookup: Any, depth: int) -> bool:
    """An indexed image is colour when its base is, unless its palette is an RGB string whose
    every entry is gray. A palette given as a stream counts as colour: decoding it would let a
    hostile file choose how much data the scan decompresses."""
    if not _is_colour_space(base, depth + 1):
        return False
    if _resolve(base) not in ("/DeviceRGB", "/RGB") or isinstance(lookup, StreamObject):
        return True
    table = getattr(lookup, "original_bytes", lookup)
    if not isinstance(table, bytes):
        return True
    return any(
        not table[index] == table[index + 1] == table[index + 2]
        for index in range(0, len(table) - 2, 3)
    )


def _resolve(value: Any) -> Any:
    return value.get_object() if isinstance(value, IndirectObject) else value
