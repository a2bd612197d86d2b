"""campaign.intake.reading: the text of a directive's file in each format, the notes for what cannot
be read, and a clear refusal (never another exception) for everything else.

The fixtures under files/ are built by files/make_fixtures.py from the first 15 lines of seed 004.
"""

import io
import pathlib
import re

import pypdf
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from campaign.intake.reading import DocumentText, ReadingRefused, read_document
from tests.intake.docs import docx_bytes, ole_bytes, word97_bytes, zip_bytes
from tests.intake.files.make_fixtures import DOCX_TABLE, LINES, PDF_LINES, TEXT

FILES = pathlib.Path(__file__).resolve().parent / "files"
NON_BLANK = [line for line in LINES if line]
CHINESE = re.compile("[\u4e00-\u9fff]")


def read(name):
    return read_document(name, (FILES / name).read_bytes())


def non_blank(text):
    return [line for line in text.split("\n") if line.strip()]


def refusal(name, data):
    with pytest.raises(ReadingRefused) as caught:
        read_document(name, data)
    message = str(caught.value)
    assert CHINESE.search(message), message
    return message


def test_the_fixtures_stay_small():
    for path in FILES.iterdir():
        assert path.stat().st_size < 60 * 1024, path.name


# --- each format ------------------------------------------------------------------------------


def test_docx_paragraphs_in_order_then_the_table_cells():
    document = read("seed.docx")
    assert isinstance(document, DocumentText)
    assert document.kind == "docx" and document.notes == []
    cells = [cell for row in DOCX_TABLE for cell in row]
    assert document.text == TEXT + "\n" + "\n".join(cells)
    assert document.text.index("浙整改办发〔2015〕2号") < document.text.index("关于印发《开展教育实践活动整改落实情况")


def test_docx_tabs_and_line_breaks_and_text_boxes_once():
    assert read_document("a.docx", docx_bytes(["甲\t乙\n丙", "", "丁"])).text == "甲\t乙\n丙\n\n丁"
    # A text box (its paragraph inside a drawing) is read once: mc:Fallback repeats it for old readers.
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    mc = "http://schemas.openxmlformats.org/markup-compatibility/2006"
    box = "<w:txbxContent><w:p><w:r><w:t>中共浙江省委整改落实办公室文件</w:t></w:r></w:p></w:txbxContent>"
    document = (
        f'<w:document xmlns:w="{w}" xmlns:mc="{mc}"><w:body><w:p><w:r><mc:AlternateContent>'
        f"<mc:Choice>{box}</mc:Choice><mc:Fallback>{box}</mc:Fallback></mc:AlternateContent></w:r></w:p>"
        "<w:p><w:r><w:t>浙整改办发〔2015〕2号</w:t></w:r><w:r><w:delText>删去的</w:delText></w:r></w:p></w:body></w:document>"
    )
    data = zip_bytes({"[Content_Types].xml": "<Types/>", "word/document.xml": document})
    assert read_document("a.docx", data).text == "中共浙江省委整改落实办公室文件\n浙整改办发〔2015〕2号"


def test_doc_pieces_compressed_and_unicode():
    document = read("seed.doc")
    assert (document.text, document.kind, document.notes) == (TEXT, "doc", [])


def test_wps_field_results_kept_and_codes_dropped():
    document = read("seed.wps")
    assert (document.text, document.kind, document.notes) == (TEXT, "wps", [])
    assert "DATE" not in document.text


def test_word97_table_cells_and_marks():
    text = "标题\r单位\x07人数\x07\x07甲\x073\x07\x07第一行\x0b第二行\r"
    assert read_document("a.doc", word97_bytes(text)).text == "标题\n单位\t人数\n甲\t3\n第一行\n第二行"


def test_wps_in_the_docx_format_reads_as_docx():
    document = read("seed-docx-format.wps")
    assert (document.text, document.kind) == (TEXT, "docx")


def test_ole_file_without_a_word_text_gives_a_note_not_a_refusal():
    for name, data in [
        ("old.wps", ole_bytes({"Contents": "中共浙江省委".encode("utf-16-le")})),  # WPS's own old format
        ("old.doc", ole_bytes({"WordDocument": b"\xec\xa5" + b"\0" * 100})),  # no table stream
    ]:
        document = read_document(name, data)
        assert document.text == ""
        assert len(document.notes) == 1 and "另存为 .docx" in document.notes[0] and "附件" in document.notes[0]


