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
    # What the browser sends when nobody touches the field: the selected options, the checked
    # boxes, a textarea's text (value), the value of any other input.
    chosen: list = field(default_factory=list)


@dataclass
class Form:
    action: str
    method: str
    fields: dict = field(default_factory=dict)
    multipart: bool = False

    def as_shown(self):
        """The data a browser would post if the person changed nothing (files left out)."""
        data = {}
        for name, shown in self.fields.items():
            if shown.kind == "file":
                continue
            if shown.kind in ("select", "checkbox", "radio"):
                chosen = shown.chosen or (shown.options[:1] if shown.kind == "select" else [])
                if chosen:
                    data[name] = chosen if len(chosen) > 1 else chosen[0]
            else:
                data[name] = shown.value
        return data


class _FormParser(HTMLParser):
    def __init__(self, page_url):
        super().__init__(convert_charrefs=True)
        self.page_url, self.forms, self.form, self.select, self.textarea = page_url, [], None, None, None

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
            checked = ["checked" in attrs and attrs.get("value", "on")] if kind in ("radio", "checkbox") else []
            if known is not None and kind in ("radio", "checkbox"):
                known.options.append(attrs.get("value", "on"))
                known.chosen += [value for value in checked if value]
                return
            self.form.fields[attrs["name"]] = Field(attrs["name"], kind, attrs.get("value", ""), [attrs.get("value", "on")],
                                                    [value for value in checked if value])
        elif tag == "textarea":
            self.textarea = Field(attrs["name"], "textarea")
            self.form.fields[attrs["name"]] = self.textarea
        elif tag == "select":
            self.select = Field(attrs["name"], "select")
            self.form.fields[attrs["name"]] = self.select
        elif tag == "option" and self.select is not None:
            self.select.options.append(attrs.get("value", ""))
            if "selected" in attrs:
                self.select.chosen.append(attrs.get("value", ""))

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            if self.textarea is not None and self.textarea.value.startswith("\n"):
                self.textarea.value = self.textarea.value[1:]  # as browsers drop the newline after <textarea>
            self.textarea = None


def forms_on(page_url, html):
    parser = _FormParser(page_url)
    parser.feed(html)
    return [form for form in parser.forms if urlsplit(form.action).path.startswith("/")]
