"""Builds the fixtures of tests/intake/test_reading.py from the first 15 lines of seed 004 (a notice
of the Zhejiang rectification office, 浙整改办发〔2015〕2号).

    .venv/bin/python -m tests.intake.files.make_fixtures

The PDFs are printed by Debian's headless Chromium (Playwright, fonts-noto-cjk for the Chinese
text); the scanned PDF holds only a PNG screenshot of the same page, so it has no text layer.
Everything else is built byte by byte (tests/intake/docs.py) and comes out the same each time.
"""

import base64
import html
import pathlib

from tests.intake.docs import docx_bytes, ofd_bytes, word97_bytes

HERE = pathlib.Path(__file__).resolve().parent
# The seed's first 15 lines, as the seeds folder has them (../shared/seeds/004_faff4f99bf494e68.txt).
LINES = [
    "中共浙江省委整改落实办公室文件",
    "浙整改办发〔2015〕2号",
    "",
    "",
    "关于印发《开展教育实践活动整改落实情况",
    "",
    "“回头看”的实施方案》的通知",
    "",
    "各市、县（市、区）、省直属各单位教育实践活动领导小组，省委各督查组：",
    "",
    "《开展教育实践活动整改落实情况“回头看”的实施方案》已经省委领导同意，现印发给你们，请结合实际认真组织实施。",
    "",
    "中共浙江省委整改落实办公室",
    "",
    "2015年1月15日",
]
TEXT = "\n".join(LINES)
# The number and the title (the PDF's lines: Chromium draws each character as a Type 3 font of its own, 1.5 KB a character).
PDF_LINES = [LINES[n] for n in (1, 4, 6)]
# A table after the text in the .docx (its cells are read too).
DOCX_TABLE = [["抄送", "省委办公厅"], ["联系人", "张三\t0571-87053000"]]
HTML_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>网页标题不是正文</title>
<style>body {{ font-family: "Noto Sans CJK SC", sans-serif; font-size: 16px; }} p {{ margin: 0 0 8px 0; }}</style></head>
<body>{body}</body></html>"""


def word_text(lines, date_field=False):
    """The lines in Word's marks; with `date_field`, the date is the result of a DATE field."""
    paragraphs = list(lines)
    if date_field:
        paragraphs[-1] = '\x13 DATE \\@ "yyyy年M月d日" \x14' + paragraphs[-1] + "\x15"
    return "\r".join(paragraphs) + "\r"


def html_fixture():
    """The text as a web page in GB2312 (a meta tag says so), with what is not visible around it."""
    paragraphs = "\n".join(
        f"<p>{html.escape(line).replace('〔', '&#12308;')}</p>" if line else "<p>&nbsp;</p>" for line in LINES
    )
    page = f"""<!DOCTYPE html>
<html><head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>关于印发《开展教育实践活动整改落实情况“回头看”的实施方案》的通知</title>
<script>var hidden = "脚本里的字不是正文";</script>
<style>.x {{ color: red; }}</style>
</head>
<body>
<!-- 注释也不是正文 -->
<div class="nav"><script>document.write("导航");</script></div>
<div class="content">
{paragraphs}
</div>
<table><tr><td>发布日期</td><td>2015&ndash;01&ndash;20</td></tr></table>
</body></html>
"""
    return page.replace("“", "&ldquo;").replace("”", "&rdquo;").encode("gb2312")


def ofd_fixture():
    """Two pages: the masthead and title on the first (the number split over two TextCodes on one
    line; a title of two lines in one TextObject), the rest on the second."""
    first = [
        [(0, 10, LINES[0])],
        [(0, 25, "浙整改办发〔2015〕"), (38, 25, "2号")],
        [(0, 45, LINES[4]), (0, 53, LINES[6])],
    ]
    second = [[(0, 10 + 8 * n, line)] for n, line in enumerate(line for line in LINES[8:] if line)]
    return ofd_bytes([first, second])


def print_pdfs():
    """seed.pdf (a text layer) and scan.pdf (only an image of the same page) from Chromium (the
    lines of PDF_LINES only, to stay small)."""
    from playwright.sync_api import sync_playwright

    body = "".join(f"<p>{html.escape(line)}</p>" for line in PDF_LINES)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 560, "height": 330})
        page.set_content(HTML_PAGE.format(body=body))
        (HERE / "seed.pdf").write_bytes(page.pdf(format="A5", print_background=False))
        png = page.screenshot(full_page=True, type="png")
        image = base64.b64encode(png).decode("ascii")
        page.set_content(f'<!DOCTYPE html><html><body><img src="data:image/png;base64,{image}" width="400"></body></html>')
        (HERE / "scan.pdf").write_bytes(page.pdf(format="A5"))
        browser.close()


def main():
    (HERE / "seed.docx").write_bytes(docx_bytes(LINES + [DOCX_TABLE]))
    (HERE / "seed.doc").write_bytes(word97_bytes(word_text(LINES)))
    (HERE / "seed.wps").write_bytes(word97_bytes(word_text(LINES, date_field=True)))
    (HERE / "seed-docx-format.wps").write_bytes(docx_bytes(LINES))
    (HERE / "seed.ofd").write_bytes(ofd_fixture())
    (HERE / "seed-utf8-bom.txt").write_bytes(b"\xef\xbb\xbf" + TEXT.replace("\n", "\r\n").encode("utf-8"))
    (HERE / "seed-gb18030.txt").write_bytes(TEXT.replace("\n", "\r\n").encode("gb18030"))
    (HERE / "seed-utf16.txt").write_bytes(TEXT.encode("utf-16"))
    (HERE / "seed.htm").write_bytes(html_fixture())
    print_pdfs()
    for path in sorted(HERE.iterdir()):
        if path.suffix != ".py":
            print(f"{path.name}\t{path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
