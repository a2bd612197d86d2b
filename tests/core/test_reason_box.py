"""Why something was returned or refused reads the same on every page (core/_reason_box.html): the
reason, who decided by full name, when; and the to-do says what to do next from the data."""

import datetime as dt

from campaign.extensions import decide_extension, request_extension
from campaign.workflow import transition as move_obligation
from core import clock
from rectification import workflow as item_workflow
from supervision import actions as supervision_actions
from supervision.models import Feedback
from tests.rectification.test_rect_close_loop import make_item, make_plan
from tests.workspace.todo_helpers import todo_page


def named(user, name):
    user.full_name = name
    user.save(update_fields=["full_name"])
    return user


def box(client, url, box_id="return-reason"):
    """The reason box with `box_id` on the page at `url` (its markup up to its end)."""
    page = client.get(url).content.decode()
    start = page.index(f'id="{box_id}"')
    return page[start:page.index("</div>\n</div>", start)]


def test_every_return_and_refusal_shows_its_reason_who_and_when(world, client):
    named(world.group_member, "李督导")
    named(world.group_leader, "张组长")

    # An obligation returned with a new due moment.
    obligation = world.obligation_organ
    move_obligation(obligation, "submit", world.liaison_organ, text="初步总结")
    new_due = clock.now() + dt.timedelta(days=10)
    move_obligation(obligation, "return", world.group_member, reason="缺少典型事例", new_due_at=new_due)
    client.force_login(world.liaison_organ)
    shown = box(client, obligation.get_absolute_url())
    assert "缺少典型事例" in shown and "李督导" in shown and "新截止时间" in shown and "data-reason-box" in shown

    # An extension refused.
    request = request_extension(world.obligation_organ2, requested_due_at=clock.now() + dt.timedelta(days=5),
                                reason="材料较多", actor=world.liaison_organ2)
    named(world.other_member, "赵督导")
    decide_extension(request, "refuse", actor=world.other_member, reason="时间充足，不予延期")
    client.force_login(world.liaison_organ2)
    shown = box(client, world.obligation_organ2.get_absolute_url(), f"extension-refusal-{request.pk}")
    assert "时间充足，不予延期" in shown and "赵督导" in shown and "延期申请未获批准" in shown

    # Feedback the leader refused to sign off.
    feedback = Feedback.objects.create(group=world.group, unit=world.organ, subject="反馈意见", text="意见",
                                       drafted_by=world.group_member)
    supervision_actions.move_feedback(feedback, "request_sign_off", world.group_member)
    supervision_actions.move_feedback(feedback, "refuse_sign_off", world.group_leader, reason="问题概括不准")
    client.force_login(world.group_member)
    shown = box(client, feedback.get_absolute_url(), "refusal-reason")
    assert "问题概括不准" in shown and "张组长" in shown and "组长未予签发" in shown

    # A rectification item whose close request the group sent back: the reason, not a raw trail row.
    item = make_item(make_plan(world))
    item_workflow.transition(item, "request_close", world.liaison_organ, evidence="会议台账")
    item_workflow.transition(item, "reject_close", world.group_member, reason="佐证材料不足")
    client.force_login(world.liaison_organ)
    shown = box(client, item.get_absolute_url())
    assert "佐证材料不足" in shown and "李督导" in shown and "销号申请被退回" in shown
    # Asked again, the box goes: the request waits for its review.
    item_workflow.transition(item, "request_close", world.liaison_organ, evidence="会议台账及制度文件")
    assert 'id="return-reason"' not in client.get(item.get_absolute_url()).content.decode()


def test_todo_says_what_to_do_next(world, client):
    obligation = world.obligation_organ
    page = todo_page(client, world.liaison_organ)
    assert "下一步：打开即签收，按要求报送材料" in page
    move_obligation(obligation, "submit", world.liaison_organ, text="初步总结")
    assert "下一步：审核材料：通过，或说明理由后退回" in todo_page(client, world.group_member)
    move_obligation(obligation, "return", world.group_member, reason="缺少典型事例和群众意见的梳理情况，请补充后再报")
    page = todo_page(client, world.liaison_organ)
    assert "下一步：按退回理由修改后重新报送：缺少典型事例和群众意见的梳理情况" in page

    item = make_item(make_plan(world))
    assert "下一步：启动整改并报告进展" in todo_page(client, world.liaison_organ)
    item_workflow.transition(item, "request_close", world.liaison_organ, evidence="会议台账")
    assert "下一步：审核佐证材料：同意销号，或说明理由后退回整改" in todo_page(client, world.group_member)
    item_workflow.transition(item, "reject_close", world.group_member, reason="佐证材料不足")
    assert "下一步：按退回理由继续整改后再申请销号：佐证材料不足" in todo_page(client, world.liaison_organ)
