"""What an upload must be to be accepted, whoever takes it (submissions, evidence, meeting materials…).

- Names: one rule for paths: refused when the name contains '/' or '\\', is exactly '.' or '..', or
  starts with '../'; '..' inside a name (总结..定稿.pdf) is an ordinary name. No control or format
  characters (U+202E turns "gpj.pdf" into "fdp.jpg" on screen), no executable inner extension
  (report.pdf.exe, x.php.pdf); the final extension must be in settings.UPLOAD_ALLOWED_EXTENSIONS.
  Django's multipart parser and UploadedFile.name already cut a posted name to its last path
  component ("../x.pdf" arrives as "x.pdf"), so a browser upload can never show the server the
  path it came with: the stored name is server-generated and never derived from the original, so
  that cut is harmless; the rule here catches names from everywhere else (commands, the loader,
  programmatic callers).
- Content: sniffed with the `filetype` library for PDF, PNG, JPEG and ZIP containers; the
  project's own checks where the library has no (reliable) matcher: OLE2 compound files (DOC,
  XLS, WPS: filetype's DOC/XLS matchers need Word's or Excel's own sector layout, which WPS Office
  does not always write; a .wps may also be a .docx container, as newer WPS Office saves it) and
  OFD (GB/T 33190: a ZIP whose root holds OFD.xml). DOCX and XLSX must be ZIPs holding word/ and
  xl/ parts. Every ZIP container (zip, docx, xlsx, ofd) is opened and
  refused if a member is an executable (by name) or a Windows/ELF/Mach-O program (by content).
- Size: empty files and files over settings.UPLOAD_MAX_BYTES are refused.
"""

import unicodedata
import zipfile

import filetype
from django.conf import settings
from django.utils.translation import gettext as _
from filetype.types.archive import Zip

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_FAMILY = frozenset({"zip", "docx", "xlsx", "ofd"})
OLE2_FAMILY = frozenset({"doc", "xls", "wps"})

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "zip": "application/zip",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ofd": "application/ofd",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "wps": "application/vnd.ms-works",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
}
# What the library must say a file is for each extension it covers.
SNIFFED = {"pdf": "pdf", "png": "png", "jpg": "jpg", "jpeg": "jpg"}
# Inside a ZIP container: the part a real document of that kind holds.
REQUIRED_MEMBER = {"docx": "word/", "xlsx": "xl/", "ofd": "OFD.xml"}

