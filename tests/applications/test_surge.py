"""A small rush, end to end: five applicants play the whole journey over HTTP (bench/_journey.py,
the journey bench/surge.py plays) against the live server at once, with a real Celery worker on
Redis checking the uploads and delivering the sandbox's webhooks, for a trade of two places.

Exactly two are submitted, nobody is oversold, the other three get the clean quota-full outcome
and are charged nothing, and every upload was checked.
"""

import contextlib
import datetime
import uuid

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.db import connection
from django.utils import timezone

from applications.models import ApplicationGroup
from bench._journey import QUOTA_FULL, SUBMITTED, Recorder, answers_for, audit, play_all
from immapp.celery import app
from payments.models import Fee, SandboxPayment
from tests.applications import drafting

APPLICANTS, PLACES = 5, 2


def _close_connection(**_kwargs) -> None:
    connection.close()  # the worker thread's own connection, after each task


@contextlib.contextmanager
def worker_on_own_queue(broker_url: str):
    """A worker in a thread of this process taking every task from a queue of its own, so
    concurrent runs sharing the Redis server never take each other's messages."""
    queue = "surge-test-" + uuid.uuid4().hex
    saved = (app.conf.broker_url, app.conf.task_always_eager, app.conf.task_routes)
    app.conf.broker_url = broker_url
    app.conf.task_always_eager = False
    app.conf.task_routes = {"*": {"queue": queue}}
    # Celery reads task_routes once, at the first message this process sends: read them again.
    app.amqp.flush_routes()
    app.amqp.router = app.amqp.Router()
    task_postrun.connect(_close_connection, weak=False)
    try:
        with start_worker(
            app,
            pool="threads",
            concurrency=2,
            perform_ping_check=False,
            queues=[queue],
            loglevel="WARNING",
        ):
            yield
    finally:
        task_postrun.disconnect(_close_connection)
        app.conf.broker_url, app.conf.task_always_eager, app.conf.task_routes = saved
        app.amqp.flush_routes()
        app.amqp.router = app.amqp.Router()


@pytest.fixture
def behind_proxy(settings):
    """The live server as behind a TLS-terminating proxy on loopback, as bench/_serve.py
    serves gunicorn: each simulated applicant has an address of its own."""
    settings.TRUSTED_PROXIES = ["127.0.0.1", "::1"]
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
    return settings


@pytest.mark.django_db(transaction=True)
def test_a_rush_of_five_for_two_places_submits_exactly_two(live_server, behind_proxy):
    if not behind_proxy.REDIS_URL:
        pytest.skip("needs Redis: devstack sets REDIS_URL when Redis answers")
    Fee.objects.get_or_create(
        effective_from=timezone.make_aware(datetime.datetime(2025, 6, 30)),
        defaults={"amount_cents": 60000},
    )
    trade = drafting.trade_with_pool(capacity=PLACES)
    answers = answers_for(trade, listed_company=True)  # six files each rather than nine
    recorder = Recorder()
    port = int(live_server.url.rsplit(":", 1)[1])
    with worker_on_own_queue(behind_proxy.REDIS_URL):
        results = play_all(
            APPLICANTS,
            concurrency=APPLICANTS,
            host="localhost",
            port=port,
            answers=answers,
            recorder=recorder,
            check_timeout=150,  # a machine shared with other runs is slow
        )
        found = audit(trade)

    outcomes = sorted(result.outcome for result in results)
    assert outcomes == [QUOTA_FULL] * 3 + [SUBMITTED] * 2, [(r.outcome, r.detail) for r in results]
    assert (found.submitted, found.allocated, found.oversold) == (PLACES, PLACES, 0)
    assert found.charged_without_slot == 0
    # Charged: the two submitted, or a refund in full for anyone whose slot was lost.
    assert found.charged - found.refunded_in_full == PLACES
    assert found.uploads > 0 and found.uploads_unchecked == 0
    assert found.half_paid == 0
    # The database agrees with what each applicant was shown.
    for result in results:
        if not result.group_id:  # refused before a draft was started
            assert result.outcome == QUOTA_FULL
            continue
        group = ApplicationGroup.objects.get(public_id=result.group_id)
        if result.outcome == SUBMITTED:
            assert group.status == ApplicationGroup.Status.SUBMITTED
        else:
            assert group.status != ApplicationGroup.Status.SUBMITTED
            paid = SandboxPayment.objects.filter(
                provider_reference__in=group.payment_attempts.values("provider_reference"),
                amount_received_cents__gt=0,
            )
            assert all(p.amount_refunded_cents == p.amount_received_cents for p in paid)
