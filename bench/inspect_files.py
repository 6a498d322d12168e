"""Time and peak memory of the content inspection against the bare library work on the same files.

    .venv/bin/python bench/inspect_files.py [--repeat N]

A child process first writes the files to a temporary folder (so that making them does not count
towards the peak memory): a 5 MB colour JPEG photo, a 5 MB multi-page colour TIFF of JPEG-
compressed scans, a 5 MB PDF of scanned pages, and a decompression bomb (a 64-megapixel PNG of a
few KB). Then this process times, as the median of N runs after one warm-up (each inspection
alternating with its reference, so that both see the same load on a shared machine):
- documents.inspection.inspect_file on each (as for a document that carries a photo, so the
  colour check runs), reading the file from disk as the upload task does;
- the reference: Pillow open + load of every frame (JPEG, TIFF), pypdf open + page count (PDF).
Targets (issue 4): JPEG and TIFF within 2x of their reference, PDF under 100 ms, the bomb
rejected under 20 ms without decoding, peak RSS under 200 MB. The last line is exactly
`jpeg_ms=J jpeg_ref_ms=JR tiff_ms=T tiff_ref_ms=TR pdf_ms=P pdf_ref_ms=PR bomb_ms=B peak_rss_mb=M`.
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "immapp.settings")
os.environ.setdefault("DEBUG", "true")  # settings want a SECRET_KEY otherwise; nothing is served

FILES = ("photo.jpg", "scans.tif", "scans.pdf", "bomb.png")


def make_files(folder: Path) -> None:
    """Write the four files, each as close under the 5 MB limit as the encoder allows."""
    from documents.catalogue import MAX_FILE_BYTES
    from tests.documents.corpus import encode, png_bomb

    photo = _photo((4000, 3000))
    quality = _best_quality(lambda q: encode(photo, "JPEG", quality=q), MAX_FILE_BYTES)
    (folder / "photo.jpg").write_bytes(encode(photo, "JPEG", quality=quality))

    scan = _photo((1240, 1754))  # an A4 page at 150 dpi
    pages = [scan.rotate(180 * (index % 2)) for index in range(40)]
    (folder / "scans.tif").write_bytes(_fill_pages(pages, MAX_FILE_BYTES, _tiff))
    (folder / "scans.pdf").write_bytes(_fill_pages(pages, MAX_FILE_BYTES, _pdf))
    (folder / "bomb.png").write_bytes(png_bomb(8000, 8000))


def _photo(size: tuple[int, int]):
    from PIL import Image

    from tests.documents.corpus import colour_image

    small = colour_image((size[0] // 4, size[1] // 4), seed=5).resize(
        size, Image.Resampling.BICUBIC
    )
    noise = Image.effect_noise(size, 40).convert("RGB")
    return Image.blend(small, noise, 0.12)


def _best_quality(encode_at: Callable[[int], bytes], limit: int) -> int:
    low, high = 40, 98
    while low < high:
        middle = (low + high + 1) // 2
        if len(encode_at(middle)) <= limit:
            low = middle
        else:
            high = middle - 1
    return low


def _fill_pages(pages: list, limit: int, write: Callable[[list], bytes]) -> bytes:
    """The most pages whose file stays within `limit`."""
    best = write(pages[:1])
    for count in range(2, len(pages) + 1):
        data = write(pages[:count])
        if len(data) > limit:
            break
        best = data
    return best


def _tiff(pages: list) -> bytes:
    from tests.documents.corpus import encode

    return encode(pages[0], "TIFF", save_all=True, append_images=pages[1:], compression="jpeg")


def _pdf(pages: list) -> bytes:
    from tests.documents.corpus import encode

    return encode(
        pages[0], "PDF", save_all=True, append_images=pages[1:], resolution=150.0, quality=85
    )


def median_ms(action: Callable[[], object], repeat: int) -> float:
    return paired(action, None, repeat)[0][0]


def paired(
    action: Callable[[], object], reference: Callable[[], object] | None, repeat: int
) -> tuple[tuple[float, float], tuple[float, float]]:
    """((wall, cpu) of `action`, (wall, cpu) of `reference`): median milliseconds of runs taken
    alternately after one warm-up each, so that both see the same load on a shared machine. CPU
    time (this process only) is printed beside wall time because other work on the machine
    inflates the latter."""
    runs: list[list[tuple[float, float]]] = [[], []]
    for index in range(repeat + 1):
        for times, work in zip(runs, (action, reference), strict=True):
            if work is None:
                continue
            wall, cpu = time.perf_counter(), time.process_time()
            work()
            if index:
                times.append(
                    ((time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000)
                )
    return _medians(runs[0]), _medians(runs[1])


def _medians(times: list[tuple[float, float]]) -> tuple[float, float]:
    if not times:
        return 0.0, 0.0
    return statistics.median(t[0] for t in times), statistics.median(t[1] for t in times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--make-files", metavar="FOLDER", help=argparse.SUPPRESS)
    args = parser.parse_args()
    import django

    django.setup()
    if args.make_files:
        make_files(Path(args.make_files))
        return 0
    with tempfile.TemporaryDirectory(prefix="inspect-bench-") as name:
        folder = Path(name)
        subprocess.run([sys.executable, __file__, "--make-files", name], check=True)
        return measure(folder, args.repeat)


def measure(folder: Path, repeat: int) -> int:
    from PIL import Image
    from pypdf import PdfReader

    from documents.inspection import inspect_file
    from documents.inspection.colour import is_grayscale

    paths = {name: folder / name for name in FILES}

    def inspect(name: str):
        with open(paths[name], "rb") as fileobj:
            return inspect_file(fileobj, carries_photo=True)

    def pillow_reference(name: str) -> int:
        with Image.open(paths[name]) as image:
            frames = 0
            while True:
                try:
                    image.seek(frames)
                except EOFError:
                    return frames
                image.load()
                frames += 1

    def pypdf_reference() -> int:
        return len(PdfReader(paths["scans.pdf"]).pages)

    outcomes = {name: inspect(name) for name in FILES}
    for name, result in outcomes.items():
        verdict = "accepted" if result.accepted else "rejected (" + result.reason_code + ")"
        size_mb = paths[name].stat().st_size / (1024 * 1024)
        print(
            name
            + ": "
            + format(size_mb, ".2f")
            + " MB, "
            + str(result.page_count)
            + " page(s), "
            + verdict,
            flush=True,
        )
    expected = {"photo.jpg": True, "scans.tif": True, "scans.pdf": True, "bomb.png": False}
    if any(outcomes[name].accepted != accepted for name, accepted in expected.items()):
        print("error: an outcome is not the expected one; figures would mean nothing")
        return 1

    with Image.open(paths["photo.jpg"]) as photo:
        photo.load()
        size = photo.size
        colour_ms = median_ms(lambda: is_grayscale(photo), repeat)
    print(
        "colour check of the decoded "
        + str(size[0])
        + "x"
        + str(size[1])
        + " JPEG: "
        + format(colour_ms, ".2f")
        + " ms",
        flush=True,
    )

    jpeg, jpeg_ref = paired(
        lambda: inspect("photo.jpg"), lambda: pillow_reference("photo.jpg"), repeat
    )
    tiff, tiff_ref = paired(
        lambda: inspect("scans.tif"), lambda: pillow_reference("scans.tif"), repeat
    )
    pdf, pdf_ref = paired(lambda: inspect("scans.pdf"), pypdf_reference, repeat)
    bomb, _none = paired(lambda: inspect("bomb.png"), None, repeat)
    print(
        "cpu ms: jpeg "
        + _pair(jpeg[1], jpeg_ref[1])
        + ", tiff "
        + _pair(tiff[1], tiff_ref[1])
        + ", pdf "
        + _pair(pdf[1], pdf_ref[1])
        + ", bomb "
        + format(bomb[1], ".1f"),
        flush=True,
    )
    figures = {
        "jpeg_ms": jpeg[0],
        "jpeg_ref_ms": jpeg_ref[0],
        "tiff_ms": tiff[0],
        "tiff_ref_ms": tiff_ref[0],
        "pdf_ms": pdf[0],
        "pdf_ref_ms": pdf_ref[0],
        "bomb_ms": bomb[0],
    }
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        "wall-clock ratios: jpeg "
        + format(figures["jpeg_ms"] / figures["jpeg_ref_ms"], ".2f")
        + "x, tiff "
        + format(figures["tiff_ms"] / figures["tiff_ref_ms"], ".2f")
        + "x (target 2x)",
        flush=True,
    )
    line = " ".join(name + "=" + format(value, ".1f") for name, value in figures.items())
    print(line + " peak_rss_mb=" + format(peak_mb, ".1f"), flush=True)
    return 0


def _pair(inspection: float, reference: float) -> str:
    ratio = inspection / reference if reference else 0.0
    return (
        format(inspection, ".1f")
        + " vs "
        + format(reference, ".1f")
        + " ("
        + format(ratio, ".2f")
        + "x)"
    )


if __name__ == "__main__":
    sys.exit(main())
