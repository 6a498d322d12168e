"""Damaged variants of every sample: the inspection always answers and never raises."""

import io
import random

import pytest

from documents import messages
from documents.inspection import InspectionResult, inspect_file
from tests.documents.corpus import corpus, zip_bytes

# Pillow warns about some damaged TIFF directories before the inspection rejects them.
pytestmark = pytest.mark.filterwarnings("ignore::UserWarning:PIL.TiffImagePlugin")

MUTATIONS_PER_SAMPLE = 4


def mutate(data: bytes, rng: random.Random) -> bytes:
    """Flip bytes anywhere or in the header, cut a slice out, or insert junk."""
    damaged = bytearray(data)
    how = rng.randrange(4)
    if how == 0:
        for _ in range(rng.randrange(1, 10)):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
    elif how == 1:
        for _ in range(rng.randrange(1, 4)):
            damaged[rng.randrange(min(len(damaged), 300))] = rng.randrange(256)
    elif how == 2:
        start = rng.randrange(len(damaged))
        del damaged[start : start + rng.randrange(1, 2000)]
    else:
        start = rng.randrange(len(damaged))
        damaged[start:start] = rng.randbytes(rng.randrange(1, 50))
    return bytes(damaged)


SMALL_SAMPLES = sorted(
    name for name, sample in corpus().items() if 0 < len(sample.data) < 1024 * 1024
)


@pytest.mark.parametrize("name", SMALL_SAMPLES)
def test_damaged_samples_get_a_verdict(name):
    rng = random.Random(name)
    for _ in range(MUTATIONS_PER_SAMPLE):
        data = mutate(corpus()[name].data, rng)
        for carries_photo in (True, False):
            result = inspect_file(io.BytesIO(data), carries_photo=carries_photo)

            assert isinstance(result, InspectionResult)
            assert result.accepted == (result.reason_code == "")
            assert result.accepted or result.reason_code in messages.REASONS
            assert set(result.warning_codes) <= set(messages.WARNINGS)
            assert result.as_dict()["verdict"] in {"accepted", "rejected"}


def test_zip_of_an_unsupported_version_is_still_named():
    data = bytearray(zip_bytes())
    central = data.rfind(b"PK\x01\x02")
    data[central + 6] = 149  # "version needed to extract": 14.9, which zipfile refuses

    result = inspect_file(io.BytesIO(bytes(data)), carries_photo=False)

    assert result.reason_code == "unsupported_format"
    assert result.reason_params["detected"] == "zip"
