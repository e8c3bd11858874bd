from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "assessment"
    verbose_name = _("考核")

    def ready(self):
        # reports sits below assessment in the chain of apps and never imports it: the year-end
        # report's appendix and the demo data are handed to reports through its registries.
        from reports.appendices import register_appendix
        from reports.demo import register_seeder

        from . import appendix, demo

        register_appendix("assessment", appendix.appendix_table)
        register_seeder(demo.seed)
