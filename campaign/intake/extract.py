"""From the text of one 公文 to the fields a clerk registers, each with where it was found.

The layout is the one GB/T 9704-2012 prescribes, as offices and web pages actually deliver it:
a masthead (版头: "……文件", the 发文字号 on its own line), the title (标题, often broken over
lines), the primary recipients (主送, a line ending with a colon), the body, the signature (落款:
the issuing body's name over the 成文日期), then a colophon (版记: 抄送/报送, "……办公室 2014年6月4日印发").
A forwarding notice (000, 001, 002) reproduces the documents it forwards after its own signature:
each one closed by a signature of its own is a document of its own (Record.documents); text after
the last signature that closes no document (004's implementation plan) is the notice's attachment.

Everything works on a copy of the text in which full-width ASCII and odd spaces are folded
character by character, so every offset found is an offset into the text given.
"""

import bisect
import datetime as dt
import html
import re
from html.parser import HTMLParser

from django.utils.translation import gettext as _

from campaign.deadlines import DeadlineError, read_event_deadline, resolve_deadline
from campaign.docnumbers import DocumentNumberError, parse_document_number
from campaign.intake.record import FoundDeadline, Record

DOC_TYPES = ("决议", "决定", "命令", "公报", "公告", "通告", "意见", "通知", "通报", "报告", "请示", "批复", "议案", "纪要", "函")

_SPACES = "\u00a0\u2002\u2003\u2009\u200b\u3000\ufeff\t"


def fold(text):
    """The text with full-width ASCII as ASCII and every kind of space as a plain space, one
    character for one character (so offsets are shared with the original)."""
    out = []
    for ch in text:
        code = ord(ch)
        if 0xFF01 <= code <= 0xFF5E and ch not in "（）：；，":
            out.append(chr(code - 0xFEE0))
        elif ch in _SPACES:
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


# --- HTML pasted or saved as text ------------------------------------------------------------------

_BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section", "article", "td"}


class _Visible(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "head", "title"):
            self.skip += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "head", "title"):
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def looks_like_html(text):
    return len(re.findall(r"<(?:p|div|br|table|td|tr|span|body|html)\b[^>]*>", text[:20000], re.I)) >= 3


def visible_text(markup):
    """The text a browser shows of `markup`, one block per line."""
    parser = _Visible()
    parser.feed(markup)
    parser.close()
    lines = [html.unescape(line).strip() for line in "".join(parser.parts).splitlines()]
    return "\n".join(lines)


# --- lines -----------------------------------------------------------------------------------------


class Line:
    __slots__ = ("start", "end", "text")

    def __init__(self, start, end, text):
        self.start, self.end, self.text = start, end, text

    def __repr__(self):
        return f"Line({self.start}, {self.text!r})"


def _lines(folded):
    """Non-empty lines, stripped, with their offsets."""
    lines, pos = [], 0
    for raw in folded.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        # Indentation a page's &nbsp; became when it passed through the wrong code page: "???".
        body = re.sub(r"^[ ?]*\?{2,}[ ?]*", lambda m: " " * len(m.group()), body)
        stripped = body.strip()
        if stripped:
            start = pos + (len(body) - len(body.lstrip()))
            lines.append(Line(start, start + len(stripped), stripped))
        pos += len(raw)
    return lines


def squash(text):
    """Without spaces between characters (a title or a name broken over lines)."""
    return re.sub(r"\s+", "", text or "")


# --- numbers and dates -----------------------------------------------------------------------------

_CN = "〇零一二三四五六七八九十"
NUMBER = re.compile(
    r"(?P<agency>[\u4e00-\u9fff][\u4e00-\u9fff ]{0,24}?) ?[〔\[【(（] ?(?P<year>\d{4}) ?[〕\]】)）] ?(?P<serial>\d{1,5})"
    # 号 as printed; a page sometimes drops it before a bracket or at the line's end: 华教函[2009]18
    r"(?: ?[号號]|(?=[)）,，]|$))"
)
DATE = re.compile(r"(?P<y>\d{4}) ?年 ?(?P<m>\d{1,2}) ?月 ?(?P<d>\d{1,2}) ?日")
CN_DATE = re.compile(rf"(?P<y>[{_CN}○O]{{4}}) ?年 ?(?P<m>[{_CN}]{{1,3}}) ?月 ?(?P<d>[{_CN}]{{1,3}}) ?日")
DOTTED_DATE = re.compile(r"(?P<y>\d{4})[.\-/](?P<m>\d{1,2})[.\-/](?P<d>\d{1,2})")
_CN_VALUES = {ch: i for i, ch in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "O": 0}


def _cn_int(text):
    if "十" in text:
        tens, _sep, units = text.partition("十")
        return (_CN_VALUES.get(tens, 1) if tens else 1) * 10 + (_CN_VALUES.get(units, 0) if units else 0)
    return int("".join(str(_CN_VALUES[c]) for c in text))


def _date_of(match):
    try:
        if match.re is CN_DATE:
            return dt.date(_cn_int(match["y"]), _cn_int(match["m"]), _cn_int(match["d"]))
        return dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
    except (ValueError, KeyError):
        return None


