"""Settings shared by every environment. See local.py, test.py and production.py."""

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from .env import BASE_DIR, env

SECRET_KEY = env.str("DJANGO_SECRET_KEY", "insecure-local-key-change-me")
DEBUG = env.bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "accountability.admin_site.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "django_filters",
    "simple_history",
    "axes",
    "accountability",
    "rectification",
    "rectification.reminders",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accountability.access.ScopeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "common.middleware.SecurityHeadersMiddleware",
    # Last, so that it sees the authenticated user and the final response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "accountability.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": env.dj_db_url("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'portal.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accountability.User"
AUTHENTICATION_BACKENDS = [
    # axes first: it refuses a locked-out account before any password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions live in the database so that logging out or deactivating a user ends them.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_SAVE_EVERY_REQUEST = True  # idle timeout: the age counts from the last request
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "common.views.csrf_failure"

# Failed-login throttling (django-axes): per account and, separately, per address.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", 0.5)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    # Evidence files are private: never under STATIC or a public MEDIA_URL.
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": env.path("EVIDENCE_ROOT", BASE_DIR / "var" / "evidence"),
            "base_url": None,
        },
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
EVIDENCE_MAX_BYTES = env.int("EVIDENCE_MAX_MB", 20) * 1024 * 1024
EVIDENCE_MAX_FILES = env.int("EVIDENCE_MAX_FILES", 10)
# The parser's hard stop sits above the form's limit, so that someone who picks a few files too
# many is told so in Chinese by the form; only a flood gets the parser's bare 400.
DATA_UPLOAD_MAX_NUMBER_FILES = max(100, EVIDENCE_MAX_FILES * 2)

# Rectification: three-colour thresholds (days before a deadline) and the follow-up period
# (回头看, days after closure); an organisation's WarningPolicy overrides them.
WARNING_GREEN_DAYS = env.int("WARNING_GREEN_DAYS", 20)
WARNING_YELLOW_DAYS = env.int("WARNING_YELLOW_DAYS", 10)
RECTIFICATION_FOLLOWUP_DAYS = env.int("RECTIFICATION_FOLLOWUP_DAYS", 90)

# Annual report PDF: an office's licensed fonts (title.*, body.*, heading.*, subheading.*,
# number.*) in this folder come first in the font stacks; reports whose appendices exceed
# REPORT_ASYNC_ROWS rows are rendered by a Celery worker.
REPORT_FONT_DIR = env.path("REPORT_FONT_DIR", BASE_DIR / "var" / "fonts")
REPORT_ASYNC_ROWS = env.int("REPORT_ASYNC_ROWS", 300)
# Font names the Word export writes, by role (reports/docx/render.py): an office with licensed
# fonts names them, e.g. REPORT_DOCX_FONTS="title=方正小标宋简体,body=仿宋_GB2312".
REPORT_DOCX_FONTS = env.dict("REPORT_DOCX_FONTS", {})
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

CACHES = {"default": env.dj_cache_url("CACHE_URL", "locmem://")}

REDIS_URL = env.str("REDIS_URL", "redis://127.0.0.1:6379/0")
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = None
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True  # a worker killed mid-task leaves it for another worker
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", False)
# A page must never hang on a dead broker: give up connecting quickly.
CELERY_BROKER_CONNECTION_TIMEOUT = 1.0
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 0.8,  # two tries stay under the 2 s a page may wait
    # A frozen Redis (SIGSTOP, a hung host) accepts the connection and never answers: the
    # publish then waits for this long, once, before the page goes on without the broker.
    "socket_timeout": 1,
    # One immediate retry, not kombu's default 2 s pause before it.
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
    # A task taken by a worker that died whole (SIGKILL, OOM, power) is handed out again this
    # long after it was taken, when a worker starts or sweeps; the fault tests shorten it.
    "visibility_timeout": env.int("BROKER_VISIBILITY_TIMEOUT", 3600),
}
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BEAT_SCHEDULE = {
    # Reminders are found from database state, so one morning sweep and a light midday pass
    # are enough; nothing is scheduled per item.
    "reminder-sweep-morning": {
        "task": "rectification.reminders.tasks.sweep",
        "schedule": crontab(hour=8, minute=0),
    },
    "reminder-sweep-midday": {
        "task": "rectification.reminders.tasks.sweep",
        "schedule": crontab(hour=13, minute=30),
    },
    # Sends what waits: retries after a failure, deliveries recorded while Redis was down.
    "reminder-deliver-pending": {
        "task": "rectification.reminders.tasks.deliver_pending",
        "schedule": crontab(minute="*/5"),
    },
    # Evidence files of saves that a crash cut off (no row names them); a day old at least.
    "evidence-orphans-nightly": {
        "task": "reports.tasks.remove_orphan_evidence",
        "schedule": crontab(hour=3, minute=30),
    },
}
CELERY_BEAT_SCHEDULE_FILENAME = str(BASE_DIR / "var" / "celerybeat-schedule")

# Reminders (rectification.reminders). Colour thresholds: rectification's WarningPolicy.
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", "http://127.0.0.1:8000")
REMINDER_DIGEST_ITEMS_PER_LEVEL = env.int("REMINDER_DIGEST_ITEMS_PER_LEVEL", 30)
REMINDER_MAX_ATTEMPTS = env.int("REMINDER_MAX_ATTEMPTS", 6)
REMINDER_LEASE_SECONDS = env.int("REMINDER_LEASE_SECONDS", 300)
REMINDER_WEBHOOK_TIMEOUT = env.float("REMINDER_WEBHOOK_TIMEOUT", 5.0)
REMINDER_ENQUEUE_CHUNK = 50
REMINDER_PENDING_BATCH = 5000
# A hung mail server must give up well within a delivery's lease, or the retry would overlap.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", 20)

EMAIL_BACKEND = env.str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", "portal@localhost")
email = env.dj_email_url("EMAIL_URL", "")
if email:
    vars().update(email)

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.log_level("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
