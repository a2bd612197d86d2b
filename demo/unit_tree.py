"""The demo unit tree: 中央 → 浙江省 (its 11 cities, their counties, sample townships and
villages, provincial organs) and a few units of 河北省, built deterministically.

Who takes part in which batch follows the seeds: batch 1 is the provincial leading
bodies with their organs and directly affiliated units (000 addresses 省直属各单位 as
batch-1 units); batch 2 is the cities and counties with their organs, townships,
streets, villages and communities, and the provincial universities and state
enterprises that did not take part in batch 1 (003, opening paragraph).
Window and law-enforcement units (执法监管部门和窗口单位) are flagged as 003 singles
them out. Codes: provinces, cities and counties use their administrative division
codes; organs add "-NN", townships three digits, villages three more.
"""

from dataclasses import dataclass

CENTRAL_CODE = "100000"
ZHEJIANG_CODE = "330000"
HEBEI_CODE = "130000"


@dataclass(frozen=True)
class UnitRow:
    code: str
    name: str
    parent_code: str | None
    level: str
    unit_type: str
    batch: int | None
    is_window_unit: bool = False
    is_contact_point: bool = False


# (name, unit type, window/law-enforcement unit, batch)
ZHEJIANG_PROVINCIAL_UNITS = [
    ("省委办公厅", "organ", False, 1),
    ("省委组织部", "organ", False, 1),
    ("省委宣传部", "organ", False, 1),
    ("省纪委", "organ", False, 1),
    ("省发展改革委", "organ", False, 1),
    ("省经信委", "organ", False, 1),
    ("省教育厅", "organ", False, 1),
    ("省科技厅", "organ", False, 1),
    ("省公安厅", "organ", True, 1),
    ("省民政厅", "organ", True, 1),
    ("省司法厅", "organ", False, 1),
    ("省财政厅", "organ", False, 1),
    ("省人力社保厅", "organ", True, 1),
    ("省国土资源厅", "organ", True, 1),
    ("省环保厅", "organ", True, 1),
    ("省建设厅", "organ", True, 1),
    ("省交通运输厅", "organ", True, 1),
    ("省水利厅", "organ", False, 1),
    ("省农业厅", "organ", False, 1),
    ("省商务厅", "organ", False, 1),
    ("省文化厅", "organ", False, 1),
    ("省卫生计生委", "organ", True, 1),
    ("省审计厅", "organ", False, 1),
    ("省国资委", "organ", False, 1),
    ("省地税局", "organ", True, 1),
    ("省工商局", "organ", True, 1),
    ("省质监局", "organ", True, 1),
    ("省食品药品监管局", "organ", True, 1),
    ("省安监局", "organ", True, 1),
    ("省物价局", "organ", True, 1),
    ("浙江日报报业集团", "affiliated", False, 1),
    ("省社会科学院", "affiliated", False, 1),
    # 003: provincial universities and state enterprises not in batch 1 join batch 2.
    ("浙江工业大学", "university", False, 2),
    ("浙江师范大学", "university", False, 2),
    ("浙江省物产集团有限公司", "enterprise", False, 2),
    ("浙江省能源集团有限公司", "enterprise", False, 2),
]

# 004: the bodies provincial units report to by Party-organisation affiliation (按党组织隶属关系), as
# (code, name, short name as 004 writes it), and which body each kind of provincial unit belongs to:
# organs and directly affiliated units to 省直机关工委, universities to 省委教育工委, state enterprises
# to 省国资委党委. They receive reports; they are not batch units of their own in the demo.
ZHEJIANG_AFFILIATION_BODIES = [
    ("330000-JG", "中共浙江省直属机关工作委员会", "省直机关工委"),
    ("330000-JY", "中共浙江省委教育工作委员会", "省委教育工委"),
    ("330000-GZ", "中共浙江省人民政府国有资产监督管理委员会委员会", "省国资委党委"),
]
AFFILIATION_BY_UNIT_TYPE = {
    "organ": "330000-JG",
    "affiliated": "330000-JG",
    "institution": "330000-JG",
    "university": "330000-JY",
    "enterprise": "330000-GZ",
}


def party_affiliations():
    """{provincial unit code: its affiliation body's code} (004)."""
    return {
        f"{ZHEJIANG_CODE}-{ordinal:02d}": AFFILIATION_BY_UNIT_TYPE[unit_type]
        for ordinal, (_name, unit_type, _window, _batch) in enumerate(ZHEJIANG_PROVINCIAL_UNITS, start=1)
        if unit_type in AFFILIATION_BY_UNIT_TYPE
    }


