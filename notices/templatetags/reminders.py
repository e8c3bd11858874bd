from django import template

register = template.Library()


@register.inclusion_tag("reminders/_bell.html", takes_context=True)
def reminder_bell(context):
    """The navbar bell: unread digests, red when one of them has an overdue item."""
    from ..views import bell_state

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"bell": None}
    return {"bell": bell_state(user)}
