"""Whether a Redis server answers, for the broker and the cache."""

import os

import redis

DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"


def find_redis() -> tuple[str, str | None]:
    """(url, problem): problem is None when the server answers PING."""
    url = os.environ.get("REDIS_URL", "").strip() or DEFAULT_REDIS_URL
    client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError as exc:
        return url, str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    finally:
        client.close()
    return url, None