# The 11 cities and all their counties (市辖区、县、县级市) as of 2013.
ZHEJIANG_CITIES = [
    (
        "330100",
        "杭州市",
        [
            ("330102", "上城区"),
            ("330103", "下城区"),
            ("330104", "江干区"),
            ("330105", "拱墅区"),
            ("330106", "西湖区"),
            ("330108", "滨江区"),
            ("330109", "萧山区"),
            ("330110", "余杭区"),
            ("330122", "桐庐县"),
            ("330127", "淳安县"),
            ("330182", "建德市"),
            ("330183", "富阳市"),
            ("330185", "临安市"),
        ],
    ),
    (
        "330200",
        "宁波市",
        [
            ("330203", "海曙区"),
            ("330204", "江东区"),
            ("330205", "江北区"),
            ("330206", "北仑区"),
            ("330211", "镇海区"),
            ("330212", "鄞州区"),
            ("330225", "象山县"),
            ("330226", "宁海县"),
            ("330281", "余姚市"),
            ("330282", "慈溪市"),
            ("330283", "奉化市"),
        ],
    ),
    (
        "330300",
        "温州市",
        [
            ("330302", "鹿城区"),
            ("330303", "龙湾区"),
            ("330304", "瓯海区"),
            ("330322", "洞头县"),
            ("330324", "永嘉县"),
            ("330326", "平阳县"),
            ("330327", "苍南县"),
            ("330328", "文成县"),
            ("330329", "泰顺县"),
            ("330381", "瑞安市"),
            ("330382", "乐清市"),
        ],
    ),
    (
        "330400",
        "嘉兴市",
        [
            ("330402", "南湖区"),
            ("330411", "秀洲区"),
            ("330421", "嘉善县"),
            ("330424", "海盐县"),
            ("330481", "海宁市"),
            ("330482", "平湖市"),
            ("330483", "桐乡市"),
        ],
    ),
    (
        "330500",
        "湖州市",
        [
            ("330502", "吴兴区"),
            ("330503", "南浔区"),
            ("330521", "德清县"),
            ("330522", "长兴县"),
            ("330523", "安吉县"),
        ],
    ),
    (
        "330600",
        "绍兴市",
        [
            ("330602", "越城区"),
            ("330603", "柯桥区"),
            ("330604", "上虞区"),
            ("330624", "新昌县"),
            ("330681", "诸暨市"),
            ("330683", "嵊州市"),
        ],
    ),
    (
        "330700",
        "金华市",
        [
            ("330702", "婺城区"),
            ("330703", "金东区"),
            ("330723", "武义县"),
            ("330726", "浦江县"),
            ("330727", "磐安县"),
            ("330781", "兰溪市"),
            ("330782", "义乌市"),
            ("330783", "东阳市"),
            ("330784", "永康市"),
        ],
    ),
    (
        "330800",
        "衢州市",
        [
            ("330802", "柯城区"),
            ("330803", "衢江区"),
            ("330822", "常山县"),
            ("330824", "开化县"),
            ("330825", "龙游县"),
            ("330881", "江山市"),
        ],
    ),
    (
        "330900",
        "舟山市",
        [
            ("330902", "定海区"),
            ("330903", "普陀区"),
            ("330921", "岱山县"),
            ("330922", "嵊泗县"),
        ],
    ),
    (
        "331000",
        "台州市",
        [
            ("331002", "椒江区"),
            ("331003", "黄岩区"),
            ("331004", "路桥区"),
            ("331021", "玉环县"),
            ("331022", "三门县"),
            ("331023", "天台县"),
            ("331024", "仙居县"),
            ("331081", "温岭市"),
            ("331082", "临海市"),
        ],
    ),
    (
        "331100",
        "丽水市",
        [
            ("331102", "莲都区"),
            ("331121", "青田县"),
            ("331122", "缙云县"),
            ("331123", "遂昌县"),
            ("331124", "松阳县"),
            ("331125", "云和县"),
            ("331126", "庆元县"),
            ("331127", "景宁畲族自治县"),
            ("331181", "龙泉市"),
        ],
    ),
]

# Organs every city gets: (name suffix, unit type, window unit).
CITY_ORGANS = [
    ("发展和改革委员会", "organ", False),
    ("公安局", "organ", True),
    ("人力资源和社会保障局", "organ", True),
    ("行政服务中心", "institution", True),
]

# Organs every sample county gets.
COUNTY_ORGANS = [
    ("人力资源和社会保障局", "organ", True),
    ("行政服务中心", "institution", True),
]

