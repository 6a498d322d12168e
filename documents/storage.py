"""Where uploaded bytes live: the default storage, under random keys, never the user's name.

Everything that touches stored files goes through these helpers, so the key layout and the
name sanitising have one home.
"""

import secrets
import unicodedata
from collections.abc import Iterator
from datetime import datetime
from typing import IO

from django.core.files import File
from django.core.files.storage import default_storage

PREFIX = "uploads"
MAX_NAME_LENGTH = 120
FALLBACK_NAME = "document"


def new_key() -> str:
    """A fresh random key; no extension, since the name never says what the content is."""
    return PREFIX + "/" + secrets.token_hex(20)


def save(fileobj: IO[bytes]) -> str:
    """Store the bytes under a new random key and return the key the storage used."""
    return default_storage.save(new_key(), File(fileobj))


def open_file(key: str) -> IO[bytes]:
    return default_storage.open(key, "rb")


def delete(key: str) -> None:
    """Delete the stored file; a file already gone is not an error."""
    default_storage.delete(key)


def delete_all(keys: list[str]) -> None:
    for key in keys:
        delete(key)


def stored_keys() -> Iterator[str]:
    """Every key under the uploads prefix (one level: keys are flat)."""
    try:
        _folders, files = default_storage.listdir(PREFIX)
    except FileNotFoundError:
        return
    for name in files:
        yield PREFIX + "/" + name


def modified_at(key: str) -> datetime:
    return default_storage.get_modified_time(key)


def sanitise_name(name: str) -> str:
    """The original file name made safe for display and for a Content-Disposition header.

    Drops any folder part (both separators), control and other invisible characters, and
    leading dots; collapses white space; keeps the extension when shortening.
    """
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    kept = "".join(
        " " if char.isspace() else char
        for char in name
        if char.isspace() or not unicodedata.category(char).startswith(("C", "Z"))
    )
    cleaned = " ".join(kept.split()).lstrip(". ")
    if len(cleaned) > MAX_NAME_LENGTH:
        stem, dot, extension = cleaned.rpartition(".")
        if dot and 0 < len(extension) <= 10:
            cleaned = stem[: MAX_NAME_LENGTH - len(extension) - 1].rstrip() + "." + extension
        else:
            cleaned = cleaned[:MAX_NAME_LENGTH].rstrip()
    return cleaned or FALLBACK_NAME
