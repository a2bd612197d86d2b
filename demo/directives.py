"""The nine directives of the five seed texts, and how each is cut out of its seed.

Each seed file holds one or more directives (000: 浙群组发〔2013〕48号 with the two
central documents it forwards; 001: 浙群组发〔2014〕25号 with 群组发〔2014〕13号;
002: 冀群组发〔2014〕33号 with 群组发〔2014〕7号; 003: the central guiding opinion on
batch 2 as published by Xinhua; 004: 浙整改办发〔2015〕2号 with its implementation
plan as an attachment). A directive's body is the text between `body_start` and
`body_end` (both included); its primary recipients (主送) are the line just above
the body, so every value below can be checked against the seed it comes from.
"""

import datetime as dt
import html
import re
from dataclasses import dataclass, field
from pathlib import Path

SEED_DIR = Path(__file__).resolve().parent / "seeds"

SEED_FILES = {
    "000": "000_315c87933e2efabd.txt",
    "001": "001_f01b3537ea5e8b6d.txt",
    "002": "002_4f97f7b99455b8ef.txt",
    "003": "003_8b50126b68af5ed6.txt",
    "004": "004_faff4f99bf494e68.txt",
}

# Issuing units, by the unit code the tree gives them (demo/unit_tree.py).
CENTRAL = "100000"
ZHEJIANG = "330000"
HEBEI = "130000"

CENTRAL_GROUP = "中央党的群众路线教育实践活动领导小组"
CENTRAL_OFFICE = "中央党的群众路线教育实践活动领导小组办公室"
ZHEJIANG_GROUP = "中共浙江省委党的群众路线教育实践活动领导小组"

# The 报送 colophon line shared by 001 and 004.
ZHEJIANG_REPORTED_TO = (
    "中央党的群众路线教育实践活动领导小组办公室，中纪委、中组部、中宣部，中央督导组，省领导，省委党的群众路线教育实践活动领导小组成员"
)


@dataclass(frozen=True)
class AttachmentSpec:
    title: str
    body_start: str
    body_end: str


@dataclass(frozen=True)
class DirectiveSpec:
    key: str
    seed: str
    number: str
    doc_type: str
    issuer_code: str
    issuer_name: str
    title: str
    signed_on: dt.date
    body_start: str
    body_end: str
    printed_on: dt.date | None = None
    copy_recipients: str = ""
    has_recipients_line: bool = True
    strip_html: bool = False
    forwards: tuple = ()
    attachments: tuple = field(default_factory=tuple)


