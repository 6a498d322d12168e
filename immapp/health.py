"""Health endpoints for load balancers and orchestrators.

/healthz says the process is up and touches nothing else; /readyz says whether the database and
Redis (when configured) answer, with 503 and a short JSON reason when one does not.
"""

import redis
from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

REDIS_TIMEOUT_SECONDS = 1.0


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def _database_problem() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return "database: " + (str(exc).strip().splitlines() or [type(exc).__name__])[0]
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
    except redis.RedisError as exc:
        return "redis: " + (str(exc).strip() or type(exc).__name__)
    finally:
        client.close()
    return None


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    problems = [p for p in (_database_problem(), _redis_problem()) if p]
    if problems:
        return JsonResponse({"status": "unavailable", "reasons": problems}, status=503)
    checks = {"database": "ok", "redis": "ok" if settings.REDIS_URL else "not configured"}
    return JsonResponse({"status": "ok", "checks": checks})
