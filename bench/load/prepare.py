"""Make the load database's people usable: ``prepare.py ACCOUNTS.json`` (run by bench_load.py
with the server's settings and database in the environment).

generate_dataset stores the bench password hashed with the test settings' fast MD5 hasher,
which the production settings do not accept; so every bench user of this (copied, throw-away)
database gets the load password hashed with the production hasher, as a real account would
have, and the accounts are written out by role for the locustfile. Each role's list is ordered
so that consecutive accounts belong to different organisations: two simulated inspectors never
review the same queue, and two unit heads never share a measure.

The bureaus' people are the ``bench-…`` accounts (ROLES); the supervising body's (机关工委
above the organisations, which generate_dataset makes at every scale) are its office, leader
and inspector, ``gw-<seed>-…`` (BODY_ROLES: ``body_office``, ``body_leader``,
``body_inspector``). The body's 督办 board of a working day is set up too (``body_notices``):
a few notices already issued to organisations with overdue measures, so that the notices'
pages exist from the first minute of a run, as they do on any day but the very first.
"""

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

PASSWORD = "Load@2026"  # noqa: S105 (a throw-away copy of the synthetic bench data)
ROLES = ("office", "unit_head", "leader", "inspector")
# The supervising body's people, by the role they hold in the body (the accounts' key is
# ``body_<role>``).
BODY_ROLES = ("office", "leader", "inspector")
# The notices body_notices() issues: one to each of the first organisations (by name) that
# have overdue measures.
NOTICES = 3


def ordered(rows):
    """``(organisation id, username)`` rows as a list of usernames: round robin over the
    organisations (org1's first, org2's first, ..., org1's second), each organisation's list
    turned by its position, so that the first few leaders are principal leaders and leaders in
    charge alike."""
    by_org = {}
    for org_id, username in rows:
        by_org.setdefault(org_id, []).append(username)
    columns = []
    for position, org_id in enumerate(sorted(by_org)):
        names = by_org[org_id]
        turn = position % len(names)
        columns.append(names[turn:] + names[:turn])
    return [
        names[index]
        for index in range(max(map(len, columns), default=0))
        for names in columns
        if index < len(names)
    ]


def supervising_bodies():
    """The organisations with others below them."""
    from accountability.models import Organisation

    return Organisation.objects.filter(
        pk__in=Organisation.objects.filter(supervisor__isnull=False).values("supervisor_id")
    )


def body_notices(count=NOTICES):
    """Each body's office issues ``count`` 督办 (through the service, as the notice form does)
    to the first organisations below it with overdue measures, up to three of those measures
    each; nothing when the body has issued any already. Returns the number issued."""
    from datetime import timedelta

    from django.utils import timezone

    from accountability.models import RoleAssignment
    from rectification.models import Measure
    from supervision.models import SupervisionNotice
    from supervision.selectors import directly_below
    from supervision.services import notice_issue

    today = timezone.localdate()
    issued = 0
    for body in supervising_bodies():
        if SupervisionNotice.objects.filter(supervisor=body).exists():
            continue
        office = (
            RoleAssignment.objects.filter(organisation=body, role="office", user__is_active=True)
            .select_related("user")
            .order_by("user__username")
            .first()
        )
        if office is None:
            continue
        chosen = 0
        for organisation in directly_below(body):
            if chosen == count:
                break
            overdue = Measure.objects.overdue(today).filter(organisation=organisation)
            measures = list(overdue.order_by("deadline", "pk")[:3])
            if not measures:
                continue
            notice_issue(
                supervisor=body,
                organisation=organisation,
                subject="巡察整改措施逾期未完成",
                body="部分巡察整改措施已超过整改时限，请说明原因、报送整改进展，并附佐证材料。",
                weak_area="整改措施逾期未完成",
                measures=measures,
                reply_due=today + timedelta(days=14),
                by=office.user,
            )
            chosen += 1
        issued += chosen
    return issued


def main(path):
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.db.models import Q

    from accountability.models import RoleAssignment, User

    bodies = supervising_bodies()
    bench = User.objects.filter(username__startswith="bench-", is_active=True)
    body_people = User.objects.filter(
        is_active=True,
        role_assignments__organisation__in=bodies,
        role_assignments__role__in=BODY_ROLES,
    )
    User.objects.filter(Q(pk__in=bench) | Q(pk__in=body_people)).update(
        password=make_password(PASSWORD)
    )
    accounts = {"password": PASSWORD}
    for role in ROLES:
        accounts[role] = ordered(
            RoleAssignment.objects.filter(role=role, user__in=bench)
            .exclude(organisation__in=bodies)
            .order_by("user__username")
            .values_list("organisation_id", "user__username")
        )
    for role in BODY_ROLES:
        accounts[f"body_{role}"] = ordered(
            RoleAssignment.objects.filter(role=role, organisation__in=bodies, user__is_active=True)
            .order_by("user__username")
            .values_list("organisation_id", "user__username")
        )
    Path(path).write_text(json.dumps(accounts, ensure_ascii=False, indent=1), encoding="utf-8")
    counts = {key: len(value) for key, value in accounts.items() if key != "password"}
    print(f"[load] accounts: {counts}", file=sys.stderr)
    print(f"[load] 督办 issued by the supervising body: {body_notices()}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1])
