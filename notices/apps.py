from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    """Notices and their delivery: the bell and inbox, e-mail, the group robot, preferences.

    The bottom of the chain: accountability, rectification and reports call its services to tell
    people what happened; the deadline watchers (``deadlines``, at the top) store their daily
    digests through it. It imports none of them. The app label stays ``reminders`` so that the
    tables, migrations and history of the former ``rectification.reminders`` app carry over
    unchanged (a label rename would need a data migration of every table and content type).
    """

    name = "notices"
    label = "reminders"
    verbose_name = _("消息提醒")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from . import bell
        from .models import Digest, Notice

        for model in (Digest, Notice):
            uid = f"bell-{model._meta.model_name}"
            post_save.connect(bell.forget_recipient, sender=model, dispatch_uid=uid)
            post_delete.connect(bell.forget_recipient, sender=model, dispatch_uid=uid)
