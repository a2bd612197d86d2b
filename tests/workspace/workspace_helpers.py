"""Helpers for the workspace tests: real file contents with the right (or wrong) magic bytes."""

import io
import zipfile
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile


def zipped(members):
    """A real ZIP container holding `members` ({name: bytes}): DOCX, XLSX, OFD and ZIP uploads are opened."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
DOCX = zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
DOC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64
EXE = b"MZ\x90\x00" + b"\x00" * 64


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def stored_files(settings):
    """Every regular file under MEDIA_ROOT (temp files included)."""
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def logged_in(client):
    """A function that logs the test client in as a user and returns it."""

    def _login(user):
        client.force_login(user)
        return client

    return _login