def _whole_date(text):
    """The date when `text` (a line) is a date and nothing else, else None: 2014年1月15日,
    二〇一四年一月十五日, or 2012.2.8 / 2012-02-08 as web pages print a signature's date."""
    for pattern in (DATE, CN_DATE, DOTTED_DATE):
        match = pattern.fullmatch(text.strip())
        if match:
            return _date_of(match)
    return None


def normalised_number(raw):
    try:
        return str(parse_document_number(raw.replace(" ", "")))
    except DocumentNumberError:
        return None


def _numbers(text, offset=0):
    """(normalised number, start, end) of every document number in `text`."""
    found = []
    for match in NUMBER.finditer(text):
        agency = match["agency"].replace(" ", "")
        # A number written inside a sentence carries words before its agency code: keep the
        # shortest tail that still reads as a code (字 + 发/办/函…), as 《…》（浙委办发〔2014〕3号）.
        agency = re.split(r"[，。、；：:（(《》）)\"“”]", agency)[-1]
        # "根据湘教关工委[2008]7号": the words before a code are not part of it.
        agency = re.sub(r"^(?:根据|按照|依据|依照|遵照|参照|贯彻|落实|执行|结合|转发|印发|现将|经|据|按|对|将|把|与|和|及|并)", "", agency)
        value = normalised_number(f"{agency}〔{match['year']}〕{match['serial']}号")
        if value:
            start = match.start() + match.group().replace(" ", "\0").find(agency[:1]) if agency else match.start()
            found.append((value, offset + max(start, match.start()), offset + match.end()))
    return found


# --- the parts of one document ---------------------------------------------------------------------

_MASTHEAD = re.compile(r"(文件|文件$|简报|通报|便函|通知)$")
# A title ends with its kind of document, perhaps inside the brackets of a repost: 转发《……的通知》.
_TITLE_END = re.compile(r"(" + "|".join(DOC_TYPES[:-1]) + r"|[^公]函|方案|办法|规定|要点|安排|计划|细则|规则)[》)）]?$")
_TITLE_START = re.compile(r"^(关于|转发|印发|中共|中国|[\u4e00-\u9fff、]{2,60}(关于|转发|印发))")
# A page's own words after a title on the same line: "……的通知 发布日期:2023-03-07 浏览量:1".
# A news page's headline about a document: "中共中央办公厅印发《关于……的指导意见》" (003).
_HEADLINE = re.compile(r"^(?P<issuer>[\u4e00-\u9fff、]{2,40}?)(?:联合)?(?:印发|发布|出台|下发)了?《(?P<title>[^》]+)》$")
_TITLE_CHROME = re.compile(r"(发布日期|发布时间|发布人|来源|作者|日期|时间|浏览|点击|阅读|字体|字号)[:：]")
_RECIPIENTS_END = re.compile(r"[：:]$")
_BODY_SUFFIXES = (
    "委员会", "办公室", "办公厅", "领导小组", "工作组", "督导组", "督查组", "巡回督导组", "人民政府", "党委", "党组", "党工委",
    "工委", "总支", "支部", "委", "部", "局", "厅", "办", "组", "会", "院", "室", "处", "校", "所", "中心", "公司",
    "集团", "学院", "大学", "医院", "机关", "单位", "部门", "科", "站", "馆", "社", "街道", "队", "团", "政府", "省领导",
    "领导", "成员", "中学", "小学", "学校", "幼儿园",
)
_COLOPHON = re.compile(r"^(抄送|报送|抄报|分送|发送)[:：]?")
_PRINTED = re.compile(r"(?P<date>(\d{4}|[" + _CN + r"○]{4}) ?年 ?[\d" + _CN + r"]{1,3} ?月 ?[\d" + _CN + r"]{1,3} ?日) ?印发")
_CHROME = re.compile(
    r"^(发布时间|发布日期|来源|作者|浏览|点击|打印|关闭|字号|责任编辑|编辑|分享|【|\[|首页|当前位置|您现在的位置|上一篇|下一篇|"
    r"索引号|主题分类|发文机关|成文日期|发布机构|文号|信息来源|阅读|时间)"
)


def _is_byline(text):
    """A web page's line about the page: posting time, clicks, source."""
    return bool(_CHROME.match(text) or re.search(r"\d{4}[-/]\d{1,2}[-/]\d{1,2}", text) or re.search(
        r"(点击|浏览|阅读)(次数|量)?[:：]", text))


def _is_body_sentence(text):
    return "。" in text or len(text) > 60


def _recipients(text):
    """Split a 主送/抄送 list at its top-level separators; a group joined by 、 that shares one
    suffix stays one item, names joined by 、 that are each whole are separate items."""
    text = text.strip().rstrip("：:。.;；,，").strip()
    result = []
    for item in (squash(i) for i in _split_top(text, "，,；;\n")):
        if not item:
            continue
        parts = _split_top(item, "、")
        if not parts:  # nothing but separators
            continue
        # "中央和国家机关各部委、各人民团体教育实践活动领导小组": the last part's 领导小组 (办公室)
        # belongs to every part; "各党总支、直属党支部" are two whole bodies.
        shared = re.search(r"(领导小组|领导小组办公室|活动办公室|工作办公室|办公室)$", parts[-1]) and not any(
            re.search(r"(领导小组|办公室)$", p) for p in parts[:-1])
        if len(parts) > 1 and not shared and all(_is_whole_body(p) for p in parts):
            result.extend(parts)
        else:
            result.append(item)
    return result


