"""Document numbers (发文字号): agency code + 〔year〕 + serial + 号.

GB/T 9704-2012 writes the year in hexagonal brackets 〔〕; offices type it with
[] () （） 【】, full-width digits and stray spaces. `parse_document_number` accepts
those variants and `DocumentNumber.__str__` gives the one normalised form, so
浙群组发[2013]48号 and 浙群组发〔2013〕48号 are the same directive.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _

# After NFKC folding, （） and ［］ have become () and [].
OPENING_BRACKETS = "〔[(【"
CLOSING_BRACKETS = "〕])】"
_PATTERN = re.compile(
    r"^(?P<agency>[^\d〔\[(【〕\])】]*)"
    r"(?P<open>[〔\[(【])?(?P<year>\d+)?(?P<close>[〕\])】])?"
    r"(?P<serial>\d+)?(?P<suffix>.*)$"
)
_AGENCY = re.compile(r"^[\u4e00-\u9fff]{1,20}$")
MIN_YEAR, MAX_YEAR = 1949, 2100


class DocumentNumberError(ValueError):
    """A document number that cannot be read; the message says what is wrong."""


@dataclass(frozen=True, order=True)
class DocumentNumber:
    agency: str
    year: int
    serial: int

    def __str__(self):
        return f"{self.agency}〔{self.year}〕{self.serial}号"


def _normalise_text(raw):
    # NFKC folds full-width digits, brackets and spaces; 〔〕 and 【】 survive it.
    text = unicodedata.normalize("NFKC", raw or "")
    return re.sub(r"\s+", "", text)


def parse_document_number(raw):
    """Parse a typed document number into a DocumentNumber, or raise DocumentNumberError."""
    text = _normalise_text(raw)
    if not text:
        raise DocumentNumberError(_("请填写发文字号，例如：浙群组发〔2013〕48号。"))
    match = _PATTERN.match(text)
    if not match:
        raise DocumentNumberError(_("无法识别发文字号“%(text)s”。") % {"text": raw})
    agency, opening, year, closing, serial, suffix = match.group("agency", "open", "year", "close", "serial", "suffix")
    if not agency:
        raise DocumentNumberError(_("发文字号缺少机关代字，例如“浙群组发”。"))
    if not _AGENCY.match(agency):
        raise DocumentNumberError(_("机关代字“%(agency)s”只能由汉字组成。") % {"agency": agency})
    if not opening or not closing:
        raise DocumentNumberError(_("年份应写在六角括号中，例如〔2013〕。"))
    if OPENING_BRACKETS.index(opening) != CLOSING_BRACKETS.index(closing) and not (
        opening in "〔[【" and closing in "〕]】"
    ):
        raise DocumentNumberError(_("年份两侧的括号不配对。"))
    if not year or len(year) != 4:
        raise DocumentNumberError(_("年份应为四位数字，例如〔2013〕。"))
    if not MIN_YEAR <= int(year) <= MAX_YEAR:
        raise DocumentNumberError(_("年份 %(year)s 不在有效范围内。") % {"year": year})
    if not serial:
        raise DocumentNumberError(_("发文字号缺少顺序号，例如〔2013〕后的“48”。"))
    if serial.startswith("0"):
        raise DocumentNumberError(_("顺序号不编虚位，不应以 0 开头（如 48号 而非 048号）。"))
    if suffix != "号":
        if not suffix:
            raise DocumentNumberError(_("发文字号应以“号”字结尾。"))
        if not suffix.startswith("号"):
            raise DocumentNumberError(_("顺序号之后应是“号”字，而不是“%(rest)s”。") % {"rest": suffix})
        raise DocumentNumberError(_("“号”之后不应再有其他文字：“%(rest)s”。") % {"rest": suffix[1:]})
    return DocumentNumber(agency=agency, year=int(year), serial=int(serial))


def format_document_number(agency, year, serial):
    return str(DocumentNumber(agency, int(year), int(serial)))
