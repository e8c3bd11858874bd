"""`make run`: after seed_demo, send_reminders puts the seeded overdue measures in the bells."""

from django.core.management import call_command
from django.urls import reverse

from accountability.models import User
from notices.models import Digest, Notice, ReminderPolicy


def test_demo_users_have_reminders_after_seeding(db, client):
    call_command("seed_demo", "--force", verbosity=0)
    call_command("send_reminders", "--inline", verbosity=0)
    assert ReminderPolicy.objects.count() == 3  # both bureaus and the body above them
    chuzhang = User.objects.get(username="chuzhang")
    assert Digest.objects.get(recipient=chuzhang).counts.get("red")
    client.force_login(chuzhang)
    response = client.get(reverse("reminders:digest-list"))
    # The bell counts the digest and the notices the seeded history raised (closures returned
    # or accepted on his unit's measures).
    unread = 1 + Notice.objects.filter(recipient=chuzhang, read_at__isnull=True).count()
    assert f'data-testid="reminder-bell-count">{unread}<' in response.text
