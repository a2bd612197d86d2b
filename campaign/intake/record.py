"""What the extractor finds in one document, and where (offsets into the text it was given)."""

import datetime as dt
from dataclasses import dataclass, field

# The keys of one document's JSON (parse_directive, the labelled set), in order.
KEYS = (
    "doc_number", "issuer", "doc_type", "title", "signed_date", "printed_date",
    "primary_recipients", "cc_recipients", "forwards", "deadlines",
)


@dataclass
class FoundDeadline:
    text: str
    what: str | None = None
    to: str | None = None
    due_date: dt.date | None = None
    start: int | None = None
    end: int | None = None

    def as_json(self):
        return {"text": self.text, "what": self.what, "to": self.to,
                "due_date": self.due_date.isoformat() if self.due_date else None}


@dataclass
class Record:
    """One document's fields. `spans` maps a field name to the (start, end) offsets in the text
    where it was found, for highlighting; `problems` are sentences for the clerk (two numbers, no
    date…); `documents` are the forwarded documents the text reproduces, in order."""

    doc_number: str | None = None
    issuer: str | None = None
    doc_type: str | None = None
    title: str | None = None
    signed_date: dt.date | None = None
    printed_date: dt.date | None = None
    primary_recipients: list = field(default_factory=list)
    cc_recipients: list = field(default_factory=list)
    forwards: list = field(default_factory=list)
    deadlines: list = field(default_factory=list)
    documents: list = field(default_factory=list)
    spans: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)
    # Where this document's own text starts and ends in the text given to extract().
    start: int = 0
    end: int = 0
    # The text the spans point into: the text given, or what a browser shows of it when it was HTML.
    text: str = ""

    def as_json(self):
        data = {
            "doc_number": self.doc_number, "issuer": self.issuer, "doc_type": self.doc_type, "title": self.title,
            "signed_date": self.signed_date.isoformat() if self.signed_date else None,
            "printed_date": self.printed_date.isoformat() if self.printed_date else None,
            "primary_recipients": list(self.primary_recipients), "cc_recipients": list(self.cc_recipients),
            "forwards": list(self.forwards), "deadlines": [d.as_json() for d in self.deadlines],
        }
        if self.documents:
            data["documents"] = [d.as_json() for d in self.documents]
        return data