# Sample counties: their townships and streets, with a few villages and communities.
# township entry: (name, villages); village entry: name (社区 → community, else village).
SAMPLE_TOWNSHIPS = {
    "330102": [("湖滨街道", []), ("小营街道", ["小营巷社区"]), ("清波街道", [])],
    "330106": [("北山街道", []), ("西溪街道", []), ("灵隐街道", []), ("转塘街道", []), ("三墩镇", [])],
    "330109": [("城厢街道", []), ("瓜沥镇", ["航民村"]), ("衙前镇", [])],
    "330127": [("千岛湖镇", []), ("枫树岭镇", ["下姜村"]), ("汾口镇", [])],
    "330212": [("钟公庙街道", []), ("下应街道", ["湾底村"]), ("姜山镇", [])],
    "330283": [("锦屏街道", []), ("萧王庙街道", ["滕头村"]), ("溪口镇", [])],
    "330302": [("五马街道", []), ("南汇街道", []), ("藤桥镇", [])],
    "330382": [("乐成街道", []), ("柳市镇", []), ("虹桥镇", [])],
    "330402": [("建设街道", []), ("新兴街道", []), ("凤桥镇", [])],
    "330483": [("梧桐街道", []), ("乌镇镇", []), ("崇福镇", [])],
    "330502": [("飞英街道", []), ("爱山街道", []), ("织里镇", [])],
    "330523": [("天荒坪镇", ["余村"]), ("溪龙乡", ["黄杜村"]), ("孝丰镇", [])],
    "330602": [("府山街道", []), ("塔山街道", []), ("东浦镇", [])],
    "330681": [("暨阳街道", []), ("浣东街道", []), ("枫桥镇", ["枫源村"]), ("店口镇", [])],
    "330723": [("白洋街道", ["后陈村"]), ("壶山街道", []), ("柳城畲族镇", [])],
    "330783": [("吴宁街道", []), ("南马镇", ["花园村"]), ("横店镇", [])],
    "330802": [("府山街道", []), ("荷花街道", []), ("石梁镇", [])],
    "330881": [("虎山街道", []), ("双塔街道", []), ("峡口镇", [])],
    "330902": [("昌国街道", []), ("环南街道", []), ("白泉镇", [])],
    "330903": [("沈家门街道", []), ("朱家尖街道", []), ("六横镇", [])],
    "331081": [("太平街道", []), ("城东街道", []), ("泽国镇", [])],
    "331082": [("古城街道", []), ("大洋街道", []), ("杜桥镇", [])],
    "331102": [("紫金街道", []), ("岩泉街道", []), ("碧湖镇", [])],
    "331181": [("龙渊街道", []), ("剑池街道", []), ("八都镇", [])],
}


def _township_type(name):
    return "street" if name.endswith("街道") else "township"


def _village_type(name):
    return "community" if name.endswith("社区") else "village"


def unit_rows():
    """Every demo unit, parents before children, in a fixed order."""
    rows = [
        UnitRow(CENTRAL_CODE, "中央", None, "central", "committee", None),
        # 000: the provincial reports heard by 刘云山 (Zhejiang) and 习近平 (Hebei): their contact points in batch 1.
        UnitRow(ZHEJIANG_CODE, "浙江省", CENTRAL_CODE, "province", "committee", 1, is_contact_point=True),
    ]
    for ordinal, (name, unit_type, window, batch) in enumerate(ZHEJIANG_PROVINCIAL_UNITS, start=1):
        rows.append(UnitRow(f"{ZHEJIANG_CODE}-{ordinal:02d}", name, ZHEJIANG_CODE, "province", unit_type, batch, window))
    for code, name, _short_name in ZHEJIANG_AFFILIATION_BODIES:
        rows.append(UnitRow(code, name, ZHEJIANG_CODE, "province", "work_committee", None))
    for city_code, city_name, counties in ZHEJIANG_CITIES:
        rows.append(UnitRow(city_code, city_name, ZHEJIANG_CODE, "city", "committee", 2))
        for ordinal, (suffix, unit_type, window) in enumerate(CITY_ORGANS, start=1):
            rows.append(UnitRow(f"{city_code}-{ordinal:02d}", city_name + suffix, city_code, "city", unit_type, 2, window))
        for county_code, county_name in counties:
            rows.append(UnitRow(county_code, county_name, city_code, "county", "committee", 2))
            if county_code not in SAMPLE_TOWNSHIPS:
                continue
            for ordinal, (suffix, unit_type, window) in enumerate(COUNTY_ORGANS, start=1):
                rows.append(UnitRow(f"{county_code}-{ordinal:02d}", county_name + suffix, county_code, "county", unit_type, 2, window))
            for t_ordinal, (township, villages) in enumerate(SAMPLE_TOWNSHIPS[county_code], start=1):
                township_code = f"{county_code}{t_ordinal:03d}"
                rows.append(UnitRow(township_code, township, county_code, "township", _township_type(township), 2))
                for v_ordinal, village in enumerate(villages, start=1):
                    rows.append(UnitRow(f"{township_code}{v_ordinal:03d}", village, township_code, "village", _village_type(village), 2))
    rows += [
        UnitRow(HEBEI_CODE, "河北省", CENTRAL_CODE, "province", "committee", 1, is_contact_point=True),
        UnitRow(f"{HEBEI_CODE}-01", "河北省发展和改革委员会", HEBEI_CODE, "province", "organ", 1),
        UnitRow(f"{HEBEI_CODE}-02", "河北省公安厅", HEBEI_CODE, "province", "organ", 1, True),
        UnitRow("130100", "石家庄市", HEBEI_CODE, "city", "committee", 2),
        UnitRow("130123", "正定县", "130100", "county", "committee", 2),
        UnitRow("130600", "保定市", HEBEI_CODE, "city", "committee", 2),
    ]
    return rows
