from django import template

register = template.Library()


@register.filter
def absolute(value):
    """|absolute: days overdue from a negative ``days_left``."""
    try:
        return abs(int(value))
    except (TypeError, ValueError):
        return value
