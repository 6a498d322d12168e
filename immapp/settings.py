"""Settings of the TP Stream e-Application.

Every deploy-time value comes from an environment variable read here, through django-environ
(a `.env` file beside manage.py is read too, without overriding the real environment). Each
variable is described in README.md and `.env.example`. Test-only adjustments live in
tests/conftest.py.
"""

import hashlib
import ipaddress
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-for-debug"  # noqa: S105 - DEBUG only

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Public address of the service, used in links sent by email (resume, employer, acknowledgment).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "immapp.apps.StaffAdminConfig",  # django.contrib.admin, with a second factor for staff
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Trigram indexes (operator classes in index expressions) of the officers' case search.
    "django.contrib.postgres",
    "formtools",
    "django_countries",
    "csp",
    "django_celery_beat",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "immapp",
    "applications",
    "quota",
    "payments",
    "documents",
]

MIDDLEWARE = [
    "immapp.proxies.TrustedProxyMiddleware",  # first: forwarded headers only from a proxy
    "django.middleware.security.SecurityMiddleware",
    "immapp.overload.LoadSheddingMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "documents.middleware.ChecksCounterMiddleware",  # before the session: polls touch no row
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): the second factor
    "immapp.staff_sessions.StaffSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "applications.middleware.SavedAndLeftMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out log-in into its page
]

ROOT_URLCONF = "immapp.urls"
WSGI_APPLICATION = "immapp.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {
            # Django's cached loader, with the wizard's field template filled in per shape of
            # field for pages that include it themselves (immapp.form_rendering.Loader).
            "loaders": [
                (
                    "immapp.form_rendering.Loader",
                    [
                        "django.template.loaders.filesystem.Loader",
                        "django.template.loaders.app_directories.Loader",
                    ],
                )
            ],
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "immapp.context_processors.service",
            ],
        },
    },
]

# Forms render through Django's templates, its plainest widget templates drawn in Python
# (immapp/form_rendering.py: the same bytes, several times faster on the wizard's pages).
FORM_RENDERER = "immapp.form_rendering.DrawnWidgetsRenderer"

