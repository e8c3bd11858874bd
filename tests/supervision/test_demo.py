"""The demo: the body has set the 2025 due date, cjhd's report is received, sw's 定稿 is ready
but not submitted, one 督办 to sw is open; seeding again changes nothing."""

from django.core.management import call_command
from django.urls import reverse

from accountability.models import User
from reports.services import final_version
from supervision.models import ReportDue, Submission, SupervisionNotice


def test_the_demo_shows_each_state_once_and_seeds_idempotently(db, client):
    call_command("seed_demo", "--force", verbosity=0)
    due = ReportDue.objects.get(supervisor__code="szjg", year=2025)
    received = Submission.objects.get(organisation__code="cjhd", year=2025)
    assert received.status == "received" and received.on_time and received.pdf and received.docx
    assert not Submission.objects.filter(organisation__code="sw").exists()
    sw_report = User.objects.get(username="dangban").organisation.reports.get(year=2025)
    assert final_version(sw_report) is not None
    notice = SupervisionNotice.objects.get(organisation__code="sw")
    assert notice.status == "issued" and notice.supervisor.code == "szjg"

    call_command("seed_demo", "--force", verbosity=0)
    assert ReportDue.objects.get() == due
    assert Submission.objects.count() == 1 and SupervisionNotice.objects.count() == 1

    client.force_login(User.objects.get(username="dangban"))
    page = client.get(reverse("supervision:organisation"), {"year": 2025})
    assert page.context["refusal"] is None  # sw can submit its 定稿 now
    client.force_login(User.objects.get(username="gw_dangban"))
    board = client.get(reverse("supervision:body", args=[due.supervisor_id]), {"year": 2025})
    assert board.context["counts"]["submitted"] == 1 and board.context["counts"]["missing"] == 1
