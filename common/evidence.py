"""Evidence files (佐证材料): checked from their content, stored under random names, served only
through views that check access.

Every app that keeps evidence subclasses ``EvidenceFileBase`` and validates uploads with
``EvidenceFilesField`` (or ``inspect_upload`` directly). Nothing about the stored name comes from
the user's file name; the original name is kept for display only.
"""

import hashlib
import re
import threading
import unicodedata
import uuid
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from xml.etree import ElementTree

import magic
import olefile
import pikepdf
from django import forms
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import models
from django.http import FileResponse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from .storage import (
    READ_FAILED,
    STORE_ERRORS,
    StorageUnavailable,
    delete_quietly,
    open_for_reading,
    save_to,
    walk,
)

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
INLINE_TYPES = IMAGE_TYPES | {"application/pdf"}
# What a file shown in the browser may do: nothing. ``sandbox`` without ``allow-same-origin``
# gives the page an opaque origin (no cookies, no access to the portal), without
# ``allow-scripts`` no script runs; only the file itself is displayed.
INLINE_CSP = (
    "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; "
    "object-src 'self'; frame-ancestors 'none'; form-action 'none'; base-uri 'none'"
)
ACCEPT_ATTR = ".pdf,.jpg,.jpeg,.png,.doc,.docx,.xls,.xlsx,.pptx,.wps,.et"
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
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    deep_check(upload, content_type=content_type, extension=extension, display=display)
    upload.seek(0)
    return UploadInfo(display, content_type, extension, size, digest.hexdigest())


# -- checked to the bone (issue #13): a file is kept only if it parses as what it claims ---------
# Markup a browser could take for a page, anywhere in the file: a PNG whose body is HTML, an HTML
# document that starts with "%PDF-" (a polyglot), an SVG inside anything.
_MARKUP = re.compile(
    rb"<\s*(?:html|script|body|head|iframe|svg|object|embed|meta|form)[\s>/]|<!doctype\s+html"
    rb"|javascript:",
    re.IGNORECASE,
)
# What makes a PDF act instead of being read: scripts, embedded files, Flash / XFA forms (as
# keys anywhere), and actions that run a script or a program, submit or import data, or open an
# embedded file (as an action's /S). A plain "open at page 1" (/OpenAction to a destination) and
# links to pages or web addresses stay allowed.
PDF_FORBIDDEN_KEYS = {
    "/JavaScript", "/JS", "/EmbeddedFile", "/EmbeddedFiles", "/EF", "/RichMedia", "/XFA",
}  # fmt: skip
PDF_FORBIDDEN_ACTIONS = {
    "/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/GoToE", "/RichMediaExecute",
}  # fmt: skip
PDF_MAX_OBJECTS = 500_000
OOXML_MAIN_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
}
OOXML_MAIN_TYPES |= {
    "wps": OOXML_MAIN_TYPES["docx"],
    "et": OOXML_MAIN_TYPES["xlsx"],
    "dps": OOXML_MAIN_TYPES["pptx"],
}
# The stream each old binary (OLE) format must have; PowerPoint and WPS presentations keep their
# macros inside the main stream, where they cannot be found reliably: they are refused.
OLE_MAIN_STREAMS = {
    "doc": {"worddocument"},
    "wps": {"worddocument"},
    "xls": {"workbook", "book"},
    "et": {"workbook", "book"},
}
_OLE_MACRO_PARTS = {"macros", "vba", "_vba_project_cur", "_vba_project", "dir", "projectwm"}


class _Refused(Exception):
    def __init__(self, message, **params):
        super().__init__(message)
        self.message, self.params = message, params


def deep_check(upload, *, content_type, extension, display):
    """Parse ``upload`` as the type it claims; raise ValidationError (Chinese) if it is not one,
    or if it could act when opened (scripts, macros, launch actions, embedded files)."""
    try:
        _scan_markup(upload)
        if content_type in IMAGE_TYPES:
            _check_image(upload)
        elif content_type == "application/pdf":
            _check_pdf(upload)
        elif extension in {"docx", "xlsx", "pptx"} or content_type.startswith(
            "application/vnd.openxmlformats"
        ):
            _check_ooxml(upload, extension)
        else:
            _check_ole(upload, extension)
    except _Refused as refused:
        _reject(refused.message, name=display, **refused.params)


