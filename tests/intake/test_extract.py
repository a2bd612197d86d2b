"""The directive intake's extractor, on the seeds and on texts as they really come."""

import datetime as dt
import json
from pathlib import Path

from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campaign.intake.extract import extract
from campaign.intake.record import KEYS
from campaign.intake.score import score

HERE = Path(__file__).resolve().parent
SEEDS = HERE / "seeds"

NOTICE = """中共某某县委办公室文件
某委办发〔2023〕15号

关于开展学习贯彻习近平新时代中国特色社会主义思想
主题教育调研工作的通知

各乡镇党委，县直各单位党组（党委）：

根据《关于在全党开展学习贯彻习近平新时代中国特色社会主义思想主题教育的意见》（中发〔2023〕2号）精神，现就有关事项通知如下。
一、各单位请于2023年5月20日前将调研计划报送县委主题教育办公室。
二、调研报告于6月底前报县委办公室。

中共某某县委办公室
2023年5月8日

抄送：市委主题教育办公室，县委各常委。
中共某某县委办公室                 2023年5月9日印发
"""


def _json(text):
    return extract(text).as_json()


def test_every_seed_document_reads_as_labelled():
    totals, misses = score(SEEDS, lambda path: _json(path.read_text(encoding="utf-8")))
    assert misses == []
    assert totals["doc_number"] == [9, 9]  # five seeds, nine documents


def test_a_plain_notice_gives_every_field():
    data = _json(NOTICE)
    assert data["doc_number"] == "某委办发〔2023〕15号"
    assert data["issuer"] == "中共某某县委办公室"
    assert data["doc_type"] == "通知"
    assert data["title"] == "关于开展学习贯彻习近平新时代中国特色社会主义思想主题教育调研工作的通知"
    assert data["signed_date"] == "2023-05-08"
    assert data["printed_date"] == "2023-05-09"
    assert data["primary_recipients"] == ["各乡镇党委", "县直各单位党组（党委）"]
    assert data["cc_recipients"] == ["市委主题教育办公室", "县委各常委"]
    # A number cited as a basis is not a forward.
    assert data["forwards"] == []
    assert [(d["text"], d["due_date"]) for d in data["deadlines"]] == [
        ("2023年5月20日前", "2023-05-20"), ("6月底前", "2023-06-30")]
    first = data["deadlines"][0]
    assert first["what"] == "调研计划"
    assert first["to"] == "县委主题教育办公室"


def test_full_width_characters_and_odd_spaces():
    text = (NOTICE.replace("〔2023〕15号", "［２０２３］１５号").replace("2023年5月20日前", "2023 年5 月20 日前")
            .replace("2023年5月8日", "２０２３年５月８日"))
    data = _json(text)
    assert data["doc_number"] == "某委办发〔2023〕15号"
    assert data["signed_date"] == "2023-05-08"
    assert ("2023 年5 月20 日前", "2023-05-20") in [(d["text"], d["due_date"]) for d in data["deadlines"]]


def test_web_page_chrome_around_the_notice_is_ignored():
    text = ("首页 > 通知公告\n发布时间：2023-05-10 09:30  来源：县委办  浏览次数：128\n" + NOTICE
            + "\n打印本页 关闭窗口\n上一篇：关于做好防汛工作的通知\n")
    data = _json(text)
    assert data["title"].startswith("关于开展学习贯彻")
    assert data["signed_date"] == "2023-05-08"  # not the posting time


def test_a_truncated_text_gives_what_is_there_and_invents_nothing():
    cut = NOTICE[: NOTICE.index("一、各单位")]
    data = _json(cut)
    assert data["doc_number"] == "某委办发〔2023〕15号"
    assert data["signed_date"] is None and data["issuer"] == "中共某某县委办公室"  # the masthead
    assert data["deadlines"] == [] and data["cc_recipients"] == []


def test_a_title_broken_over_page_break_fragments_is_joined():
    text = NOTICE.replace("主题教育调研工作的通知", "主题教育调研\n\n工作的通知")
    assert _json(text)["title"] == "关于开展学习贯彻习近平新时代中国特色社会主义思想主题教育调研工作的通知"


def test_forwarding_sentence_gives_the_forward_and_a_cited_title_does_not():
    text = NOTICE.replace(
        "现就有关事项通知如下。",
        "现将《关于转发〈某某办法〉的通知》的要求重申如下。现将《市委关于调研工作的通知》（市委办发〔2023〕9号）转发给你们。",
    )
    assert _json(text)["forwards"] == ["市委办发〔2023〕9号"]


def test_two_numbers_and_none_are_told():
    two = NOTICE.replace("某委办发〔2023〕15号", "某委办发〔2023〕15号\n某委办发〔2023〕16号")
    record = extract(two)
    assert record.doc_number == "某委办发〔2023〕15号"
    assert any("两个发文字号" in p for p in record.problems)
    none = extract(NOTICE.replace("某委办发〔2023〕15号\n", ""))
    assert none.doc_number is None
    assert any("没有找到本文的发文字号" in p for p in none.problems)


