"""Settings shared by every environment. See local.py, test.py and production.py."""

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _
from marshmallow.validate import OneOf

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
    "django.forms",  # its widget templates, for FORM_RENDERER below
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "django_filters",
    "simple_history",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "audit",
    "notices",
    "accountability",
    "rectification",
    "reports",
    "supervision",
    "assessment",  # after supervision: its demo scores the reports submitted there
    "oversight",
    "deadlines",
    "api",
    "search",
    "sso",
]

MIDDLEWARE = [
    # First, so that it sees every 404 and 500 (DEBUG's technical pages included).
    "common.middleware.ErrorPagesMiddleware",
    # A file store that does not answer: a page (or JSON) that says so, not a 500.
    "common.storage.StorageErrorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # LocaleMiddleware, less Accept-Language: the default language unless the person chose.
    "common.middleware.PortalLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, with the person and their scope kept in a shared cache (PERSON_CACHE).
    "accountability.person_cache.CachedAuthenticationMiddleware",
    "accountability.access.ScopeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "common.middleware.SecurityHeadersMiddleware",
    # Last, so that it sees the login view's verdict and replaces its page.
    "audit.middleware.LoginThrottleMiddleware",
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
                "sso.context_processors.single_sign_on",
            ],
            # The widget templates' tags (templates/django/forms/); common is not an app.
            "libraries": {"form_rendering": "common.form_rendering"},
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
    # First: an attempt that must wait is refused before any password check.
    "audit.backends.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Django's checks, with messages in the portal's words (accountability/passwords.py).
