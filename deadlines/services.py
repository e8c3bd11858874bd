"""The daily sweep: what is due today, for whom, stored as one digest per person per day.

The watchers read database state only; ``notices`` stores the digests and sends them, with its
claim-once keys, so the sweep can run twice, late, or on two workers at once.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from notices import digests, services

from .ladder import build_context
from .watchers import watch


@dataclass
class SweepResult:
    day: object
    items: int = 0
    drafts: dict = field(default_factory=dict)  # recipient id -> Draft
    groups: dict = field(default_factory=dict)  # organisation id -> Draft
    names: dict = field(default_factory=dict)  # recipient id -> name
    enqueued: list = field(default_factory=list)

    def texts(self):
        """(name, text) per person, for the command's output."""
        for person, draft in sorted(self.drafts.items(), key=lambda kv: self.names.get(kv[0], "")):
            name = self.names.get(person, str(person))
            yield (
                name,
                digests.render_text(
                    name=name, day=self.day, counts=draft.counts, items=draft.items
                ),
            )


def _urgency(counts):
    return tuple(counts.get(lvl, 0) for lvl in digests.LEVELS)


def _name_people(group, persons, people):
    """The group message names the most urgent people who agreed to be named, at most N."""
    named = sorted(
        (pk for pk in group.people if pk in people and people[pk]["wants_webhook"]),
        key=lambda pk: _urgency(persons[pk].counts),
        reverse=True,
    )[: settings.REMINDER_DIGEST_ITEMS_PER_LEVEL]
    return [
        {
            "name": people[pk]["name"],
            "levels": [
                (lvl, str(lvl.label), persons[pk].counts[lvl])
                for lvl in digests.LEVELS
                if persons[pk].counts.get(lvl)
            ],
        }
        for pk in named
    ]


def reminders_sweep(*, day=None, organisation_ids=None, dry_run=False, enqueue=True):
    """Find everything due on ``day`` and record (or, dry, only build) today's digests.

    Safe to run any number of times, late, or concurrently: what exists for the day is kept and
    nothing is sent twice. Deliveries are enqueued after the transaction commits.
    """
    day = day or timezone.localdate()
    ctx = build_context(day, organisation_ids)
    items = list(watch(ctx))
    persons, groups = digests.build(items)
    people = services.people_channels(persons)
    persons = {pk: draft for pk, draft in persons.items() if pk in people}
    for group in groups.values():
        group.people = _name_people(group, persons, people)
    result = SweepResult(
        day=day,
        items=len(items),
        drafts=persons,
        groups=groups,
        names={pk: person["name"] for pk, person in people.items()},
    )
    if dry_run:
        return result

    result.enqueued = services.digests_store(
        day=day,
        persons=persons,
        groups=groups,
        policies={org_id: org.policy for org_id, org in ctx.organisations.items()},
        people=people,
        enqueue=enqueue,
    )
    return result


__all__ = ["SweepResult", "reminders_sweep"]
