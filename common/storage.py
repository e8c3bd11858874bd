"""Stored files through Django's storage API only, on a disk (``make run``) or in a bucket.

Several web and worker machines share one object store (S3-compatible: MinIO on an intranet),
so nothing may reach a stored file by a local path. The helpers here read, walk and write
through ``Storage`` and turn the store's failures into ``StorageUnavailable``, which
``StorageErrorsMiddleware`` answers with a page (or JSON) that says so in Chinese, not a 500.
"""

import logging
import posixpath
from collections.abc import Iterator

from django.core.files.storage import Storage
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

try:  # boto3 is a runtime dependency, but the disk storage must work without it
    from botocore.exceptions import BotoCoreError, ClientError
except ImportError:  # pragma: no cover
    STORE_ERRORS: tuple[type[BaseException], ...] = (OSError,)
else:
    STORE_ERRORS = (OSError, BotoCoreError, ClientError)

READ_FAILED = _("附件暂时无法读取，请稍后再试。")
WRITE_FAILED = _("附件暂时无法保存，请稍后再试。")
MISSING = _("附件文件已丢失，请联系系统管理员。")


class StorageUnavailable(Exception):
    """The file store did not answer (or lost the file); ``message`` is what the reader sees."""

    def __init__(self, message, *, status=503):
        super().__init__(str(message))
        self.message = message
        self.status = status


def open_for_reading(field_file):
    """Open a ``FieldFile`` and fetch its first bytes now, so that a store that is down fails
    here, inside the view, and not half-way through a streamed response."""
    try:
        handle = field_file.open("rb")
        handle.read(0)  # an object store fetches the object on the first read
        handle.seek(0)
    except FileNotFoundError as error:
        logger.error("Stored file %s is missing: %s", field_file.name, error)
        raise StorageUnavailable(MISSING, status=404) from error
    except STORE_ERRORS as error:
        logger.warning("Stored file %s could not be read: %s", field_file.name, error)
        raise StorageUnavailable(READ_FAILED) from error
    return handle


def save_to(field_file, name, content):
    """``field_file.save(name, content, save=False)`` that reports a store that is down."""
    try:
        field_file.save(name, content, save=False)
    except STORE_ERRORS as error:
        logger.warning("File %s could not be stored: %s", name, error)
        raise StorageUnavailable(WRITE_FAILED) from error


def delete_quietly(storage: Storage, name: str) -> bool:
    """Delete ``name``; a store that is down leaves it for the nightly orphan sweep."""
    try:
        storage.delete(name)
    except STORE_ERRORS as error:
        logger.warning("File %s could not be deleted (the orphan sweep will): %s", name, error)
        return False
    return True


def walk(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every stored file's name under ``folder``, in name order (``listdir`` recursively).

    On a disk a missing folder has no files; in a bucket, folders exist only as prefixes."""
    try:
        directories, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield posixpath.join(folder, name) if folder else name
    for directory in sorted(directories):
        yield from walk(storage, posixpath.join(folder, directory) if folder else directory)


class StorageErrorsMiddleware:
    """Turns ``StorageUnavailable`` raised by a view into the portal's page (JSON under /api/)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, StorageUnavailable):
            return None
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": str(exception.message)}, status=exception.status)
        response = render(
            request, "errors/storage.html", {"message": exception.message}, status=exception.status
        )
        response.portal_error_page = True  # kept under DEBUG (ErrorPagesMiddleware)
        return response
