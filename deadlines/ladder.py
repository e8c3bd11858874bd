"""The three-colour ladder: which colour an item is, and who hears about it at that colour.

Colours come from rectification's thresholds (``WarningPolicy``), so a measure is the same colour
on the dashboard and in a reminder. Who hears about it:

* green  - the responsible person;
* yellow - also the leader in charge of the unit (分管领导);
* red    - also the principal leader (主要负责人), the unit head and the organisation's inspectors.
"""

from dataclasses import dataclass, field
from datetime import date

from accountability.models import Organisation, Role, RoleAssignment
from notices.models import Level, ReminderPolicy
from rectification.models import WarningPolicy


@dataclass(frozen=True)
class Thresholds:
    green_days: int
    yellow_days: int

    def level(self, days_left: int) -> str | None:
        """Colour of an item due in ``days_left`` days (negative: overdue); None: not yet."""
        if days_left < 0:
            return Level.RED
        if days_left <= self.yellow_days:
            return Level.YELLOW
        if days_left <= self.green_days:
            return Level.GREEN
        return None


@dataclass
class OrgContext:
    organisation_id: int
    name: str
    principal_id: int | None
    inspector_ids: tuple[int, ...]
    thresholds: Thresholds
    policy: ReminderPolicy


@dataclass
class SweepContext:
    """Everything the watchers need about the organisations, read once per sweep."""

    day: date
    organisations: dict[int, OrgContext] = field(default_factory=dict)

    def recipients(
        self,
        level,
        organisation_id,
        *,
        responsible=(),
        leader_in_charge=None,
        head=None,
        inspectors_first=False,
    ):
        """The people who hear about an item at ``level``, as a tuple of user ids.

        ``inspectors_first``: the item is the inspectors' own task (a closure request to review,
        a follow-up check to make), so they hear about it from green on.
        """
        org = self.organisations[organisation_id]
        people = {pk for pk in responsible if pk}
        if inspectors_first:
            people.update(org.inspector_ids)
        if level in (Level.YELLOW, Level.RED) and leader_in_charge:
            people.add(leader_in_charge)
        if level == Level.RED:
            people.update(org.inspector_ids)
            if org.principal_id:
                people.add(org.principal_id)
            if head:
                people.add(head)
        return tuple(people)


def warning_thresholds(organisation_ids) -> dict[int, Thresholds]:
    """Each organisation's green/yellow thresholds, from rectification's WarningPolicy."""
    found = {}
    for policy in WarningPolicy.objects.filter(organisation_id__in=organisation_ids):
        found[policy.organisation_id] = Thresholds(policy.green_days, policy.yellow_days)
    default = WarningPolicy.defaults()
    for org_id in set(organisation_ids) - set(found):
        found[org_id] = Thresholds(default["green_days"], default["yellow_days"])
    return found


def build_context(day, organisation_ids=None) -> SweepContext:
    """Read organisations, inspectors and policies in a fixed number of queries."""
    organisations = Organisation.objects.all()
    if organisation_ids is not None:
        organisations = organisations.filter(pk__in=organisation_ids)
    rows = list(organisations.values_list("pk", "name", "principal_leader_id"))
    ids = [row[0] for row in rows]
    inspectors: dict[int, list[int]] = {}
    for org_id, user_id in RoleAssignment.objects.filter(
        organisation_id__in=ids, role=Role.INSPECTOR, user__is_active=True
    ).values_list("organisation_id", "user_id"):
        inspectors.setdefault(org_id, []).append(user_id)
    policies = {
        p.organisation_id: p for p in ReminderPolicy.objects.filter(organisation_id__in=ids)
    }
    thresholds = warning_thresholds(ids)
    context = SweepContext(day=day)
    for org_id, name, principal_id in rows:
        context.organisations[org_id] = OrgContext(
            organisation_id=org_id,
            name=name,
            principal_id=principal_id,
            inspector_ids=tuple(sorted(inspectors.get(org_id, ()))),
            thresholds=thresholds[org_id],
            policy=policies.get(org_id) or ReminderPolicy(organisation_id=org_id),
        )
    return context
