"""manage.py inspect_file PATH [--photo]: one line of JSON, exit status 0 whatever the verdict."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.documents.corpus import corpus, write_sample

KEYS = {"verdict", "format", "reason", "warnings"}


def run(*args: str) -> dict:
    out = StringIO()
    call_command("inspect_file", *args, stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 1
    outcome = json.loads(lines[0])
    assert set(outcome) == KEYS
    return outcome


@pytest.mark.parametrize(
    "name",
    ["jpeg", "colour_jpeg_no_photo", "tiff_multipage_one_bad", "pdf_javascript", "too_large"],
)
def test_prints_the_inspection_outcome(name, tmp_path):
    sample = corpus()[name]
    args = [str(write_sample(tmp_path, name))] + (["--photo"] if sample.carries_photo else [])

    outcome = run(*args)

    assert outcome["verdict"] == sample.verdict
    assert outcome["format"] == sample.format
    assert bool(outcome["reason"]) == (sample.verdict == "rejected")
    assert len(outcome["warnings"]) == len(sample.warning_codes)


def test_photo_flag_applies_the_colour_rule(tmp_path):
    path = str(write_sample(tmp_path, "grayscale_photo"))

    assert run(path)["verdict"] == "accepted"
    with_photo = run(path, "--photo")
    assert with_photo["verdict"] == "rejected"
    assert "colour" in with_photo["reason"]


def test_size_limit_and_compression_are_named(tmp_path):
    assert "5 MB" in run(str(write_sample(tmp_path, "too_large")))["reason"]
    reason = run(str(write_sample(tmp_path, "tiff_multipage_one_bad")), "--photo")["reason"]
    assert "PackBits" in reason and "Page 2" in reason


@pytest.mark.parametrize("where", ["missing", "directory"])
def test_unreadable_path_is_a_rejection_not_a_crash(where, tmp_path):
    path = tmp_path / "nothing-here.pdf" if where == "missing" else tmp_path

    outcome = run(str(path))

    assert outcome == {
        "verdict": "rejected",
        "format": None,
        "reason": "The file could not be read.",
        "warnings": [],
    }


def test_language_option(tmp_path):
    path = str(write_sample(tmp_path, "tiff_packbits"))

    english = run(path, "--language", "en")["reason"]
    chinese = run(path, "--language", "zh-hant")["reason"]

    assert "PackBits" in chinese
    assert chinese != english
    with pytest.raises(CommandError):
        call_command("inspect_file", path, "--language", "fr", stdout=StringIO())


def test_runs_as_a_process_and_exits_zero_when_rejecting(tmp_path):
    path = write_sample(tmp_path, "pdf_launch")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "immapp.settings", "DEBUG": "true"}

    completed = subprocess.run(
        [sys.executable, "manage.py", "inspect_file", str(path), "--photo"],
        cwd=Path(settings.BASE_DIR),
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert completed.returncode == 0, completed.stderr
    lines = completed.stdout.splitlines()
    assert len(lines) == 1
    assert json.loads(lines[0]) == {
        "verdict": "rejected",
        "format": "PDF",
        "reason": "The PDF contains an action that launches a program.",
        "warnings": [],
    }
