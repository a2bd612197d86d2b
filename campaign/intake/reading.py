"""The text of a directive's file (being written: .txt and .docx only for now)."""

import io
import re
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _


class ReadingRefused(ValueError):
    """A file the intake cannot take (empty, not a document, too large); the message says why."""


@dataclass
class DocumentText:
    """The text read from a file; `notes` are sentences for the clerk (a scan without a text layer:
    no OCR, type or paste the text; the file is still kept as the directive's attachment)."""

    text: str
    kind: str
    notes: list = field(default_factory=list)


def read_document(name, data):
    """The text of the file `name` with content `data` (bytes), or ReadingRefused."""
    if not data:
        raise ReadingRefused(_("文件是空的。"))
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext == "txt":
        return DocumentText(data.decode("utf-8", errors="replace"), "txt")
    if ext == "docx":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            xml = archive.read("word/document.xml").decode("utf-8")
        paragraphs = [re.sub(r"<[^>]+>", "", p) for p in re.split(r"</w:p>", xml)]
        return DocumentText("\n".join(p for p in paragraphs), "docx")
    raise ReadingRefused(_("无法识别的文件类型。"))
