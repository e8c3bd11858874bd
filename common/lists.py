"""List pages: whitelisted sorting, and Excel export of exactly what is filtered."""

from decimal import Decimal

from django.core.paginator import Paginator
from django.db.models import Count, QuerySet, Window
from django.http import QueryDict
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from audit.services import Action, record

from . import prepared
from .excel import xlsx_response

TOTAL = "paginator_total"


class PreparedPaginator(Paginator):
    """Django's paginator, its count and its page read by SQL compiled once for ``name``
    (common/prepared.py): a ledger's count and page queries took longer to build and compile
    than to run. The count is a window count over the filtered rows (one row back)."""

    def __init__(self, *args, name, **kwargs):
        super().__init__(*args, **kwargs)
        self.name = name

    @cached_property
    def count(self):
        rows = self.object_list
        if not isinstance(rows, QuerySet) or rows.query.distinct:  # a window counts duplicates
            return super().count

        def build():
            return rows.order_by().annotate(**{TOTAL: Window(Count("*"))}).values(TOTAL)[:1]

        found = prepared.fetch((*self.name, "count"), build)
        return found[0][TOTAL] if found else 0

    def _get_page(self, object_list, number, paginator):
        if isinstance(object_list, QuerySet):
            marks = (object_list.query.low_mark, object_list.query.high_mark)
            object_list = prepared.fetch((*self.name, "page", *marks), lambda: object_list)
        return super()._get_page(object_list, number, paginator)


class PreparedPagesMixin:
    """For a list whose rows depend on the reader's scope, the day and the query string alone:
    its pages are read through ``PreparedPaginator`` when the request carries an access
    generation (a shared cache), by Django's paginator otherwise."""

    def get_paginator(self, queryset, per_page, **kwargs):
        reader = prepared.reader(self.request)
        if reader is None:
            return super().get_paginator(queryset, per_page, **kwargs)
        view = f"{type(self).__module__}.{type(self).__qualname__}"
        name = (view, *reader, timezone.localdate(), self.request.get_full_path())
        return PreparedPaginator(queryset, per_page, name=name, **kwargs)


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


class CurrentYearMixin:
    """A ledger opened without any filter shows the current year; a link that sets any filter
    (a home-page count, say) keeps exactly what it asks for."""

    year_filter = "year"

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        data = kwargs.get("data")
        if data is None or not any(name in data for name in filterset_class.base_filters):
            data = data.copy() if data is not None else QueryDict(mutable=True)
            data[self.year_filter] = str(timezone.localdate().year)
            kwargs["data"] = data
        return kwargs


def _shown(field, value):
    if isinstance(value, Decimal):
        value = int(value) if value == value.to_integral_value() else value
    choices = getattr(field, "choices", None)
    if choices is not None and not hasattr(value, "pk"):
        value = dict((str(key), label) for key, label in choices).get(str(value), value)
    return str(value)


class ExcelExportMixin:
    """``?export=xlsx`` returns the filtered rows (all pages) as a ledger.

    Set ``export_columns`` (a list of ``common.excel.Column``), ``export_title`` (what the
    ledger is: "整改台账") and ``export_filename`` (its ASCII fallback name); the rows are
    ``get_export_queryset()``, by default the view's filtered and sorted queryset. The file is
    named and titled by organisation, year and filter: "市水利局2026年整改台账（基建处）.xlsx".
    """

    export_columns = ()
    export_title = _("台账")
    export_filename = "ledger"

    def get_export_queryset(self):
        return self.object_list

    def export_organisation_name(self):
        organisation = getattr(self.request.user, "organisation", None)
        if organisation is None:
            return ""
        return organisation.short_name or organisation.name

    def export_filters(self):
        """(label, value) of each filter applied, the year apart: ``(year, [(label, value)])``."""
        filterset = getattr(self, "filterset", None)
        if filterset is None or not filterset.is_bound or not filterset.is_valid():
            return None, []
        year, applied = None, []
        for name, value in filterset.form.cleaned_data.items():
            if value in (None, "", [], ()) or name not in filterset.filters:
                continue
            field = filterset.form.fields[name]
            if name == "year":
                year = _shown(field, value)
                continue
            applied.append((str(field.label or name), _shown(field, value)))
        return year, applied

    def export_name(self):
        """The ledger's name: organisation, year and what it is ("市水利局2026年整改台账")."""
        year, _applied = self.export_filters()
        when = _("%(year)s年") % {"year": year} if year else ""
        return f"{self.export_organisation_name()}{when}{self.export_title}"

    def get_export_title(self):
        _year, applied = self.export_filters()
        if not applied:
            return self.export_name()
        described = _("；").join(
            _("%(label)s：%(value)s") % {"label": label, "value": value} for label, value in applied
        )
        return _("%(name)s（%(filters)s）") % {"name": self.export_name(), "filters": described}

    def get_export_filename(self):
        _year, applied = self.export_filters()
        if not applied:
            return self.export_name()
        values = "·".join(value for _label, value in applied)
        return _("%(name)s（%(filters)s）") % {"name": self.export_name(), "filters": values}

    def get_export_fallback(self):
        year, _applied = self.export_filters()
        return f"{self.export_filename}-{year}" if year else self.export_filename

    def render_to_response(self, context, **response_kwargs):
        if self.request.GET.get("export") == "xlsx":
            query = self.request.GET.urlencode()[:400]
            record(Action.EXPORT, request=self.request, detail=f"{self.request.path}?{query}")
            return xlsx_response(
                self.get_export_filename(),
                self.get_export_title(),
                list(self.export_columns),
                self.get_export_queryset().iterator(chunk_size=2000),
                fallback=self.get_export_fallback(),
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