# Database: PostgreSQL is the database of record. `make run` and `make test` find one and set
# DATABASE_URL for the processes they start (see devstack/).
DATABASES = {
    "default": env.db_url("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/immapp"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env.int(
    "DATABASE_CONNECT_TIMEOUT", default=5
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis is the Celery broker and the cache. Without it, tasks run in-process (eager) and the
# cache is local memory: fine for one process, not for a deployment.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "immapp",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
# No results are kept, so none expire: beat needs no result clean-up entry of Celery's own.
CELERY_RESULT_EXPIRES = None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "Asia/Hong_Kong"
# documents: each upload is inspected in a child process with these hard limits: CPU seconds,
# address space (MB) and wall-clock seconds; a file that exhausts them is refused as too complex.
INSPECTION_CPU_SECONDS = env.int("INSPECTION_CPU_SECONDS", default=20)
INSPECTION_MEMORY_MB = env.int("INSPECTION_MEMORY_MB", default=1024)
INSPECTION_WALL_SECONDS = env.int("INSPECTION_WALL_SECONDS", default=30)
# The inspection task's own time limits (prefork pool) come after the child's deadline, with
# room to read the file and record the verdict: the soft one refuses the file, the hard one
# kills a worker stuck anyway (the next delivery counts as a try, see documents.services).
CELERY_TASK_ANNOTATIONS = {
    "documents.tasks.inspect_upload_task": {
        "soft_time_limit": INSPECTION_WALL_SECONDS + 15,
        "time_limit": INSPECTION_WALL_SECONDS + 30,
    },
}
# Beat keeps the schedule in the database (django-celery-beat, seen in the admin), copied from
# CELERY_BEAT_SCHEDULE at each start (immapp/beat.py); no schedule file.
CELERY_BEAT_SCHEDULER = "immapp.beat:SettingsScheduler"
# A periodic task not run successfully this long after it was due is reported overdue by
# /readyz and in the admin (immapp/periodic.py).
PERIODIC_TASK_GRACE_SECONDS = env.int("PERIODIC_TASK_GRACE_SECONDS", default=300)
# Periodic sweeps; each app adds its own entries to this dict.
CELERY_BEAT_SCHEDULE: dict[str, dict] = {}
# applications: delete drafts untouched for 14 days, with their files, once a day.
CELERY_BEAT_SCHEDULE["applications-purge-abandoned-drafts"] = {
    "task": "applications.tasks.purge_abandoned_drafts_task",
    "schedule": 24 * 60 * 60.0,
}
# applications: queue again acknowledgment emails still unsent (a lost task, a mail outage).
CELERY_BEAT_SCHEDULE["applications-send-pending-acknowledgments"] = {
    "task": "applications.tasks.send_pending_acknowledgments",
    "schedule": 300.0,
}
# applications: queue again the emails of officers' decisions still unsent.
CELERY_BEAT_SCHEDULE["applications-send-pending-decision-emails"] = {
    "task": "applications.tasks.send_pending_decision_emails",
    "schedule": 300.0,
}
# documents: remove stored files no upload refers to (older than an hour); re-queue stale checks.
CELERY_BEAT_SCHEDULE["documents-sweep-uploads"] = {
    "task": "documents.tasks.sweep_uploads_task",
    "schedule": 3600.0,
}
# documents: draw the officers' previews of accepted files of submitted groups still missing.
CELERY_BEAT_SCHEDULE["documents-queue-previews"] = {
    "task": "documents.tasks.queue_previews_task",
    "schedule": 60.0,
}
# documents: close supplementary requests past their deadline; send their emails still unsent.
CELERY_BEAT_SCHEDULE["documents-sweep-supplementary-requests"] = {
    "task": "documents.tasks.sweep_supplementary_requests_task",
    "schedule": 300.0,
}
# quota: delete expired holds; make scheduled reopenings take effect.
# payments: settle attempts a webhook did not; compare with the providers once a day.
CELERY_BEAT_SCHEDULE["payments-reconcile"] = {
    "task": "payments.tasks.reconcile_payments_task",
    "schedule": 60.0,
}
CELERY_BEAT_SCHEDULE["payments-daily-check"] = {
    "task": "payments.tasks.daily_payment_check_task",
    "schedule": 24 * 60 * 60.0,
}
CELERY_BEAT_SCHEDULE["quota-delete-expired-holds"] = {
    "task": "quota.tasks.delete_expired_holds_task",
    "schedule": 60.0,
}
CELERY_BEAT_SCHEDULE["quota-apply-due-reopenings"] = {
    "task": "quota.tasks.apply_due_reopenings_task",
    "schedule": 30.0,
}

# Staff (the only users with passwords) log in with a password and their authenticator app's
# code (immapp/staff.py); repeated failures lock the account and the address out (django-axes).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out log-in
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("STAFF_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("STAFF_LOGIN_COOLOFF_MINUTES", default=15))
# Failures are counted per user name and per client address, each locked on its own.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "applications.access.client_address"  # trusts only TRUSTED_PROXIES
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "immapp.staff.locked_out"
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "otp_token"]
OTP_TOTP_ISSUER = "TP Stream e-Application"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # a TOTP key is shown once, when it is enrolled
STAFF_SESSION_IDLE_MINUTES = env.int("STAFF_SESSION_IDLE_MINUTES", default=15)
STAFF_SESSION_MAX_HOURS = env.int("STAFF_SESSION_MAX_HOURS", default=12)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: English, Traditional Chinese, Simplified Chinese.
LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="en")
LANGUAGES = [
    ("en", "English"),
    ("zh-hant", "繁體中文"),
    ("zh-hans", "简体中文"),
]
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ImproperlyConfigured(
        "LANGUAGE_CODE must be one of: " + ", ".join(code for code, _name in LANGUAGES)
    )
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Hong_Kong")
USE_I18N = True
# Dates and numbers as Hong Kong writes them in each language (immapp/formats).
FORMAT_MODULE_PATH = ["immapp.formats"]
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / ".data" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]

# Uploaded files are private: kept outside every public path and served only by a view that
# checks access. FILE_STORAGE=s3 keeps them in an S3 bucket through django-storages.
FILE_STORAGE = env.str("FILE_STORAGE", default="local")
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / ".data" / "media")
if FILE_STORAGE == "s3":
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default=None),
            "region_name": env.str("AWS_S3_REGION_NAME", default="ap-east-1"),
            "access_key": env.str("AWS_ACCESS_KEY_ID", default=None),
            "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default=None),
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 60,
            "file_overwrite": False,
            "addressing_style": "path",
        },
    }
