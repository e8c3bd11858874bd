"""The Celery application: settings from Django (CELERY_*), tasks from every app's tasks.py.

One beat process drives the periodic jobs declared in ``CELERY_BEAT_SCHEDULE``; workers are
started with ``make worker``. Without Redis (``make run``) tasks run eagerly in-process.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
