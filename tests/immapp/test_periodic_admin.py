"""Supervisors see the periodic tasks' schedule and their last runs in the admin, overdue ones
marked; officers do not; nobody edits the runs by hand."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from applications.roles import OFFICER, SUPERVISOR, ensure_roles
from immapp.models import PeriodicTaskRun
from tests.staff import log_in_staff

pytestmark = pytest.mark.django_db

RUNS = "admin:immapp_periodictaskrun_changelist"


def _staff(client, role: str):
    user = get_user_model().objects.create_user(role + "-ops", is_staff=True)
    user.groups.set([ensure_roles()[role]])
    log_in_staff(client, user)
    return user


def test_supervisors_see_which_periodic_tasks_are_overdue(client, django_assert_max_num_queries):
    _staff(client, SUPERVISOR)
    now = timezone.now()
    PeriodicTaskRun.objects.update(watched_since=now, last_succeeded_at=now)
    PeriodicTaskRun.objects.filter(name="quota-delete-expired-holds").update(
        last_succeeded_at=now - timedelta(hours=1)
    )
    with django_assert_max_num_queries(12):
        page = client.get(reverse(RUNS))
    assert page.status_code == 200
    rows = page.content.decode().split("<tr")
    holds = next(row for row in rows if "quota-delete-expired-holds" in row)
    assert 'alt="True"' in holds  # overdue
    reconcile = next(row for row in rows if "payments-reconcile" in row)
    assert 'alt="False"' in reconcile
    schedule = reverse("admin:django_celery_beat_periodictask_changelist")
    assert client.get(schedule).status_code == 200


def test_nobody_adds_or_changes_a_run_by_hand(client):
    _staff(client, SUPERVISOR)
    run = PeriodicTaskRun.objects.get(name="quota-delete-expired-holds")
    change = reverse("admin:immapp_periodictaskrun_change", args=[run.pk])
    response = client.post(change, {"name": "forged", "watched_since": "2020-01-01"})
    assert response.status_code == 403
    assert client.get(reverse("admin:immapp_periodictaskrun_add")).status_code == 403
    assert PeriodicTaskRun.objects.filter(name="forged").count() == 0


def test_officers_do_not_see_the_runs(client):
    _staff(client, OFFICER)
    assert client.get(reverse(RUNS)).status_code == 403
