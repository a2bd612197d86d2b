"""The extractor (being written): a first cut that finds the document number only."""

import re

from campaign.intake.record import Record

NUMBER = re.compile(r"[\u4e00-\u9fff]{1,20}[〔\[【(（]\d{4}[〕\]】)）]\d+号")


def extract(text):
    record = Record(start=0, end=len(text))
    match = NUMBER.search(text)
    if match:
        record.doc_number = match.group()
        record.spans["doc_number"] = [(match.start(), match.end())]
    return record
