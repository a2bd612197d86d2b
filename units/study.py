"""The changes to a unit's study records (学习记录), each audited (DESIGN rule 10).

002 (群组发〔2014〕7号, 一、采取务实有效办法抓好学习教育) asks the units to record their study:
concentrated study of the leading bodies (“市、县领导班子集中学习时间一般5天左右”), Party lectures
by the leading cadres (“至少为基层党员、干部讲1次党课”), and in every grassroots organisation
“至少要开展1次集中学习讨论、看1次专题教育片、上1次党课”. Who may keep them is
units.rules.STUDY_RECORD (the unit's liaisons keep them, its office corrects them; a new record
needs units.rules.UNIT "keep_records" on the unit); the thresholds are campaign data
(campaign.models.StudyThreshold, campaign.study).
"""

from django.db import transaction

from audit.services import change, created, record_change, snapshot

RECORD_FIELDS = ["unit", "kind", "held_on", "days", "topic", "speaker", "participants"]


@transaction.atomic
def add_study_record(record, *, unit, actor):
    """A new study record of `unit` (the form has validated it; the caller checked "keep_records")."""
    record.unit = unit
    record.created_by = actor if getattr(actor, "is_authenticated", False) else None
    record.save()
    record_change(record, "create", actor=actor, changes=created(record, RECORD_FIELDS))
    return record


@transaction.atomic
def edit_study_record(record, before, *, actor):
    """Save an edited record; `before` is its snapshot(RECORD_FIELDS) from before the edit."""
    record.save()
    record_change(record, "edit", actor=actor, before=before)
    return record


@transaction.atomic
def delete_study_record(record, *, actor):
    """Remove a record entered by mistake; the trail keeps what it said."""
    values = snapshot(record, RECORD_FIELDS)
    record_change(record, "delete", actor=actor, changes={name: change(value, None) for name, value in values.items()})
    record.delete()


def before_edit(record):
    return snapshot(record, RECORD_FIELDS)
