"""Plain data that readers produce and the storing step consumes."""

import datetime
from dataclasses import dataclass, field


class ParseError(ValueError):
    """Copy that cannot be a story; the message says what is wrong with it.

    ``field`` names the value at fault ("headline", "photo credit") when one is.
    """

    def __init__(self, message, *, field=""):
        super().__init__(message)
        self.field = field

    @property
    def message(self):
        return self.args[0] if self.args else ""

    def describe(self):
        """The message with the field it is about: "headline: at most …"."""
        return f"{self.field}: {self.message}" if self.field else self.message


def embargo_time(moment, day):
    """The embargo of a copy that gave ``moment`` (an aware datetime) or only
    ``day``: a day is held back from its start in UTC, the earliest reading
    that any time zone gives it."""
    if moment is not None or day is None:
        return moment
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=datetime.UTC)


@dataclass
class ItemError:
    """An item of a list that cannot be a story; the other items still can."""

    number: int  # its position in the list, counting from 1
    error: ParseError
    headline: str = ""  # its headline, or its uri, when it has one


@dataclass
class PhotoData:
    """A picture named in the copy, with what travels with it."""

    filename: str = ""  # the file name as given in the copy ("" when unknown)
    caption: str = ""
    credit: str = ""
    alt_text: str = ""
    href: str = ""  # where the picture can be fetched, for ninjs renditions


@dataclass
class SourceData:
    """A person, organisation or document quoted in a story."""

    name: str
    description: str = ""
    kind: str = "person"  # "person", "organisation" or "document"


@dataclass
class QuoteData:
    """Something a source said, directly or in paraphrase."""

    text: str
    kind: str  # "direct" or "paraphrase"
    speaker: str | None = None  # a SourceData.name; None when unattributed
    paragraph: int = 0  # index of the paragraph it was found in


CONTRIBUTOR_ROLE = "Contributor"


@dataclass
class StoryData:
    """One story as read from its copy, before it is stored."""

    format: str  # "text", "ninjs", "newsml", "nitf", "jsonld" or "html"
    identity: str  # ninjs uri, or a stable key computed for text copy
    headline: str
    standfirst: str = ""
    authors: list[str] = field(default_factory=list)
    contributors: list[str] = field(default_factory=list)  # e.g. extra reporting
    # The role the byline gives the contributors ("Additional reporting").
    contributor_role: str = CONTRIBUTOR_ROLE
    # Where the story goes: a section's slug (a new one is made with that
    # name), and the story's own slug; "" lets the store decide (the "news"
    # section, the headline's slug) as for copy that does not say.
    section: str = ""
    slug: str = ""
    publication: str = ""
    canonical_url: str = ""
    # Exactly one of these is set when the copy carries a date: an aware
    # datetime when it has a time, a calendar date when it has only a day.
    published_at: datetime.datetime | None = None
    published_on: datetime.date | None = None
    # The agency's embargo: an aware datetime before which the story may not
    # appear anywhere (ninjs ``embargoedUntil``/``embargoed``, NewsML-G2
    # ``itemMeta/embargoed``); a day without a time is its start in UTC.
    embargoed: datetime.datetime | None = None
    dateline: str = ""
    paragraphs: list[str] = field(default_factory=list)  # plain text
    body_html: str = ""
    photo: PhotoData | None = None
    tags: list[str] = field(default_factory=list)
    language: str = ""
    sources: list[SourceData] = field(default_factory=list)
    quotes: list[QuoteData] = field(default_factory=list)
    # What the copy says about itself beyond the story (issue 11's layouts):
    kicker: str = ""  # a section label or kicker printed above the headline
    agency: str = ""  # the wire agency named in the dateline: "AP", "Reuters"
    provenance: str = ""  # "This story originally appeared in …", agency notes
    corrections: list[str] = field(default_factory=list)  # correction notes
    # When a correction was published, by its text, when the copy says;
    # else it is ``updated_at``, or the time it is stored.
    correction_times: dict[str, datetime.datetime] = field(default_factory=dict)
    updated_at: datetime.datetime | None = None  # "Updated …" when given
    # The item's publishing status as the agency sends it: "usable",
    # "withheld" (take it down for now) or "canceled" (a kill notice);
    # "" when the copy does not say (``pub_status``).
    pub_status: str = ""
    # Things the desk should know that do not stop the import ("no date found:
    # kept as a draft"); each becomes part of the file's report line.
    warnings: list[str] = field(default_factory=list)


PUB_STATUSES = ("usable", "withheld", "canceled")


def pub_status(value):
    """An IPTC publishing status ("canceled", "stat:canceled", a URI ending in
    it, any case) as one of ``PUB_STATUSES``, or "" for none or an unknown one."""
    name = (value or "").strip().rsplit("/", 1)[-1].rsplit(":", 1)[-1].lower()
    return name if name in PUB_STATUSES else ""
