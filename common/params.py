"""Numbers read from a query string: whatever was typed, an int or None, never an error."""

MAX_DIGITS = 18  # a PostgreSQL bigint; more is no id, year or page


def int_param(value, *, low=None, high=None):
    """``value`` as an int when it is a plain decimal number within [low, high], else None.

    ``str.isdigit`` is not enough: "²" is a digit that int() refuses, and int() refuses a string
    of more than 4,300 digits; either was a 500.
    """
    if not isinstance(value, str) or not value.isdecimal() or len(value) > MAX_DIGITS:
        return None
    number = int(value)
    if (low is not None and number < low) or (high is not None and number > high):
        return None
    return number
