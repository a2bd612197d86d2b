import pytest

from campaign.docnumbers import DocumentNumber, DocumentNumberError, format_document_number, parse_document_number

SEED_NUMBERS = [
    ("浙群组发〔2013〕48号", "浙群组发", 2013, 48),
    ("群组发〔2013〕29号", "群组发", 2013, 29),
    ("群办发〔2013〕17号", "群办发", 2013, 17),
    ("冀群组发〔2014〕33号", "冀群组发", 2014, 33),
    ("群组发〔2014〕7号", "群组发", 2014, 7),
    ("冀群组发〔2014〕15号", "冀群组发", 2014, 15),
    ("群办发〔2014〕5号", "群办发", 2014, 5),
    ("中发〔2013〕4号", "中发", 2013, 4),
    ("浙群组发〔2014〕25号", "浙群组发", 2014, 25),
    ("群组发〔2014〕13号", "群组发", 2014, 13),
    ("浙整改办发〔2015〕2号", "浙整改办发", 2015, 2),
    ("群办发〔2014〕22号", "群办发", 2014, 22),
]


@pytest.mark.parametrize("text,agency,year,serial", SEED_NUMBERS)
def test_every_seed_number_parses_and_round_trips(text, agency, year, serial):
    number = parse_document_number(text)
    assert number == DocumentNumber(agency, year, serial)
    assert str(number) == text
    assert format_document_number(agency, year, serial) == text


@pytest.mark.parametrize(
    "typed",
    [
        "浙群组发[2013]48号",
        "浙群组发(2013)48号",
        "浙群组发（2013）48号",
        "浙群组发【2013】48号",
        "浙群组发［2013］48号",
        "浙群组发〔２０１３〕４８号",
        " 浙群组发 〔 2013 〕 48 号 ",
        "浙群组发\u3000〔2013〕48号",
    ],
)
def test_typed_variants_normalise_to_hexagonal_brackets(typed):
    assert str(parse_document_number(typed)) == "浙群组发〔2013〕48号"


@pytest.mark.parametrize(
    "bad,fragment",
    [
        ("", "请填写"),
        ("〔2013〕48号", "机关代字"),
        ("ZQ〔2013〕48号", "只能由汉字"),
        ("浙群组发2013年48号", "六角括号"),
        ("浙群组发〔13〕48号", "四位数字"),
        ("浙群组发〔1890〕48号", "有效范围"),
        ("浙群组发〔2013〕号", "顺序号"),
        ("浙群组发〔2013〕048号", "不应以 0 开头"),
        ("浙群组发〔2013〕48", "号"),
        ("浙群组发〔2013〕48号文", "之后不应再有"),
        ("浙群组发(2013]48号", "不配对"),
    ],
)
def test_bad_numbers_are_rejected_with_a_message_saying_what_is_wrong(bad, fragment):
    with pytest.raises(DocumentNumberError) as excinfo:
        parse_document_number(bad)
    assert fragment in str(excinfo.value)
