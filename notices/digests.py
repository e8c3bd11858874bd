"""From watched items to digests: one per person per day, grouped by colour, most urgent first."""

import heapq
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.template.loader import render_to_string

from .models import LEVEL_ORDER, Level

LEVELS = (Level.RED, Level.YELLOW, Level.GREEN)


@dataclass
class Draft:
    """A digest before it is stored (or, in a dry run, instead of being stored)."""

    recipient_id: int | None
    organisation_id: int
    counts: dict = field(default_factory=dict)
    items: dict = field(default_factory=dict)
    people: list = field(default_factory=list)

    @property
    def level(self):
        return max((lvl for lvl in LEVELS if self.counts.get(lvl)), key=LEVEL_ORDER.get)

    @property
    def total(self):
        return sum(self.counts.values())


def _listed(items, limit):
    top = heapq.nlargest(limit, items, key=lambda item: (item.urgency, item.key))
    return [{"key": item.key, "text": item.text, "link": item.link} for item in top]


def build(items, *, limit=None):
    """Group items by recipient and colour; also one group draft per organisation.

    Returns ``(person_drafts, group_drafts)`` keyed by user id and organisation id. Only the
    ``limit`` most urgent items per colour are listed; ``counts`` has the full numbers.
    """
    limit = limit or settings.REMINDER_DIGEST_ITEMS_PER_LEVEL
    by_person: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    person_org: dict[int, tuple[int, int]] = {}
    by_org: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    people_by_org: dict[int, set[int]] = defaultdict(set)
    for item in items:
        by_org[item.organisation_id][item.level].append(item)
        rank = (LEVEL_ORDER[item.level], item.urgency)
        for person in item.recipients:
            by_person[person][item.level].append(item)
            people_by_org[item.organisation_id].add(person)
            # A person's digest is filed under the organisation of their most urgent item.
            if person not in person_org or rank > person_org[person][1]:
                person_org[person] = (item.organisation_id, rank)

    persons = {}
    for person, levels in by_person.items():
        persons[person] = Draft(
            recipient_id=person,
            organisation_id=person_org[person][0],
            counts={lvl: len(levels[lvl]) for lvl in LEVELS if levels.get(lvl)},
            items={lvl: _listed(levels[lvl], limit) for lvl in LEVELS if levels.get(lvl)},
        )
    groups = {}
    for org_id, levels in by_org.items():
        groups[org_id] = Draft(
            recipient_id=None,
            organisation_id=org_id,
            counts={lvl: len(levels[lvl]) for lvl in LEVELS if levels.get(lvl)},
            items={lvl: _listed(levels[lvl], limit) for lvl in LEVELS if levels.get(lvl)},
            people=sorted(people_by_org[org_id]),
        )
    return persons, groups


def grouped(counts, items):
    return [
        {"level": lvl, "label": lvl.label, "count": counts.get(lvl, 0), "items": items.get(lvl, [])}
        for lvl in LEVELS
        if counts.get(lvl)
    ]


def render_text(*, name, day, counts, items, people=()):
    """The digest as plain Chinese text: the e-mail body and the command's output."""
    return render_to_string(
        "reminders/digest.txt",
        {
            "name": name,
            "day": day,
            "groups": grouped(counts, items),
            "total": sum(counts.values()),
            "people": people,
            "base_url": settings.PORTAL_BASE_URL.rstrip("/"),
        },
    ).strip()
