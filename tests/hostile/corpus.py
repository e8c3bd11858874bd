"""The hostile-file corpus: one line per case, tried against every upload in the portal.

A case names the file as a browser would send it (``{ext}`` becomes the endpoint's own type:
``pdf`` for evidence, ``xlsx`` for the findings import), builds its bytes from the endpoint's
``Kind`` (so "a valid file" means a PDF for evidence and an .xlsx for the import), and says what
must happen, separately for evidence uploads and for the import:

* ``ACCEPT``: saved; the stored name is random, the shown name is ``shown``;
* a message: refused, the message is shown to the user, nothing is saved or stored;
* ``None``: the case does not apply (the import takes one file).

Messages are written out in full, in Chinese, with ``{name}`` for the shown name.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings

from . import files

ACCEPT = "accept"

UNSUPPORTED = "“{name}”的文件类型不受支持。仅接受 PDF、JPG/PNG 图片、Word、Excel、WPS 文档。"
MISMATCH = "“{name}”的内容与扩展名不符，请确认文件格式。"
BAD_IMAGE = "“{name}”不是有效的图片文件。"
EMPTY = "“{name}”是空文件，请检查后重新上传。"
TOO_BIG = "“{name}”超过 {mb} MB 的大小上限。"
TOO_MANY = "一次最多上传 {max_files} 个文件。"
NOT_XLSX = "上传的文件不是有效的 Excel（.xlsx）文件，请使用下载的模板填写。"
EMPTY_FILE = "所选文件是空的，请检查后重新上传。"  # common.forms: an empty single-file field
# Checked to the bone (issue #13)
MARKUP = "“{name}”中夹带网页代码（HTML / 脚本），出于安全原因不予保存。"
PDF_ACTIVE = (
    "“{name}”含有脚本、自动执行的动作或嵌入的文件，出于安全原因不予保存。"
    "请用“打印为 PDF”另存一份普通 PDF 后再上传。"
)
BAD_PDF = "“{name}”不是有效的 PDF 文件，请重新导出或扫描后上传。"
MACROS = (
    "“{name}”含有宏或 ActiveX 控件，出于安全原因不予保存。"
    "请另存为不含宏的文档（.docx / .xlsx / .pptx）后再上传。"
)
OLD_PRESENTATION = (
    "“{name}”是旧版演示文稿格式，系统无法确认其中没有宏，不予保存。请另存为 .pptx 或 PDF 后再上传。"
)
BAD_OLE = "“{name}”不是有效的 Office / WPS 文档，请另存后再上传。"
TOO_MANY_PIXELS = "“{name}”的像素过多（超过 5000 万像素），请缩小后再上传。"


@dataclass(frozen=True)
class Kind:
    """What one endpoint takes: its file type, a valid file, and its size limit."""

    ext: str
    valid: Callable[[], bytes]
    oversized: Callable[[], bytes]  # a valid file one byte over the limit


def _valid(kind):
    return kind.valid()


def _const(data):
    return lambda kind: data


@dataclass(frozen=True)
class Case:
    id: str
    name: str
    content: Callable[[Kind], bytes]
    evidence: str
    excel: str | None
    shown: str | None = None  # the sanitised name, when it differs from ``name`` (for .pdf)
    copies: int = 1  # 0: one more than EVIDENCE_MAX_FILES
    after_valid: bool = False  # sent after a valid file in the same request

    def outcome(self, kind_name):
        return self.evidence if kind_name == "evidence" else self.excel

    def shown_name(self, ext):
        return (self.shown or self.name).format(ext=ext, EXT=ext.upper())

    def message(self, kind_name, ext):
        return self.outcome(kind_name).format(
            name=self.shown_name(ext),
            mb=settings.EVIDENCE_MAX_BYTES // 1024 // 1024,
            max_files=settings.EVIDENCE_MAX_FILES,
        )

    def uploads(self, kind):
        """[(file name as sent, bytes)] for one request."""
        copies = self.copies or settings.EVIDENCE_MAX_FILES + 1
        data = self.content(kind)
        if copies == 1:
            sent = [(self.name.format(ext=kind.ext, EXT=kind.ext.upper()), data)]
        else:
            sent = [(f"第{i}页.{kind.ext}", data) for i in range(1, copies + 1)]
        if self.after_valid:
            sent.insert(0, (f"会议记录.{kind.ext}", kind.valid()))
        return sent


LONG = "长" * 300
CASES = [
    # -- what the bytes are ---------------------------------------------------------------------
    Case("plain-text", "会议纪要.txt", _const(files.TEXT), UNSUPPORTED, NOT_XLSX),
    Case("png-named-as-ext", "扫描件.{ext}", lambda k: files.png(), MISMATCH, NOT_XLSX),
    Case("elf-named-as-ext", "报告.{ext}", _const(files.ELF), UNSUPPORTED, NOT_XLSX),
    Case("pe-exe-named-jpg", "照片.jpg", _const(files.PE), UNSUPPORTED, NOT_XLSX),
    Case("png-header-then-html", "截图.png", _const(files.PNG_THEN_HTML), UNSUPPORTED, NOT_XLSX),
    Case("jpeg-header-then-html", "照片.jpg", _const(files.JPEG_THEN_HTML), MARKUP, NOT_XLSX),
    Case("truncated-png", "截图.png", lambda k: files.truncated_png(), BAD_IMAGE, NOT_XLSX),
    Case("html-named-pdf", "整改报告.pdf", _const(files.HTML), UNSUPPORTED, NOT_XLSX),
    Case("html-named-xlsx", "问题清单.xlsx", _const(files.HTML), UNSUPPORTED, NOT_XLSX),
    Case("svg-with-script", "图表.svg", _const(files.SVG), UNSUPPORTED, NOT_XLSX),
    Case("svg-named-png", "图表.png", _const(files.SVG), UNSUPPORTED, NOT_XLSX),
    Case("zero-bytes", "空文件.{ext}", _const(b""), EMPTY, EMPTY_FILE),
    Case("one-byte-over-limit", "超大文件.{ext}", lambda k: k.oversized(), TOO_BIG, TOO_BIG),
    Case("valid-png", "现场照片.png", lambda k: files.png(), ACCEPT, NOT_XLSX),
    Case("valid-jpeg", "现场照片.jpeg", lambda k: files.jpeg(), ACCEPT, NOT_XLSX),
    # -- parses as what it claims, and cannot act when opened (issue #13) -----------------------
    Case("html-starting-with-pdf-header", "整改报告.pdf", _const(files.HTML_AS_PDF), MARKUP, None),
    Case("pdf-header-only", "整改报告.pdf", _const(files.PDF_HEADER_ONLY), BAD_PDF, None),
    Case(
        "pdf-open-javascript", "整改报告.pdf", _const(files.PDF_OPEN_JAVASCRIPT), PDF_ACTIVE, None
    ),
    Case(
        "pdf-named-javascript", "整改报告.pdf", _const(files.PDF_NAMED_JAVASCRIPT), PDF_ACTIVE, None
    ),
    Case("pdf-launch", "整改报告.pdf", _const(files.PDF_LAUNCH), PDF_ACTIVE, None),
    Case("pdf-embedded-file", "整改报告.pdf", _const(files.PDF_EMBEDDED_FILE), PDF_ACTIVE, None),
    Case(
        "pdf-page-event-javascript",
        "整改报告.pdf",
        _const(files.PDF_PAGE_EVENT_JAVASCRIPT),
        PDF_ACTIVE,
        None,
    ),
    Case(
        "pdf-open-at-first-page", "整改报告.pdf", _const(files.PDF_OPEN_AT_FIRST_PAGE), ACCEPT, None
    ),
    Case("png-then-html", "截图.png", lambda k: files.png_then_html(), MARKUP, None),
    Case("png-html-in-text-chunk", "截图.png", lambda k: files.png_with_html_text(), MARKUP, None),
    Case(
        "png-too-many-pixels",
        "截图.png",
        lambda k: files.png_too_many_pixels(),
        TOO_MANY_PIXELS,
        None,
    ),
    Case("docx-with-vba-project", "整改方案.docx", lambda k: files.docx_with_vba(), MACROS, None),
    Case("docm-renamed-docx", "整改方案.docx", lambda k: files.docm_renamed(), MACROS, None),
    Case("valid-docx", "整改方案.docx", lambda k: files.docx(), ACCEPT, None),
    Case("old-powerpoint", "汇报.ppt", _const(files.broken_ole()), OLD_PRESENTATION, None),
    Case("broken-ole-doc", "纪要.doc", _const(files.broken_ole()), BAD_OLE, None),
    # -- what the name is (the content is a valid file of the endpoint's type) -------------------
    # The import reads the content and keeps no file, so a valid workbook is taken whatever
    # its name; evidence must carry the extension of its content.
    Case("double-extension", "报告.{ext}.exe", _valid, MISMATCH, ACCEPT),
    Case("no-extension", "扫描件", _valid, MISMATCH, ACCEPT),
    Case("extension-only", ".{ext}", _valid, MISMATCH, ACCEPT, shown="{ext}"),
    Case("rtl-override-spoof", "发票\u202efdp.exe", _valid, MISMATCH, ACCEPT, shown="发票fdp.exe"),
    Case(
        "dot-dot-slash", "../../../etc/passwd.{ext}", _valid, ACCEPT, ACCEPT, shown="passwd.{ext}"
    ),
    Case("dot-dot-backslash", "..\\..\\windows\\evil.{ext}", _valid, ACCEPT, ACCEPT, "evil.{ext}"),
    Case("nul-in-name", "evil.php\x00.{ext}", _valid, ACCEPT, ACCEPT, shown="evil.php.{ext}"),
    Case("control-chars", "报\x01告\x1b[31m.{ext}", _valid, ACCEPT, ACCEPT, shown="报告[31m.{ext}"),
    Case("very-long-name", LONG + ".{ext}", _valid, ACCEPT, ACCEPT, shown="长" * 116 + ".{ext}"),
    Case("chinese-name", "2026年第一季度整改报告（终稿）.{ext}", _valid, ACCEPT, ACCEPT),
    Case(
        "rtl-override-inside", "收据\u202egpj.{ext}", _valid, ACCEPT, ACCEPT, shown="收据gpj.{ext}"
    ),
    Case("emoji-name", "📎附件🎉.{ext}", _valid, ACCEPT, ACCEPT),
    Case("html-in-name", "<img src=x onerror=alert(1)>.{ext}", _valid, ACCEPT, ACCEPT),
    Case("upper-case-extension", "SCAN.{EXT}", _valid, ACCEPT, ACCEPT),
    Case("trailing-dots-spaces", "报告.{ext}. . ", _valid, ACCEPT, ACCEPT, shown="报告.{ext}"),
    # -- how many files ----------------------------------------------------------------------------
    Case("too-many-files", "", _valid, TOO_MANY, None, copies=0),
    Case(
        "valid-then-executable",
        "安装包.{ext}",
        _const(files.ELF),
        UNSUPPORTED,
        None,
        after_valid=True,
    ),
]