def _is_whole_body(name):
    """A body's whole name ends with a kind of body: 各党总支, 县直各学校, 各乡镇中学（城关中心小学）."""
    name = re.sub(r"[(（][^()（）]*[)）]$", "", name)
    return name.endswith(_BODY_SUFFIXES) or name.endswith(_TRADITIONAL_SUFFIXES)


# The same kinds of body as printed in traditional characters.
_TRADITIONAL_SUFFIXES = ("組織", "部門", "黨委", "黨組", "支部", "總支", "委員會", "辦公室", "領導小組", "學校", "醫院", "機關")


def _split_top(text, separators):
    """`text` split at any of `separators` outside brackets (县（市、区）stays whole)."""
    parts, depth, current = [], 0, ""
    for ch in text:
        if ch in "(（":
            depth += 1
        elif ch in ")）":
            depth = max(0, depth - 1)
        if depth == 0 and ch in separators:
            parts.append(current)
            current = ""
        else:
            current += ch
    parts.append(current)
    return [p for p in parts if p]


def _doc_type(title, body):
    if title:
        inner = title
        for doc_type in DOC_TYPES:
            if inner.endswith(doc_type):
                return doc_type
    if re.search(r"(现将有关事项|现就有关事项|有关事项|有关事宜|具体事项|有关要求)?通知如下", body or ""):
        return "通知"
    return None


class _Document:
    """One document's lines between `first` and `last` (indexes into the lines)."""

    def __init__(self, lines, first, last, signature):
        self.lines, self.first, self.last, self.signature = lines, first, last, signature


def _signature_indexes(lines):
    """Indexes of the lines that carry a signature's date: a date alone on its line, or a name and
    a date ("中共浙江省委整改落实办公室 2015年1月15日"), not a colophon's printed date."""
    found, body_seen = [], False
    for index, line in enumerate(lines):
        if _PRINTED.search(line.text) or _COLOPHON.match(line.text) or _CHROME.match(line.text):
            continue
        body_seen = body_seen or _is_body_sentence(line.text)
        day = _whole_date(line.text)
        # 2012.2.8 alone on a line signs only after a body: above it, it is a page's posting date.
        if day and (body_seen or not DOTTED_DATE.fullmatch(line.text.strip())):
            found.append(index)
            continue
        match = DATE.search(line.text) or CN_DATE.search(line.text)
        if match and match.end() >= len(line.text) - 1 and match.start() > 0:
            head = line.text[: match.start()].strip()
            if head and not _is_body_sentence(head) and head.endswith(_BODY_SUFFIXES) and len(head) <= 40:
                found.append(index)
    return found


def _signature_block(lines, date_index, lower_bound):
    """The issuer's name over the date: the short lines just above it (joined), or the name on the
    date's own line."""
    line = lines[date_index]
    match = DATE.search(line.text) or CN_DATE.search(line.text)
    if match and match.start() > 0:
        head = line.text[: match.start()].strip()
        if head:
            return head, [(line.start, line.start + len(head))]
    names, spans = [], []
    index = date_index - 1
    while index > lower_bound and len(names) < 3:
        text = lines[index].text
        if _is_body_sentence(text) or text.endswith(("。", "；", "：", ":")) or len(text) > 40 or _whole_date(text):
            break
        if re.match(r"^(附件|特此通知|特此函告|此复|专此)", text) or re.search(r"[:：@]|\d{5,}", text) or \
                _LIST_MARK.match(text):
            break
        # Joint issuers side by side on one line: "中共某某县委    某某县人民政府".
        sides = [part for part in re.split(r" {2,}", text) if part]
        if len(sides) > 1 and all(part.endswith(_BODY_SUFFIXES) for part in sides):
            text = "、".join(sides)
        names.insert(0, text)
        spans.insert(0, (lines[index].start, lines[index].end))
        index -= 1
    # Joint issuers sign side by side; one body's name broken over lines joins without a space.
    return squash("".join(names)) or None, spans


def _segments(lines):
    """The documents in the lines: each ends at a signature date; text after the last signature
    belongs to the last document (its attachment and colophon)."""
    signatures = _signature_indexes(lines)
    if not signatures:
        return [_Document(lines, 0, len(lines) - 1, None)]
    documents, first = [], 0
    for date_index in signatures:
        # A second date right under the first (a joint signature's second date) closes nothing new.
        if documents and date_index - documents[-1].signature <= 2:
            continue
        documents.append(_Document(lines, first, date_index, date_index))
        first = date_index + 1
    if first < len(lines):
        # What follows the last signature: a notice of its own when it has a title and recipients
        # ("附：关于……的通知 / 各基层党委：", reproduced without its end), else the attachment
        # (004's plan) and the colophon of the document before.
        title_index = _find_title(lines, first, None)[2]
        if title_index is not None and _primary_line(lines, title_index + 1):
            documents.append(_Document(lines, first, len(lines) - 1, None))
        else:
            documents[-1].last = len(lines) - 1
    # A "document" without a title or number of its own before its signature is the previous
    # document's attachment (004's plan has no signature; a plan with one is still an attachment
    # when it shows no heading).
    merged = [documents[0]]
    for document in documents[1:]:
        if document.signature is not None and _find_title(document.lines, document.first, document.signature)[0] is None:
            merged[-1].last = document.last
        else:
            merged.append(document)
    return merged


