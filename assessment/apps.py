from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "assessment"
    verbose_name = _("考核")

    def ready(self):
        # reports sits below assessment in the chain of apps and never imports it: the year-end
        # report's appendix is handed to reports through its registry.
        from reports.appendices import register_appendix

        from . import appendix

        register_appendix("assessment", appendix.appendix_table)

    def seed_demo(self, organisations):
        """Called by seed_demo after the apps below (and supervision) have seeded theirs."""
        from .demo import seed

        seed(organisations)
