from django.views.generic import ListView

from ..access import ScopedMixin
from ..models import Unit


class UnitListView(ScopedMixin, ListView):
    """The organisation tree as far as the user may see it."""

    model = Unit
    scope_unit_field = None
    scope_org_field = "organisation"
    template_name = "accountability/unit_list.html"

    def get_queryset(self):
        scope = self.request.scope
        return (
            scope.readable_units()
            .select_related("organisation", "leader_in_charge", "head")
            .order_by("organisation__name", "path")
        )