elif FILE_STORAGE == "local":
    _default_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        # No base_url: these files have no public address.
        "OPTIONS": {"location": str(MEDIA_ROOT), "base_url": None},
    }
else:
    raise ImproperlyConfigured("FILE_STORAGE must be 'local' or 's3'.")
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# documents: officers' previews are drawn in a child process with these hard limits: CPU seconds,
# address space (MB) and wall-clock seconds per file; a file that exhausts them gets no preview.
PREVIEW_CPU_SECONDS = env.int("PREVIEW_CPU_SECONDS", default=20)
PREVIEW_MEMORY_MB = env.int("PREVIEW_MEMORY_MB", default=512)
PREVIEW_WALL_SECONDS = env.int("PREVIEW_WALL_SECONDS", default=40)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024
# No page takes more than 5 files in one post (documents.forms.MAX_FILES_PER_POST, whose upload
# handler keeps none past them and says so); Django answers 400 to a body of more than this
# many files before keeping any (its default is 100).
DATA_UPLOAD_MAX_NUMBER_FILES = 10

# Email: EMAIL_URL such as smtp://user:password@host:587/?tls=True or consolemail://
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
globals().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="TP Stream e-Application <noreply@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Officers' shared mailbox (comma-separated addresses): told when an applicant has sent the
# supplementary documents asked for, or when a request's deadline passed without them.
SUPPLEMENTARY_OFFICERS_EMAIL = env.list("SUPPLEMENTARY_OFFICERS_EMAIL", default=[])

# Payments: PAYMENT_PROVIDER is the provider of every method not named in PAYMENT_PROVIDERS
# (method=provider pairs, e.g. "visa=stripe,fps=fps"); the sandbox needs nothing outside. With
# DEBUG off the service refuses to start on the sandbox unless PAYMENT_SANDBOX_ALLOWED is true.
PAYMENT_PROVIDER = env.str("PAYMENT_PROVIDER", default="sandbox")
PAYMENT_PROVIDERS = env.dict("PAYMENT_PROVIDERS", default={})
PAYMENT_SANDBOX_ALLOWED = env.bool("PAYMENT_SANDBOX_ALLOWED", default=False)
SANDBOX_WEBHOOK_SECRET = env.str(
    "SANDBOX_WEBHOOK_SECRET",
    default=hashlib.sha256(("sandbox-webhook:" + SECRET_KEY).encode()).hexdigest(),
)
SANDBOX_DELAY_SECONDS = env.int("SANDBOX_DELAY_SECONDS", default=20)
# The payment window (and so the quota hold placed at "Pay"): PPS confirms the next working day.
PAYMENT_WINDOW_MINUTES = env.int("PAYMENT_WINDOW_MINUTES", default=30)
PAYMENT_PPS_WINDOW_HOURS = env.int("PAYMENT_PPS_WINDOW_HOURS", default=96)
# Reconciliation: attempts quiet this long are re-fetched; pending ones end this long after
# their window; authorisations not captured within these hours go to officers.
PAYMENT_RECONCILE_AFTER_SECONDS = env.int("PAYMENT_RECONCILE_AFTER_SECONDS", default=120)
PAYMENT_EXPIRY_GRACE_MINUTES = env.int("PAYMENT_EXPIRY_GRACE_MINUTES", default=30)
PAYMENT_RECONCILE_BATCH = 200
# Payments one group may start in an hour (each creates a payment at a provider).
PAYMENT_ATTEMPTS_PER_GROUP_PER_HOUR = env.int("PAYMENT_ATTEMPTS_PER_GROUP_PER_HOUR", default=10)
PAYMENT_CAPTURE_REVIEW_HOURS = env.int("PAYMENT_CAPTURE_REVIEW_HOURS", default=72)
STRIPE_SECRET_KEY = env.str("STRIPE_SECRET_KEY", default="")
STRIPE_PUBLISHABLE_KEY = env.str("STRIPE_PUBLISHABLE_KEY", default="")
STRIPE_WEBHOOK_SECRET = env.str("STRIPE_WEBHOOK_SECRET", default="")
STRIPE_API_BASE = env.str("STRIPE_API_BASE", default="")
# FPS (payments.fps, payments.providers.fps): the payee's FPS ID and name as the payer's banking
# app shows them; the collecting bank's adapter (a CollectingBank, by dotted path) and the
# secret its confirmation notifications are signed with.
FPS_ID = env.str("FPS_ID", default="")
FPS_MERCHANT_NAME = env.str("FPS_MERCHANT_NAME", default="")
FPS_COLLECTING_BANK = env.str("FPS_COLLECTING_BANK", default="")
FPS_NOTIFICATION_SECRET = env.str("FPS_NOTIFICATION_SECRET", default="")

