"""PDF: parsed with pypdf, then every reachable object scanned for active or embedded content.

Rules, in the order they are applied:
- "%%EOF" must appear in the last 1024 bytes (where readers look for it): a truncated file, or
  one that only starts like a PDF, is rejected as damaged even where pypdf could patch it up.
- Any encryption is rejected, an empty user password included: officers must be able to open,
  print and annotate every page.
- The cross-reference table may hold at most MAX_PDF_OBJECTS objects and the page tree at most
  MAX_PAGES pages (its /Count is checked before the tree is walked); at least one page.
- Every object reachable from the trailer is visited once (at most MAX_PDF_NODES dictionaries and
  arrays) before any rule reads it: JavaScript anywhere (a /JS entry, a /JavaScript name tree or
  action, in /OpenAction, /AA, annotations, outlines or forms), a /Launch action, an embedded
  file (/EmbeddedFiles, /EF, /EmbeddedFile streams, FileAttachment or RichMedia annotations),
  or an XFA form (/XFA: its scripts live in streams) rejects the file; so does an action that
  runs by itself (the document's /OpenAction, the additional actions /AA of the catalogue, a
  page, an annotation or a form field, and what they chain through /Next) and reaches outside
  the file or plays media: URI, SubmitForm, ImportData, GoToR, GoToE, Launch, Rendition, Movie
  or Sound. The same actions behind a link are left alone: they run only when clicked. Stream
  contents are never decoded for this; only object streams are, since the objects are inside
  them.
  A reference to an object the file does not define makes it damaged: ISO 32000-1 (7.3.10) lets
  readers take it as null, but in an upload it means a cut or spliced file, and resolving it
  would cost pypdf a search through the whole file each time.
- The scan has a budget, checked before every object it reads: MAX_PDF_SECONDS of time (pypdf
  repairs a broken cross-reference table by searching the file, which a hostile file could make
  slow), at most MAX_PDF_OBJECT_STREAMS object streams, and MAX_PDF_INFLATED_BYTES inflated from
  them all together, each stage of a filter chain (at most MAX_PDF_FILTERS) capped at what is
  left. A few hundred bytes of nested deflate inflate to gigabytes, which pypdf would then read
  byte by byte: such a file is refused as too complex once it has inflated the budget's worth.
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

from pypdf import Configuration, PdfReader, apply_configuration
from pypdf.errors import LimitReachedError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, StreamObject

from documents.catalogue import MAX_FILE_BYTES
from documents.inspection.limits import (
    MAX_PAGES,
    MAX_PDF_FILTERS,
    MAX_PDF_INFLATED_BYTES,
    MAX_PDF_NODES,
    MAX_PDF_OBJECT_STREAMS,
    MAX_PDF_OBJECTS,
    MAX_PDF_SECONDS,
)
from documents.inspection.result import InspectionResult, accept, reject

EOF_WINDOW = 1024
_COLOUR_NAMES = frozenset({"/DeviceRGB", "/DeviceCMYK", "/RGB", "/CMYK", "/CalRGB", "/Lab"})
# Action types (ISO 32000-1, 12.6.4) refused where they run by themselves: they open an address,
# send or import form data, open another file, launch a program or play media.
_OUTWARD_ACTIONS = frozenset(
    {
        "/URI",
        "/SubmitForm",
        "/ImportData",
        "/GoToR",
        "/GoToE",
        "/Launch",
        "/Rendition",
        "/Movie",
        "/Sound",
    }
)
# pypdf retries a damaged deflate stream byte by byte from its start, in Python; this much is
# enough for the objects of a real file and quick to give up on.
_RECOVERY_BYTES = 256 * 1024


class _TooComplex(Exception):
    """More objects, dictionaries or arrays than the limits allow."""


class _OverBudget(Exception):
    """The scan's time, object streams or inflated bytes ran out."""


class _Damaged(Exception):
    pass


