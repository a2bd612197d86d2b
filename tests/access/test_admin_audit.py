"""Changes made in the Django admin land in the audit trail; states cannot be edited there."""

from django.urls import reverse

from audit.models import AuditEntry


def test_an_admin_edit_writes_an_audit_row_with_before_and_after(world, client):
    client.force_login(world.superuser)
    url = reverse("admin:units_unit_change", args=[world.xihu.pk])
    page = client.get(url)
    form = page.context["adminform"].form
    data = {name: form.initial.get(name) for name in form.fields if form.initial.get(name) is not None}
    data.update({"name": "西湖区（新）"})
    for prefix in ("memberships",):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    response = client.post(url, {k: v for k, v in data.items() if not isinstance(v, bool) or v})
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.for_object(world.xihu).get(action="admin_change")
    assert entry.actor == world.superuser
    assert entry.changes["name"] == {"before": "西湖区", "after": "西湖区（新）"}


def test_an_admin_delete_is_recorded(world, client):
    client.force_login(world.superuser)
    street = world.street
    response = client.post(reverse("admin:units_unit_delete", args=[street.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert AuditEntry.objects.filter(object_id=street.pk, action="admin_delete").exists()


def test_states_are_read_only_in_the_admin(world, client):
    import datetime as dt

    from rectification.models import RectificationItem, RectificationPlan
    from supervision.models import Feedback

    feedback = Feedback.objects.create(group=world.group, unit=world.organ, subject="反馈", text="意见", drafted_by=world.group_member)
    plan = RectificationPlan.objects.create(campaign=world.campaign, unit=world.organ, title="整改方案", responsible_person="张三")
    item = RectificationItem.objects.create(plan=plan, problem="问题", measures="措施", owner="李四", due_on=dt.date(2014, 6, 30))
    client.force_login(world.superuser)
    for name, obj in [
        ("campaign_obligation", world.obligation_organ),
        ("supervision_feedback", feedback),
        ("rectification_rectificationitem", item),
    ]:
        page = client.get(reverse(f"admin:{name}_change", args=[obj.pk]))
        assert "status" not in page.context["adminform"].form.fields