# The PDF acknowledgment's font: Noto Sans CJK from Debian's fonts-noto-cjk (README).
ACKNOWLEDGMENT_FONT = env.str(
    "ACKNOWLEDGMENT_FONT", default="/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
)
# How many drafts one client (address) may start an hour (applications.services.start_draft).
DRAFTS_PER_CLIENT_PER_HOUR = env.int("DRAFTS_PER_CLIENT_PER_HOUR", default=10)
# The employer link is emailed from the official sender: how many sendings a day one draft, one
# recipient address and one client (address) may ask for (applications.services.employer).
EMPLOYER_LINK_DAILY_SENDS_PER_DRAFT = env.int("EMPLOYER_LINK_DAILY_SENDS_PER_DRAFT", default=5)
EMPLOYER_LINK_DAILY_SENDS_PER_RECIPIENT = env.int(
    "EMPLOYER_LINK_DAILY_SENDS_PER_RECIPIENT", default=5
)
EMPLOYER_LINK_DAILY_SENDS_PER_CLIENT = env.int("EMPLOYER_LINK_DAILY_SENDS_PER_CLIENT", default=20)

# Quota: how long a hold on a slot lasts while the applicant pays.
QUOTA_HOLD_MINUTES = env.int("QUOTA_HOLD_MINUTES", default=30)

# Security. Production values unless DEBUG; `manage.py check --deploy` is clean with them.
# Proxies (load balancers) in front of the web processes, as addresses or networks
# (comma-separated). Only a request connecting from one of them has its X-Forwarded-For and
# X-Forwarded-Proto believed (immapp/proxies.py, applications.access.client_address); empty,
# the default, is the deployment reached directly, where no forwarded header is trusted.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy.strip(), strict=False)
    except ValueError as _error:
        raise ImproperlyConfigured("TRUSTED_PROXIES: " + str(_error)) from None
# Read by request.is_secure(); immapp.proxies removes the header unless a trusted proxy sent it.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Load shedding (immapp/overload.py): a request that waited longer than OVERLOAD_MAX_QUEUE_MS in
# front of the application, as told by the proxy's request-start header, gets the busy page (503).
OVERLOAD_REQUEST_START_HEADER = env.str("OVERLOAD_REQUEST_START_HEADER", default="")
OVERLOAD_MAX_QUEUE_MS = env.int("OVERLOAD_MAX_QUEUE_MS", default=3000)
OVERLOAD_RETRY_AFTER_SECONDS = env.int("OVERLOAD_RETRY_AFTER_SECONDS", default=60)

SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy: no inline script, nothing from another origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# The service's name, as every page shows it.
SERVICE_NAME = _("Technical Professionals Stream e-Application")
# django-countries' Simplified Chinese writes this name with ASCII brackets: ours uses full-width
# ones, as all the service's Chinese text does (tests/immapp/test_chinese_punctuation.py).
COUNTRIES_OVERRIDE = {"CC": _("Cocos (Keeling) Islands")}
