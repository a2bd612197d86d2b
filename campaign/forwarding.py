"""The wording of a forwarding notice (转发通知): who issues it, how the source is cited, nested titles.

Seeds 000 and 001 are real forwards: 中共浙江省委党的群众路线教育实践活动领导小组 forwards the central
leading group's notice with "现将……《关于……的通知》（群组发〔2014〕13号）转发给你们，请结合实际认真贯彻落实。"
The rules below follow GB/T 9704-2012《党政机关公文格式》 (发文机关标志: the issuing organ's full name or
accepted short form; 标题: 发文机关、事由、文种) and GB/T 15834-2011《标点符号用法》 (书名号 4.15).
"""

from django.utils.translation import gettext as _

from units.models import Level, UnitType

# GB/T 15834-2011 4.15 (书名号): a book title inside a book title takes the single marks 〈〉; deeper
# levels alternate again (《〈《…》〉》).
OUTER_MARKS = ("《", "》")
INNER_MARKS = ("〈", "〉")
OPENING_MARKS = {"《", "〈"}
CLOSING_MARKS = {"》", "〉"}

# The endings of the name of a territorial unit (行政区划) whose Party committee is 中共 + name + 委:
# 浙江省 → 中共浙江省委, 杭州市 → 中共杭州市委, 淳安县 → 中共淳安县委, 西湖区 → 中共杭州市西湖区委,
# and 自治州, 盟, 旗 alike.
REGION_ENDINGS = ("省", "市", "区", "县", "州", "盟", "旗")


def placeholder_issuer():
    """What the draft says where the unit tree cannot name the issuing organ: a marked blank the
    clerk fills in (never an invented name). DirectiveForm refuses to save it as it is."""
    return _("【请填写发文机关全称】")


def is_placeholder(text):
    """Whether `text` still holds the blank of placeholder_issuer (or any 【请填写…】 blank)."""
    return placeholder_issuer() in text or "【请填写" in text


def mark_book_titles(text, depth=1):
    """`text` with every book-title mark set by its depth, as it stands inside `depth` levels of marks.

    GB/T 15834-2011《标点符号用法》4.15: titles take 《》; a title inside a title takes 〈〉
    , and the levels alternate from there on: 《…〈…《…》…〉…》. A title is drawn
    from its source and may already hold marks, right or wrong (《《》》 from an older draft):
    each opening mark (《 or 〈) goes one level down and takes the marks of its level, each closing
    mark closes the innermost open level. A closing mark with nothing open is left as it is.
    depth=0 is a title standing on its own (its own titles take 《》); depth=1 a title that is
    itself inside 《》 (its titles take 〈〉).
    """
    marks = []
    level = depth
    for char in text:
        if char in OPENING_MARKS:
            level += 1
            marks.append(OUTER_MARKS[0] if level % 2 else INNER_MARKS[0])
        elif char in CLOSING_MARKS and level > depth:
            marks.append(OUTER_MARKS[1] if level % 2 else INNER_MARKS[1])
            level -= 1
        else:
            marks.append(char)
    return "".join(marks)


def book_title(title, depth=0):
    """`title` cited in book-title marks at `depth` (0: in running text or a title of its own),
    its own inner marks alternated (mark_book_titles): 《关于印发〈实施方案〉的通知》."""
    level = depth + 1
    opening, closing = OUTER_MARKS if level % 2 else INNER_MARKS
    return f"{opening}{mark_book_titles(title, level)}{closing}"


def cited_document(directive):
    """The source as a forward cites it: the title in 《》 and the document number in full-width
    parentheses, 《关于……的通知》（群组发〔2013〕29号）, as seeds 000 and 001 cite theirs. A source
    registered without a number (a 发文字号 is not on every document, or not known) is cited by
    its title alone, with no empty （）: 现将《……》转发给你们."""
    cited = book_title(directive.title)
    if directive.number:
        cited += f"（{directive.number}）"
    return cited


def committee_name(unit):
    """The Party committee (党委) a territorial unit of the tree stands for, in the short form of its
    masthead (GB/T 9704 发文机关标志), or None when its name cannot say.

    The tree names a committee by its region (003: 省、市、县): 中央 → 中共中央; 浙江省 → 中共浙江省委;
    杭州市 → 中共杭州市委; a county or county-level city → 中共淳安县委, 中共建德市委. A city's district
    (市辖区) is named with its city, as its committee signs: 西湖区 under 杭州市 → 中共杭州市西湖区委.
    An autonomous region takes the full word: 广西壮族自治区 → 中共广西壮族自治区委员会. A name that is
    already the committee's (中共浙江省委, 浙江省委) is kept. Any other name (兵团, a test root) is not
    guessed at.
    """
    if unit is None or unit.unit_type != UnitType.PARTY_COMMITTEE:
        return None
    if unit.level == Level.CENTRAL:
        return "中共中央"
    name = unit.name.strip()
    if name.startswith("中共"):
        return name if name.endswith(("委", "委员会")) else None
    if name.endswith(("委", "委员会")):
        return f"中共{name}"
    if name.endswith("自治区"):
        return f"中共{name}委员会"
    if not name.endswith(REGION_ENDINGS):
        return None
    if unit.level == Level.COUNTY and name.endswith("区") and unit.parent_id:
        city = unit.parent
        if city.level == Level.CITY and city.name.endswith("市") and not name.startswith(city.name):
            name = f"{city.name}{name}"
    return f"中共{name}委"


def issuing_organ(unit):
    """The organ whose masthead a forward from `unit`'s office carries, or None when the tree
    cannot say. The office of a unit is modelled by the unit itself (units.models.Unit):

    - a Party committee's unit: the committee (committee_name);
    - a unit that is one of the committee's own organs and says so in its name: 中共浙江省委办公厅,
      or 省委办公厅 / 浙江省委办公厅 under 浙江省, takes the committee's name in full (中央办公厅 under
      中央: 中共中央办公厅);
    - any other unit (a department, a school, an enterprise): whether its organ is a 党组 or a
      党委, and its exact name, is not in the tree.
    """
    if unit is None:
        return None
    if unit.unit_type == UnitType.PARTY_COMMITTEE:
        return committee_name(unit)
    name = unit.name.strip()
    if name.startswith("中共"):
        return name
    parent = unit.parent if unit.parent_id else None
    committee = committee_name(parent)
    if committee == "中共中央":
        return f"中共{name}" if name.startswith("中央") and len(name) > 2 else None
    if committee is None or not committee.endswith("委"):
        return None
    region = committee[len("中共"):-1]  # 浙江省, 杭州市西湖区
    for prefix in (f"{region}委", f"{parent.name}委", f"{region[-1]}委"):
        if name.startswith(prefix) and len(name) > len(prefix):
            return f"{committee}{name[len(prefix):]}"
    return None


def forward_issuer(unit, campaign):
    """The issuer (发文机关) of a forward from `unit`'s office in `campaign`.

    A committee's forwards go out in the name of its leading group for the campaign, the
    committee's name then the campaign's (seeds 000, 001, 002): 中共浙江省委 + 党的群众路线教育实践活动
    + 领导小组. The campaign's name is the directive's campaign's, never a fixed text, and is never
    joined to a bare region (中共浙江省党的…). A committee's own organ (中共浙江省委办公厅) issues in its
    own name. Where the tree cannot name the organ, the clerk fills in a marked blank.
    """
    organ = issuing_organ(unit)
    if organ is None:
        return placeholder_issuer()
    if unit.unit_type == UnitType.PARTY_COMMITTEE:
        return f"{organ}{campaign.name}领导小组"
    return organ
