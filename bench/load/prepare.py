"""Make the load database's people usable: ``prepare.py ACCOUNTS.json`` (run by bench_load.py
with the server's settings and database in the environment).

generate_dataset stores the bench password hashed with the test settings' fast MD5 hasher,
which the production settings do not accept; so every bench user of this (copied, throw-away)
database gets the load password hashed with the production hasher, as a real account would
have, and the accounts are written out by role for the locustfile. Each role's list is ordered
so that consecutive accounts belong to different organisations: two simulated inspectors never
review the same queue, and two unit heads never share a measure.
"""

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

PASSWORD = "Load@2026"  # noqa: S105 (a throw-away copy of the synthetic bench data)
ROLES = ("office", "unit_head", "leader", "inspector")


def main(path):
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password

    from accountability.models import RoleAssignment, User

    users = User.objects.filter(username__startswith="bench-", is_active=True)
    users.update(password=make_password(PASSWORD))
    accounts = {"password": PASSWORD}
    for role in ROLES:
        rows = (
            RoleAssignment.objects.filter(role=role, user__in=users)
            .order_by("user__username")
            .values_list("organisation_id", "user__username")
        )
        by_org = {}
        for org_id, username in rows:
            by_org.setdefault(org_id, []).append(username)
        # Round robin over the organisations (org1's first, org2's first, ..., org1's second),
        # each organisation's list turned by its position, so that the first few leaders are
        # principal leaders and leaders in charge alike.
        columns = []
        for position, org_id in enumerate(sorted(by_org)):
            names = by_org[org_id]
            turn = position % len(names)
            columns.append(names[turn:] + names[:turn])
        accounts[role] = [
            names[index]
            for index in range(max(map(len, columns), default=0))
            for names in columns
            if index < len(names)
        ]
    Path(path).write_text(json.dumps(accounts, ensure_ascii=False, indent=1), encoding="utf-8")
    counts = {key: len(value) for key, value in accounts.items() if key != "password"}
    print(f"[load] accounts: {counts}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1])