def _primary_line(lines, start):
    """Whether a recipients line (ending with a colon) follows within a few lines of `start`."""
    for index in range(start, min(len(lines), start + 3)):
        text = lines[index].text
        if _RECIPIENTS_END.search(text) and "。" not in text and len(text) <= 200 and not _is_byline(text):
            return True
    return False


def _find_title(lines, first, last):
    """(title, spans, index of the title's last line): the first line that reads as a title, with
    the lines it continues onto, before the recipients or the body."""
    index = first
    limit = min(last, first + 40) if last is not None else min(len(lines) - 1, first + 40)
    while index <= limit:
        text = lines[index].text
        # A long title is still a title: one line, no full stop, ending with its kind of document.
        long_title = "。" not in text and len(text) <= 150 and _TITLE_END.search(text)
        if re.fullmatch(r"附(件)? ?\d{0,2}[:：]?", text):
            index += 1  # "附：" over a document printed after the notice
            continue
        if _RECIPIENTS_END.search(text) or (_is_body_sentence(text) and not long_title):
            return None, [], None
        if _HEADLINE.search(text) and not text.startswith(("关于", "转发", "印发")):
            index += 1  # a news page's headline: the document is the title inside it (Extraction._headline)
            continue
        if _TITLE_START.search(text) or _TITLE_END.search(text.rstrip(")）").split("(")[0].split("（")[0]):
            if _MASTHEAD.search(text) and text.endswith("文件"):
                index += 1
                continue
            if NUMBER.fullmatch(text.strip("()（） ")) or _whole_date(text) or _CHROME.match(text):
                index += 1
                continue
            parts, spans = [text], [(lines[index].start, lines[index].end)]
            end = index
            while not _TITLE_END.search(squash("".join(parts))) and end + 1 <= limit:
                following = lines[end + 1].text
                if _RECIPIENTS_END.search(following) or _is_body_sentence(following) or NUMBER.fullmatch(
                    following.strip("()（） ")
                ) or _is_byline(following) or _TITLE_CHROME.search(following):
                    break
                parts.append(following)
                spans.append((lines[end + 1].start, lines[end + 1].end))
                end += 1
            title = squash("".join(parts)).lstrip("-—·•*【】[]>|:： ")
            chrome = _TITLE_CHROME.search(title)
            if chrome and chrome.start() >= 4:
                title = title[: chrome.start()]
            if len(title) < 6 and not title.startswith(("关于", "转发")):
                index += 1  # a section heading of the page ("通知公告"), not a document's title
                continue
            if not _TITLE_END.search(title) and not title.startswith(("关于", "转发")):
                index += 1
                continue
            return title, spans, end
        index += 1
    return None, [], None


def _masthead(lines, first, last):
    """(issuer from a masthead "……文件", spans, index) among the first lines of a document."""
    for index in range(first, min(last + 1, first + 6)):
        text = lines[index].text
        if squash(text).endswith("文件") and not _is_body_sentence(text):
            parts, spans = [squash(text)[:-2]], [(lines[index].start, lines[index].end)]
            back = index - 1
            while back >= first and not _is_body_sentence(lines[back].text) and len(lines[back].text) <= 30 \
                    and not NUMBER.search(lines[back].text) and not _CHROME.match(lines[back].text):
                parts.insert(0, squash(lines[back].text))
                spans.insert(0, (lines[back].start, lines[back].end))
                back -= 1
            return "".join(parts) or None, spans, index
    return None, [], None


