"""List pages: whitelisted sorting, and Excel export of exactly what is filtered."""

from django.utils.translation import gettext_lazy as _

from audit.services import Action, record

from .excel import xlsx_response


class SortMixin:
    """``?sort=field`` / ``?sort=-field``, limited to ``sort_fields`` (label -> order_by)."""

    sort_fields: dict[str, str] = {}
    default_sort = None

    def get_sort(self):
        requested = self.request.GET.get("sort", "")
        if requested.lstrip("-") in self.sort_fields:
            return requested
        return self.default_sort

    def apply_sort(self, queryset):
        sort = self.get_sort()
        if not sort:
            return queryset
        desc = sort.startswith("-")
        order = self.sort_fields[sort.lstrip("-")]
        return queryset.order_by(f"-{order}" if desc else order, "-pk" if desc else "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["current_sort"] = self.get_sort()
        return context


class ExcelExportMixin:
    """``?export=xlsx`` returns the filtered rows (all pages) as a ledger.

    Set ``export_columns`` (a list of ``common.excel.Column``), ``export_title`` and
    ``export_filename``; the rows are ``get_export_queryset()``, by default the view's filtered
    and sorted queryset.
    """

    export_columns = ()
    export_title = _("台账")
    export_filename = "ledger"

    def get_export_queryset(self):
        return self.object_list

    def get_export_title(self):
        return str(self.export_title)

    def render_to_response(self, context, **response_kwargs):
        if self.request.GET.get("export") == "xlsx":
            query = self.request.GET.urlencode()[:400]
            record(Action.EXPORT, request=self.request, detail=f"{self.request.path}?{query}")
            return xlsx_response(
                self.export_filename,
                self.get_export_title(),
                list(self.export_columns),
                self.get_export_queryset().iterator(chunk_size=2000),
            )
        return super().render_to_response(context, **response_kwargs)


class FigureTotalMixin:
    """``?figure=<name>``: the list was opened from a figure of the annual report, and a banner
    above it states that number, computed over exactly the rows the filters select (all pages,
    not the page on screen): a sum, a distinct count or a count.

    ``figure_totals`` maps a name to ``(label, aggregate expression)``; an unknown name is
    ignored. ``get_figure_queryset()`` is the filtered queryset, by default ``object_list``.
    """

    figure_totals: dict = {}

    def get_figure_queryset(self):
        return self.object_list

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        name = self.request.GET.get("figure", "")
        if name in self.figure_totals:
            label, expression = self.figure_totals[name]
            value = self.get_figure_queryset().order_by().aggregate(v=expression)["v"]
            context["figure_total"] = {"label": label, "value": value or 0}
        return context