# Argon2id (accountability/hashers.py); the hashers after it check the passwords stored before,
# which are hashed again with the first at their owner's next login.
PASSWORD_HASHERS = [
    "accountability.hashers.PortalArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "accountability.passwords.UserAttributeSimilarityValidator"},
    {"NAME": "accountability.passwords.MinimumLengthValidator"},
    {"NAME": "accountability.passwords.CommonPasswordValidator"},
    {"NAME": "accountability.passwords.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions live in the database so that logging out or deactivating a user ends them, and so
# that every web machine behind the proxy reads the same ones (README "Growing past one machine").
SESSION_ENGINE = "common.sessions"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", 8 * 60 * 60)
# Idle timeout: the age counts from the last request, to within a minute (a signed-in session is
# saved again at most once a minute: accountability/person_cache.py refresh_session).
SESSION_SAVE_EVERY_REQUEST = False
# Signed-in people and their scopes kept between requests (accountability/person_cache.py): only
# with a cache every process shares; the settings that have Redis turn it on.
PERSON_CACHE = False
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "common.views.csrf_failure"

# Failed-login throttling (audit/throttle.py; README "Login throttling"): consecutive failures
# per account and per client address; past the free ones, each doubles the wait, up to a cap.
LOGIN_ACCOUNT_FREE_FAILURES = env.int("LOGIN_ACCOUNT_FREE_FAILURES", 5)
LOGIN_ACCOUNT_BASE_DELAY = env.int("LOGIN_ACCOUNT_BASE_DELAY", 15)
LOGIN_ACCOUNT_MAX_DELAY = env.int("LOGIN_ACCOUNT_MAX_DELAY", 15 * 60)
LOGIN_ADDRESS_FREE_FAILURES = env.int("LOGIN_ADDRESS_FREE_FAILURES", 20)
LOGIN_ADDRESS_BASE_DELAY = env.int("LOGIN_ADDRESS_BASE_DELAY", 30)
LOGIN_ADDRESS_MAX_DELAY = env.int("LOGIN_ADDRESS_MAX_DELAY", 60 * 60)
LOGIN_FAILURE_WINDOW = env.int("LOGIN_FAILURE_WINDOW", 24 * 60 * 60)
# How many reverse proxies stand in front of the portal and append to X-Forwarded-For (0: the
# header is ignored, the TCP peer is the client). Behind exactly one nginx, 1.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ValueError('Environment variable "TRUSTED_PROXY_COUNT" invalid: must be 0 or more')

# The security audit log (audit/): kept this many days, never fewer than 180 (网络安全法 Art. 21).
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", 365)
if AUDIT_RETENTION_DAYS < 180:
    raise ValueError('Environment variable "AUDIT_RETENTION_DAYS" invalid: at least 180 days')

# Single sign-on (README "Single sign-on"): both off unless their server is named.
# LDAP / Active Directory through django-auth-ldap; the directory's groups and attributes become
# roles and units through the mappings the administrator edits (sso.models).
LDAP_SERVER_URI = env.str("LDAP_SERVER_URI", "")
AUTH_LDAP_SERVER_URI = LDAP_SERVER_URI
AUTH_LDAP_BIND_DN = env.str("LDAP_BIND_DN", "")
AUTH_LDAP_BIND_PASSWORD = env.str("LDAP_BIND_PASSWORD", "")
AUTH_LDAP_START_TLS = env.bool("LDAP_START_TLS", False)
LDAP_USER_SEARCH_BASE = env.str("LDAP_USER_SEARCH_BASE", "")
LDAP_USER_FILTER = env.str("LDAP_USER_FILTER", "(uid=%(user)s)")
LDAP_GROUP_SEARCH_BASE = env.str("LDAP_GROUP_SEARCH_BASE", "")
LDAP_GROUP_FILTER = env.str("LDAP_GROUP_FILTER", "(objectClass=groupOfNames)")
LDAP_GROUP_TYPE = env.str(
    "LDAP_GROUP_TYPE",
    "groupOfNames",
    validate=OneOf(["groupOfNames", "groupOfUniqueNames", "posixGroup", "activeDirectory"]),
)
# Seconds to wait for the directory to connect, and for each answer: a login page whose directory
# is down or frozen says so within 3 s and local accounts still sign in.
LDAP_TIMEOUT = env.float("LDAP_TIMEOUT", 1.0)
AUTH_LDAP_USER_ATTR_MAP = {
    "full_name": env.str("LDAP_ATTR_FULL_NAME", "cn"),
    "email": env.str("LDAP_ATTR_EMAIL", "mail"),
    "title": env.str("LDAP_ATTR_TITLE", "title"),
    "phone": env.str("LDAP_ATTR_PHONE", "telephoneNumber"),
}
AUTH_LDAP_ALWAYS_UPDATE_USER = True
# CAS (most provincial 统一身份认证 platforms) through django-cas-ng.
CAS_SERVER_URL = env.str("CAS_SERVER_URL", "")
CAS_VERSION = env.str("CAS_VERSION", "3", validate=OneOf(["2", "3"]))
CAS_ATTR_FULL_NAME = env.str("CAS_ATTR_FULL_NAME", "cn")
CAS_GROUP_ATTRIBUTE = env.str("CAS_GROUP_ATTRIBUTE", "memberOf")
CAS_CREATE_USER = True
CAS_APPLY_ATTRIBUTES_TO_USER = False  # the portal maps attributes itself (sso.services)
CAS_LOGIN_MSG = None
CAS_LOGGED_MSG = None
CAS_REDIRECT_URL = "/"
CAS_CHECK_NEXT = True
CAS_STORE_NEXT = True
CAS_SERVER_TIMEOUT = env.float("CAS_SERVER_TIMEOUT", 2.0)
# Where directory people belong: the organisation (its code; optional with one organisation),
# the attribute naming their unit when no mapping matches (a unit of that name), whether the
# unit follows the directory at every login, and whether a missing unit is created.
SSO_ORGANISATION = env.str("SSO_ORGANISATION", "")
SSO_UNIT_ATTRIBUTE = env.str("SSO_UNIT_ATTRIBUTE", "ou")
SSO_MIRROR_UNIT = env.bool("SSO_MIRROR_UNIT", True)
SSO_CREATE_UNITS = env.bool("SSO_CREATE_UNITS", False)
if LDAP_SERVER_URI:
    AUTHENTICATION_BACKENDS.insert(1, "sso.backends.DirectoryBackend")
if CAS_SERVER_URL:
    AUTHENTICATION_BACKENDS.insert(1, "sso.backends.PortalCASBackend")

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
# Overrides of common.xlsx_guard.Limits (the bounds every uploaded workbook is checked against
# before it is parsed); the defaults suit the findings import's 20,000 rows.
XLSX_LIMITS: dict[str, int] = {}
# Images are decoded in full before they are kept; more pixels than this are refused.
EVIDENCE_MAX_PIXELS = env.int("EVIDENCE_MAX_PIXELS", 50_000_000)
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
# A PDF rendered in a process with a single thread (a Celery prefork worker, the annual_report
# command) is laid out on two cores: a forked process lays out and draws its second part
# (reports/pdf/parallel.py). False keeps every render in one process (the same PDF, slower).
REPORT_PDF_PARALLEL = env.bool("REPORT_PDF_PARALLEL", True)
# Font names the Word export writes, by role (reports/docx/render.py): an office with licensed
# fonts names them, e.g. REPORT_DOCX_FONTS="title=方正小标宋简体,body=仿宋_GB2312".
REPORT_DOCX_FONTS = env.dict("REPORT_DOCX_FONTS", {})
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# The REST API (api/, /api/v1/): personal tokens or the session, JSON only, throttled per person
# (per address before authentication) in the shared cache.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.PersonalTokenAuthentication",
        "api.authentication.PortalSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.PortalApiThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
        "rest_framework.parsers.FormParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PortalPagination",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "api.schema.PortalAutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DATETIME_FORMAT": "iso-8601",
}
API_THROTTLE_RATE = env.str("API_THROTTLE_RATE", "600/min")
API_ANON_THROTTLE_RATE = env.str("API_ANON_THROTTLE_RATE", "60/min")
SPECTACULAR_SETTINGS = {
    "TITLE": "主体责任管理平台 API · Primary-responsibility portal API",
    "DESCRIPTION": (
        "读取本人权限范围内的单位、人员、责任清单、工作记实、责任书、廉政风险点、巡视巡察、"
        "反馈问题、整改措施及其时间线；新增、修改工作记实（含佐证材料），报告整改进展、申请销号。"
        "以个人 API 令牌认证：`Authorization: Bearer <令牌>`（在“个人设置 → API 令牌”中创建）；"
        "在本页试用新增、修改等操作前，请先点击 Authorize 填入令牌。\n\n"
        "Read the units, people, responsibility items, work records, duty letters, risk points, "
        "inspections, findings, measures and their timelines in your scope; create and update "
        "work records (with evidence), report measure progress and request closure. "
        "Authenticate with a personal API token: `Authorization: Bearer <token>` (created under "
        "the user menu → API tokens); to try a change from this page, click Authorize and enter "
        "the token first."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.add_error_responses",
    ],
    "TAGS": [
        {"name": "units", "description": "单位 · units"},
        {"name": "people", "description": "人员 · people"},
        {"name": "responsibility-items", "description": "责任清单 · responsibility list"},
        {"name": "work-records", "description": "工作记实 · work records"},
        {"name": "duty-letters", "description": "责任书 · duty letters"},
        {"name": "risk-points", "description": "廉政风险点 · integrity risk points"},
        {"name": "inspections", "description": "巡视巡察 · inspections"},
        {"name": "findings", "description": "反馈问题 · findings"},
        {"name": "measures", "description": "整改措施 · rectification measures"},
    ],
    "AUTHENTICATION_WHITELIST": ["api.authentication.PersonalTokenAuthentication"],
}

# Widgets render through the project's template engine, so that templates/django/forms/ can
# replace a built-in widget template (select.html: the same HTML, its options built in Python).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

CACHES = {"default": env.dj_cache_url("CACHE_URL", "locmem://")}
# Rendered template fragments keyed by their content (templates/includes/filter_form.html): in
# each process's memory, so that a new release never serves a fragment of the previous one.
FRAGMENTS_CACHE = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "fragments",
    "OPTIONS": {"MAX_ENTRIES": 2000},
}
CACHES["fragments"] = FRAGMENTS_CACHE

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
        "task": "deadlines.tasks.sweep",
        "schedule": crontab(hour=8, minute=0),
    },
    "reminder-sweep-midday": {
        "task": "deadlines.tasks.sweep",
        "schedule": crontab(hour=13, minute=30),
    },
    # Sends what waits: retries after a failure, deliveries recorded while Redis was down.
    "reminder-deliver-pending": {
        "task": "notices.tasks.deliver_pending",
        "schedule": crontab(minute="*/5"),
    },
    # The audit log's retention: the only path that deletes audit events.
    "audit-purge-nightly": {
        "task": "audit.tasks.purge_audit_log",
        "schedule": crontab(hour=3, minute=10),
    },
    # Evidence files of saves that a crash cut off (no row names them); a day old at least.
    "evidence-orphans-nightly": {
        "task": "reports.tasks.remove_orphan_evidence",
        "schedule": crontab(hour=3, minute=30),
    },
}
CELERY_BEAT_SCHEDULE_FILENAME = str(BASE_DIR / "var" / "celerybeat-schedule")

