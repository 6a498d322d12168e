import pytest


def test_healthz_answers_without_touching_the_database(client):
    # No django_db mark: a database query here would fail the test.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_is_ok_when_database_and_redis_answer(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:6379/0"
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    checks = response.json()["checks"]
    assert checks["database"] == "ok" and checks["redis"] == "ok"


@pytest.mark.django_db
def test_readyz_gives_a_reason_code_when_redis_does_not_answer_and_logs_the_detail(
    client, settings, caplog
):
    settings.REDIS_URL = "redis://:hunter2-redis@127.0.0.1:1/0"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "reasons": ["redis_unavailable"]}
    assert "127.0.0.1:1" not in response.content.decode()
    assert "Connection refused" in caplog.text  # the detail is in the log


@pytest.mark.django_db
def test_readyz_gives_a_reason_code_when_the_database_does_not_answer_and_logs_the_detail(
    client, monkeypatch, caplog
):
    from django.db import OperationalError, connection

    detail = 'connection to server at "10.0.4.7", port 5432 failed: FATAL: role "immapp" ...'

    def broken_cursor(*args, **kwargs):
        raise OperationalError(detail)

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "reasons": ["database_unavailable"]}
    assert "10.0.4.7" not in response.content.decode()
    assert detail in caplog.text
