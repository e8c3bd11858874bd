from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    """Deadline reminders. Nested in rectification: it watches measures (rectification) and
    letters and work records (accountability), and nothing to its left imports it."""

    name = "rectification.reminders"
    label = "reminders"
    verbose_name = _("到期提醒")
