"""The forms a page offers, read from its HTML as a browser would: action, method and fields."""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit


@dataclass
class Field:
    name: str
    kind: str  # text, textarea, select, checkbox, radio, date, number, file, hidden, ...
    value: str = ""
    options: list = field(default_factory=list)


@dataclass
class Form:
    action: str
    method: str
    fields: dict = field(default_factory=dict)
    multipart: bool = False


class _FormParser(HTMLParser):
    def __init__(self, page_url):
        super().__init__(convert_charrefs=True)
        self.page_url, self.forms, self.form, self.select = page_url, [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            action = urljoin(self.page_url, attrs.get("action") or self.page_url)
            self.form = Form(action=action, method=(attrs.get("method") or "get").lower(),
                             multipart="multipart" in (attrs.get("enctype") or ""))
            self.forms.append(self.form)
        elif self.form is None or not attrs.get("name"):
            return
        elif tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "reset", "image"):
                return
            known = self.form.fields.get(attrs["name"])
            if known is not None and kind in ("radio", "checkbox"):
                known.options.append(attrs.get("value", "on"))
                return
            self.form.fields[attrs["name"]] = Field(attrs["name"], kind, attrs.get("value", ""), [attrs.get("value", "on")])
        elif tag == "textarea":
            self.form.fields[attrs["name"]] = Field(attrs["name"], "textarea")
        elif tag == "select":
            self.select = Field(attrs["name"], "select")
            self.form.fields[attrs["name"]] = self.select
        elif tag == "option" and self.select is not None:
            self.select.options.append(attrs.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select":
            self.select = None


def forms_on(page_url, html):
    parser = _FormParser(page_url)
    parser.feed(html)
    return [form for form in parser.forms if urlsplit(form.action).path.startswith("/")]
