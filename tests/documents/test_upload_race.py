"""Two uploads racing for an item's last place, in real threads on PostgreSQL."""

import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from documents import services, storage
from documents.exceptions import TooManyFiles
from documents.models import Upload
from tests.documents.conftest import uploaded
from tests.documents.corpus import jpeg_bytes
from tests.factories import PrincipalFactory


@pytest.mark.django_db(transaction=True)
def test_two_uploads_racing_for_the_last_place_take_it_once(monkeypatch):
    principal = PrincipalFactory()
    barrier = threading.Barrier(2, timeout=10)
    real_save = storage.save

    def save_then_wait(fileobj):
        # Both requests have passed the first count and stored their bytes before either
        # takes the lock: only the recount under the group's row lock can keep them apart.
        key = real_save(fileobj)
        barrier.wait()
        return key

    monkeypatch.setattr(storage, "save", save_then_wait)
    outcomes: list[str] = []

    def attempt() -> None:
        try:
            services.upload_document(
                group=principal.group,
                application=principal,
                requirement_code="A2",
                file=uploaded(jpeg_bytes(), "photo.jpg"),
            )
            outcomes.append("stored")
        except TooManyFiles:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert sorted(outcomes) == ["refused", "stored"]
    upload = Upload.objects.get()
    root = Path(settings.MEDIA_ROOT)
    assert [str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()] == [
        upload.storage_key
    ]
