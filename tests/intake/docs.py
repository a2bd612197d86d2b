"""Small documents built byte by byte for the intake's tests (and the fixtures of tests/intake/files/).

- `docx_bytes(paragraphs)`: a minimal valid .docx; each item a paragraph (a string: "\\t" becomes
  w:tab, "\\n" w:br) or a table (a list of rows, each a list of cell strings).
- `word97_bytes(text)`: a Word 97 binary document (.doc; WPS Office writes .wps the same way) whose
  main text is `text` in Word's own marks (\\r ends a paragraph, \\x13…\\x14…\\x15 a field), stored
  as pieces: runs of ASCII compressed (cp1252), the rest UTF-16LE.
- `ole_bytes(streams)`: an OLE2 compound file (version 3) holding the given streams.
- `ofd_bytes(pages)`: a small GB/T 33190 package; each page a list of text objects, each a list of
  (x, y, text) TextCodes in millimetres relative to the object.
"""

import io
import struct
import zipfile
from xml.sax.saxutils import escape, quoteattr

FIXED_TIME = (2015, 1, 15, 0, 0, 0)  # the same bytes every time the fixtures are built


def zip_bytes(members):
    """A ZIP of {name: bytes or str}, deflated, with fixed dates."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in members.items():
            info = zipfile.ZipInfo(name, FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content.encode("utf-8") if isinstance(content, str) else content)
    return out.getvalue()


# --- .docx --------------------------------------------------------------------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DOCX_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
DOCX_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/>'
    "</Relationships>"
)


def _docx_paragraph(text):
    runs = []
    for n, line in enumerate(text.split("\n")):
        if n:
            runs.append("<w:br/>")
        for m, piece in enumerate(line.split("\t")):
            if m:
                runs.append("<w:tab/>")
            if piece:
                runs.append(f'<w:t xml:space="preserve">{escape(piece)}</w:t>')
    return f"<w:p><w:r>{''.join(runs)}</w:r></w:p>" if runs else "<w:p/>"


def _docx_table(rows):
    cells = "".join(
        "<w:tr>" + "".join(f"<w:tc>{_docx_paragraph(cell)}</w:tc>" for cell in row) + "</w:tr>" for row in rows
    )
    return f"<w:tbl>{cells}</w:tbl>"


def docx_bytes(paragraphs):
    """A minimal valid .docx whose body holds `paragraphs` in order (strings, or tables as lists of rows)."""
    body = "".join(_docx_paragraph(item) if isinstance(item, str) else _docx_table(item) for item in paragraphs)
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:document xmlns:w="{W_NS}"><w:body>{body}'
        '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>'
    )
    return zip_bytes({"[Content_Types].xml": DOCX_CONTENT_TYPES, "_rels/.rels": DOCX_RELS, "word/document.xml": document})


# --- OLE2 and Word 97 ---------------------------------------------------------------------------

SECTOR = 512
FREESECT, ENDOFCHAIN, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def _dir_entry(name, kind, child=NOSTREAM, right=NOSTREAM, start=ENDOFCHAIN, size=0):
    encoded = (name + "\0").encode("utf-16-le")
    return struct.pack(
        "<64sHBBIII16sI8s8sIII", encoded, len(encoded), kind, 1, NOSTREAM, right, child,
        b"\0" * 16, 0, b"\0" * 8, b"\0" * 8, start, size, 0,
    )


def ole_bytes(streams):
    """An OLE2 compound file holding `streams` ({name: bytes}); each stream is padded with zeros to
    4096 bytes so that all live in regular sectors (no mini stream)."""
    names = sorted(streams, key=lambda n: (len(n), n.upper()))
    datas = [streams[n].ljust(4096, b"\0") for n in names]
    data_sectors = [-(-len(d) // SECTOR) for d in datas]
    dir_sectors = -(-(len(names) + 1) // 4)
    total = 1 + dir_sectors + sum(data_sectors)
    if total > SECTOR // 4:
        raise ValueError("too large for one FAT sector")
    fat = [FATSECT] + [n + 2 for n in range(dir_sectors - 1)] + [ENDOFCHAIN]
    entries, starts, sector = [], [], 1 + dir_sectors
    for count in data_sectors:
        starts.append(sector)
        fat += [sector + n + 1 for n in range(count - 1)] + [ENDOFCHAIN]
        sector += count
    fat += [FREESECT] * (SECTOR // 4 - len(fat))
    entries.append(_dir_entry("Root Entry", 5, child=1 if names else NOSTREAM))
    for n, (name, data) in enumerate(zip(names, datas, strict=True)):
        entries.append(_dir_entry(name, 2, right=n + 2 if n + 1 < len(names) else NOSTREAM,
                                  start=starts[n], size=len(data)))
    empty = struct.pack("<64sHBBIII16sI8s8sIII", b"", 0, 0, 0, NOSTREAM, NOSTREAM, NOSTREAM,
                        b"\0" * 16, 0, b"\0" * 8, b"\0" * 8, 0, 0, 0)
    directory = b"".join(entries) + empty * (dir_sectors * 4 - len(entries))
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\0" * 16, 0x3E, 3, 0xFFFE, 9, 6,
        b"\0" * 6, 0, 1, 1, 0, 4096, ENDOFCHAIN, 0, ENDOFCHAIN, 0,
    ) + struct.pack("<109I", 0, *([FREESECT] * 108))
    body = struct.pack(f"<{SECTOR // 4}I", *fat) + directory
    for data, count in zip(datas, data_sectors, strict=True):
        body += data.ljust(count * SECTOR, b"\0")
    return header + body


def _runs(text):
    """Runs of text that are all ASCII or all not."""
    runs = []
    for ch in text:
        ascii_ = ord(ch) < 0x80
        if runs and runs[-1][0] == ascii_:
            runs[-1][1].append(ch)
        else:
            runs.append((ascii_, [ch]))
    return [(a, "".join(chars)) for a, chars in runs]


def word97_bytes(text):
    """A Word 97 document whose main text is `text` (Word's marks: \\r ends a paragraph)."""
    text_start = 1024
    stream, pieces, cps, cp = bytearray(text_start), [], [0], 0
    for ascii_, run in _runs(text):
        offset = len(stream)
        if ascii_:
            stream += run.encode("cp1252")
            fc = (offset * 2) | 0x40000000
        else:
            stream += run.encode("utf-16-le")
            fc = offset
        cp += len(run.encode("utf-16-le")) // 2
        cps.append(cp)
        pieces.append(struct.pack("<HIH", 0, fc, 0))
    plc = struct.pack(f"<{len(cps)}I", *cps) + b"".join(pieces)
    clx = b"\x02" + struct.pack("<I", len(plc)) + plc
    table = clx
    # The FIB: base (32 bytes), 14 words, 22 longs (ccpText is the 4th), 93 (fc, lcb) pairs (fcClx is the 34th).
    base = struct.pack("<HHHHHH", 0xA5EC, 0x00C1, 0, 0x0804, 0, 0x0200).ljust(32, b"\0")
    rg_w = struct.pack("<H", 14) + b"\0" * 28
    longs = [0] * 22
    longs[0], longs[3] = len(stream), cp
    rg_lw = struct.pack("<H", 22) + struct.pack("<22i", *longs)
    pairs = [0] * (93 * 2)
    pairs[33 * 2], pairs[33 * 2 + 1] = 0, len(clx)
    rg_fclcb = struct.pack("<H", 93) + struct.pack(f"<{93 * 2}I", *pairs)
    fib = base + rg_w + rg_lw + rg_fclcb + struct.pack("<H", 0)
    stream[: len(fib)] = fib
    return ole_bytes({"WordDocument": bytes(stream), "1Table": table})


# --- .ofd ---------------------------------------------------------------------------------------

OFD_NS = "http://www.ofdspec.org/2016"


def ofd_bytes(pages):
    """A small OFD package: `pages` is a list of pages, each a list of text objects, each a list of
    (x, y, text) TextCodes (y relative to the object's boundary, in millimetres)."""
    members = {
        "OFD.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:OFD xmlns:ofd="{OFD_NS}" DocType="OFD" Version="1.0">'
            "<ofd:DocBody><ofd:DocInfo><ofd:DocID>0c1f4a5e2d7b4f0a8e6d9c3b2a1f0e9d</ofd:DocID>"
            "<ofd:CreationDate>2015-01-15</ofd:CreationDate></ofd:DocInfo>"
            "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"
        ),
        "Doc_0/PublicRes.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Res xmlns:ofd="{OFD_NS}" BaseLoc="Res">'
            '<ofd:Fonts><ofd:Font ID="2" FontName="宋体" FamilyName="宋体"/></ofd:Fonts></ofd:Res>'
        ),
    }
    unit = 3
    page_list = []
    for n, objects in enumerate(pages):
        page_list.append(f'<ofd:Page ID="{unit}" BaseLoc="Pages/Page_{n}/Content.xml"/>')
        unit += 1
        layer = []
        for codes in objects:
            top = min(y for _, y, _ in codes)
            boundary = f"20 {top + 20} 170 {max(y for _, y, _ in codes) - top + 10}"
            text_codes = "".join(
                f"<ofd:TextCode X={quoteattr(str(x))} Y={quoteattr(str(y - top + 5))}>{escape(text)}</ofd:TextCode>"
                for x, y, text in codes
            )
            layer.append(f'<ofd:TextObject ID="{unit}" Boundary="{boundary}" Font="2" Size="5.6">{text_codes}</ofd:TextObject>')
            unit += 1
        members[f"Doc_0/Pages/Page_{n}/Content.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Page xmlns:ofd="{OFD_NS}"><ofd:Content>'
            f'<ofd:Layer ID="{unit}">{"".join(layer)}</ofd:Layer></ofd:Content></ofd:Page>'
        )
        unit += 1
    members["Doc_0/Document.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Document xmlns:ofd="{OFD_NS}"><ofd:CommonData>'
        f"<ofd:MaxUnitID>{unit}</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox>"
        "</ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData>"
        f"<ofd:Pages>{''.join(page_list)}</ofd:Pages></ofd:Document>"
    )
    ordered = {"OFD.xml": members.pop("OFD.xml"), "Doc_0/Document.xml": members.pop("Doc_0/Document.xml"), **members}
    return zip_bytes(ordered)