class Extraction:
    """Builds the Record of one text."""

    def __init__(self, text):
        self.original = text
        if looks_like_html(text):
            text = visible_text(text)
        self.text = text
        self.folded = fold(text)
        self.lines = _lines(self.folded)

    def run(self):
        if not self.lines:
            record = Record(start=0, end=0)
            record.text = self.text
            return record
        documents = _segments(self.lines)
        records = [self._document(doc) for doc in documents]
        main, reproduced = records[0], records[1:]
        self._link_reproduced(main, reproduced)
        main.documents = reproduced
        main.text = self.text
        # The colophon after the last document belongs to the first (the notice that printed them all).
        last = documents[-1]
        self._colophon(main, last.lines, documents[-1].signature if documents[-1].signature is not None else 0,
                       last.last)
        for record in reproduced:
            record.cc_recipients, record.printed_date = [], None
            record.spans.pop("cc_recipients", None)
            record.spans.pop("printed_date", None)
        return main

    # -- one document --

    def _document(self, doc):
        lines = doc.lines
        first, last = doc.first, doc.last
        record = Record(start=lines[first].start, end=lines[last].end)
        masthead, masthead_spans, masthead_index = _masthead(lines, first, last)
        header_end = masthead_index if masthead_index is not None else first - 1
        title, title_spans, title_index = _find_title(lines, header_end + 1, doc.signature)
        if title is None and masthead_index is None:
            title, title_spans, title_index = self._headline(lines, first, doc.signature)
        if title:
            record.title = title
            record.spans["title"] = title_spans
        # The number: alone on a line between the masthead and the recipients (or in brackets
        # under the title, as a reproduced document shows it).
        search_end = title_index + 3 if title_index is not None else min(last, first + 8)
        candidates = []
        for index in range(first, min(search_end, last) + 1):
            text = lines[index].text
            if _is_byline(text):
                continue
            if _is_body_sentence(text) or _RECIPIENTS_END.search(text):
                break
            bare = re.sub(r"^[(（]|[)）]$", "", re.sub(r"(签发人|签发)[:：].*$", "", text).strip())
            for value, start, end in _numbers(bare, lines[index].start + text.find(bare[:1])):
                if len(squash(bare)) <= len(value) + 4:
                    candidates.append((value, start, end))
        unique = list(dict.fromkeys(value for value, _s, _e in candidates))
        if unique:
            record.doc_number = unique[0]
            # Every one found is highlighted: two different numbers are the clerk's to resolve.
            record.spans["doc_number"] = [(s, e) for v, s, e in candidates]
            if len(unique) > 1:
                record.problems.append(("two_numbers", unique))
        # Recipients: the line(s) ending with a colon after the title.
        body_start = (title_index if title_index is not None else header_end) + 1
        recipients, spans, recipients_end = self._primary(lines, body_start, last)
        if recipients:
            body_start = recipients_end
            record.primary_recipients = _recipients(recipients)
            record.spans["primary_recipients"] = spans
        # Signature.
        if doc.signature is not None:
            record.signed_date = _whole_date(lines[doc.signature].text) or self._date_in(lines[doc.signature].text)
            date_match = DATE.search(lines[doc.signature].text) or CN_DATE.search(lines[doc.signature].text)
            date_start = lines[doc.signature].start + (date_match.start() if date_match else 0)
            record.spans["signed_date"] = [(date_start, lines[doc.signature].end)]
            issuer, spans = _signature_block(lines, doc.signature, max(body_start - 1, first))
            if issuer:
                record.issuer = issuer
                record.spans["issuer"] = spans
        if record.issuer is None and masthead:
            record.issuer = masthead
            record.spans["issuer"] = masthead_spans
        if record.issuer is None and getattr(self, "_headline_issuer", None):
            record.issuer, record.spans["issuer"] = self._headline_issuer
        body_lines = lines[body_start: (doc.signature if doc.signature is not None else last) + 1]
        body_text = "\n".join(line.text for line in body_lines)
        record.doc_type = _doc_type(record.title, body_text)
        record.forwards, record.spans["forwards"] = self._forwards(record, body_lines)
        # Deadlines, in the body and in what follows the signature up to the next document.
        deadline_lines = lines[body_start: last + 1]
        record.deadlines = find_deadlines(self.text, deadline_lines)
        self._colophon(record, lines, doc.signature if doc.signature is not None else first, last)
        record._body_lines = deadline_lines
        return record

    def _headline(self, lines, first, last):
        """A news page's headline, "中共中央办公厅印发《关于……的指导意见》": the document is the title
        in brackets, its issuer the body named before 印发."""
        limit = min(last if last is not None else len(lines) - 1, first + 15)
        for index in range(first, limit + 1):
            text = lines[index].text
            match = _HEADLINE.search(text)
            if match and _TITLE_END.search(match["title"]):
                self._headline_issuer = (match["issuer"], [(lines[index].start, lines[index].start + len(match["issuer"]))])
                start = lines[index].start + match.start("title")
                return match["title"], [(start, start + len(match["title"]))], index
        return None, [], None

    def _primary(self, lines, start, last):
        """(recipients text, spans, index of the first body line): the line ending with a colon
        before the body, past a web page's byline ("时间:2016-05-26 点击:") or a short line."""
        parts, spans, skipped = [], [], 0
        for index in range(start, min(last, start + 8) + 1):
            text = lines[index].text
            if not parts and NUMBER.fullmatch(text.strip("()（） ")):
                continue  # a reproduced document's number in brackets under its title
            if not parts and _is_byline(text):
                continue
            if _RECIPIENTS_END.search(text) and "。" not in text and len(text) <= 400 and not re.match(
                    r"^(附件|联系|电话|地址|邮箱|特此|现|根据|为)", text):
                parts.append(text)
                spans.append((lines[index].start, lines[index].end))
                return "".join(parts), spans, index + 1
            if _is_body_sentence(text) or NUMBER.fullmatch(text.strip("()（） ")):
                break
            if text.endswith(("，", ",", "、")):
                parts.append(text)
                spans.append((lines[index].start, lines[index].end))
                continue
            if not parts and len(text) <= 40 and skipped < 4:
                skipped += 1
                continue
            break
        return None, [], start

    @staticmethod
    def _date_in(text):
        match = DATE.search(text) or CN_DATE.search(text)
        return _date_of(match) if match else None

    def _colophon(self, record, lines, after, last):
        for index in range(after, last + 1):
            line = lines[index]
            heading = _COLOPHON.match(line.text)
            if heading:
                text = line.text[heading.end():]
                spans = [(line.start, line.end)]
                follow = index + 1
                while follow <= last and not _COLOPHON.match(lines[follow].text) and not _PRINTED.search(
                    lines[follow].text) and len(lines[follow].text) < 80 and not _is_body_sentence(lines[follow].text) \
                        and lines[follow - 1].text.endswith(("，", ",", "、", "；")):
                    text += lines[follow].text
                    spans.append((lines[follow].start, lines[follow].end))
                    follow += 1
                names = _recipients(text)
                if names:
                    record.cc_recipients = record.cc_recipients + [n for n in names if n not in record.cc_recipients]
                    record.spans.setdefault("cc_recipients", []).extend(spans)
            printed = _PRINTED.search(line.text)
            if printed:
                day = self._date_in(printed["date"])
                if day:
                    record.printed_date = day
                    record.spans["printed_date"] = [(line.start + printed.start(), line.start + printed.end())]

    # -- forwards --

    def _forwards(self, record, body_lines):
        """Numbers this document itself forwards (转发): those in the sentence that forwards (现将
        《…》（X号）转发给你们), and those of the documents its title names when the title is a
        forwarding one; never a 转发 inside a cited title or a number cited as a basis."""
        found, spans = [], []
        body = "\n".join(line.text for line in body_lines)
        # Map a position in `body` back to the text: each line's start in both.
        local_starts, text_starts, pos = [], [], 0
        for line in body_lines:
            local_starts.append(pos)
            text_starts.append(line.start)
            pos += len(line.text) + 1

        def to_text(position):
            index = max(bisect.bisect_right(local_starts, position) - 1, 0)
            return text_starts[index] + position - local_starts[index] if local_starts else position

        aliases = {}
        for match in re.finditer(r"《(?P<title>[^》]{2,120})》[(（](?P<inner>[^)）]{0,60})[)）]", body):
            numbers = _numbers(match["inner"])
            alias = re.search(r"以下简称《(?P<alias>[^》]+)》", match["inner"])
            if numbers:
                aliases[squash(match["title"])] = numbers[0][0]
                if alias:
                    aliases[squash(alias["alias"])] = numbers[0][0]
        for sentence in re.finditer(r"[^。；]+", body):
            text = sentence.group()
            if "转发" not in text:
                continue
            outside = _outside_titles(text)
            position = outside.find("转发")
            if position < 0:
                continue
            lead = max(outside.rfind("现将", 0, position), outside.rfind("现把", 0, position), outside.rfind("特将", 0, position))
            if lead < 0:
                lead = max(outside.rfind("，", 0, position) + 1, 0)
            # Up to the end of the clause that forwards: a basis cited after it is not forwarded.
            clause_end = outside.find("，", position)
            segment = text[lead: clause_end if clause_end >= 0 else len(text)]
            segment_start = sentence.start() + lead
            segment_numbers = _numbers(segment, segment_start)
            for value, start, end in segment_numbers:
                if value not in found:
                    found.append(value)
                    spans.append((to_text(start), to_text(end)))
            if not segment_numbers:
                for title in re.findall(r"《([^》]+)》", segment):
                    value = aliases.get(squash(title))
                    if value and value not in found:
                        found.append(value)
        if record.title and record.title.startswith(("转发", "关于转发")):
            for title in re.findall(r"《([^》]+)》", record.title):
                value = aliases.get(squash(title))
                if value and value not in found:
                    found.append(value)
        return found, spans

    def _link_reproduced(self, main, reproduced):
        """A reproduced document without a number of its own takes the one the forwarding text
        cites with its title (001: 《关于加强和改进教育实践活动督导工作的通知》（群组发〔2014〕13号）)."""
        body = "\n".join(line.text for line in getattr(main, "_body_lines", []))
        cited = {}
        for match in re.finditer(r"《(?P<title>[^》]{2,120})》[(（](?P<inner>[^)）]{0,60})[)）]", body):
            numbers = _numbers(match["inner"])
            if numbers:
                cited[squash(match["title"])] = numbers[0][0]
        for record in reproduced:
            if record.doc_number is None and record.title and squash(record.title) in cited:
                record.doc_number = cited[squash(record.title)]