def _scan_markup(upload):
    upload.seek(0)
    tail = b""
    for chunk in upload.chunks():
        if _MARKUP.search(tail + chunk):
            raise _Refused(_("“%(name)s”中夹带网页代码（HTML / 脚本），出于安全原因不予保存。"))
        tail = chunk[-32:]


def _check_image(upload):
    bad = _("“%(name)s”不是有效的图片文件。")
    too_many = _Refused(
        _("“%(name)s”的像素过多（超过 %(n)d 万像素），请缩小后再上传。"),
        n=settings.EVIDENCE_MAX_PIXELS // 10_000,
    )
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            width, height = image.size
            if width * height > settings.EVIDENCE_MAX_PIXELS:
                raise too_many
            image.verify()
        upload.seek(0)
        # verify() checks the structure only; decoding every pixel is what a viewer will do.
        with Image.open(upload) as image:
            image.load()
    except Image.DecompressionBombError:
        raise too_many from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise _Refused(bad) from None


def _check_pdf(upload):
    bad = _("“%(name)s”不是有效的 PDF 文件，请重新导出或扫描后上传。")
    upload.seek(0)
    if not upload.read(5) == b"%PDF-":
        raise _Refused(bad)
    upload.seek(0)
    try:
        with pikepdf.open(upload) as pdf:
            if len(pdf.pages) < 1:
                raise _Refused(bad)
            found = _pdf_forbidden(pdf)
    except _Refused:
        raise
    except pikepdf.PasswordError:
        raise _Refused(_("“%(name)s”是加密的 PDF，无法检查其内容，请去除密码后再上传。")) from None
    except (pikepdf.PdfError, RecursionError, ValueError, TypeError, KeyError):
        raise _Refused(bad) from None
    if found:
        # Refused rather than cleaned: a cleaned copy would differ from what the unit signed.
        raise _Refused(
            _(
                "“%(name)s”含有脚本、自动执行的动作或嵌入的文件，出于安全原因不予保存。"
                "请用“打印为 PDF”另存一份普通 PDF 后再上传。"
            )
        )


def _pdf_forbidden(pdf):
    """The first forbidden key anywhere in the file (every object, nested ones included)."""
    seen = 0
    stack = []
    for obj in pdf.objects:
        stack.append(obj)
        while stack:
            item = stack.pop()
            seen += 1
            if seen > PDF_MAX_OBJECTS:
                raise _Refused(_("“%(name)s”的结构过于复杂，无法检查，请另存后再上传。"))
            if isinstance(item, pikepdf.Stream):
                item = item.stream_dict
            if isinstance(item, pikepdf.Dictionary):
                keys = set(item.keys())
                if keys & PDF_FORBIDDEN_KEYS:
                    return keys & PDF_FORBIDDEN_KEYS
                if "/S" in keys and str(item.get("/S")) in PDF_FORBIDDEN_ACTIONS:
                    return str(item.get("/S"))
                if "/Type" in keys and str(item.get("/Type")) == "/EmbeddedFile":
                    return "/EmbeddedFile"
                for key in keys:
                    value = item.get(key)
                    if isinstance(value, pikepdf.Dictionary | pikepdf.Array) and not (
                        value.is_indirect
                    ):
                        stack.append(value)
            elif isinstance(item, pikepdf.Array):
                for value in item:
                    if isinstance(value, pikepdf.Dictionary | pikepdf.Array) and not (
                        value.is_indirect
                    ):
                        stack.append(value)
    return None


def _check_ooxml(upload, extension):
    bad = _("“%(name)s”不是有效的 Office 文档，请用 Office 或 WPS 另存后再上传。")
    macros = _(
        "“%(name)s”含有宏或 ActiveX 控件，出于安全原因不予保存。"
        "请另存为不含宏的文档（.docx / .xlsx / .pptx）后再上传。"
    )
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
            lowered = [name.lower() for name in names]
            if any(
                name.endswith("vbaproject.bin") or "/activex/" in name or name.endswith(".bas")
                for name in lowered
            ):
                raise _Refused(macros)
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > 1024 * 1024:
                raise _Refused(bad)
            types = archive.read(info)
    except _Refused:
        raise
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError, RuntimeError):
        raise _Refused(bad) from None
    if b"<!DOCTYPE" in types.upper() or b"<!ENTITY" in types.upper():
        raise _Refused(bad)
    try:
        root = ElementTree.fromstring(types)  # noqa: S314 - no DTD, so no entities (checked above)
    except ElementTree.ParseError:
        raise _Refused(bad) from None
    content_types = {element.get("ContentType", "") for element in root}
    if any("macroenabled" in ct.lower() or "vbaproject" in ct.lower() for ct in content_types):
        raise _Refused(macros)
    expected = OOXML_MAIN_TYPES.get(extension)
    if expected is None or expected not in content_types:
        raise _Refused(_("“%(name)s”的内容与扩展名不符，请确认文件格式。"))


