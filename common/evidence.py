"""Evidence files (佐证材料): checked from their content, stored under random names, served only
through views that check access.

Every app that keeps evidence subclasses ``EvidenceFileBase`` and validates uploads with
``EvidenceFilesField`` (or ``inspect_upload`` directly). Nothing about the stored name comes from
the user's file name; the original name is kept for display only.
"""

import hashlib
import os
import threading
import unicodedata
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import magic
from django import forms
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import models
from django.http import FileResponse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

# Detected MIME type -> extensions a file of that type may carry. OLE compound files cover the
# old Office formats and WPS (.wps / .et); libmagic names them in several ways.
_OLE = {"doc", "xls", "wps", "et", "ppt", "dps"}
ALLOWED_TYPES: dict[str, set[str]] = {
    "application/pdf": {"pdf"},
    "image/jpeg": {"jpg", "jpeg"},
    "image/png": {"png"},
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {"docx", "wps"},
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {"xlsx", "et"},
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": {"pptx", "dps"},
    "application/msword": _OLE,
    "application/vnd.ms-excel": _OLE,
    "application/vnd.ms-powerpoint": _OLE,
    "application/x-ole-storage": _OLE,
    "application/cdfv2": _OLE,
    "application/vnd.ms-office": _OLE,
}
IMAGE_TYPES = {"image/jpeg", "image/png"}
ACCEPT_ATTR = ".pdf,.jpg,.jpeg,.png,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.wps,.et,.dps"
MAX_NAME_LENGTH = 120
EVIDENCE_DIR = "evidence"  # inside the storage's location
SNIFF_BYTES = 8192


@dataclass(frozen=True)
class UploadInfo:
    original_name: str
    content_type: str
    extension: str
    size: int
    sha256: str


def clean_display_name(name: str) -> str:
    """A safe name to *show*: no directories, no control characters, bounded length."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip(" .")
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    if len(name) > MAX_NAME_LENGTH:
        keep = MAX_NAME_LENGTH - len(ext) - 1
        name = f"{stem[:keep]}.{ext}" if ext else stem[:MAX_NAME_LENGTH]
    return name or "file"


def _reject(message, **params):
    raise ValidationError(message, code="invalid_evidence", params=params)


def inspect_upload(upload) -> UploadInfo:
    """Check one uploaded file; raise ValidationError with a Chinese message when it is refused."""
    display = clean_display_name(upload.name or "")
    if "\x00" in (upload.name or ""):
        _reject(_("文件名包含非法字符，请重命名后再上传。"))
    size = upload.size or 0
    if size == 0:
        _reject(_("“%(name)s”是空文件，请检查后重新上传。"), name=display)
    limit = settings.EVIDENCE_MAX_BYTES
    if size > limit:
        _reject(
            _("“%(name)s”超过 %(limit)d MB 的大小上限。"), name=display, limit=limit // 1024 // 1024
        )
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    content_type = magic.from_buffer(head, mime=True).lower()
    allowed_ext = ALLOWED_TYPES.get(content_type)
    if allowed_ext is None:
        _reject(
            _("“%(name)s”的文件类型不受支持。仅接受 PDF、JPG/PNG 图片、Word、Excel、WPS 文档。"),
            name=display,
        )
    extension = display.rpartition(".")[2].lower() if "." in display else ""
    if extension not in allowed_ext:
        _reject(_("“%(name)s”的内容与扩展名不符，请确认文件格式。"), name=display)
    if content_type in IMAGE_TYPES:
        upload.seek(0)
        try:
            with Image.open(upload) as image:
                image.verify()
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            _reject(_("“%(name)s”不是有效的图片文件。"), name=display)
    if content_type == "application/pdf" and not head.startswith(b"%PDF-"):
        _reject(_("“%(name)s”不是有效的 PDF 文件。"), name=display)
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return UploadInfo(display, content_type, extension, size, digest.hexdigest())


def evidence_path(instance, filename):
    """Random stored name; only the checked extension survives from the upload."""
    extension = getattr(instance, "_checked_extension", "") or "bin"
    now = timezone.now()
    return f"{EVIDENCE_DIR}/{now:%Y/%m}/{uuid.uuid4().hex}.{extension}"


class EvidenceFileBase(models.Model):
    file = models.FileField(_("文件"), upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("文件名"), max_length=MAX_NAME_LENGTH + 10)
    content_type = models.CharField(_("文件类型"), max_length=120)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    # Soft removal: a file uploaded by mistake leaves the record's evidence, but the row and the
    # file stay, recoverable by the office, and the removal is in the record's history.
    removed_at = models.DateTimeField(_("删除时间"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("删除人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name

    @classmethod
    def from_upload(cls, upload, *, by, info: UploadInfo | None = None, **fields):
        """An unsaved instance for ``upload`` (already checked, or checked now)."""
        info = info or inspect_upload(upload)
        instance = cls(
            original_name=info.original_name,
            content_type=info.content_type,
            size=info.size,
            sha256=info.sha256,
            uploaded_by=by,
            **fields,
        )
        instance._checked_extension = info.extension
        instance.file.save("upload", upload, save=False)
        _track_written(instance.file.name)
        return instance

    @property
    def is_removed(self):
        return self.removed_at is not None

    def mark_removed(self, *, by):
        """Take the file out of the record's evidence (the caller saves, in its transaction)."""
        self.removed_at = timezone.now()
        self.removed_by = by

    @property
    def is_image(self):
        return self.content_type in IMAGE_TYPES

    def response(self, inline=False, request=None):
        """The file as a download; the caller has already checked access. With ``request``,
        the download goes to the audit log."""
        if request is not None:
            from audit.services import Action, record

            record(Action.DOWNLOAD, request=request, obj=self, detail=self.original_name)
        response = FileResponse(
            self.file.open("rb"),
            as_attachment=not (
                inline and (self.is_image or self.content_type == "application/pdf")
            ),
            filename=self.original_name,
            content_type=self.content_type,
        )
        response["Cache-Control"] = "private, no-store"
        return response


