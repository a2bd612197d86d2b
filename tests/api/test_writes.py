"""The API's writes go through the pages' forms and actions: same checks, same words, same trail
(with the token's name), same scoping."""

from django.core.files.uploadedfile import SimpleUploadedFile

from api import actions
from audit.models import AuditEntry
from campaign.models import Directive, Obligation, ObligationStatus

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def token_of(user, name="对接"):
    return {"HTTP_AUTHORIZATION": f"Bearer {actions.create_token(user, name)[1]}"}


def directive_payload(world, number):
    return {"number": number, "doc_type": "通知", "issuing_unit": world.province.pk,
            "issuer_name": "中共浙江省委党的群众路线教育实践活动领导小组", "title": "关于做好整改落实“回头看”工作的通知",
            "signed_on": "2014-01-15"}


def test_a_directive_is_registered_with_its_number_read_and_checked(world, client):
    office = token_of(world.office_province, "OA对接")
    answer = client.post("/api/v1/directives", directive_payload(world, "浙群组发(2014)3号"), content_type="application/json",
                         **office)
    assert answer.status_code == 201, answer.content
    directive = Directive.objects.get(pk=answer.json()["id"])
    assert directive.number == "浙群组发〔2014〕3号"
    entry = AuditEntry.objects.for_object(directive).get()
    assert entry.actor == world.office_province and entry.via == "接口令牌“OA对接”"
    again = client.post("/api/v1/directives", directive_payload(world, "浙群组发〔2014〕3号"), content_type="application/json",
                        **office)
    assert again.status_code == 400 and "已被登记" in again.json()["detail"]
    wrong = client.post("/api/v1/directives", directive_payload(world, "第三号"), content_type="application/json", **office)
    assert wrong.status_code == 400 and "number_text" in wrong.json()["detail"]
    liaison = client.post("/api/v1/directives", directive_payload(world, "浙群组发〔2014〕4号"),
                          content_type="application/json", **token_of(world.liaison_organ))
    assert liaison.status_code == 403 and "领导小组办公室" in liaison.json()["detail"]
    broken = client.post("/api/v1/directives", {"title": 5}, content_type="application/json", **office)
    assert broken.status_code == 422 and "signed_on" in broken.json()["detail"]


def test_a_requirement_fans_out_through_the_action(world, client):
    answer = client.post(f"/api/v1/directives/{world.zj_48.pk}/requirements", {
        "title": "整改方案", "deadline": "2014年3月10日前", "target_batch": world.batch1.pk, "route": "office",
    }, content_type="application/json", **token_of(world.office_province))
    assert answer.status_code == 201, answer.content
    assert answer.json()["obligations_added"] == Obligation.objects.filter(requirement_id=answer.json()["id"]).count() > 0
    bad = client.post(f"/api/v1/directives/{world.zj_48.pk}/requirements", {
        "title": "整改方案", "deadline": "尽快", "route": "office",
    }, content_type="application/json", **token_of(world.office_province))
    assert bad.status_code == 400 and "deadline" in bad.json()["detail"]
    outsider = client.post(f"/api/v1/directives/{world.zj_48.pk}/requirements", {
        "title": "整改方案", "deadline": "2014年3月10日前", "route": "office",
    }, content_type="application/json", **token_of(world.office_ningbo))
    assert outsider.status_code == 403  # a city office reads the province's directive, but adds nothing to it


def test_submit_review_and_chase(world, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    obligation = world.obligation_organ
    outsider = client.post(f"/api/v1/obligations/{obligation.pk}/submit", {"text": "总结"}, **token_of(world.liaison_organ2))
    assert outsider.status_code == 404
    refused = client.post(f"/api/v1/obligations/{obligation.pk}/submit",
                          {"files": SimpleUploadedFile("总结.pdf", b"MZ not a pdf")}, **token_of(world.liaison_organ))
    assert refused.status_code == 400 and Obligation.objects.get(pk=obligation.pk).status == ObligationStatus.PENDING
    submitted = client.post(f"/api/v1/obligations/{obligation.pk}/submit",
                            {"text": "初步总结", "files": SimpleUploadedFile("总结.pdf", PDF)}, **token_of(world.liaison_organ))
    assert submitted.status_code == 200 and submitted.json()["status_label"] == "已报送待审核", submitted.content
    office = token_of(world.office_province)
    not_theirs = client.post(f"/api/v1/obligations/{obligation.pk}/review", {"decision": "approve"},
                             content_type="application/json", **office)
    assert not_theirs.status_code == 403 and "督导组" in not_theirs.json()["detail"]  # the group reviews first (004)
    no_reason = client.post(f"/api/v1/obligations/{obligation.pk}/review", {"decision": "return"},
                            content_type="application/json", **token_of(world.group_leader))
    assert no_reason.status_code == 400 and "理由" in no_reason.json()["detail"]
    approved = client.post(f"/api/v1/obligations/{obligation.pk}/review", {"decision": "approve"},
                           content_type="application/json", **token_of(world.group_leader, "督导组"))
    assert approved.status_code == 200 and approved.json()["status"] == ObligationStatus.ACCEPTED
    twice = client.post(f"/api/v1/obligations/{obligation.pk}/review", {"decision": "approve"},
                        content_type="application/json", **token_of(world.group_leader))
    assert twice.status_code == 409 and "已审核通过" in twice.json()["detail"]

    chase = client.post("/api/v1/chases", {"obligations": [world.obligation_organ2.pk, obligation.pk], "note": "请抓紧"},
                        content_type="application/json", **office)
    assert chase.status_code == 200 and chase.json() == {"chased": [world.obligation_organ2.pk], "already_today": [],
                                                          "not_open": 1}
    nobody = client.post("/api/v1/chases", {"obligations": [world.obligation_organ2.pk]}, content_type="application/json",
                         **token_of(world.liaison_organ))
    assert nobody.status_code == 403


def test_refusals_before_the_api_are_json_too(world, client):
    token = token_of(world.liaison_organ)
    nul = client.get("/api/v1/units", {"q": "a\x00b"}, **token)
    assert nul.status_code == 400 and "空字符" in nul.json()["detail"]
    nowhere = client.get("/api/v1/units/x/y", **token)
    assert nowhere.status_code == 404 and nowhere.json()["detail"]
