"""docker-compose.yml is valid against the Compose specification and has the deployment's shape."""

import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"


def test_compose_file_is_valid_against_the_specification():
    checker = Path(sys.executable).parent / "check-jsonschema"
    result = subprocess.run(
        [str(checker), "--builtin-schema", "vendor.compose-spec", str(COMPOSE)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_compose_runs_web_worker_beat_postgres_and_redis_on_one_environment():
    services = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))["services"]
    assert {"web", "worker", "beat", "postgres", "redis"} <= set(services)
    assert "gunicorn" in services["web"]["command"]
    assert services["worker"]["command"][:4] == ["celery", "-A", "immapp", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "immapp", "beat"]
    environments = [services[name]["environment"] for name in ("web", "worker", "beat")]
    assert environments[0] == environments[1] == environments[2]
    assert {"DATABASE_URL", "REDIS_URL", "SECRET_KEY"} <= set(environments[0])


def test_the_database_password_comes_from_the_environment():
    text = COMPOSE.read_text(encoding="utf-8")
    services = yaml.safe_load(text)["services"]
    password = services["postgres"]["environment"]["POSTGRES_PASSWORD"]
    # Required, never a default: `docker compose` stops when .env does not set it.
    assert password.startswith("${POSTGRES_PASSWORD:?"), password
    assert "${POSTGRES_PASSWORD}" in services["web"]["environment"]["DATABASE_URL"]
    assert "immapp:immapp@" not in text