def _check_ole(upload, extension):
    bad = _("“%(name)s”不是有效的 Office / WPS 文档，请另存后再上传。")
    if extension not in OLE_MAIN_STREAMS:
        raise _Refused(
            _(
                "“%(name)s”是旧版演示文稿格式，系统无法确认其中没有宏，不予保存。"
                "请另存为 .pptx 或 PDF 后再上传。"
            )
        )
    upload.seek(0)
    try:
        with olefile.OleFileIO(upload) as ole:
            entries = ole.listdir(streams=True, storages=True)
    except (OSError, ValueError, IndexError, KeyError, TypeError, RecursionError):
        raise _Refused(bad) from None
    parts = {part.lower() for entry in entries for part in entry}
    if parts & {"encryptedpackage", "encryptioninfo"}:
        raise _Refused(_("“%(name)s”已加密，无法检查其内容，请去除密码后再上传。"))
    if parts & _OLE_MACRO_PARTS:
        raise _Refused(
            _(
                "“%(name)s”含有宏，出于安全原因不予保存。"
                "请另存为不含宏的文档（.docx / .xlsx）后再上传。"
            )
        )
    top = {entry[0].lower() for entry in entries if len(entry) == 1}
    if not top & OLE_MAIN_STREAMS[extension]:
        raise _Refused(_("“%(name)s”的内容与扩展名不符，请确认文件格式。"))


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
        save_to(instance.file, "upload", upload)
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

    @property
    def can_view_inline(self):
        """PDFs and images get a "查看" link that opens them in the browser."""
        return self.content_type in INLINE_TYPES

    def passes_checks(self):
        """The stored file still passes today's checks (files kept before them may not).

        A store that does not answer raises ``StorageUnavailable``: "cannot tell" is not "no"."""
        try:
            with open_for_reading(self.file) as stored:
                upload = File(stored, name=self.original_name)
                deep_check(
                    upload,
                    content_type=self.content_type,
                    extension=self.original_name.rpartition(".")[2].lower(),
                    display=self.original_name,
                )
        except ValidationError:
            return False
        except STORE_ERRORS as error:  # while reading on
            raise StorageUnavailable(READ_FAILED) from error
        return True

    def response(self, inline=False, request=None):
        """The file as a download; the caller has already checked access. With ``request``,
        the download goes to the audit log.

        ``inline``: a PDF or an image that passes the checks is shown in the browser instead,
        in a sandbox (an opaque origin: no script, no cookie, no form, nothing fetched from
        elsewhere), so that even a file that fooled the checks could do nothing there.
        """
        inline = inline and self.can_view_inline and self.passes_checks()
        # Opened (and, from an object store, fetched) before anything is logged or sent: a
        # store that is down gives the reader a page that says so (StorageErrorsMiddleware).
        stored = open_for_reading(self.file)
        if request is not None:
            from audit.services import Action, record

            record(Action.DOWNLOAD, request=request, obj=self, detail=self.original_name)
        response = FileResponse(
            stored,
            as_attachment=not inline,
            filename=self.original_name,
            content_type=self.content_type,
        )
        response["Cache-Control"] = "private, no-store"
        response["X-Content-Type-Options"] = "nosniff"
        if inline:
            response["Content-Security-Policy"] = INLINE_CSP
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
            delete_quietly(default_storage, name)
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
    cutoff = timezone.now() - older_than
    return sorted(
        name
        for name in walk(default_storage, EVIDENCE_DIR)
        if name not in referenced and default_storage.get_modified_time(name) < cutoff
    )


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