# -- cleaning up files written by a failed save ------------------------------------------------
# Per thread: the development server and threaded workers run several requests at once, and one
# request's failure must never delete the files another request is saving.
_local = threading.local()


def _frames() -> list[list[str]]:
    if not hasattr(_local, "frames"):
        _local.frames = []
    return _local.frames


def _track_written(name):
    frames = _frames()
    if frames:
        frames[-1].append(name)


@contextmanager
def files_rolled_back_on_error():
    """Delete every evidence file written inside the block if the block raises.

    The database rolls back on its own; this keeps the disk in step, so a refused or failed save
    leaves nothing behind. What no exception reaches (the process killed, the database lost
    after the block, at the request's final commit) is left to ``orphaned_files``.
    """
    frames = _frames()
    frames.append([])
    try:
        yield
    except BaseException:
        for name in frames[-1]:
            default_storage.delete(name)
        raise
    finally:
        frames.pop()


def orphaned_files(*, older_than: timedelta):
    """Stored evidence files that no evidence row names, current or historical, and that were
    last written more than ``older_than`` ago (younger ones may belong to a save in progress)."""
    referenced = set()
    for model in apps.get_models():
        if issubclass(model, EvidenceFileBase):
            referenced.update(model._base_manager.values_list("file", flat=True))
            history = getattr(model, "history", None)
            if history is not None:
                referenced.update(history.values_list("file", flat=True))
    root = Path(storage_path(EVIDENCE_DIR))
    if not root.is_dir():
        return []
    cutoff = (timezone.now() - older_than).timestamp()
    found = []
    for path in sorted(root.rglob("*")):
        name = path.relative_to(default_storage.location).as_posix()
        if path.is_file() and name not in referenced and path.stat().st_mtime < cutoff:
            found.append(name)
    return found


# -- forms -----------------------------------------------------------------------------------------
class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


def _help_text(mb):
    return gettext("可多选。支持 PDF、JPG/PNG、Word、Excel、WPS，单个文件不超过 %(mb)d MB。") % {
        "mb": mb
    }


class EvidenceFilesField(forms.FileField):
    """Several evidence files in one input; each is inspected, and the set is bounded."""

    widget = MultipleFileInput

    def __init__(self, *args, max_files=None, **kwargs):
        kwargs.setdefault("label", _("佐证材料"))
        kwargs.setdefault(
            "help_text",
            # Lazy: a field declared on a form class is built at import, before any language.
            lazy(_help_text, str)(settings.EVIDENCE_MAX_BYTES // 1024 // 1024),
        )
        self.max_files = max_files or settings.EVIDENCE_MAX_FILES
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("accept", ACCEPT_ATTR)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if not files:
            if self.required:
                raise ValidationError(_("请至少上传一份佐证材料。"), code="required")
            return []
        if len(files) > self.max_files:
            raise ValidationError(
                _("一次最多上传 %(n)d 个文件。"), code="too_many", params={"n": self.max_files}
            )
        checked, errors = [], []
        for upload in files:
            try:
                checked.append((upload, inspect_upload(upload)))
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return checked


def storage_path(name):
    """Absolute path of a stored evidence file (for backups and checksums)."""
    return os.path.join(default_storage.location, name)
