"""Querysets built and compiled once, then run again with another key (issue 15).

Building a queryset and compiling its SQL is much of what a query costs in Python: the measure
page's own query (the reader's scope, the warning colours, two joined relations) took about
1.1 ms to build and 2.3 ms more to compile, against 2.4 ms to run it and make the objects
(bench/bench_page_cpu.py's database, 1 Dec 2026). A page asks the same question again and again
with only the object's key changed. ``fetch(name, build, value)`` builds ``build(MARKER)`` the
first time, keeps its SQL with the marker's position, and from then on runs that SQL with
``value`` in its place, making the objects as Django's ``ModelIterable`` does (the model's
fields, ``select_related`` relations and annotations, then ``prefetch_related``), through the same
converters.

``name`` must name everything the SQL depends on besides ``value``: the reader's scope (their
id and the access generation), the day (colours count days from today), the view. Plans are
kept per process (the threads of a gunicorn worker share them: kept per thread, most of a
load test's requests found none), at most ``PLANS``, the least recently used dropped first; a
queryset in which the marker is not exactly one parameter (none, without a value), or that cannot
match anything, is run through the ORM every time.
"""

import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models.query import (
    ModelIterable,
    ValuesIterable,
    get_related_populators,
    prefetch_related_objects,
)

# No object's key: stands for the value while the query is built.
MARKER = 987654321
# Plans kept by a process (a few kilobytes each): a reader asks for a handful of names a day.
PLANS = 1024

_plans_kept = OrderedDict()
_MISSING = object()
_lock = threading.Lock()


@dataclass(frozen=True)
class _Plan:
    db: str
    sql: str
    params: tuple
    position: int | None
    converters: list
    # values(): a dict per row, of these columns
    names: tuple = ()
    # Otherwise model instances, made as ModelIterable makes them
    model: type | None = None
    init_list: list = field(default_factory=list)
    start: int = 0
    end: int = 0
    related: list = field(default_factory=list)
    annotations: dict = field(default_factory=dict)
    prefetch: tuple = ()


def reader(request):
    """(the reader's id, the access generation): the part of a name that says whose scope a
    query reads; None without a shared cache (no generation), where the ORM is used instead."""
    generation = getattr(request, "access_generation", None)
    return None if generation is None else (request.user.pk, generation)


def _plans():
    return _plans_kept


def _plan(queryset, markers):
    """The compiled query and what ModelIterable reads from its compiler, or None."""
    values = queryset._iterable_class is ValuesIterable
    if not (values or queryset._iterable_class is ModelIterable) or queryset._known_related_objects:
        return None  # values_list() rows, or objects a related manager fills in: the ORM's
    db = queryset.db
    compiler = queryset.query.get_compiler(using=db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:  # nothing can match (a scope with nothing in it): the ORM knows
        return None
    positions = [index for index, param in enumerate(params) if param == MARKER]
    if len(positions) != markers:
        return None
    select, klass_info = compiler.select, compiler.klass_info
    converters = compiler.get_converters([column[0] for column in select[: compiler.col_count]])
    common = {
        "db": db,
        "sql": sql,
        "params": tuple(params),
        "position": positions[0] if positions else None,
        "converters": list(converters.items()),
    }
    if values:  # as ValuesIterable names a row's columns
        query = queryset.query
        names = query.selected or [
            *query.extra_select,
            *query.values_select,
            *query.annotation_select,
        ]
        return _Plan(**common, names=tuple(names))
    if klass_info is None:
        return None
    fields = klass_info["select_fields"]
    start, end = fields[0], fields[-1] + 1
    return _Plan(
        **common,
        model=klass_info["model"],
        init_list=[column[0].target.attname for column in select[start:end]],
        start=start,
        end=end,
        related=get_related_populators(klass_info, select, db),
        annotations=dict(compiler.annotation_col_map or {}),
        prefetch=tuple(queryset._prefetch_related_lookups),
    )


def _converted(row, converters, connection):
    row = list(row)
    for position, (functions, expression) in converters:
        for function in functions:
            row[position] = function(row[position], expression, connection)
    return row


def fetch(name, build, *value):
    """The objects (or, for a ``values()`` queryset, the dicts) ``build(*value)`` would give,
    its SQL compiled once for ``name``.

    ``value``: the one value that changes between runs under ``name`` (an object's key), or
    nothing, when ``name`` says everything the query depends on."""
    if len(value) > 1:
        raise TypeError("fetch() takes at most one value")
    plans = _plans()
    with _lock:
        plan = plans.get(name, _MISSING)
        if plan is not _MISSING:
            plans.move_to_end(name)
    if plan is _MISSING:
        # Built outside the lock (it reads the database's connection, not the other threads');
        # two threads that miss at once both build it, and one of the two plans is kept.
        plan = _plan(build(*[MARKER] * len(value)), len(value))
        with _lock:
            plans[name] = plan
            while len(plans) > PLANS:
                plans.popitem(last=False)
    if plan is None:
        return list(build(*value))
    params = list(plan.params)
    if value:
        params[plan.position] = value[0]
    connection = connections[plan.db]
    with connection.cursor() as cursor:
        cursor.execute(plan.sql, params)
        rows = cursor.fetchall()
    if plan.converters:
        rows = [_converted(row, plan.converters, connection) for row in rows]
    if plan.names:
        # A row may carry more columns than it names (an ordering kept for DISTINCT).
        return [dict(zip(plan.names, row, strict=False)) for row in rows]
    objects = []
    for row in rows:
        obj = plan.model.from_db(plan.db, plan.init_list, row[plan.start : plan.end])
        for populator in plan.related:
            populator.populate(row, obj)
        for attribute, position in plan.annotations.items():
            setattr(obj, attribute, row[position])
        objects.append(obj)
    if plan.prefetch:
        prefetch_related_objects(objects, *plan.prefetch)
    return objects