def _outside_titles(text):
    """`text` with what is inside 《》 blanked (same length), so a 转发 in a cited title is not seen."""
    out, depth = [], 0
    for ch in text:
        if ch == "《":
            depth += 1
            out.append(ch)
        elif ch == "》":
            depth = max(0, depth - 1)
            out.append(ch)
        else:
            out.append("□" if depth else ch)
    return "".join(out)


# --- deadlines -------------------------------------------------------------------------------------

_DAY = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
_MONTH = r"(?:\d{1,2}|[一二三四五六七八九十]{1,2}|元)"
_WHEN = (
    rf"(?:(?:\d{{4}} ?年 ?)?(?:{_MONTH} ?月(?:份)? ?(?:{_DAY} ?[日号]|上旬|中旬|下旬|底|末|初)?|{_DAY} ?日|本月底|本月末|月底|年底|年末)"
    rf"(?:[(（](?:星期|周)[一二三四五六日天][)）])?"
    rf"(?:(?:上午|下午|中午|晚上)?\d{{1,2}}(?::\d{{2}}|[时点](?:\d{{1,2}}分|半)?))?"
    r"|(?:\d{4}年)?(?:春节|元旦|国庆节?|清明节?|五一|劳动节|端午节?|中秋节?))"
)
_BEFORE = r"(?:前|之前|以前)"
_DEADLINE_BEFORE = re.compile(rf"(?P<text>{_WHEN} ?{_BEFORE})")
# "请于12月底向……报……": a date after 于/在 with a sending verb soon after, even without 前.
_DEADLINE_SEND = re.compile(
    rf"(?<!将)(?:于|在)(?P<text>{_WHEN})(?=[^。；]{{0,40}}?(?:报送|上报|报|提交|反馈|寄送|送交|交)|[^。；，,]{{0,6}}?(?:完成|讲完|办结|到位))")
