from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from accountability.models import Role
from common import prepared

from .. import selectors
from ..figures import links
from .base import organisation_param, year_param

DASHBOARD_ROLES = (Role.LEADER, Role.OFFICE, Role.INSPECTOR, Role.ADMIN)


class DashboardView(LoginRequiredMixin, TemplateView):
    """Leaders' dashboard (read-only): the year's figures in the user's scope."""

    template_name = "reports/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        scope = self.request.scope
        organisation, organisations = organisation_param(self.request)
        scope.require_role(*DASHBOARD_ROLES, organisation=organisation)
        year = year_param(self.request)
        reader = prepared.reader(self.request)
        board = selectors.dashboard(scope, organisation, year, reader=reader)
        context.update(
            board=board,
            organisation=organisation,
            organisations=organisations,
            year=year,
            years=range(board.today.year, board.today.year - 6, -1),
            charts=board.chart_data(),
            # One readable bar per unit: the chart grows with the units instead of skipping names.
            letters_chart_height=max(240, 30 * len(board.letters_by_unit) + 60),
            whole_organisation=scope.is_superuser or organisation.pk in scope.full_read_org_ids,
            ledger_url=links.url(links.MEASURE_LIST, year=year, export="xlsx"),
            records_export_url=links.url(links.WORK_RECORD_LIST, year=year, export="xlsx"),
            letters_export_url=links.url(links.LETTER_LIST, year=year, export="xlsx"),
        )
        return context
