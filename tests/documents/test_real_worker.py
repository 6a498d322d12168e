"""One end-to-end run: an upload through the page, a real Celery worker on Redis, the verdict.

The worker runs in a thread of this process, on a queue of its own, so that concurrent test runs
sharing the Redis server never take each other's messages.
"""

import contextlib
import threading
import time
import uuid

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.db import connection
from django.urls import reverse

from documents.models import Upload
from immapp.celery import app
from tests.documents.conftest import open_group, uploaded
from tests.documents.corpus import jpeg_bytes
from tests.factories import PrincipalFactory

RAN_IN: list[int] = []


def _close_connection(**_kwargs) -> None:
    RAN_IN.append(threading.get_ident())
    connection.close()  # the worker thread's own connection


@contextlib.contextmanager
def worker_on_own_queue(broker_url: str):
    queue = "documents-test-" + uuid.uuid4().hex
    saved = (app.conf.broker_url, app.conf.task_always_eager, app.conf.task_routes)
    app.conf.broker_url = broker_url
    app.conf.task_always_eager = False
    app.conf.task_routes = {"documents.tasks.inspect_upload_task": {"queue": queue}}
    # Celery reads task_routes once, at the first message this process sends (an earlier
    # test may have sent one): read them again, or the upload goes to the default queue.
    app.amqp.flush_routes()
    app.amqp.router = app.amqp.Router()
    task_postrun.connect(_close_connection, weak=False)
    try:
        with start_worker(
            app, pool="solo", perform_ping_check=False, queues=[queue], loglevel="INFO"
        ):
            yield
    finally:
        task_postrun.disconnect(_close_connection)
        app.conf.broker_url, app.conf.task_always_eager, app.conf.task_routes = saved
        app.amqp.flush_routes()
        app.amqp.router = app.amqp.Router()


@pytest.mark.django_db(transaction=True)
def test_upload_is_checked_by_a_real_worker(client, real_broker):
    group = PrincipalFactory().group
    open_group(client, group)
    with worker_on_own_queue(real_broker):
        url = reverse("documents:upload", args=[group.public_id])
        data = {"person": "0", "item": "A2", "file": uploaded(jpeg_bytes(), "me.jpg")}
        assert client.post(url, data).status_code == 302
        upload = Upload.objects.get()
        deadline = time.monotonic() + 120  # a loaded machine (CI, parallel runs) is slow
        while upload.status == Upload.Status.PENDING and time.monotonic() < deadline:
            time.sleep(0.1)
            upload.refresh_from_db()
    assert (upload.status, upload.format) == (Upload.Status.ACCEPTED, "JPEG")
    assert RAN_IN and threading.get_ident() not in RAN_IN  # the worker's thread, not eager
    status = client.get(reverse("documents:item_status", args=[group.public_id, "0", "A2"]))
    assert status.json()["checking"] is False
