"""Health endpoints for load balancers and orchestrators.

/healthz says the process is up and touches nothing else; /readyz says whether the database and
Redis (when configured) answer, with 503 and a short reason code when one does not. Anyone can
ask, so the answer carries no error text (addresses, user names, versions): the detail goes to
the log.

/readyz also says whether a periodic task is overdue (immapp.periodic: beat stalled, no worker,
a task failing), naming the schedule entries, but still answers 200: a load balancer takes a
web process that is not ready out of rotation, and a stalled beat is no reason to stop serving
pages. Monitoring reads `checks.periodic_tasks`.
"""

import logging

import redis
from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .periodic import overdue_names

logger = logging.getLogger(__name__)

REDIS_TIMEOUT_SECONDS = 1.0
DATABASE_UNAVAILABLE = "database_unavailable"
REDIS_UNAVAILABLE = "redis_unavailable"


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def _database_problem() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.warning("readyz: the database does not answer", exc_info=True)
        return DATABASE_UNAVAILABLE
    return None


def _redis_problem() -> str | None:
    if not settings.REDIS_URL:
        return None
    client = redis.Redis.from_url(
        settings.REDIS_URL,
        socket_timeout=REDIS_TIMEOUT_SECONDS,
        socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
    )
    try:
        client.ping()
    except redis.RedisError:
        logger.warning("readyz: Redis does not answer", exc_info=True)
        return REDIS_UNAVAILABLE
    finally:
        client.close()
    return None


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    problems = [p for p in (_database_problem(), _redis_problem()) if p]
    if problems:
        return JsonResponse({"status": "unavailable", "reasons": problems}, status=503)
    overdue = overdue_names()
    checks = {
        "database": "ok",
        "redis": "ok" if settings.REDIS_URL else "not configured",
        "periodic_tasks": "overdue" if overdue else "ok",
    }
    body: dict[str, object] = {"status": "ok", "checks": checks}
    if overdue:
        body["overdue"] = overdue
    return JsonResponse(body)
