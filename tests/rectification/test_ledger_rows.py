"""The ledger's rows written in Python (rectification_tags.ledger_rows) are the HTML the
template loop wrote: same cells, same escaping, same links."""

import re
from datetime import date, timedelta

import pytest
from django.template import engines
from django.utils import timezone

from rectification.models import Measure

from .factories import MeasureFactory

pytestmark = pytest.mark.django_db

# The loop measure_list.html had before the tag.
LOOP = """{% load rectification_tags %}{% for measure in object_list %}
    <tr>
      <td class="small" style="max-width: 22rem;"><span class="text-muted">{{ measure.finding.inspection.source }}</span><br>{{ measure.finding.number }}. {{ measure.finding.description|truncatechars:60 }}</td>
      <td style="max-width: 26rem;"><a href="{% url measure_detail_route|default:'rectification:measure-detail' measure.pk %}">{{ measure.description|truncatechars:80 }}</a></td>
      <td class="text-nowrap">{{ measure.lead_leader.full_name }}</td>
      <td class="text-nowrap">{{ measure.unit.name }}</td>
      <td class="text-nowrap">{{ measure.responsible_person.full_name }}</td>
      <td class="text-nowrap">{{ measure.deadline_display }}</td>
      <td class="text-nowrap">{% measure_colour measure %}
</td>
      <td class="text-nowrap">{% measure_state_badge measure %}
</td>
    </tr>
  {% endfor %}"""  # noqa: E501
TAG = (
    "{% load rectification_tags %}"
    '{% ledger_rows object_list measure_detail_route|default:"rectification:measure-detail" %}'
)


def squeezed(html):
    return re.sub(r"\s+", " ", html).strip()


@pytest.mark.parametrize("route", [None, "oversight:measure-detail"])
def test_the_rows_are_the_loops_rows(rect, route):
    today = timezone.localdate()
    MeasureFactory(
        finding=rect.finding,
        number=2,
        unit=rect.works,
        lead_leader=rect.leader,
        responsible_person=rect.head,
        description="<b>措施</b> & 「引号」" + "很长的描述" * 30,
        deadline=today - timedelta(days=3),
    )
    MeasureFactory(
        finding=rect.finance_finding,
        number=3,
        unit=rect.finance,
        lead_leader=rect.principal,
        responsible_person=rect.outsider,
        is_ongoing=True,
        deadline=None,
    )
    rect.measure.deadline = date(2099, 1, 1)
    rect.measure.return_reason = "佐证<不足>"
    rect.measure.state = Measure.State.IN_PROGRESS
    rect.measure.save()
    measures = list(
        Measure.objects.with_colour(today)
        .filter(organisation=rect.org)
        .select_related("finding__inspection", "unit", "lead_leader", "responsible_person")
        .order_by("pk")
    )
    assert len(measures) == 4
    engine = engines["django"]
    context = {"object_list": measures, "measure_detail_route": route}
    ours = engine.from_string(TAG).render(context)
    loop = engine.from_string(LOOP).render(context)
    assert "&lt;b&gt;措施&lt;/b&gt; &amp; 「引号」" in ours
    assert "佐证&lt;不足&gt;" in ours
    assert squeezed(ours) == squeezed(loop)
