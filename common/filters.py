"""Filter bars' model choices read as a plain query, not through a server-side cursor.

Django iterates a ModelChoiceField's queryset with ``.iterator()``, which on PostgreSQL opens a
server-side cursor: DECLARE, FETCH and CLOSE, three round trips, and a cursor held past the
transaction (``WITH HOLD``), for the few dozen units, leaders or inspections of a filter bar
drawn on every list page. Use ``ModelChoiceFilter`` from here instead of django-filter's.
"""

import django_filters
from django.forms.models import ModelChoiceIterator


class _Listed(ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:  # a plain query, its rows kept for a second pass
            yield self.choice(obj)


class ListedChoiceIterator(django_filters.fields.ModelChoiceIterator, _Listed):
    """django-filter's iterator (its null choice) over _Listed's plain query."""


class ListedModelChoiceField(django_filters.fields.ModelChoiceField):
    iterator = ListedChoiceIterator


class ModelChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = ListedModelChoiceField