# Reminders (deadlines) and their delivery (notices).
# Colour thresholds: rectification's WarningPolicy.
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", "http://127.0.0.1:8000")
REMINDER_DIGEST_ITEMS_PER_LEVEL = env.int("REMINDER_DIGEST_ITEMS_PER_LEVEL", 30)
REMINDER_MAX_ATTEMPTS = env.int("REMINDER_MAX_ATTEMPTS", 6)
REMINDER_LEASE_SECONDS = env.int("REMINDER_LEASE_SECONDS", 300)
REMINDER_WEBHOOK_TIMEOUT = env.float("REMINDER_WEBHOOK_TIMEOUT", 5.0)
# Group robots are posted to only on these hosts, over https, at public addresses (issue #13).
REMINDER_WEBHOOK_HOSTS = env.list(
    "REMINDER_WEBHOOK_HOSTS", ["oapi.dingtalk.com", "qyapi.weixin.qq.com"]
)
# The test suite's fake robots listen on http://127.0.0.1; never switched on outside tests.
REMINDER_WEBHOOK_TEST_ROBOTS = False
REMINDER_ENQUEUE_CHUNK = 50
REMINDER_PENDING_BATCH = 5000
# Event notices: a burst of events for one person within this many minutes goes out as one
# e-mail (and one group-robot message per organisation); the bell shows each at once.
NOTICE_BATCH_MINUTES = env.int("NOTICE_BATCH_MINUTES", 5)
# An open page asks for the bell this often, so news reaches it within seconds.
NOTICE_BELL_POLL_SECONDS = env.int("NOTICE_BELL_POLL_SECONDS", 20)
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
    "loggers": {
        # It warns at every login about attributes a person simply lacks (phone, title); the
        # portal logs an unreachable directory itself (sso.backends).
        "django_auth_ldap": {"level": "ERROR"},
        # One INFO line at every start-up ("logger bridge initialized"), nothing an operator needs.
        "pikepdf": {"level": "WARNING"},
    },
}