# Inner extensions that make a double-extension name dangerous (x.php.pdf, report.pdf.exe), and
# member names a ZIP container may not hold.
EXECUTABLE_EXTENSIONS = frozenset(
    "exe com bat cmd scr pif msi msp dll cpl jar js jse vbs vbe wsf wsh ps1 psm1 sh bash csh ksh "
    "php php3 php4 php5 phtml pht phar asp aspx ascx ashx jsp jspx cgi pl py pyc rb lnk reg hta "
    "htm html shtml xhtml svg swf apk app deb rpm".split()
)
# Members whose content is a program, whatever they are called.
PROGRAM_MAGIC = (b"MZ", b"\x7fELF", b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe")
MAX_MEMBERS = 10000
HEAD = 8192


class UploadRefused(ValueError):
    """An upload that is not accepted; the message says why, in words the uploader understands."""


def allowed_extensions():
    return {ext.lower().lstrip(".") for ext in settings.UPLOAD_ALLOWED_EXTENSIONS}


def max_megabytes():
    return settings.UPLOAD_MAX_BYTES // (1024 * 1024)


def is_path(name):
    """The one path rule: '/' or '\\' anywhere, exactly '.' or '..', or a leading '../'."""
    return "/" in name or "\\" in name or name in {".", ".."} or name.startswith("../")


def check_name(name):
    """Return (name, extension) for an acceptable original file name, else raise UploadRefused."""
    name = unicodedata.normalize("NFC", name or "").strip()
    if not name:
        raise UploadRefused(_("文件名不能为空。"))
    if len(name) > 200:
        raise UploadRefused(_("文件名过长（最多 200 个字符）。"))
    if is_path(name):
        raise UploadRefused(_("文件名“%(name)s”含有路径字符，不予接收。") % {"name": name})
    if any(unicodedata.category(ch).startswith("C") for ch in name):
        raise UploadRefused(_("文件名含有控制字符，不予接收。"))
    parts = name.split(".")
    if len(parts) < 2 or not parts[0]:
        raise UploadRefused(_("文件“%(name)s”没有扩展名。") % {"name": name})
    ext = parts[-1].lower()
    allowed = allowed_extensions()
    if ext not in allowed:
        raise UploadRefused(
            _("不接收 .%(ext)s 文件，允许的类型：%(allowed)s。") % {"ext": ext, "allowed": "、".join(sorted(allowed))}
        )
    bad = [part for part in (p.lower().strip() for p in parts[1:-1]) if part in EXECUTABLE_EXTENSIONS]
    if bad:
        raise UploadRefused(
            _("文件名“%(name)s”含有双重扩展名（.%(inner)s），不予接收。") % {"name": name, "inner": bad[0]}
        )
    return name, ext


def _mismatch(name, ext):
    return UploadRefused(_("文件“%(name)s”的内容与扩展名 .%(ext)s 不符，不予接收。") % {"name": name, "ext": ext})


def _check_zip(upload, name, ext):
    """A ZIP container: readable, holding the part its kind needs and no program."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS:
                raise UploadRefused(_("压缩文件“%(name)s”内文件过多，不予接收。") % {"name": name})
            required = REQUIRED_MEMBER.get(ext)
            if required and not any(m.filename == required or m.filename.startswith(required) for m in members):
                raise _mismatch(name, ext)
            for member in members:
                if member.is_dir():
                    continue
                inner = member.filename.rsplit("/", 1)[-1].lower()
                inner_exts = inner.split(".")[1:]
                with archive.open(member) as opened:
                    head = opened.read(4)
                if any(part in EXECUTABLE_EXTENSIONS for part in inner_exts) or head.startswith(PROGRAM_MAGIC):
                    raise UploadRefused(
                        _("文件“%(name)s”中含有可执行文件“%(member)s”，不予接收。")
                        % {"name": name, "member": member.filename}
                    )
    except UploadRefused:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, EOFError, OSError,
            ValueError) as exc:  # unreadable, encrypted or damaged: not the document it claims to be
        raise _mismatch(name, ext) from exc
    finally:
        upload.seek(0)


def sniff(upload, name, ext):
    """Raise UploadRefused unless the content is what the extension says."""
    upload.seek(0)
    head = upload.read(HEAD)
    upload.seek(0)
    if ext in SNIFFED:
        kind = filetype.guess(head)
        if kind is None or kind.extension != SNIFFED[ext]:
            raise _mismatch(name, ext)
    elif ext in ZIP_FAMILY:
        if not Zip().match(head):
            raise _mismatch(name, ext)
        _check_zip(upload, name, ext)
    elif ext == "wps" and Zip().match(head):
        # WPS Office also saves .wps in the container of .docx: checked as one.
        _check_zip(upload, name, "docx")
    elif ext in OLE2_FAMILY:
        if not head.startswith(OLE2):
            raise _mismatch(name, ext)
    else:
        raise _mismatch(name, ext)


def check_upload(upload):
    """Check an uploaded file's name, size and content; return (name, extension) or raise UploadRefused."""
    name, ext = check_name(upload.name)
    size = upload.size or 0
    if size <= 0:
        raise UploadRefused(_("文件“%(name)s”是空文件。") % {"name": name})
    if size > settings.UPLOAD_MAX_BYTES:
        raise UploadRefused(_("文件“%(name)s”超过大小上限 %(mb)s MB。") % {"name": name, "mb": max_megabytes()})
    sniff(upload, name, ext)
    return name, ext


def content_type_for(ext):
    return CONTENT_TYPES.get(ext, "application/octet-stream")