def test_encrypted_doc_gives_the_note():
    data = bytearray(word97_bytes("机密\r"))
    start = data.index(b"\xec\xa5\xc1\x00")  # the FIB: wIdent, nFib
    data[start + 0x0B] |= 0x01  # fEncrypted: 0x0100 of the little-endian flags word at 0x0A
    document = read_document("secret.doc", bytes(data))
    assert document.text == "" and "另存为 .docx" in document.notes[0]


def test_pdf_text_layer_from_chromium():
    document = read("seed.pdf")
    assert document.kind == "pdf" and document.notes == []
    assert non_blank(document.text) == PDF_LINES
    # The CJK font's ToUnicode map says ⽅ (a Kangxi radical); the text says 方.
    assert "实施方案》的通知" in document.text and "\u2f45" not in document.text


def test_scanned_pdf_gives_the_no_ocr_note():
    document = read("scan.pdf")
    assert document.text == ""
    assert document.notes == ["这是扫描件，没有文字层；本系统不做文字识别（OCR），请粘贴或录入正文，文件仍作为附件保存。"]


def pdf_of(pages, **encryption):
    """The Chromium page `pages` times over, encrypted if asked."""
    seed = pypdf.PdfReader(FILES / "seed.pdf").pages[0]
    writer = pypdf.PdfWriter()
    for _ in range(pages):
        writer.add_page(seed)
    if encryption:
        writer.encrypt(algorithm="RC4-128", **encryption)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_pdf_with_a_password_gives_a_note_and_one_without_reads():
    locked = read_document("a.pdf", pdf_of(1, user_password="secret", owner_password="owner"))
    assert locked.text == "" and "密码" in locked.notes[0] and "附件" in locked.notes[0]
    # Only an owner password (printing restricted): the text opens with the empty user password.
    assert non_blank(read_document("a.pdf", pdf_of(1, user_password="", owner_password="owner")).text) == PDF_LINES


def test_pdf_pages_are_read_up_to_the_cap():
    document = read_document("a.pdf", pdf_of(101))
    assert document.notes == ["这份 PDF 共 101 页，只读取了前 100 页的正文。"]
    assert document.text.count("浙整改办发〔2015〕2号") == 100


def test_ofd_pages_in_order_and_a_line_per_y_position():
    document = read("seed.ofd")
    assert document.kind == "ofd"
    assert document.text.split("\n") == NON_BLANK


@pytest.mark.parametrize("name", ["seed-utf8-bom.txt", "seed-gb18030.txt", "seed-utf16.txt"])
def test_txt_encodings_and_line_ends(name):
    document = read(name)
    assert (document.text, document.kind) == (TEXT, "txt")


def test_txt_plain_utf8():
    assert read_document("通知.TXT", "浙整改办发〔2015〕2号\r关于\n".encode()).text == "浙整改办发〔2015〕2号\n关于"


def test_htm_visible_text_in_gb2312():
    document = read("seed.htm")
    assert document.kind == "html"
    assert non_blank(document.text) == NON_BLANK + ["发布日期\t2015–01–20"]
    for hidden in ("网页标题", "脚本", "导航", "注释", "color"):
        assert hidden not in document.text
    assert "\n\n\n" not in document.text


def test_html_utf8_without_a_charset_and_blocks():
    page = (
        "<html><body><h1>关于印发&lt;方案&gt;的通知</h1>各市、县：<br>请于2015年2月底前报送。"
        "<ul><li>一、总结</li><li>二、清单</li></ul><pre>  表  格\n  保留</pre>"
        "<p>中共浙江省委\n   整改落实办公室</p></body></html>"
    )
    text = read_document("a.html", page.encode()).text
    assert text.split("\n") == [
        "关于印发<方案>的通知", "各市、县：", "请于2015年2月底前报送。", "一、总结", "二、清单", "表  格", "保留",
        "中共浙江省委 整改落实办公室",
    ]


def test_html_in_gbk_without_a_meta_tag():
    assert read_document("a.htm", "<p>浙整改办发〔2015〕2号</p>".encode("gbk")).text == "浙整改办发〔2015〕2号"


def test_text_is_cleaned():
    data = "  浙整改\x00办发\x07〔2015〕2号  \r\n\r\nCafe\u0301\u202e \t\n\n\n".encode()
    assert read_document("a.txt", data).text == "  浙整改办发〔2015〕2号\n\nCafé"


def test_another_language_is_read_not_refused():
    assert read_document("notice.txt", b"Notice on the review\n").text == "Notice on the review"


# --- refusals ---------------------------------------------------------------------------------


def test_empty_file():
    assert "空文件" in refusal("通知.pdf", b"")


