"""How far the units' study has come against the campaign's thresholds (campaign.models.StudyThreshold).

002 (群组发〔2014〕7号, 一、采取务实有效办法抓好学习教育):
- “市、县领导班子集中学习时间一般5天左右” (concentrated study, in days);
- “党员领导干部要紧密联系思想、工作和作风建设实际，至少为基层党员、干部讲1次党课” (lectures, counted by
  their distinct speakers: the tracker holds no roll of leading cadres);
- “每个基层党组织至少要开展1次集中学习讨论、看1次专题教育片、上1次党课” (one of each, in every
  grassroots organisation: the village level).

The thresholds are rows of the campaign (THRESHOLDS_OF_002 seeds them for a campaign of 002's shape,
such as the demo's); the progress of one unit is one query (unit_progress), the offices' overview one
query per page (units_with_progress), whatever the number of records.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce

from campaign.models import StudyThreshold
from units.models import Level, StudyRecord, UnitType

SOURCE_002 = "群组发〔2014〕7号"

# (level, unit type, kind, measure, minimum, label, source text): 002's thresholds as data.
THRESHOLDS_OF_002 = [
    (Level.CITY, UnitType.PARTY_COMMITTEE, StudyRecord.Kind.CONCENTRATED, StudyThreshold.Measure.DAYS, 5,
     "市级领导班子集中学习5天左右", "市、县领导班子集中学习时间一般5天左右"),
    (Level.COUNTY, UnitType.PARTY_COMMITTEE, StudyRecord.Kind.CONCENTRATED, StudyThreshold.Measure.DAYS, 5,
     "县级领导班子集中学习5天左右", "市、县领导班子集中学习时间一般5天左右"),
    (Level.CITY, "", StudyRecord.Kind.LECTURE, StudyThreshold.Measure.SPEAKERS, 1,
     "党员领导干部至少讲1次党课", "党员领导干部……至少为基层党员、干部讲1次党课"),
    (Level.COUNTY, "", StudyRecord.Kind.LECTURE, StudyThreshold.Measure.SPEAKERS, 1,
     "党员领导干部至少讲1次党课", "党员领导干部……至少为基层党员、干部讲1次党课"),
    (Level.VILLAGE, "", StudyRecord.Kind.DISCUSSION, StudyThreshold.Measure.COUNT, 1,
     "至少开展1次集中学习讨论", "每个基层党组织至少要开展1次集中学习讨论、看1次专题教育片、上1次党课"),
    (Level.VILLAGE, "", StudyRecord.Kind.FILM, StudyThreshold.Measure.COUNT, 1,
     "至少看1次专题教育片", "每个基层党组织至少要开展1次集中学习讨论、看1次专题教育片、上1次党课"),
    (Level.VILLAGE, "", StudyRecord.Kind.LECTURE, StudyThreshold.Measure.COUNT, 1,
     "至少上1次党课", "每个基层党组织至少要开展1次集中学习讨论、看1次专题教育片、上1次党课"),
]

# An office's overview compares every unit with at most this many thresholds of a campaign.
MAX_THRESHOLDS = 30


def seed_thresholds_of_002(campaign):
    """Give `campaign` 002's thresholds unless it has thresholds already; returns how many were made."""
    if campaign.study_thresholds.exists():
        return 0
    rows = [
        StudyThreshold(campaign=campaign, level=level, unit_type=unit_type, kind=kind, measure=measure,
                       minimum=Decimal(minimum), label=label, source=f"{SOURCE_002}：“{text}”", ordinal=ordinal)
        for ordinal, (level, unit_type, kind, measure, minimum, label, text) in enumerate(THRESHOLDS_OF_002, start=1)
    ]
    StudyThreshold.objects.bulk_create(rows)
    return len(rows)


@dataclass
class Progress:
    threshold: StudyThreshold
    achieved: Decimal

    @property
    def met(self):
        return self.achieved >= self.threshold.minimum

    @property
    def percent(self):
        return min(100, int(self.achieved * 100 / self.threshold.minimum))


def _measured(measure, prefix, condition):
    """The SQL value of `measure` over the study records reached through `prefix`, under `condition`."""
    if measure == StudyThreshold.Measure.DAYS:
        return Coalesce(Sum(f"{prefix}days", filter=condition), Value(Decimal(0)), output_field=DecimalField())
    if measure == StudyThreshold.Measure.SPEAKERS:
        return Count(f"{prefix}speaker", distinct=True, filter=condition & ~Q(**{f"{prefix}speaker": ""}))
    return Count(f"{prefix}pk", filter=condition)


def thresholds_of(campaign):
    if campaign is None:
        return []
    return list(StudyThreshold.objects.in_campaign(campaign)[:MAX_THRESHOLDS])


def unit_progress(unit, campaign):
    """[Progress] of `unit` against each threshold of `campaign` that applies to it (one query)."""
    thresholds = [t for t in thresholds_of(campaign) if t.applies_to(unit)]
    if not thresholds:
        return []
    values = StudyRecord.objects.filter(unit=unit).aggregate(**{
        f"t{t.pk}": _measured(t.measure, "", Q(kind=t.kind)) for t in thresholds
    })
    return [Progress(t, Decimal(values[f"t{t.pk}"] or 0)) for t in thresholds]


def _applies(threshold):
    condition = Q()
    if threshold.level:
        condition &= Q(level=threshold.level)
    if threshold.unit_type:
        condition &= Q(unit_type=threshold.unit_type)
    return condition


def units_with_progress(units, thresholds, *, behind_only=False):
    """`units` (a Unit queryset) bound by at least one of `thresholds`, each annotated with t<pk>:
    what it has achieved for each threshold; with `behind_only`, only those short of one that
    applies to them. Rows stay one per unit (one join to the study records)."""
    if not thresholds:
        return units.none()
    bound = Q()
    for threshold in thresholds:
        bound |= _applies(threshold)
    annotated = units.filter(bound).annotate(**{
        f"t{t.pk}": _measured(t.measure, "study_records__", Q(study_records__kind=t.kind)) for t in thresholds
    })
    if behind_only:
        short = Q(pk__in=[])
        for t in thresholds:
            short |= _applies(t) & Q(**{f"t{t.pk}__lt": t.minimum})
        annotated = annotated.filter(short)
    return annotated


def row_progress(unit, thresholds):
    """[Progress or None] of an annotated unit (units_with_progress), one per threshold, None where
    the threshold does not apply to it."""
    return [Progress(t, Decimal(getattr(unit, f"t{t.pk}") or 0)) if t.applies_to(unit) else None for t in thresholds]
