"""The campaign, its batches and phases, and the reporting requirements the seeds state.

Batches (003): batch 1 ran at provincial level and above from 18 June 2013 and was
summed up in January 2014 (000); batch 2 ran from January to September 2014, each
unit at least three months. Phases: the three of 003, then the summary (000) and the
look-back (004). Requirements carry the deadlines exactly as the directives word
them; only deadlines stated in a seed are used.
"""

import datetime as dt
from dataclasses import dataclass

from demo.unit_tree import CENTRAL_CODE, ZHEJIANG_CODE

CAMPAIGN = {
    "name": "党的群众路线教育实践活动",
    "short_name": "群众路线教育实践活动",
    "starts_on": dt.date(2013, 6, 18),
    "description": "以为民务实清廉为主要内容，自上而下分两批开展，聚焦反对形式主义、官僚主义、享乐主义和奢靡之风。",
}

BATCHES = [
    {
        "ordinal": 1,
        "name": "第一批",
        "starts_on": dt.date(2013, 6, 18),
        # 000: batch 1 ends by the end of 2013 and is summed up at the central meeting in January 2014.
        "ends_on": dt.date(2014, 1, 31),
        "min_months": 3,
    },
    {
        "ordinal": 2,
        "name": "第二批",
        # 003: from January 2014, about eight months, essentially complete in September 2014.
        "starts_on": dt.date(2014, 1, 1),
        "ends_on": dt.date(2014, 9, 30),
        "min_months": 3,
    },
]

PHASES = [
    ("study", "学习教育、听取意见"),
    ("examination", "查摆问题、开展批评"),
    ("rectification", "整改落实、建章立制"),
    ("summary", "总结"),
    ("lookback", "回头看"),
]

PROVINCIAL_UNIT_TYPES = ["organ", "affiliated", "institution", "enterprise", "university"]


@dataclass(frozen=True)
class RequirementSpec:
    directive: str  # key in demo.directives
    title: str
    description: str
    phase: str
    scope_code: str
    submit_to_code: str
    deadline_text: str
    route: str = "office"
    target_batch: int | None = None
    target_levels: tuple = ()
    target_unit_types: tuple = ()


REQUIREMENTS = [
    RequirementSpec(
        directive="zj-2013-48",
        title="初步书面总结",
        description="第一批教育实践活动单位认真总结第一批教育实践活动，初步的书面总结在2014年1月10日前报省委教育实践活动领导小组办公室。"
        "总结会议应安排在中央和省委会议之后，然后报正式书面总结。",
        phase="summary",
        scope_code=ZHEJIANG_CODE,
        submit_to_code=ZHEJIANG_CODE,
        deadline_text="2014年1月10日前",
        # 000 asks first-batch units to work through the provincial supervision group, and 群组发〔2013〕29号
        # has supervision groups read the summary reports of the units they supervise: the group reviews first.
        route="supervision",
        target_batch=1,
    ),
    RequirementSpec(
        directive="central-2013-29",
        title="第一批教育实践活动初步总结",
        description="各地区各部门各单位教育实践活动领导小组办公室，请于12月底向中央教育实践活动领导小组办公室报第一批教育实践活动的初步总结。",
        phase="summary",
        scope_code=CENTRAL_CODE,
        submit_to_code=CENTRAL_CODE,
        deadline_text="12月底",
        target_levels=("province",),
        target_unit_types=("committee",),
    ),
    RequirementSpec(
        directive="central-2013-29",
        title="第一批教育实践活动总结报告",
        description="教育实践活动领导小组请于2014年1月中旬向中央教育实践活动领导小组报第一批教育实践活动总结报告。",
        phase="summary",
        scope_code=CENTRAL_CODE,
        submit_to_code=CENTRAL_CODE,
        deadline_text="2014年1月中旬",
        target_levels=("province",),
        target_unit_types=("committee",),
    ),
    RequirementSpec(
        directive="zj-rectification-2015-2",
        title="各市整改落实“回头看”自查情况报告",
        description="各市开展“回头看”情况，于2月底前报省委整改办，先报省委督查组审核。",
        phase="lookback",
        scope_code=ZHEJIANG_CODE,
        submit_to_code=ZHEJIANG_CODE,
        deadline_text="2月底前",
        route="supervision",
        target_levels=("city",),
        target_unit_types=("committee",),
    ),
    RequirementSpec(
        directive="zj-rectification-2015-2",
        title="省直单位整改落实“回头看”自查情况报告",
        description="省直各单位开展“回头看”情况，于2月底前报省委整改办，"
        "并按党组织隶属关系同时分别报省直机关工委、省委教育工委、省国资委党委。",
        phase="lookback",
        scope_code=ZHEJIANG_CODE,
        submit_to_code=ZHEJIANG_CODE,
        deadline_text="2月底前",
        route="affiliation",
        target_levels=("province",),
        target_unit_types=tuple(PROVINCIAL_UNIT_TYPES),
    ),
]