@pytest.mark.parametrize("name", ["通知.exe", "通知.xlsx", "通知.jpg", "通知", "通知."])
def test_other_extensions(name):
    message = refusal(name, b"data")
    assert "docx、wps、doc、pdf、ofd、txt、html、htm" in message


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("通知.pdf", b"<html>not a pdf</html>"),
        ("通知.docx", b"PK\x03\x04 this is no zip at all"),
        ("通知.docx", b"plain text"),
        ("通知.docx", zip_bytes({"content.xml": "<a/>"})),  # a ZIP, but no word/ part
        ("通知.ofd", docx_bytes(["甲"])),  # a ZIP, but no OFD.xml
        ("通知.doc", "中共浙江省委".encode()),
        ("通知.wps", b"%PDF-1.4\n"),
        ("通知.txt", (FILES / "seed.pdf").read_bytes()[:2000]),
        ("通知.html", b"\x89PNG\r\n\x1a\n" + b"\0" * 64),
    ],
)
def test_content_not_what_the_extension_says(name, data):
    assert "不符" in refusal(name, data)


def test_a_50_mb_pdf_is_refused_with_the_cap_in_mb():
    data = b"%PDF-1.4\n" + b"\0" * (50 * 1024 * 1024)
    message = refusal("通知.pdf", data)
    assert "20 MB" in message and "50 MB" in message


def test_the_cap_is_a_setting(settings):
    settings.INTAKE_MAX_BYTES = 1024 * 1024
    data = "浙整改办发〔2015〕2号\n".encode() * 60000
    assert "1 MB" in refusal("a.txt", data)


def test_damaged_files_are_refused():
    assert "损坏" in refusal("a.pdf", b"%PDF-1.4\n" + b"garbage" * 10)
    # A part cut short: not well-formed XML.
    assert "损坏" in refusal("a.docx", zip_bytes({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document><w:body>"}))
    assert "损坏" in refusal("a.ofd", zip_bytes({"OFD.xml": "<ofd:OFD xmlns:ofd='x'>"}))  # not well-formed
    assert "缺少" in refusal("a.ofd", zip_bytes({"OFD.xml": "<OFD><DocBody><DocRoot>Doc_0/Document.xml</DocRoot></DocBody></OFD>"}))


def test_xml_entities_and_dtds_are_refused():
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r>'
        "<w:t>&lol2;</w:t></w:r></w:p></w:body></w:document>"
    )
    data = zip_bytes({"[Content_Types].xml": "<Types/>", "word/document.xml": bomb})
    assert "实体" in refusal("a.docx", data)
    external = '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><OFD>&x;</OFD>'
    assert "实体" in refusal("a.ofd", zip_bytes({"OFD.xml": external}))


def test_zip_bomb_is_refused():
    big = (
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        + " " * (21 * 1024 * 1024) + "</w:body></w:document>"
    )
    data = zip_bytes({"[Content_Types].xml": "<Types/>", "word/document.xml": big})
    assert len(data) < 100 * 1024
    assert "解压后超过 20 MB" in refusal("a.docx", data)


def test_txt_in_no_known_encoding():
    assert "编码" in refusal("a.txt", b"\x80\x81\xff\xfe\x80")


# --- whatever the bytes -----------------------------------------------------------------------

ACCEPTED = ["a.docx", "a.wps", "a.doc", "a.pdf", "a.ofd", "a.txt", "a.html", "a.htm"]
FIXTURES = sorted(path.name for path in FILES.iterdir() if path.suffix != ".py")
PREFIXES = [b"", b"%PDF-1.7\n", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\xef\xbb\xbf", b"\xff\xfe", b"<html>"]


def outcome(name, data):
    try:
        result = read_document(name, data)
    except ReadingRefused as refused:
        assert CHINESE.search(str(refused))
        return
    assert isinstance(result, DocumentText) and isinstance(result.text, str)
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", result.text)


@hypothesis_settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(ACCEPTED), prefix=st.sampled_from(PREFIXES), body=st.binary(max_size=3000))
def test_any_bytes_give_text_or_a_refusal(name, prefix, body):
    outcome(name, prefix + body)


@hypothesis_settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    fixture=st.sampled_from(FIXTURES),
    name=st.sampled_from(ACCEPTED + [None]),
    changes=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), max_size=8),
    cut=st.none() | st.floats(0, 1),
)
def test_damaged_fixtures_give_text_or_a_refusal(fixture, name, changes, cut):
    data = bytearray((FILES / fixture).read_bytes())
    for where, value in changes:
        data[int(where * len(data))] = value
    if cut is not None:
        data = data[: int(cut * len(data))]
    outcome(name or fixture, bytes(data))


