"""What the report sign-off (审签) tells people. Call these inside the sign-off service's
transaction; ``event`` is the id of the sign-off step (so a second return is a new notice).

The office that drafted the report hears that the principal leader returned it (with the
reason) or approved it for issue.
"""

from django.utils.translation import gettext as _

from notices.batches import notify, stored_language
from notices.models import Notice


@stored_language
def report_returned(*, report_id, event, organisation_id, title, reason, by, recipients, link):
    return notify(
        recipients={pk for pk in recipients if pk != getattr(by, "pk", None)},
        kind=Notice.Kind.REPORT_RETURNED,
        key=f"report-returned:{report_id}:{event}",
        text=_("「%(title)s」被%(by)s退回，意见：%(reason)s")
        % {"title": title, "by": by.get_full_name() or by.get_username(), "reason": reason},
        link=link,
        organisation_id=organisation_id,
    )


@stored_language
def report_approved(*, report_id, event, organisation_id, title, by, recipients, link):
    return notify(
        recipients={pk for pk in recipients if pk != getattr(by, "pk", None)},
        kind=Notice.Kind.REPORT_APPROVED,
        key=f"report-approved:{report_id}:{event}",
        text=_("「%(title)s」已由%(by)s审签，可以定稿报送。")
        % {"title": title, "by": by.get_full_name() or by.get_username()},
        link=link,
        organisation_id=organisation_id,
    )