def inspect_pdf(stream: io.BytesIO, tail: bytes, *, carries_photo: bool) -> InspectionResult:
    """Inspect a file whose signature said PDF; `tail` is its last EOF_WINDOW bytes.

    Raises MemoryError when an allocation fails (the caller's process limits decide what then).
    """
    if b"%%EOF" not in tail[-EOF_WINDOW:]:
        return reject("corrupt", fmt="PDF", format="PDF")
    try:
        # Whatever pypdf decodes while it opens the file (cross-reference streams) is capped as
        # one object stream would be; object streams get what is left of the budget (_Budget).
        # Closing the reader clears its object cache, whose reference cycles would otherwise keep
        # the file's data alive until the next full garbage collection. The buffered wrapper
        # hides BytesIO.getbuffer(), through which pypdf would copy the whole file to learn its
        # size.
        with (
            apply_configuration(_decoding_caps(MAX_PDF_INFLATED_BYTES)),
            PdfReader(io.BufferedReader(stream), strict=False) as reader,
        ):
            return _inspect(reader, carries_photo=carries_photo)
    except _TooComplex:
        return reject("pdf_too_complex", fmt="PDF", limit=MAX_PDF_OBJECTS)
    except (_OverBudget, LimitReachedError):
        return reject("too_complex", fmt="PDF")
    except MemoryError:
        raise
    except Exception:  # pypdf raises many kinds of error on a hostile file; _Damaged too
        return reject("corrupt", fmt="PDF", format="PDF")


def _decoding_caps(left: int) -> Configuration:
    """pypdf's limits for decoding a stream that may inflate to `left` bytes at each stage."""
    return Configuration().with_overwrites(
        zlib_maximum_output_length=left,
        lzw_maximum_output_length=left,
        run_length_maximum_output_length=left,
        brotli_maximum_output_length=left,
        jbig2_maximum_output_length=left,
        # The inputs of all stages together: the stored bytes, then what each stage inflated.
        stream_decoding_work_maximum_length=MAX_FILE_BYTES + left,
        stream_filters_maximum_length=MAX_PDF_FILTERS,
        zlib_maximum_recovery_input_length=_RECOVERY_BYTES,
    )


def _inspect(reader: PdfReader, *, carries_photo: bool) -> InspectionResult:
    if reader.is_encrypted:
        return reject("pdf_encrypted", fmt="PDF")
    objects = sum(len(table) for table in reader.xref.values()) + len(reader.xref_objStm)
    if objects > MAX_PDF_OBJECTS:
        raise _TooComplex
    object_streams = {number for number, _index in reader.xref_objStm.values()}
    if len(object_streams) > MAX_PDF_OBJECT_STREAMS:
        raise _OverBudget
    # Every object is read first, within the budget; the rules below then only look at objects
    # already parsed, so nothing they resolve can inflate anything or search the file.
    nodes = list(_reachable(reader, _Budget(reader)))
    if _declared_pages(reader) > MAX_PAGES:
        return reject("too_many_pages", fmt="PDF", limit=MAX_PAGES)
    seen_colour = False
    checked: set[int] = set()
    for node in nodes:
        problem = _active_content(node) or _automatic_action(node, checked)
        if problem:
            return reject(problem, fmt="PDF")
        seen_colour = seen_colour or _is_colour_image(node)
    # The page tree's objects are all parsed and its /Count is checked, so this walk is cheap.
    page_count = len(reader.pages)
    if page_count == 0:
        return reject("pdf_no_pages", fmt="PDF", page_count=0)
    if page_count > MAX_PAGES:
        return reject("too_many_pages", fmt="PDF", limit=MAX_PAGES)
    if carries_photo and not seen_colour:
        return reject("not_in_colour", fmt="PDF", page_count=page_count)
    warnings = ("expected_grayscale",) if seen_colour and not carries_photo else ()
    return accept("PDF", page_count=page_count, warning_codes=warnings)


def _declared_pages(reader: PdfReader) -> int:
    """The page tree's /Count; raises _Damaged when there is no catalogue or page tree."""
    root = _resolve(dict.get(reader.trailer, "/Root"))
    pages = _resolve(dict.get(root, "/Pages")) if isinstance(root, DictionaryObject) else None
    if not isinstance(pages, DictionaryObject):
        raise _Damaged
    return int(_resolve(dict.get(pages, "/Count", 0)) or 0)


