"""The provincial supervision groups of the demo and the units each is assigned to.

003: each province sends supervision groups "下派到市、督导到县", so a group assigned to
a city covers its whole subtree; in batch 1 the groups supervised the provincial
organs (000: 省委督导组要对所督导单位的整改落实、建章立制工作进行评估). 004: the
look-back is checked by the 省委督查组, which review the cities' reports first.
Assignments start with their batch and stay open, so the demo is live today.
"""

import datetime as dt
from dataclasses import dataclass

BATCH1_START = dt.date(2013, 6, 18)
BATCH2_START = dt.date(2014, 1, 1)
LOOKBACK_START = dt.date(2015, 1, 15)


@dataclass(frozen=True)
class GroupSpec:
    name: str
    kind: str
    leader: str  # username
    members: tuple  # usernames
    # (unit code, include subtree, starts on)
    assignments: tuple


def _organs(*ordinals):
    """Provincial units by their ordinal in demo.unit_tree.ZHEJIANG_PROVINCIAL_UNITS."""
    return tuple((f"330000-{n:02d}", False, BATCH1_START) for n in ordinals)


def _cities(*codes, starts_on=BATCH2_START):
    return tuple((code, True, starts_on) for code in codes)


GROUPS = [
    # 省发展改革委 is 330000-05.
    GroupSpec("省委第一督导组", "resident", "sup_leader", ("sup_member",), _organs(5, 6, 12, 20, 24, 30) + _cities("330100")),
    GroupSpec("省委第二督导组", "resident", "dd2_leader", ("dd2_member",), _organs(1, 2, 3, 4, 7, 8) + _cities("330200", "330900")),
    GroupSpec("省委第三督导组", "resident", "dd3_leader", ("dd3_member",), _organs(9, 10, 11, 13, 25, 26) + _cities("330300", "331100")),
    GroupSpec("省委第四督导组", "resident", "dd4_leader", ("dd4_member",), _organs(14, 15, 16, 17, 18, 19) + _cities("330400", "330500")),
    GroupSpec("省委第五督导组", "resident", "dd5_leader", ("dd5_member",), _organs(21, 22, 23, 27, 28, 29) + _cities("330600", "330700")),
    GroupSpec(
        "省委第六督导组",
        "resident",
        "dd6_leader",
        ("dd6_member",),
        _organs(31, 32) + tuple((f"330000-{n:02d}", False, BATCH2_START) for n in (33, 34, 35, 36)) + _cities("330800", "331000"),
    ),
    GroupSpec(
        "省委第一督查组",
        "inspection",
        "dc1_leader",
        ("dc1_member",),
        _cities("330100", "330200", "330300", "330400", "330500", "330600", starts_on=LOOKBACK_START),
    ),
    GroupSpec(
        "省委第二督查组",
        "inspection",
        "dc2_leader",
        ("dc2_member",),
        _cities("330700", "330800", "330900", "331000", "331100", starts_on=LOOKBACK_START),
    ),
]
