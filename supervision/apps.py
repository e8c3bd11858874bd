from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    """报送 and 督办 between an organisation and its supervising body. Above reports (it submits
    the 定稿) and below deadlines (whose watchers read its due dates)."""

    name = "supervision"
    verbose_name = _("报送与督办")

    def ready(self):
        # 我的待办 lists this app's rows without reports importing it (the layer rule).
        from reports.todo import register

        from . import todo

        register(todo.reports_to_submit)
        register(todo.reports_to_receive)
        register(todo.notices_to_answer)
        register(todo.notice_replies_to_review)

    def seed_demo(self, organisations):
        """Called by seed_demo after the apps below have seeded theirs."""
        from .demo import seed

        seed(organisations)
