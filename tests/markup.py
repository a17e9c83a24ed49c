"""Reading HTML in tests as a browser would: elements, attributes and text.

Tests about cleaned markup ask which tags and attributes survived and what
text a reader sees, not how the sanitizer happened to serialise them, so an
upgrade that changes quoting or spacing does not fail them.
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Element:
    tag: str
    attrs: dict
    text: str = ""
    parent: "Element | None" = field(default=None, repr=False)


class _Reader(HTMLParser):
    VOID = {"area", "br", "col", "embed", "hr", "img", "input", "source", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements, self.open, self.text = [], [], []

    def handle_starttag(self, tag, attrs):
        parent = self.open[-1] if self.open else None
        element = Element(tag, dict(attrs), parent=parent)
        self.elements.append(element)
        if tag not in self.VOID:
            self.open.append(element)

    def handle_startendtag(self, tag, attrs):
        parent = self.open[-1] if self.open else None
        self.elements.append(Element(tag, dict(attrs), parent=parent))

    def handle_endtag(self, tag):
        for depth in range(len(self.open) - 1, -1, -1):
            if self.open[depth].tag == tag:
                del self.open[depth:]
                return

    def handle_data(self, data):
        self.text.append(data)
        for element in self.open:
            element.text += data


@dataclass
class Markup:
    elements: list
    text: str

    def tags(self):
        return {element.tag for element in self.elements}

    def find_all(self, tag, **attrs):
        return [
            element
            for element in self.elements
            if element.tag == tag
            and all(element.attrs.get(name) == value for name, value in attrs.items())
        ]

    def attributes(self):
        """Every (tag, attribute) pair in the markup."""
        return {(e.tag, name) for e in self.elements for name in e.attrs}


def parse(html):
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return Markup(reader.elements, "".join(reader.text))


def words(text):
    """``text`` with its whitespace runs made single spaces, as a reader sees it."""
    return " ".join(text.split())


def ancestors(element):
    while element.parent is not None:
        element = element.parent
        yield element


def table_rows(html, table_id="result_list"):
    """The text of each body row of the table ``table_id`` (the admin's list
    of results), one string a row, as a reader sees it."""
    return [
        words(row.text)
        for row in parse(html).find_all("tr")
        if any(a.tag == "tbody" for a in ancestors(row))
        and any(
            a.tag == "table" and a.attrs.get("id") == table_id for a in ancestors(row)
        )
    ]
