"""Settings come only from environment variables; bad values stop the process with a clear error."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SETTINGS_VARIABLES = (
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "REDIS_URL",
    "FILE_STORAGE",
    "LANGUAGE_CODE",
    "TIME_ZONE",
    "EMAIL_URL",
    "PAYMENT_PROVIDER",
    "CELERY_TASK_ALWAYS_EAGER",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
)


def load_settings(**variables: str) -> subprocess.CompletedProcess:
    """Import the settings in a fresh interpreter with only the given variables set."""
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    env.update(variables)
    script = (
        "import json, django; from django.conf import settings; django.setup();"
        "print(json.dumps({'debug': settings.DEBUG, 'db': settings.DATABASES['default'],"
        "'tz': settings.TIME_ZONE, 'lang': settings.LANGUAGE_CODE,"
        "'storage': settings.STORAGES['default']['BACKEND'],"
        "'cache': settings.CACHES['default']['BACKEND'], 'broker': settings.CELERY_BROKER_URL,"
        "'eager': settings.CELERY_TASK_ALWAYS_EAGER, 'email': settings.EMAIL_BACKEND,"
        "'hosts': settings.ALLOWED_HOSTS, 'ssl': settings.SECURE_SSL_REDIRECT,"
        "'hsts': settings.SECURE_HSTS_SECONDS, 'cookie_secure': settings.SESSION_COOKIE_SECURE},"
        " default=str))"
    )
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=dict(env, DJANGO_SETTINGS_MODULE="immapp.settings"),
        capture_output=True,
        text=True,
        timeout=60,
    )


def loaded(**variables: str) -> dict:
    result = load_settings(**variables)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_secret_key_is_required_when_debug_is_off():
    result = load_settings()
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off." in result.stderr


def test_debug_is_off_by_default_and_production_security_is_on():
    values = loaded(SECRET_KEY="x" * 50)
    assert values["debug"] is False
    assert values["ssl"] is True
    assert values["hsts"] == 31_536_000
    assert values["cookie_secure"] is True


def test_debug_runs_without_a_secret_key_and_without_https():
    values = loaded(DEBUG="true")
    assert values["debug"] is True
    assert values["ssl"] is False


def test_time_zone_is_hong_kong_and_language_english_by_default():
    values = loaded(DEBUG="true")
    assert values["tz"] == "Asia/Hong_Kong"
    assert values["lang"] == "en"


def test_default_language_can_be_chinese_but_not_an_unknown_one():
    assert loaded(DEBUG="true", LANGUAGE_CODE="zh-hant")["lang"] == "zh-hant"
    result = load_settings(DEBUG="true", LANGUAGE_CODE="fr")
    assert result.returncode != 0
    assert "LANGUAGE_CODE must be one of: en, zh-hant, zh-hans" in result.stderr


def test_database_comes_from_database_url():
    values = loaded(DEBUG="true", DATABASE_URL="postgres://app:pw@db.internal:6543/immapp_prod")
    db = values["db"]
    assert (db["HOST"], db["PORT"], db["NAME"], db["USER"]) == (
        "db.internal",
        6543,
        "immapp_prod",
        "app",
    )
    assert db["ENGINE"] == "django.db.backends.postgresql"


def test_redis_url_makes_redis_the_broker_and_cache():
    values = loaded(DEBUG="true", REDIS_URL="redis://cache.internal:6379/2")
    assert values["broker"] == "redis://cache.internal:6379/2"
    assert values["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert values["eager"] is False


def test_without_redis_tasks_run_in_process():
    values = loaded(DEBUG="true")
    assert values["broker"] == "memory://"
    assert values["eager"] is True
    assert values["cache"] == "django.core.cache.backends.locmem.LocMemCache"


def test_s3_storage_is_chosen_by_file_storage():
    values = loaded(DEBUG="true", FILE_STORAGE="s3", AWS_STORAGE_BUCKET_NAME="immapp-files")
    assert values["storage"] == "storages.backends.s3.S3Storage"
    result = load_settings(DEBUG="true", FILE_STORAGE="ftp")
    assert result.returncode != 0
    assert "FILE_STORAGE must be 'local' or 's3'." in result.stderr


def test_email_comes_from_email_url():
    values = loaded(DEBUG="true", EMAIL_URL="smtp://mailer.internal:25")
    assert values["email"] == "django.core.mail.backends.smtp.EmailBackend"
    assert loaded(DEBUG="true")["email"] == "django.core.mail.backends.console.EmailBackend"


@pytest.mark.parametrize("name", SETTINGS_VARIABLES)
def test_every_variable_is_documented(name):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    assert "`" + name + "`" in readme
    assert name + "=" in example


def test_every_variable_read_by_the_settings_is_documented():
    import re

    source = (ROOT / "immapp" / "settings.py").read_text(encoding="utf-8")
    names = set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z_]+)"', source))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    missing = sorted(n for n in names if "`" + n + "`" not in readme or n + "=" not in example)
    assert names and not missing, missing