_RELATIVE = re.compile(
    r"(?P<text>(?:(?:会议|会|活动|培训|收到通知|接到通知|收到本通知|接到本通知|通知下发|本通知下发|文件下发|开学|放假|"
    r"启动|结束)[^，,。；;]{0,10}?(?:后|之后|结束后)|近|今后)"
    r"(?:\d{1,3}|[一二三四五六七八九十两]{1,3}) ?(?:个工作日|工作日|日|天|周|个星期|星期|个月)(?:内|以内|之内))"
)
_SEND = re.compile(r"^(?:报送|上报|报至|报到|报给|报|提交至|提交|送交|送至|送|反馈|寄送|寄至|交|发送至|发送到|发至|发到)")


def _resolve_due(text, reference):
    if reference is None:
        return None
    if read_event_deadline(text):
        return None
    try:
        return resolve_deadline(text, reference).due_on
    except DeadlineError:
        return None
    except Exception:  # noqa: BLE001 - a holiday phrase needs the work calendar's table, which may be absent
        return None


def find_deadlines(original, lines):
    """Every deadline in `lines`, sentence by sentence (a page pasted as one long line stays linear)."""
    found = []
    for line in lines:
        for sentence in re.finditer(r"[^。；;]+", line.text):
            found += _sentence_deadlines(sentence.group(), line.start + sentence.start(), original)
    return found


def _sentence_deadlines(text, offset, original):
    found, seen, matches = [], [], []
    for pattern in (_DEADLINE_BEFORE, _RELATIVE, _DEADLINE_SEND):
        for match in pattern.finditer(text):
            matches.append((match.start("text"), match.end("text")))
    for start, end in sorted(matches, key=lambda span: (span[0], -span[1])):
        if seen and start < seen[-1][1]:
            continue  # sorted by start: only the last one taken can overlap
        phrase = text[start:end]
        # Only a date that is a deadline: something is to be sent or done by it.
        # The words around it (bounded: a clause is never longer, and a run-on page stays linear).
        before, after = text[max(0, start - 150):start], text[end:end + 150]
        if not _is_deadline_phrase(phrase) or not _is_duty(before, after, phrase):
            continue
        seen.append((start, end))
        what, to = _what_and_to(before, after)
        found.append(FoundDeadline(text=original[offset + start: offset + end].strip(), what=what, to=to,
                                   start=offset + start, end=offset + end))
    return found


def _is_deadline_phrase(phrase):
    return bool(re.search(r"\d|[一二两三四五六七八九十]|底|末|节|旦", phrase))


_DUTY_WORDS = re.compile(
    r"(报送|上报|报|提交|反馈|完成|召开|交|送|寄|上传|填报|汇总|备案|落实|结束|整改到位|到位|办结|制定|形成|录入|发送|确定|组织|开展|举办)"
)


def _is_duty(before, after, phrase):
    if re.search(r"(截至|截止到|截止|截止至)$", before):
        return False
    if re.search(r"(自|从)[^，,。；]{0,20}(开始|起)[，,]?[^，,。；]{0,6}(到|至)$", before) or re.match(r"^(结束|为止|止)", after):
        return False  # the span of the work, "自3月28日开始，到6月30日前结束", not a deadline
    if re.search(r"(以来|期间|召开的|发布的)$", before):
        return False
    return bool(_DUTY_WORDS.search(after[:40])) or bool(re.search(r"(请|须|务必|要|应|需|于|在)\s*$", before)) or \
        "内" in phrase[-2:]


_ADVERB = r"(?:集中|统一|及时|一并|分别|书面|按时|务必|请|须|要|应|需|并|均)*"
_LIST_MARK = re.compile(r"^(?:\d{1,2}[.、．]|[(（][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,3}、)\s*")
_SUBJECT = re.compile(
    r"^(?:由)?[^，,]{0,30}?(?:各[^，,]{0,12}?|所有|全体|全校|全市|全县)?(?:单位|部门|党组织|党委|党总支|党支部|支部|干部|党员|学院|"
    r"(?:市|区|县)(?:\)|）)?)$|^(?:由.*|原则上|同时|另外|其中|此外)$"
)
_UNITS_FIRST = re.compile(
    r"^(?:(?:各|省直|市直|县直|区直|全省|全市|全县)[\u4e00-\u9fff]{0,8}?(?:单位|部门|市|县|区|乡镇|街道|党组织|党委|党支部|支部)、?)+"
    r"(?=开展|落实|贯彻|学习|执行|整改|推进|组织|报送|上报|填报|的)")
_VERB = r"(?:报送|上报|提交|开展|召开|完成|讲完|举办|组织|制定|形成|上传|填报|报)"


