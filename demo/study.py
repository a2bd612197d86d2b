"""The demo's study and opinions (002, 群组发〔2014〕7号): the campaign's study thresholds, and what the
units had recorded by 8 January 2014, one week into the second batch.

- 002's thresholds for the demo campaign (campaign.study.THRESHOLDS_OF_002), unless it has some;
- 西湖区 has three of its five days of concentrated study (“市、县领导班子集中学习时间一般5天左右”),
  安吉县 all five and its secretary's Party lecture; 余村 has held its study discussion and watched
  《焦裕禄》 but not yet had its Party lecture (“每个基层党组织至少要开展1次集中学习讨论、看1次专题教育片、
  上1次党课”), so the offices' overview shows it behind;
- opinions heard “下去一把抓”: the province's office on 省发展改革委 (one claimed and answered, one
  waiting for the liaison_fgw login) and on 余村 (waiting for liaison_yucun), the first supervision
  group on 北山街道 (waiting for liaison_beishan).

Everything goes through the product's own actions (units.study, units.opinions) at the moments it
happened, once: nothing is added when the demo already has opinions.
"""

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model

from campaign.study import seed_thresholds_of_002
from core import clock
from demo.motion import at, liaison_of
from units import opinions, study
from units.models import Opinion, StudyRecord

XIHU, ANJI, YUCUN, BEISHAN, FGW = "330106", "330523", "330523001001", "330106001", "330000-05"

# (unit code, kind, day in January 2014, days, topic, speaker, participants)
RECORDS = [
    (XIHU, StudyRecord.Kind.CONCENTRATED, 3, "3", "学习习近平总书记系列重要讲话（专题一）", "", 23),
    (ANJI, StudyRecord.Kind.CONCENTRATED, 6, "5", "学习必读书目，专题研讨", "", 25),
    (ANJI, StudyRecord.Kind.LECTURE, 7, "1", "践行群众路线，做焦裕禄式的好干部", "县委书记", 160),
    (YUCUN, StudyRecord.Kind.DISCUSSION, 4, "1", "党的群众路线基本观点学习讨论", "", 31),
    (YUCUN, StudyRecord.Kind.FILM, 6, "1", "观看电影《焦裕禄》", "", 45),
    (BEISHAN, StudyRecord.Kind.CONCENTRATED, 5, "1", "街道班子集中学习", "", 12),
]

# (concerned unit, recorder: "office" of the province or the first group's "member", day, channel,
#  four winds, source, text, answer or "")
OPINIONS = [
    (FGW, "office", 5, Opinion.Channel.FACE_TO_FACE, "bureaucratism", "项目单位座谈会",
     "项目审批环节多、时限长，一个项目要盖几十个章。", "已梳理审批事项，拟取消和下放审批事项23项，承诺时限压缩一半。"),
    (FGW, "office", 6, Opinion.Channel.BACK_TO_BACK, "formalism", "委机关干部问卷",
     "会议多、文件多，有的会议层层陪会。", ""),
    (YUCUN, "office", 6, Opinion.Channel.FACE_TO_FACE, "", "余村村民走访",
     "村里的矿山关停后，部分村民就业没有着落，希望村干部多上门听听。", ""),
    (BEISHAN, "member", 7, Opinion.Channel.LETTER_VISIT, "hedonism", "居民来信",
     "街道个别干部工作时间在办公室玩手机，群众办事要等。", ""),
]


def load(the_campaign, unit_by_code, story=True):
    """Seed the thresholds; with the story, the records and opinions (once). Returns (thresholds, opinions) made."""
    thresholds = seed_thresholds_of_002(the_campaign)
    if not story or Opinion.objects.exists():
        return thresholds, 0
    for code, kind, day, days, topic, speaker, participants in RECORDS:
        unit = unit_by_code[code]
        with clock.frozen_at(at(1, day, 18)):
            record = StudyRecord(kind=kind, held_on=dt.date(2014, 1, day), days=Decimal(days), topic=topic,
                                 speaker=speaker, participants=participants)
            study.add_study_record(record, unit=unit, actor=liaison_of(unit))
    people = {user.username: user for user in get_user_model().objects.filter(username__in=["zj_office", "sup_member"])}
    office, member = people["zj_office"], people["sup_member"]
    for code, recorder, day, channel, winds, source, text, answer in OPINIONS:
        unit = unit_by_code[code]
        with clock.frozen_at(at(1, day, 16)):
            opinion = opinions.record_opinion(
                Opinion(text=text, source=source, channel=channel, four_winds=winds, collected_on=dt.date(2014, 1, day)),
                unit=unit, actor=office if recorder == "office" else member,
            )
        if answer:
            with clock.frozen_at(at(1, day + 1, 9)):
                opinions.claim_opinion(opinion, actor=liaison_of(unit))
            with clock.frozen_at(at(1, day + 1, 17)):
                opinions.answer_opinion(opinion, answer, actor=liaison_of(unit))
    return thresholds, len(OPINIONS)
