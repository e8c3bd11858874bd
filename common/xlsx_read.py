"""Reading an uploaded workbook's cells once ``common.xlsx_guard`` has bounded it: openpyxl's
failures on a damaged file turned into one exception, and cell values as plain text."""

from django.utils.translation import gettext as _


class UnreadableWorkbook(Exception):
    """openpyxl could not read the file: not a workbook, or a damaged one."""


# openpyxl answers a damaged file with whatever its parsers raise (a bad zip, zlib errors, XML
# that does not parse, KeyError, TypeError, IndexError…), and each means the same to the user.
# Only openpyxl's own calls are guarded, so that a mistake in the row checks still shows.
def reading(call, *args, **kwargs):
    try:
        return call(*args, **kwargs)
    except Exception as error:
        raise UnreadableWorkbook from error


def rows(sheet, **bounds):
    """The sheet's rows as values; a read-only sheet is parsed lazily, while iterating."""
    found = reading(sheet.iter_rows, values_only=True, **bounds)
    while True:
        try:
            row = next(found)
        except StopIteration:
            return
        except Exception as error:
            raise UnreadableWorkbook from error
        yield row


def text(value):
    """A cell as one line of text: whole numbers without ".0", runs of spaces made one."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def unreadable_message():
    return _("上传的文件不是有效的 Excel（.xlsx）文件，请使用下载的模板填写。")