def _to_of(text):
    match = re.match(r"^(?:至|到|给)?(?P<to>[^，,。；;（(]{2,40})", text)
    if not match:
        return None
    return re.split(r"(?:并|和|，|,|以及|同时|备案)", match["to"])[0] or None


def _what_and_to(before, after):
    """What is due and to whom, from the words around the deadline: "请于X前将Y报送Z", "Y在X前报Z",
    "请于X向Z报Y", "Y，由各单位于X前集中报送至Z", "X前，各单位务必开展Y"."""
    before = re.sub(r"(请|须|务必|要|应|需|并|均)?(?:于|在)?\s*$", "", before).strip()
    tail = after.strip()
    toward = re.match(rf"^{_ADVERB}(?:向|给)(?P<to>[^，,。；报送交]{{2,40}}?)(?:报送|上报|报|提交|反馈|送)(?P<what>[^，,。；]*)", tail)
    if toward:
        return (toward["what"] or None), toward["to"]
    take = re.match(rf"^(?:，|,)?{_ADVERB}(?:将|把)(?P<what>[^，,。；]{{2,60}}?)(?:报送|上报|报至|报|提交|反馈|送|发送)"
                    r"(?:至|到|给)?(?P<to>[^，,。；（(]{2,40})?", tail)
    if take:
        return take["what"], _to_of(take["to"] or "")
    to = None
    send = re.match(rf"^{_ADVERB}" + _SEND.pattern.removeprefix("^"), tail)
    if send:
        to = _to_of(tail[send.end():])
    clauses = [_LIST_MARK.sub("", c).strip() for c in re.split(r"[，,：:]", before)]
    clauses = [c for c in clauses if c]
    what = None
    candidate = clauses.pop() if clauses else ""
    if candidate.startswith("由") and clauses:
        # "Y，由各单位于X前报送": Y is the clause before.
        candidate = clauses.pop()
    if re.search(r"(将|把)", candidate):
        # "……要将Y" / "……把Y": Y is what goes.
        candidate = re.split(r"将|把", candidate)[-1].strip()
    # "各市、省直各单位开展“回头看”情况": who reports is not what is reported.
    candidate = _UNITS_FIRST.sub("", candidate)
    if candidate and not _SUBJECT.search(candidate):
        what = candidate
    if what is None:
        # "6月20日前，各单位务必开展Y": what follows the verb after the deadline.
        match = re.search(rf"{_VERB}(?P<what>[^，,。；;]{{2,40}})", tail[:60])
        if match:
            what = match["what"].strip()
    return what or None, to


# --- the whole text --------------------------------------------------------------------------------


# A directive runs to a few thousand characters; a longer text (a whole gazette) is read from its start.
MAX_CHARS = 300_000


def extract(text):
    """The Record of the document in `text` (with the documents it reproduces); offsets in its
    spans are into `record.text` (the text given, or its visible text when it was HTML)."""
    text = text or ""
    cut = len(text) > MAX_CHARS
    extraction = Extraction(text[:MAX_CHARS] if cut else text)
    record = extraction.run()
    _resolve_all(record, None)
    record.problems = problems_of(record)
    if cut:
        record.problems.append(_("正文很长，只读取了前%(count)s个字；其余部分请自行核对。") % {"count": MAX_CHARS})
    return record


def _reference_date(record, text):
    """The date a deadline without a year counts from: the signature's, else the colophon's, else
    a web page's posting date, else the first month the text names with its year ("2023年5月")."""
    if record.signed_date:
        return record.signed_date
    if record.printed_date:
        return record.printed_date
    text = fold(text or "")
    posted = re.search(r"(?P<y>20\d{2})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})", text)
    if posted:
        try:
            return dt.date(int(posted["y"]), int(posted["m"]), int(posted["d"]))
        except ValueError:
            pass
    named = re.search(r"(?P<y>(?:19|20)\d{2}) ?年 ?(?P<m>\d{1,2}) ?月", text)
    if named and 1 <= int(named["m"]) <= 12:
        return dt.date(int(named["y"]), int(named["m"]), 1)
    return None


def _resolve_all(record, fallback):
    own_text = record.text[record.start:record.end] if record.text else ""
    reference = record.signed_date or record.printed_date or fallback or _reference_date(record, own_text)
    for deadline in record.deadlines:
        phrase = squash(deadline.text)
        year = re.match(r"^(\d{4})年", fold(phrase))
        # A phrase that names its year needs no reference (any day of that year reads it the same).
        deadline.due_date = _resolve_due(phrase, reference or (dt.date(int(year[1]), 1, 1) if year else None))
    for document in record.documents:
        document.text = record.text
        _resolve_all(document, reference)


def problems_of(record):
    """Sentences for the clerk about what could not be read (translated where shown)."""
    problems = []
    for item in record.problems:
        if isinstance(item, tuple) and item[0] == "two_numbers":
            problems.append(_("文中有两个发文字号（%(numbers)s），已取第一个，请核对。") % {"numbers": "、".join(item[1])})
        elif isinstance(item, str):
            problems.append(item)
    if not record.doc_number:
        problems.append(_("没有找到本文的发文字号；如有，请填写。"))
    if not record.signed_date:
        problems.append(_("没有找到落款的成文日期，请填写。"))
    return problems
