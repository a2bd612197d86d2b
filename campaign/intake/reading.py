"""The text of a directive's file (公文), or a clear refusal.

`read_document(name, data)` returns a `DocumentText` for a .docx, .wps, .doc, .pdf, .ofd, .txt,
.html or .htm file, or raises `ReadingRefused` (a ValueError whose message, in Chinese, tells the
clerk why); no other exception leaves it, whatever the bytes are.

- .docx: word/document.xml's paragraphs in order, one line each (table cells' paragraphs too; text
  boxes once, not their fallback copy); w:tab is a tab, w:br a line break.
- .wps/.doc: an OLE2 compound file (Word 97 and later, or Kingsoft WPS writing that format): the
  main text of the WordDocument stream through its piece table (CLX → PlcPcd in the 0Table or
  1Table stream; compressed pieces are cp1252, the others UTF-16LE); field codes are dropped and
  their results kept. What cannot be read that way (Word 6/95, WPS's own old format, an encrypted
  file) is not refused: the text is empty and a note asks the clerk to save the file as .docx or
  paste the text. A .wps or .doc that is really a ZIP (newer WPS writes the docx format under the
  old name) is read as .docx.
- .pdf: the text layer of the first PDF_MAX_PAGES pages (pypdf), for at most PDF_MAX_SECONDS, with
  Kangxi radicals that stand for ideographs made the ideographs; a scan without a text layer gives
  empty text and a note (no OCR here), so does a PDF with a password.
- .ofd (GB/T 33190): OFD.xml → DocBody/DocRoot → Document.xml → Pages → each page's Content.xml;
  the TextCode elements of its TextObjects in order, a new line where the Y position changes.
- .txt: UTF-8 (with or without BOM), else GB18030, else UTF-16 with a BOM.
- .html/.htm: the visible text: script, style and head dropped, block elements break lines,
  entities decoded; the charset from a BOM or a meta tag, else UTF-8, else GB18030.

Refused: an empty file, another extension, content that is not what the extension says (files.screening
sniffs PDF, ZIP and OLE2 containers as for every upload), a file over settings.INTAKE_MAX_BYTES, a ZIP
whose parts unpack to more than UNPACKED_MAX_BYTES, XML with a DTD or entity declarations. Another
language than Chinese is not refused here.

The text given back is NFC, with \\n line ends, no control characters but newline and tab, no
trailing spaces on a line, and no blank lines before the first or after the last line.
"""

import html.parser
import io
import logging
import posixpath
import re
import struct
import time
import unicodedata
import zipfile
from dataclasses import dataclass, field
from xml.parsers import expat

import filetype
import olefile
import pypdf
from django.conf import settings
from django.utils.translation import gettext as _

from files import screening

KINDS = ("docx", "wps", "doc", "pdf", "ofd", "txt", "html", "htm")
UNPACKED_MAX_BYTES = 20 * 1024 * 1024  # what the parts of a .docx or .ofd may unpack to, together
PDF_MAX_PAGES = 100
PDF_MAX_SECONDS = 30

log = logging.getLogger(__name__)


class ReadingRefused(ValueError):
    """A file the intake cannot take (empty, not a document, too large); the message says why."""


@dataclass
class DocumentText:
    """The text read from a file; `notes` are sentences for the clerk (a scan without a text layer:
    no OCR, type or paste the text; the file is still kept as the directive's attachment).
    `kind` is the format actually read: "docx", "wps", "doc", "pdf", "ofd", "txt" or "html" (a
    .wps in the docx format is "docx", an .htm is "html")."""

    text: str
    kind: str
    notes: list = field(default_factory=list)


