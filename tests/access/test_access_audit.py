"""The audit trail (rule 10): rows for every kind of state change, bulk ones included;
append-only; read-only in the admin; shown as a timeline."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.template import Context, Template
from django.urls import reverse

from audit.models import AuditEntry, AuditTrailIsAppendOnly
from audit.services import record_change, record_changes, record_transitions, snapshot, update_with_audit
from campaign.models import Obligation, ObligationStatus


def entries(obj):
    return list(AuditEntry.objects.for_object(obj, getattr(obj, "bulk_batch_keys", ())))


def test_obligation_transitions_write_rows_with_who_what_and_why(world, things):
    from campaign.workflow import transition

    transition(world.obligation_organ, "submit", world.liaison_organ, text="初步总结")
    transition(world.obligation_organ, "return", world.group_member, reason="缺少附件")
    rows = entries(world.obligation_organ)
    assert [(r.action, r.from_state, r.to_state, r.actor) for r in rows] == [
        ("return", "submitted", "returned", world.group_member),
        ("submit", "pending", "submitted", world.liaison_organ),
        ("obligations_issued", "", "", None),  # the fan-out that made it, its one row (the fixture has no actor)
    ]
    assert rows[0].reason == "缺少附件"


def test_feedback_sign_off_writes_rows(world, things):
    from supervision.workflow import transition

    transition(things.draft_feedback, "request_sign_off", world.group_member)
    transition(things.draft_feedback, "sign_off", world.group_leader)
    assert [(r.action, r.actor) for r in entries(things.draft_feedback)] == [
        ("sign_off", world.group_leader), ("request_sign_off", world.group_member),
    ]


def test_record_change_keeps_before_and_after(world, things):
    requirement = things.hz_requirement
    before = snapshot(requirement)
    requirement.title = "专题民主生活会召开情况报告"
    requirement.save()
    entry = record_change(requirement, "edit", actor=world.office_hangzhou, before=before, reason="标题有误")
    assert entry.changes == {"title": {"before": "专题民主生活会情况报告", "after": "专题民主生活会召开情况报告"}}
    assert entry.reason == "标题有误"


@pytest.mark.parametrize("target", ["zj_48", "requirement", "obligation_organ", "submission", "review", "feedback", "item"])
def test_every_audited_kind_gets_bulk_rows_tied_by_one_key(world, things, target):
    obj = getattr(world, target, None) or getattr(things, target)
    rows = record_changes([obj], "bulk_edit", actor=world.superuser, reason="批量调整")
    assert rows[0].batch_key and entries(obj)[0].batch_key == rows[0].batch_key


def test_bulk_update_records_one_row_per_object_with_its_own_previous_values(world):
    world.obligation_organ2.status = ObligationStatus.SUBMITTED
    world.obligation_organ2.save()
    changed = update_with_audit(
        Obligation.objects.filter(requirement=world.requirement), "bulk_return", actor=world.office_province,
        reason="统一退回补充材料", status=ObligationStatus.RETURNED,
    )
    assert changed == 3
    rows = AuditEntry.objects.filter(action="bulk_return")
    assert rows.count() == 3
    assert len(set(rows.values_list("batch_key", flat=True))) == 1
    organ2 = rows.get(object_id=world.obligation_organ2.pk)
    assert organ2.reason == "统一退回补充材料"
    assert organ2.changes == {"status": {"before": "submitted", "after": "returned"}}
    assert rows.get(object_id=world.obligation_organ.pk).changes == {"status": {"before": "pending", "after": "returned"}}


def test_changes_have_one_shape(world):
    with pytest.raises(ValueError):
        record_change(world.organ, "edit", actor=world.superuser, changes={"name": "省发改委"})
    with pytest.raises(ValueError):
        record_transitions([world.obligation_organ], "x", actor=world.superuser, changes={"due_at": ["a", "b"]})


def test_audit_rows_cannot_be_changed_or_deleted(world):
    entry = record_changes([world.obligation_organ], "x", actor=world.superuser)[0]
    entry = AuditEntry.objects.get(pk=entry.pk)
    entry.reason = "改写"
    with pytest.raises(AuditTrailIsAppendOnly):
        entry.save()
    with pytest.raises(AuditTrailIsAppendOnly):
        entry.delete()
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).update(reason="改写")


def test_timeline_renders_in_one_query(world, django_assert_num_queries):
    from campaign.workflow import transition

    transition(world.obligation_organ, "submit", world.liaison_organ, text="初步总结")
    transition(world.obligation_organ, "return", world.group_member, reason="缺少附件")
    ContentType.objects.get_for_model(Obligation)
    template = Template("{% load audit_tags %}{% audit_timeline obligation %}")
    with django_assert_num_queries(1):
        html = template.render(Context({"obligation": world.obligation_organ}))
    assert "缺少附件" in html and "sup_member" in html and "liaison_fgw" in html


def test_admin_is_read_only_even_for_superusers(client, world):
    entry = record_changes([world.obligation_organ], "submit", actor=world.liaison_organ)[0]
    client.force_login(world.superuser)
    assert client.get(reverse("admin:audit_auditentry_changelist")).status_code == 200
    assert client.get(reverse("admin:audit_auditentry_add")).status_code == 403
    response = client.post(reverse("admin:audit_auditentry_change", args=[entry.pk]), {"reason": "改写"})
    assert response.status_code in (200, 403)
    response = client.post(reverse("admin:audit_auditentry_delete", args=[entry.pk]), {"post": "yes"})
    assert response.status_code == 403
    response = client.post(
        reverse("admin:audit_auditentry_changelist"), {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"}
    )
    assert AuditEntry.objects.get(pk=entry.pk).reason == ""


def test_no_url_outside_the_admin_edits_or_deletes_audit_rows():
    from django.urls import get_resolver

    def names(patterns, namespace=""):
        for entry in patterns:
            if hasattr(entry, "url_patterns"):
                if entry.app_name == "admin":
                    continue
                yield from names(entry.url_patterns, f"{namespace}{entry.namespace}:" if entry.namespace else namespace)
            else:
                yield f"{namespace}{entry.name}", getattr(entry.callback, "__module__", "")

    offending = [name for name, module in names(get_resolver().url_patterns) if module.startswith("audit")]
    assert offending == []
