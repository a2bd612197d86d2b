"""The campaign, its batches and phases, and the reporting requirements the seeds state.

Batches (003): batch 1 ran at provincial level and above from 18 June 2013 and was
summed up in January 2014 (000); batch 2 ran from January to September 2014, each
unit at least three months. Phases: the three of 003, then the summary (000) and the
look-back (004). Requirements carry the deadlines exactly as the directives word
them. Where a seed states a duty but no date (003's materials, 002's study, 004's
self-inspection of every unit), the deadline is one the provincial office would set, and
the requirement's text says so (OFFICE_SET_DEADLINE).
"""

import datetime as dt
from dataclasses import dataclass

from campaign.blueprints import MASS_LINE
from demo.unit_tree import CENTRAL_CODE, HEBEI_CODE, ZHEJIANG_CODE

OFFICE_SET_DEADLINE = "（文件未规定报送期限，期限由省委教育实践活动领导小组办公室确定。）"
LEADING_BODY_LEVELS = ("city", "county", "township")

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

# The campaign's shipped blueprint (campaign.blueprints) names the phases, as an office creating
# the campaign in the browser gets them.
PHASES = [(phase.code, phase.name) for phase in MASS_LINE.phases]

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
        directive="zj-2013-48",
        title="正式书面总结",
        description="总结会议应安排在中央和省委会议之后，然后报正式书面总结。"
        "（文件未规定天数：总结会议召开后15日内由省委教育实践活动领导小组办公室确定。）",
        phase="summary",
        scope_code=ZHEJIANG_CODE,
        submit_to_code=ZHEJIANG_CODE,
        # 000 says only "然后报正式书面总结": due once the unit's summary meeting is held (待定 until then).
        deadline_text="总结会议召开后15日内",
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
    # 003: supervision groups "认真审阅活动实施方案、对照检查材料、整改方案": the batch-2 units' materials.
    RequirementSpec(
        directive="central-batch2-opinion",
        title="教育实践活动实施方案",
        description="针对第二批教育实践活动单位的不同特点，分类制定实施方案，明确具体任务和推进措施；"
        "督导组认真审阅活动实施方案。" + OFFICE_SET_DEADLINE,
        phase="study",
        scope_code=ZHEJIANG_CODE,
        submit_to_code=ZHEJIANG_CODE,
        deadline_text="2014年2月28日前",
        route="supervision",
        target_batch=2,
        target_levels=LEADING_BODY_LEVELS,
    ),
    RequirementSpec(
        directive="central-batch2-opinion",
        title="领导班子对照检查材料",
        description="市、县机关及其直属单位和企事业单位领导班子、班子成员，乡镇、街道领导班子、班子成员要撰写对照检查材料，"
        "逐项列出“四风”问题的具体表现、典型事例，剖析根源，明确努力方向和整改措施；上级党组织、督导组严格审核把关。"
        + OFFICE_SET_DEADLINE,
        phase="examination",
        scope_code=ZHEJIANG_CODE,
        submit_to_code=ZHEJIANG_CODE,
        deadline_text="2014年5月31日前",
        route="supervision",
        target_batch=2,
        target_levels=LEADING_BODY_LEVELS,
    ),
    RequirementSpec(
        directive="central-batch2-opinion",
        title="领导班子整改方案",
        description="市、县机关及其直属单位和企事业单位领导班子，乡镇、街道领导班子要认真制定整改方案，"
        "明确任务书、时间表和责任人；领导班子成员要制定个人整改措施。" + OFFICE_SET_DEADLINE,
        phase="rectification",
        scope_code=ZHEJIANG_CODE,
        submit_to_code=ZHEJIANG_CODE,
        deadline_text="2014年7月31日前",
        route="supervision",
        target_batch=2,
        target_levels=LEADING_BODY_LEVELS,
    ),
    RequirementSpec(
        directive="central-batch2-opinion",
        title="问题清单和整改措施",
        description="村、社区和非公有制经济组织、社会组织及其他基层组织可列出问题清单，明确整改措施，"
        "向群众作出整改承诺，及时公布整改情况。" + OFFICE_SET_DEADLINE,
        phase="rectification",
        scope_code=ZHEJIANG_CODE,
        submit_to_code=ZHEJIANG_CODE,
        deadline_text="2014年7月31日前",
        target_batch=2,
        target_levels=("village",),
    ),
    # 群组发〔2014〕7号 (002): the study phase of the batch-2 units.
    RequirementSpec(
        directive="central-2014-7",
        title="领导班子集中学习和讲党课情况",
        description="市、县领导班子集中学习时间一般5天左右；党员领导干部至少为基层党员、干部讲1次党课。"
        "报送集中学习的时间安排、专题和讲党课情况。" + OFFICE_SET_DEADLINE,
        phase="study",
        scope_code=ZHEJIANG_CODE,
        submit_to_code=ZHEJIANG_CODE,
        deadline_text="2014年4月30日前",
        route="supervision",
        target_batch=2,
        target_levels=("city", "county"),
        target_unit_types=("committee",),
    ),
    RequirementSpec(
        directive="central-2014-7",
        title="基层党组织学习讨论、专题教育片和党课情况",
        description="每个基层党组织至少要开展1次集中学习讨论、看1次专题教育片、上1次党课。" + OFFICE_SET_DEADLINE,
        phase="study",
        scope_code=ZHEJIANG_CODE,
        submit_to_code=ZHEJIANG_CODE,
        deadline_text="2014年4月30日前",
        target_batch=2,
        target_levels=("township", "village"),
    ),
    # 冀群组发〔2014〕33号 (002): the look-back of the first phase, with 回炉 where it falls short.
    RequirementSpec(
        directive="hb-2014-33",
        title="学习教育、听取意见环节“回头看”情况",
        description="对学习教育、听取意见工作来一次“回头看”，逐项评估；不合标准的要抓紧“回炉”，"
        "把第一环节每个步骤的工作做实做细。" + OFFICE_SET_DEADLINE.replace("省委", "河北省委"),
        phase="study",
        scope_code=HEBEI_CODE,
        submit_to_code=HEBEI_CODE,
        deadline_text="4月底前",
        target_batch=2,
    ),
    # 004: every unit inspects itself and reports to its upper Party organisation and the 督查组.
    RequirementSpec(
        directive="zj-rectification-2015-2",
        title="整改落实“回头看”自查情况报告（县乡两级）",
        description="各单位对照“回头看”主要内容，召开领导班子会议集体研究、逐项梳理整改落实情况，"
        "形成整改落实自查情况报告，报上级党组织和督查组审核。",
        phase="lookback",
        scope_code=ZHEJIANG_CODE,
        submit_to_code=ZHEJIANG_CODE,
        deadline_text="2月底前",
        route="supervision",
        target_levels=("county", "township"),
        target_unit_types=("committee", "township", "street"),
    ),
]