def read_document(name, data):
    """The text of the file `name` with content `data` (bytes), or ReadingRefused."""
    name = unicodedata.normalize("NFC", str(name or "")).strip()
    data = bytes(data or b"")
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in KINDS:
        if not ext:
            raise ReadingRefused(_("文件“%(name)s”没有扩展名，无法判断类型；可读取正文的类型：%(kinds)s。")
                                 % {"name": name, "kinds": _kinds()})
        raise ReadingRefused(_("不能读取 .%(ext)s 文件的正文；可读取正文的类型：%(kinds)s。")
                             % {"ext": ext, "kinds": _kinds()})
    if not data:
        raise ReadingRefused(_("文件“%(name)s”是空文件。") % {"name": name})
    cap = settings.INTAKE_MAX_BYTES
    if len(data) > cap:
        raise ReadingRefused(
            _("文件“%(name)s”有 %(size)s MB，超过读取正文的上限 %(mb)s MB；请上传较小的文件，或直接粘贴正文。")
            % {"name": name, "size": _megabytes(len(data)), "mb": cap // (1024 * 1024)}
        )
    try:
        document = _READERS[ext](name, data, ext)
    except ReadingRefused:
        raise
    except Exception as exc:  # a library's own error on a damaged file: never anything but a refusal
        log.info("intake: %s could not be read: %r", name, exc)
        raise ReadingRefused(_("文件“%(name)s”已损坏或格式有误，无法读取正文。") % {"name": name})
    document.text = clean(document.text)
    return document


def _kinds():
    return "、".join(KINDS)


def _megabytes(size):
    return f"{size / (1024 * 1024):.1f}".rstrip("0").rstrip(".")


def _mismatch(name, ext):
    return ReadingRefused(_("文件“%(name)s”的内容与扩展名 .%(ext)s 不符，无法读取正文。") % {"name": name, "ext": ext})


def _sniff(name, data, ext):
    """The checks every upload gets (files.screening), as a ReadingRefused."""
    try:
        screening.sniff(io.BytesIO(data), name, ext)
    except screening.UploadRefused as exc:
        raise ReadingRefused(str(exc))


# --- the text given back ------------------------------------------------------------------------

LINE_BREAKS = str.maketrans({"\r": "\n", "\x0b": "\n", "\x0c": "\n", "\x85": "\n", "\u2028": "\n", "\u2029": "\n"})
# Invisible characters that only confuse the extractor or the screen: BOM, zero-width space and the
# bidirectional overrides (U+202E shows text backwards).
DROPPED = frozenset("\ufeff\u200b\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def clean(text):
    """NFC; \\n line ends; no control characters but newline and tab; no trailing spaces on a line;
    no blank lines at the start or the end."""
    text = text.replace("\r\n", "\n").translate(LINE_BREAKS)
    text = unicodedata.normalize("NFC", text)
    text = "".join(
        ch for ch in text
        if ch in "\n\t" or (ch not in DROPPED and unicodedata.category(ch) not in ("Cc", "Cs"))
    )
    lines = [line.rstrip() for line in text.split("\n")]
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


# --- XML without DTDs, and ZIP parts within a cap ----------------------------------------------


class _Element:
    """A parsed XML element: `tag` is "{namespace}local" (or "local"), `attrib`, `text`, `children`."""

    __slots__ = ("tag", "attrib", "text", "children")

    def __init__(self, tag, attrib):
        self.tag, self.attrib, self.text, self.children = tag, attrib, "", []

    @property
    def local(self):
        return self.tag.rsplit("}", 1)[-1]

    def iter(self):
        yield self
        for child in self.children:
            yield from child.iter()

    def all_text(self):
        return self.text + "".join(child.all_text() for child in self.children)


def parse_xml(data, name):
    """Parse XML with expat, refusing a DTD or an entity declaration (billion laughs, external
    entities); the root _Element. `text` holds all character data directly inside an element."""
    parser = expat.ParserCreate(namespace_separator="}")
    stack, roots = [], []

    def start(tag, attrs):
        element = _Element("{" + tag if "}" in tag else tag,
                           {(("{" + k) if "}" in k else k): v for k, v in attrs.items()})
        (stack[-1].children if stack else roots).append(element)
        stack.append(element)

    def end(tag):
        stack.pop()

    def chars(text):
        if stack:
            stack[-1].text += text

    def refuse(*args):
        raise ReadingRefused(_("文件“%(name)s”含有 XML 实体或文档类型声明，出于安全考虑不予读取。") % {"name": name})

    parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = start, end, chars
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    parser.buffer_text = True
    try:
        parser.Parse(data, True)
    except expat.ExpatError:
        raise ReadingRefused(_("文件“%(name)s”已损坏或格式有误，无法读取正文。") % {"name": name})
    if not roots:
        raise ReadingRefused(_("文件“%(name)s”已损坏或格式有误，无法读取正文。") % {"name": name})
    return roots[0]


class _Parts:
    """The members of a ZIP container, read at most UNPACKED_MAX_BYTES in all (a zip bomb's
    declared sizes can lie, so the bytes are counted as they come)."""

    def __init__(self, archive, name):
        self.archive, self.name, self.read_bytes = archive, name, 0
        self.names = {info.filename: info for info in archive.infolist()}

    def read(self, member):
        info = self.names.get(member)
        if info is None:
            raise ReadingRefused(
                _("文件“%(name)s”缺少必需的部分（%(member)s），无法读取正文。") % {"name": self.name, "member": member}
            )
        chunks = []
        with self.archive.open(info) as opened:
            while chunk := opened.read(1 << 16):
                self.read_bytes += len(chunk)
                if self.read_bytes > UNPACKED_MAX_BYTES:
                    raise ReadingRefused(
                        _("文件“%(name)s”解压后超过 %(mb)s MB，无法读取正文。")
                        % {"name": self.name, "mb": UNPACKED_MAX_BYTES // (1024 * 1024)}
                    )
                chunks.append(chunk)
        return b"".join(chunks)


# --- .docx --------------------------------------------------------------------------------------

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def _read_docx(name, data, ext="docx"):
    _sniff(name, data, "docx")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        body = parse_xml(_Parts(archive, name).read("word/document.xml"), name)
    lines = []
    _docx_block(body, lines)
    return DocumentText("\n".join(lines), "docx")


def _docx_block(element, lines):
    for child in element.children:
        if child.tag == W + "p":
            _docx_paragraph(child, lines)
        elif child.tag != MC_FALLBACK:
            _docx_block(child, lines)


def _docx_paragraph(paragraph, lines):
    """One line for the paragraph, then a line for each paragraph inside it (a text box's)."""
    parts, inner = [], []

    def walk(element):
        for child in element.children:
            tag = child.tag
            if tag == W + "t":
                parts.append(child.text)
            elif tag in (W + "tab", W + "ptab"):
                parts.append("\t")
            elif tag in (W + "br", W + "cr"):
                parts.append("\n")
            elif tag == W + "noBreakHyphen":
                parts.append("-")
            elif tag == W + "p":
                _docx_paragraph(child, inner)
            elif tag != MC_FALLBACK:
                walk(child)

    walk(paragraph)
    lines.append("".join(parts))
    lines.extend(inner)


# --- .wps and .doc (OLE2, Word 97 and later) -------------------------------------------------------

ZIP_MAGIC = b"PK\x03\x04"


def _read_ole(name, data, ext):
    if data.startswith(ZIP_MAGIC):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if "word/document.xml" not in archive.namelist():
                raise _mismatch(name, ext)
        return _read_docx(name, data)
    _sniff(name, data, ext)
    text = _word97_text(data)
    if text is None:
        return DocumentText("", ext, [_(
            "无法读取这份 .%(ext)s 文件的正文（可能是较早的版本或已加密）。请在 WPS 或 Word 中将它另存为 .docx 后重新上传，"
            "或直接粘贴正文；文件仍作为附件保存。"
        ) % {"ext": ext}])
    return DocumentText(text, ext)


def _word97_text(data):
    """The main document text of a Word 97+ binary file, or None when it cannot be read that way."""
    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:  # (bytes under 1536 would be taken for a path)
            if not ole.exists("WordDocument"):
                return None
            word = ole.openstream("WordDocument").read()
            if len(word) < 34:
                return None
            flags = struct.unpack_from("<H", word, 0x0A)[0]
            if flags & 0x0100:  # fEncrypted
                return None
            table_name = "1Table" if flags & 0x0200 else "0Table"
            if not ole.exists(table_name):
                return None
            table = ole.openstream(table_name).read()
    except (OSError, ValueError, struct.error, IndexError, KeyError, TypeError, AttributeError):
        return None
    try:
        return _word97_pieces(word, table)
    except (ValueError, struct.error, IndexError):
        return None


def _word97_pieces(word, table):
    # The FIB: 32-byte base, then csw 16-bit words, cslw 32-bit longs, cbRgFcLcb (fc, lcb) pairs.
    csw = struct.unpack_from("<H", word, 32)[0]
    pos = 34 + csw * 2
    cslw = struct.unpack_from("<H", word, pos)[0]
    longs = pos + 2
    ccp_text = struct.unpack_from("<i", word, longs + 3 * 4)[0]  # fibRgLw.ccpText: the main text's length
    pos = longs + cslw * 4
    pairs = struct.unpack_from("<H", word, pos)[0]
    if pairs <= 33 or ccp_text < 0:
        return None
    fc_clx, lcb_clx = struct.unpack_from("<II", word, pos + 2 + 33 * 8)
    clx = table[fc_clx:fc_clx + lcb_clx]
    if lcb_clx == 0 or len(clx) != lcb_clx:
        return None
    i = 0
    while i < len(clx) and clx[i] == 0x01:  # Prc: property modifiers, skipped
        i += 3 + struct.unpack_from("<h", clx, i + 1)[0]
    if i >= len(clx) or clx[i] != 0x02:
        return None
    lcb = struct.unpack_from("<I", clx, i + 1)[0]
    plc = clx[i + 5:i + 5 + lcb]
    count = (len(plc) - 4) // 12
    if count <= 0 or len(plc) != count * 12 + 4:
        return None
    cps = struct.unpack_from(f"<{count + 1}I", plc, 0)
    parts = []
    for n in range(count):
        start, end = cps[n], min(cps[n + 1], ccp_text)
        if end <= start:
            continue
        fc = struct.unpack_from("<I", plc, 4 * (count + 1) + 8 * n + 2)[0]
        chars = end - start
        if fc & 0x40000000:
            offset = (fc & 0x3FFFFFFF) // 2
            parts.append(word[offset:offset + chars].decode("cp1252", errors="replace"))
        else:
            offset = fc & 0x3FFFFFFF
            parts.append(word[offset:offset + 2 * chars].decode("utf-16-le", errors="replace"))
        if cps[n + 1] >= ccp_text:
            break
    return _word_specials("".join(parts))


def _word_specials(text):
    """Word's marks in the text stream: \\r ends a paragraph, \\x07 a table cell (or row), \\x0b is a
    line break, \\x0c a page break; a field is \\x13 code \\x14 result \\x15 (the result is kept). A
    table row's cells become one line with tabs between them (the row's own mark, \\x07 after the last
    cell's, ends the line; an empty cell's two marks look the same, so it ends the line too)."""
    text = text.replace("\x07\x07", "\x07\n")
    out, depth_code = [], []
    for ch in text:
        if ch == "\x13":
            depth_code.append(True)
        elif ch == "\x14":
            if depth_code:
                depth_code[-1] = False
        elif ch == "\x15":
            if depth_code:
                depth_code.pop()
        elif any(depth_code):
            continue
        elif ch == "\x07":
            out.append("\t")
        elif ch in "\r\x0b\x0c":
            out.append("\n")
        elif ch == "\x1e":
            out.append("-")
        elif ch in "\x01\x02\x05\x08\x1f":
            continue
        else:
            out.append(ch)
    text = "".join(out)
    return re.sub(r"\t+\n", "\n", text)


# --- .pdf ---------------------------------------------------------------------------------------


def _read_pdf(name, data, ext):
    _sniff(name, data, "pdf")
    reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
    notes = []
    if reader.is_encrypted:
        try:
            opened = reader.decrypt("") != pypdf.PasswordType.NOT_DECRYPTED
        except Exception:  # an encryption pypdf cannot undo without optional libraries
            opened = False
        if not opened:
            return DocumentText("", "pdf", [_(
                "这份 PDF 文件设有密码，无法读取正文；请提供未加密的文件或直接粘贴正文，文件仍作为附件保存。"
            )])
    started = time.monotonic()
    pages, total = [], len(reader.pages)
    for number, page in enumerate(reader.pages):
        if number >= PDF_MAX_PAGES:
            notes.append(_("这份 PDF 共 %(total)s 页，只读取了前 %(read)s 页的正文。") % {"total": total, "read": PDF_MAX_PAGES})
            break
        if time.monotonic() - started > PDF_MAX_SECONDS:
            notes.append(_("这份 PDF 读取时间过长，只读取了前 %(read)s 页的正文。") % {"read": number})
            break
        try:
            pages.append(page.extract_text() or "")
        except Exception as exc:  # one damaged page: the others are still read
            log.info("intake: page %s of %s could not be read: %r", number + 1, name, exc)
            pages.append("")
    text = unify_radicals("\n".join(pages))
    if not text.strip():
        return DocumentText("", "pdf", [_(
            "这是扫描件，没有文字层；本系统不做文字识别（OCR），请粘贴或录入正文，文件仍作为附件保存。"
        )])
    return DocumentText(text, "pdf", notes)


def unify_radicals(text):
    """A PDF's ToUnicode map often gives a CJK font's shared glyph the Kangxi radical (U+2F42 ⽂, U+2F45
    ⽅) instead of the ideograph (文, 方): the radicals become the ideographs they stand for (NFKC of
    those characters only)."""
    return RADICALS.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)


RADICALS = re.compile("[\u2e80-\u2eff\u2f00-\u2fdf]")


# --- .ofd ---------------------------------------------------------------------------------------


def _read_ofd(name, data, ext):
    _sniff(name, data, "ofd")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = _Parts(archive, name)
        root = parse_xml(parts.read("OFD.xml"), name)
        doc_roots = [e.all_text().strip() for e in root.iter() if e.local == "DocRoot"]
        if not doc_roots:
            raise _mismatch(name, ext)
        pages = []
        for doc_root in doc_roots:
            document_path = _ofd_path("", doc_root)
            document = parse_xml(parts.read(document_path), name)
            folder = posixpath.dirname(document_path)
            for page in (e for e in document.iter() if e.local == "Page"):
                location = page.attrib.get("BaseLoc", "").strip()
                if location:
                    content = parse_xml(parts.read(_ofd_path(folder, location)), name)
                    pages.append(_ofd_page_text(content))
    return DocumentText("\n".join(pages), "ofd")


def _ofd_path(folder, location):
    """A location in the package: absolute from the root ("/Doc_0/…"), else relative to `folder`."""
    location = location.replace("\\", "/")
    path = location.lstrip("/") if location.startswith("/") else posixpath.join(folder, location)
    return posixpath.normpath(path).lstrip("/")


def _ofd_page_text(content):
    lines, line, last_y = [], [], None
    for text_object in (e for e in content.iter() if e.local == "TextObject"):
        boundary = text_object.attrib.get("Boundary", "").split()
        top = _number(boundary[1]) if len(boundary) >= 2 else 0.0
        for code in (e for e in text_object.children if e.local == "TextCode"):
            y = code.attrib.get("Y")
            y = top + _number(y) if y is not None else last_y
            if last_y is not None and y is not None and abs(y - last_y) > 0.5 and line:
                lines.append("".join(line))
                line = []
            last_y = y if y is not None else last_y
            line.append(code.text)
    if line:
        lines.append("".join(line))
    return "\n".join(lines)


def _number(value):
    try:
        return float(value)
    except ValueError:
        return 0.0


# --- .txt ---------------------------------------------------------------------------------------

BINARY_MAGIC = (screening.OLE2, b"%PDF", ZIP_MAGIC)


def _not_text(data):
    return data.startswith(BINARY_MAGIC) or filetype.guess(data[:8192]) is not None


def _read_txt(name, data, ext):
    if _not_text(data) and not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        raise _mismatch(name, ext)
    text = _decode(data, ("utf-8",))
    if text is None:
        raise ReadingRefused(
            _("文件“%(name)s”的文字编码无法识别（应为 UTF-8 或 GB18030）；请另存为 UTF-8 文本或直接粘贴正文。") % {"name": name}
        )
    return DocumentText(text, "txt")


def _decode(data, preferred):
    """Text by BOM, else the first of `preferred`, UTF-8, GB18030 that decodes it; None if none does."""
    if data.startswith(b"\xef\xbb\xbf"):
        encodings = ("utf-8-sig",)
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ("utf-16",)
    else:
        encodings = (*preferred, "utf-8", "gb18030")
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return None


# --- .html and .htm -----------------------------------------------------------------------------

META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# gb2312 and gbk pages often use characters only their superset has.
CHARSET_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030", "hz-gb-2312": "gb18030"}
BLOCKS = frozenset(
    "p div br li tr h1 h2 h3 h4 h5 h6 table ul ol dl dt dd blockquote pre hr section article header footer "
    "nav aside main figure figcaption form fieldset address caption center tbody thead tfoot".split()
)
CELLS = frozenset({"td", "th"})
HIDDEN = frozenset({"script", "style", "head", "title", "template", "noscript", "textarea", "select", "iframe", "object"})
VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())


class _VisibleText(html.parser.HTMLParser):
    """The lines a browser would show: a block's edge starts a new line unless the current one is
    still empty (edges of nested blocks make one break); <br> always does; cells are joined by tabs.
    A line holding only &nbsp; (<p>&nbsp;</p>, a blank line in many offices' pages) is kept blank."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines, self.hidden, self.pre = [""], [], 0

    def _block_edge(self):
        if self.lines[-1].strip(" \t"):
            self.lines.append("")
        else:
            self.lines[-1] = self.lines[-1].strip(" \t")

    def handle_starttag(self, tag, attrs):
        if tag in HIDDEN:
            self.hidden.append(tag)
        elif tag == "pre":
            self.pre += 1
        if self.hidden:
            return
        if tag == "br":
            self.lines.append("")
        elif tag in BLOCKS:
            self._block_edge()
        elif tag in CELLS and self.lines[-1].strip(" \t"):
            self.lines[-1] += "\t"

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in HIDDEN and tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in HIDDEN:
            if tag in self.hidden:
                while self.hidden and self.hidden.pop() != tag:
                    pass
            return
        if tag == "pre":
            self.pre = max(0, self.pre - 1)
        if not self.hidden and tag in BLOCKS and tag not in VOID:
            self._block_edge()

    def handle_data(self, data):
        if self.hidden:
            return
        if not self.pre:
            data = re.sub(r"[ \t\r\n\f]+", " ", data)
        first, *rest = data.replace("\r\n", "\n").split("\n")
        self.lines[-1] += first
        self.lines.extend(rest)

    def text(self):
        lines = [line.replace("\xa0", " ").strip(" \t") for line in self.lines]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines))


def _read_html(name, data, ext):
    if _not_text(data):
        raise _mismatch(name, ext)
    declared = META_CHARSET.search(data[:4096])
    preferred = ()
    if declared:
        charset = declared.group(1).decode("ascii").lower()
        preferred = (CHARSET_ALIASES.get(charset, charset),)
    text = _decode(data, preferred)
    if text is None:
        text = data.decode("utf-8", errors="replace")
    parser = _VisibleText()
    parser.feed(text)
    parser.close()
    return DocumentText(parser.text(), "html")


_READERS = {
    "docx": _read_docx,
    "wps": _read_ole,
    "doc": _read_ole,
    "pdf": _read_pdf,
    "ofd": _read_ofd,
    "txt": _read_txt,
    "html": _read_html,
    "htm": _read_html,
}
