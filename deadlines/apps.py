from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeadlinesConfig(AppConfig):
    """Deadline watchers and the daily sweep. The top of the chain: it reads letters and work
    records (accountability) and measures (rectification), and stores digests through
    ``notices``; nothing imports it but the URL configuration and Celery."""

    name = "deadlines"
    verbose_name = _("到期提醒")
