"""What accountability tells people: called by the services inside their transactions."""

from django.urls import reverse
from django.utils.translation import gettext as _

from notices.batches import notify, stored_language
from notices.models import Notice


@stored_language
def letters_issued(letters, *, by):
    """Each unit's head hears that a duty letter was issued to their unit (once per letter)."""
    told = 0
    for letter in letters:
        head_id = letter.unit.head_id
        if not head_id or head_id == getattr(by, "pk", None):
            continue
        told += notify(
            recipients={head_id},
            kind=Notice.Kind.LETTER_ISSUED,
            key=f"letter-issued:{letter.pk}",
            text=_("「%(title)s」已下发至%(unit)s，请于%(due)s前签订。")
            % {
                "title": letter.title,
                "unit": letter.unit.name,
                "due": letter.due_on.isoformat() if letter.due_on else _("规定期限"),
            },
            link=reverse("accountability:dutyletter-detail", args=[letter.pk]),
            organisation_id=letter.organisation_id,
        )
    return told