def test_text_in_another_language_gives_nothing():
    record = extract("Dear colleagues,\nPlease send the report by 10 January.\nRegards,\nThe Office\n10 January 2014\n")
    assert record.as_json() == {key: ([] if key in ("primary_recipients", "cc_recipients", "forwards", "deadlines")
                                      else None) for key in KEYS}


def test_spans_point_at_the_values():
    record = extract(NOTICE)
    (start, end), = record.spans["doc_number"]
    assert record.text[start:end] == "某委办发〔2023〕15号"
    deadline = record.deadlines[0]
    assert record.text[deadline.start:deadline.end] == deadline.text


def test_relative_deadline_has_no_date():
    text = NOTICE.replace("调研报告于6月底前报县委办公室。", "调研报告于会后一周内报县委办公室。")
    deadlines = {(d["text"], d["due_date"]) for d in _json(text)["deadlines"]}
    assert ("会后一周内", None) in deadlines


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(list("关于通知：，。、\n 〔〕[]号年月日前底发文件0123456789各单位委办")
                                + ["2014", "报送", "印发", "抄送："]),
                max_size=200).map("".join))
def test_any_text_gives_a_record_with_spans_inside_it(text):
    record = extract(text)
    json.dumps(record.as_json(), ensure_ascii=False)
    for spans in record.spans.values():
        for start, end in spans:
            assert 0 <= start <= end <= len(record.text)


def test_parse_directive_prints_one_object_with_exactly_the_keys_per_file(capsys):
    files = sorted(str(p) for p in HERE.glob("*/*.txt"))
    call_command("parse_directive", *files)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(files)
    for line in lines:
        data = json.loads(line)
        assert set(data) - {"documents"} == set(KEYS)
        for key in ("signed_date", "printed_date"):
            if data[key]:
                dt.date.fromisoformat(data[key])


FULL_HEADER = """000123
机密★1年
特急
中共某某市委主题教育领导小组办公室文件
某主教办发〔2019〕7号                    签发人：张三

关于报送第一批主题教育
总结材料的通知

各区县委主题教育领导小组办公室，市直各单位：

现将有关事项通知如下：
请于2019年9月10日（星期二）前将总结材料报送市委主题教育办综合组，逾期不报的予以通报。

附件：1.总结材料提纲
      2.统计表

中共某某市委组织部      某某市人民政府
二〇一九年九月二日
（此件公开发布）
（联系人：李四，电话：0571-12345678）

抄送：市委办公室、市政府办公室。
中共某某市委主题教育领导小组办公室              2019年9月3日印发
"""


def test_the_whole_gbt_9704_layout():
    """Copy number, secrecy and urgency over the masthead, 签发人 beside the number, an attachment
    list and a contact line around a joint signature dated in Chinese numerals."""
    data = _json(FULL_HEADER)
    assert data["doc_number"] == "某主教办发〔2019〕7号"
    assert data["title"] == "关于报送第一批主题教育总结材料的通知"
    assert data["issuer"] == "中共某某市委组织部、某某市人民政府"
    assert data["signed_date"] == "2019-09-02" and data["printed_date"] == "2019-09-03"
    assert data["cc_recipients"] == ["市委办公室", "市政府办公室"]
    assert data["deadlines"] == [{"text": "2019年9月10日（星期二）前", "what": "总结材料", "to": "市委主题教育办综合组",
                                  "due_date": "2019-09-10"}]


REPOST = """首页 > 通知公告
转发《某省教育厅关于开展主题征文活动的通知》
来源: 本站原创 日期:2021-03-02 浏览量:12
某教函[2021]18
某县教育局
转发《某省教育厅关于开展
主题征文活动的通知》
各乡镇中学(城关中心小学)、县直各学校:
根据某教厅[2021]7号通知要求,现将某省教育厅《关于开展主题征文活动的通知》转发给你们,请在近两周内组织学生参加。
某县教育局
2021.3.1
附:
关于开展主题征文活动的通知
(部门: 办公室 日期: 2021-2-20)
各市教育局:
请于开学后两周内将征文报送省教育厅。
"""


def test_a_web_repost_with_its_forwarded_notice_under_fu():
    """A county's repost on its web page: the title in brackets after 转发, a number without 号,
    recipients past the repeated masthead and title, a dotted signature date, 附： and the notice it
    forwards, relative deadlines with 两."""
    data = _json(REPOST)
    assert data["title"] == "转发《某省教育厅关于开展主题征文活动的通知》"
    assert data["doc_number"] == "某教函〔2021〕18号"
    assert data["primary_recipients"] == ["各乡镇中学(城关中心小学)", "县直各学校"]
    assert data["signed_date"] == "2021-03-01"
    assert data["forwards"] == []  # 某教厅[2021]7号 is cited as a basis (根据……要求)
    assert ("近两周内", None) in {(d["text"], d["due_date"]) for d in data["deadlines"]}
    forwarded, = data["documents"]
    assert forwarded["title"] == "关于开展主题征文活动的通知"
    assert forwarded["primary_recipients"] == ["各市教育局"]
    assert [d["text"] for d in forwarded["deadlines"]] == ["开学后两周内"]


def test_a_recipient_line_of_separators_only_gives_no_recipient():
    record = extract("关于做好整改工作的通知\n主送：、\n抄送：、，\n")
    assert record.primary_recipients == [] and record.cc_recipients == []
