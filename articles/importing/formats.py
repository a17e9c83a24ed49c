"""Tell a file's format by its content, and read it with its reader.

``auto`` looks at what the file is, not at its name: XML by its root element
(NewsML-G2 ``newsItem``/``newsMessage``, NITF ``nitf``, XHTML ``html``), JSON by
its keys (schema.org ``@context``/``@type`` is JSON-LD, anything else ninjs),
HTML by its doctype or ``<html>``; anything else is syndicated text. A file in
no format the importer reads is refused with one line saying what it looks
like, and XML is never read as plain text.
"""

import json
import re

from .data import ParseError
from .markup import UnsafeXML, local, namespace, parse_xml

FORMATS = ["auto", "text", "ninjs", "newsml", "nitf", "jsonld", "html"]
XML_FORMATS = {"newsml", "nitf"}
_XML_START = re.compile(rb"^\s*<(?:\?xml|!--|!DOCTYPE|[A-Za-z_])", re.IGNORECASE)
_HTML_START = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html[\s>])",
    re.IGNORECASE | re.DOTALL,
)
_HTML_TAGS = re.compile(rb"<(?:head|body|div|p|meta|title)[\s>]", re.IGNORECASE)
_BOMS = (b"\xef\xbb\xbf",)
_UTF16 = (b"\xff\xfe", b"\xfe\xff")


class Detected:
    """What a file is: its format, and the parsed XML root when it is XML."""

    def __init__(self, format, root=None, data=None):
        self.format, self.root, self.data = format, root, data


def detect(data: bytes, *, suffix: str = "") -> Detected:
    """The format of ``data``; raises ParseError for a file in none we read."""
    head = data[:4096]
    for bom in _BOMS:
        if head.startswith(bom):
            head = head[len(bom) :]
    if head.startswith(_UTF16) or head[:4] in (
        b"\xff\xfe\x00\x00",
        b"\x00\x00\xfe\xff",
    ):
        return Detected("text")  # the text reader decodes UTF-16/32 copy
    start = head.lstrip()[:1]
    if start in (b"{", b"["):
        return Detected(_json_kind(data), data=data)
    if _HTML_START.match(head):
        return Detected("html", data=data)
    if _XML_START.match(head):
        try:
            root = parse_xml(data)
        except UnsafeXML:
            raise
        except ParseError:
            declared = head.lstrip().startswith(b"<?xml")
            if not declared and _HTML_TAGS.search(head):
                return Detected("html", data=data)  # HTML that is not XML
            raise
        return Detected(xml_kind(root), root=root, data=data)
    if suffix in (".json", ".ninjs", ".jsonld"):
        return Detected("jsonld" if suffix == ".jsonld" else "ninjs", data=data)
    return Detected("text", data=data)


def xml_kind(root) -> str:
    name = local(root)
    if name in ("newsItem", "newsMessage"):
        return "newsml"
    if name == "nitf":
        return "nitf"
    if name == "html":
        return "html"
    raise ParseError(describe_xml(root))


def describe_xml(root) -> str:
    name = local(root)
    known = {
        "rss": "an RSS feed",
        "feed": "an Atom feed",
        "NewsML": "NewsML 1.x (the importer reads NewsML-G2)",
        "urlset": "a sitemap",
        "svg": "an SVG picture",
        "packageItem": "a NewsML-G2 package (it lists items; send the items)",
        "conceptItem": "a NewsML-G2 concept (a vocabulary entry, not a story)",
        "knowledgeItem": "a NewsML-G2 knowledge item (vocabulary, not a story)",
        "planningItem": "a NewsML-G2 planning item (coverage plans, not a story)",
    }
    what = known.get(name)
    ns = namespace(root)
    shown = f"<{name}>" + (f" in {ns}" if ns and not what else "")
    if what:
        return (
            f"{what}: an XML file whose root is <{name}>, not a news format "
            "this importer reads"
        )
    return (
        f"an XML file whose root is {shown}, not a news format this importer reads "
        "(NewsML-G2 newsItem/newsMessage, NITF, XHTML)"
    )


def _json_kind(data: bytes) -> str:
    """ "jsonld" for schema.org JSON-LD, else "ninjs" (whose reader says what is
    wrong with JSON that is neither)."""
    try:
        value = json.loads(data.decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError, RecursionError):
        return "ninjs"
    candidates = value if isinstance(value, list) else [value]
    for item in candidates[:50]:
        if isinstance(item, dict) and ("@context" in item or "@graph" in item):
            return "jsonld"
        if isinstance(item, dict) and isinstance(item.get("@type"), str | list):
            return "jsonld"
    return "ninjs"


def refuse_xml_as_text(data: bytes) -> None:
    """Copy asked to be read as text that is XML: refused, naming its root."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head.startswith(b"<") or _HTML_START.match(head):
        return
    try:
        root = parse_xml(data)
    except ParseError:
        return
    hint = {"newsItem": "newsml", "newsMessage": "newsml", "nitf": "nitf"}.get(
        local(root)
    )
    use = f"; read it with --format {hint} (or auto)" if hint else ""
    raise ParseError(f"XML, not plain text: its root is <{local(root)}>{use}")
