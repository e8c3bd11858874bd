from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountabilityConfig(AppConfig):
    name = "accountability"
    verbose_name = _("主体责任")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_delete, post_save

        from common.form_rendering import versioned_choices

        from . import person_cache
        from .models import Organisation, RoleAssignment, Unit, User, WorkRecordKind

        # Who a person is and what they may see (person_cache): retired on any change; and the
        # filter bars' lists of units, people and record kinds, named by the same generation.
        versioned = (User, RoleAssignment, Unit, Organisation, WorkRecordKind)
        for model in versioned:
            uid = f"person-cache-{model._meta.label_lower}"
            post_save.connect(person_cache.bump_on_save, sender=model, dispatch_uid=uid)
            post_delete.connect(person_cache.bump, sender=model, dispatch_uid=uid)
        versioned_choices(*versioned)
        user_logged_in.connect(person_cache.seen_at_login, dispatch_uid="session-seen-at-login")