DIRECTIVES = [
    DirectiveSpec(
        key="zj-2013-48",
        seed="000",
        number="浙群组发〔2013〕48号",
        doc_type="通知",
        issuer_code=ZHEJIANG,
        issuer_name=ZHEJIANG_GROUP,
        title=(
            "关于转发中央党的群众路线教育实践活动领导小组《关于认真做好第一批党的群众路线教育实践活动总结工作的通知》、"
            "中央党的群众路线教育实践活动领导小组办公室《关于第一批教育实践活动单位召开总结会议时间问题的通知》的通知"
        ),
        signed_on=dt.date(2013, 12, 24),
        body_start="现将中央党的群众路线教育实践活动领导小组《关于认真做好",
        body_end="2013年12月24日",
        forwards=("central-2013-29", "central-office-2013-17"),
    ),
    DirectiveSpec(
        key="central-2013-29",
        seed="000",
        number="群组发〔2013〕29号",
        doc_type="通知",
        issuer_code=CENTRAL,
        issuer_name=CENTRAL_GROUP,
        title="关于认真做好第一批党的群众路线教育实践活动总结工作的通知",
        signed_on=dt.date(2013, 12, 19),
        body_start="根据中央统一部署，第一批党的群众路线教育实践活动将于2013年底基本结束。认真",
        body_end="2013年12月19日",
    ),
    DirectiveSpec(
        key="central-office-2013-17",
        seed="000",
        number="群办发〔2013〕17号",
        doc_type="通知",
        issuer_code=CENTRAL,
        issuer_name=CENTRAL_OFFICE,
        title="关于第一批教育实践活动单位召开总结会议时间问题的通知",
        signed_on=dt.date(2013, 12, 22),
        body_start="当前，第一批教育实践活动进入收尾阶段。",
        body_end="2013年12月22日",
    ),
    DirectiveSpec(
        key="zj-2014-25",
        seed="001",
        number="浙群组发〔2014〕25号",
        doc_type="通知",
        issuer_code=ZHEJIANG,
        issuer_name=ZHEJIANG_GROUP,
        title="转发中央党的群众路线教育实践活动领导小组《关于加强和改进教育实践活动督导工作的通知》的通知",
        signed_on=dt.date(2014, 5, 30),
        printed_on=dt.date(2014, 6, 4),
        copy_recipients=ZHEJIANG_REPORTED_TO,
        body_start="现将中央党的群众路线教育实践活动领导小组《关于加强和改进",
        body_end="2014年5月30日",
        forwards=("central-2014-13",),
    ),
    DirectiveSpec(
        key="central-2014-13",
        seed="001",
        # The forwarded text carries no header; its number is quoted in 浙群组发〔2014〕25号.
        number="群组发〔2014〕13号",
        doc_type="通知",
        issuer_code=CENTRAL,
        issuer_name=CENTRAL_GROUP,
        title="关于加强和改进教育实践活动督导工作的通知",
        signed_on=dt.date(2014, 5, 17),
        body_start="第二批教育实践活动开展以来",
        body_end="2014年5月17日",
    ),
    DirectiveSpec(
        key="hb-2014-33",
        seed="002",
        number="冀群组发〔2014〕33号",
        doc_type="通知",
        issuer_code=HEBEI,
        issuer_name="中共河北省委党的群众路线教育实践活动领导小组",
        title="转发《关于做好第二批教育实践活动学习教育、听取意见工作的通知》的通知",
        signed_on=dt.date(2014, 4, 3),
        body_start="近日，中央党的群众路线教育实践活动领导小组印发",
        body_end="2014年4月3日",
        forwards=("central-2014-7",),
    ),
    DirectiveSpec(
        key="central-2014-7",
        seed="002",
        number="群组发〔2014〕7号",
        doc_type="通知",
        issuer_code=CENTRAL,
        issuer_name=CENTRAL_GROUP,
        title="关于做好第二批教育实践活动学习教育、听取意见工作的通知",
        signed_on=dt.date(2014, 3, 23),
        body_start="第二批教育实践活动启动以来",
        body_end="2014年3月23日",
    ),
    DirectiveSpec(
        key="central-batch2-opinion",
        seed="003",
        # The seed is the Xinhua release: it shows no document number and no signed date.
        # The signed date used here is the date of the Xinhua dispatch (新华社北京1月23日电).
        number="",
        doc_type="意见",
        issuer_code=CENTRAL,
        issuer_name="中共中央办公厅",
        title="关于开展第二批党的群众路线教育实践活动的指导意见",
        signed_on=dt.date(2014, 1, 23),
        has_recipients_line=False,
        strip_html=True,
        body_start="近日，中共中央办公厅印发了",
        body_end="（ 2014年01月24日 01 版）",
    ),
    DirectiveSpec(
        key="zj-rectification-2015-2",
        seed="004",
        number="浙整改办发〔2015〕2号",
        doc_type="通知",
        issuer_code=ZHEJIANG,
        issuer_name="中共浙江省委整改落实办公室",
        title="关于印发《开展教育实践活动整改落实情况“回头看”的实施方案》的通知",
        signed_on=dt.date(2015, 1, 15),
        copy_recipients=ZHEJIANG_REPORTED_TO,
        body_start="《开展教育实践活动整改落实情况“回头看”的实施方案》已经省委领导同意",
        body_end="2015年1月15日",
        attachments=(
            AttachmentSpec(
                title="开展教育实践活动整改落实情况“回头看”的实施方案",
                body_start="为扎实有序推进整改落实“回头看”工作",
                body_end="还要追究相关领导责任。",
            ),
        ),
    ),
]

DIRECTIVES_BY_KEY = {spec.key: spec for spec in DIRECTIVES}


class SeedError(ValueError):
    """A directive description that does not match its seed text."""


def read_seed(seed):
    """The text of one seed file, from the copies shipped in demo/seeds."""
    return (SEED_DIR / SEED_FILES[seed]).read_text(encoding="utf-8")


def html_to_text(markup):
    """Plain text of the Xinhua page in 003: one paragraph a line, tags and entities gone."""
    text = re.sub(r"<[^>]+>", "\n", markup)
    lines = (html.unescape(line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _squash(text):
    return re.sub(r"\s+", "", text)


def cut(text, start, end):
    """The part of `text` from `start` to `end`, both included; each marker must occur once."""
    for marker in (start, end):
        if text.count(marker) != 1:
            raise SeedError(f"marker {marker!r} occurs {text.count(marker)} times")
    begin = text.index(start)
    finish = text.index(end) + len(end)
    if finish <= begin:
        raise SeedError(f"marker {end!r} comes before {start!r}")
    return text[begin:finish].strip()


def recipients_line(text, body_start):
    """The 主送 line: the last non-empty line above the body, without its closing colon."""
    above = text[: text.index(body_start)].rstrip().splitlines()
    line = above[-1].strip() if above else ""
    if not line.endswith("："):
        raise SeedError(f"no recipients line above {body_start!r}")
    return line.removesuffix("：")


def extract(spec):
    """Everything a Directive row needs from the seed text, checked against the seed."""
    raw = read_seed(spec.seed)
    text = html_to_text(raw) if spec.strip_html else raw
    squashed = _squash(text)
    if _squash(spec.title) not in squashed:
        raise SeedError(f"title of {spec.key} not found in seed {spec.seed}")
    if spec.number and spec.number not in squashed:
        raise SeedError(f"number {spec.number} not found in seed {spec.seed}")
    if spec.copy_recipients and _squash(spec.copy_recipients) not in squashed:
        raise SeedError(f"copy list of {spec.key} not found in seed {spec.seed}")
    return {
        "body": cut(text, spec.body_start, spec.body_end),
        "primary_recipients": recipients_line(text, spec.body_start) if spec.has_recipients_line else "",
        "attachments": [
            {"ordinal": ordinal, "title": att.title, "body": cut(text, att.body_start, att.body_end)}
            for ordinal, att in enumerate(spec.attachments, start=1)
        ],
    }