class _Budget:
    """What the scan of one file may still spend; `resolve` checks it before every object."""

    def __init__(self, reader: PdfReader) -> None:
        self.reader = reader
        self.deadline = time.monotonic() + MAX_PDF_SECONDS
        self.inflated = 0
        self.opened: set[int] = set()

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise _OverBudget

    def resolve(self, reference: IndirectObject) -> Any:
        """The object `reference` points to. Raises _Damaged when the file does not define it
        (looking it up would make pypdf search the whole file), _OverBudget past the budget."""
        self.check_time()
        if reference.generation == 0 and reference.idnum in self.reader.xref_objStm:
            self._open_object_stream(self.reader.xref_objStm[reference.idnum][0])
        elif reference.idnum not in self.reader.xref.get(reference.generation, {}):
            raise _Damaged
        return reference.get_object()

    def _open_object_stream(self, number: int) -> None:
        """Inflate object stream `number` once, within what is left; pypdf keeps the result
        and parses the objects in it from there."""
        if number in self.opened:
            return
        self.opened.add(number)
        if number in self.reader.xref_objStm or number not in self.reader.xref.get(0, {}):
            raise _Damaged  # an object stream is a plain object of generation 0
        left = MAX_PDF_INFLATED_BYTES - self.inflated
        if left <= 0:  # and 0 would mean "no limit" to pypdf
            raise _OverBudget
        stream = IndirectObject(number, 0, self.reader).get_object()
        if not isinstance(stream, StreamObject):
            raise _Damaged
        with apply_configuration(_decoding_caps(left)):
            try:
                self.inflated += len(stream.get_data())
            except LimitReachedError:
                raise _OverBudget from None
        if self.inflated > MAX_PDF_INFLATED_BYTES:
            raise _OverBudget


def _reachable(reader: PdfReader, budget: _Budget) -> Iterator[DictionaryObject]:
    """Every dictionary (streams included) reachable from the trailer, each object once.

    Raises _Damaged for a reference to an object the file does not define, _TooComplex past the
    node or object limits, _OverBudget past the budget.
    """
    seen: set[tuple[int, int]] = set()
    pending: list[Any] = [reader.trailer]
    visited = 0
    while pending:
        node = pending.pop()
        if isinstance(node, IndirectObject):
            key = (node.idnum, node.generation)
            if key in seen:
                continue
            seen.add(key)
            node = budget.resolve(node)
        if not isinstance(node, (DictionaryObject, ArrayObject)):
            continue
        visited += 1
        if visited > MAX_PDF_NODES or len(seen) > MAX_PDF_OBJECTS:
            raise _TooComplex
        budget.check_time()
        if isinstance(node, DictionaryObject):
            yield node
            pending.extend(dict.values(node))
        else:
            pending.extend(list.__iter__(node))


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
    if "/XFA" in node:
        return "pdf_xfa"
    return ""


def _automatic_action(node: DictionaryObject, checked: set[int]) -> str:
    """The reason code for an outward action that `node` runs by itself, else "".

    Follows /Next chains; `checked` holds the actions already looked at (shared across nodes,
    so a chain many nodes refer to is walked once).
    """
    pending: list[Any] = []
    opening = _resolve(dict.get(node, "/OpenAction"))
    if isinstance(opening, DictionaryObject):  # else a destination: open at a page
        pending.append(opening)
    triggers = _resolve(dict.get(node, "/AA"))
    if isinstance(triggers, DictionaryObject):
        pending.extend(dict.values(triggers))
    while pending:
        action = _resolve(pending.pop())
        if not isinstance(action, DictionaryObject) or id(action) in checked:
            continue
        checked.add(id(action))
        kind = _resolve(dict.get(action, "/S"))
        if kind == "/Launch":
            return "pdf_launch"
        if kind in _OUTWARD_ACTIONS:
            return "pdf_automatic_action"
        following = _resolve(dict.get(action, "/Next"))
        if isinstance(following, ArrayObject):
            pending.extend(list.__iter__(following))
        elif following is not None:
            pending.append(following)
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
