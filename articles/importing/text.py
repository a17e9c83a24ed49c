"""Read "syndicated text" copy: a story pasted as plain text, block by block.

The usual layout is a headline, a standfirst, the author (byline and again on
the author card), the publication, a picture file name and its caption with a
credit, the date, then body paragraphs, the first opening with a dateline
("PHNOM PENH – …"). Real copy drops or reorders some of these, so blocks are
recognised by what they contain rather than only by where they stand.
"""

import codecs
import datetime
import functools
import hashlib
import html
import re
import unicodedata

from .data import ParseError, PhotoData, StoryData

# Page furniture copied along with the story; dropped wherever it stands alone,
# and at the very end of the copy even when glued to the last sentence.
FURNITURE = (
    "scroll to top",
    "back to top",
    "share this article",
    "related articles",
    "advertisement",
    "read more",
)

PICTURE_FILE = re.compile(r"^\S+\.(?:jpe?g|png|webp|gif)$", re.IGNORECASE)

# "… (Jane Roe/Agency)" at the end of a caption.
CREDIT_BRACKETS = re.compile(r"\s*\((?P<credit>[^()]+)\)\.?$")
# Parentheses that say where someone stands, not who took the picture.
PICTURE_POSITION = re.compile(
    r"^(?:(?:second|third|far|front|back|top|bottom)\s+)?"
    r"(?:left|right|centre|center|middle|top|bottom|above|below|inset|file|"
    r"pictured|l-r|r-l|from left|from right|left to right)$",
    re.IGNORECASE,
)

AUTHOR_SEPARATOR = re.compile(
    r"\s*(?:,|;|&|\b(?:and|AND|And|und|UND|och|et|ET)\b|(?<=\s)(?:y|Y|e)(?=\s))\s*"
)
NAME_PARTICLES = {"and", "&", "de", "da", "das", "do", "dos", "du", "van", "von",
                  "der", "den", "bin", "binti", "al", "el", "la", "le", "of", "the",
                  "y", "e", "di", "del", "della", "ibn", "ap"}  # fmt: skip
PUBLICATION_WORDS = {"post", "times", "news", "herald", "daily", "journal",
                     "gazette", "tribune", "press", "chronicle", "observer",
                     "guardian", "telegraph", "mail", "star", "review",
                     "magazine", "weekly", "radio", "tv", "agency", "media",
                     "today", "standard", "express", "independent", "mirror",
                     "courier", "globe", "sun", "bulletin", "reporter",
                     "monitor", "inquirer", "record", "wire", "online"}  # fmt: skip

_FURNITURE_LINE = re.compile(
    r"^(?:" + "|".join(map(re.escape, FURNITURE)) + r")[.:…]*$", re.IGNORECASE
)
_GLUED_FURNITURE = re.compile(
    r"(?<=[.!?\"”’)\]])\s*(?:" + "|".join(map(re.escape, FURNITURE)) + r")[.:…]*$",
    re.IGNORECASE,
)
# A line of page furniture standing alone among the story's details.
_FURNITURE_BLOCK = re.compile(
    r"^(?:in\s+(?:partnership|collaboration|association)\s+with|advertisement|"
    r"anzeige|werbung|publicidad|publicité|sponsored|share|comments?|"
    r"[_*=~#-]{3,}|-30-|ends|fin|listen\s+to\s+(?:this\s+)?(?:article|story)|"
    r"\d+\s*(?:-|\s)?min(?:ute)?s?\.?\s+(?:read|lesezeit|de\s+lecture|de\s+lectura)|"
    r"(?:reading\s+time|lesezeit|temps\s+de\s+lecture)\s*:?\s*\d+\s*min\w*|"
    # a relative time, which dates nothing: "3 hours ago", "vor 2 Stunden"
    r"(?:(?:updated|vor|hace|il\s+y\s+a)\s+)?\d+\s*(?:seconds?|minutes?|mins?|hours?|"
    r"hrs?|h|days?|weeks?|sekunden|minuten|stunden?|tagen?|heures?|jours?|"
    r"segundos?|minutos?|horas?|días?)(?:\s+ago)?)\s*:?$",
    re.IGNORECASE,
)
_SPACES = re.compile(r"[ \t\f\v]+")
_BLANK_LINE = re.compile(r"\n[ \t\f\v]*\n")


# Byte order marks that say which Unicode encoding a file is in, longest first
# (the UTF-32 little-endian mark begins like the UTF-16 one).
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode(data: bytes, *, filename: str = "", encoding: str = "") -> str:
    """Decode copy: UTF-8, or UTF-16/32 with a byte order mark, or ``encoding``.

    A leading byte order mark is dropped. Binary data and bytes that are not
    valid in the encoding are refused, naming the first bad byte: a guess at
    an 8-bit encoding could store every accent wrong without a word.
    """
    if not encoding:
        encoding = next((name for bom, name in BOMS if data.startswith(bom)), "")
        if not encoding and b"\x00" in data:
            raise _error(
                "not UTF-8 text (binary data: it contains NUL bytes)", filename
            )
    try:
        return data.decode(encoding or "utf-8")
    except UnicodeDecodeError as exc:
        hint = (
            "; if it is in another encoding, name it with --encoding "
            "(e.g. --encoding cp1252)"
            if not encoding
            else ""
        )
        raise _error(
            f"not {codecs.lookup(encoding or 'utf-8').name.upper()} text "
            f"(byte 0x{data[exc.start]:02x} at offset {exc.start}){hint}",
            filename,
        ) from None


def story_key(publication: str, headline: str, day) -> str:
    """A stable identity for text copy: the same story read twice gets one key.

    Case, spacing, punctuation and typographic quotes do not change the key;
    ``day`` is a date, a datetime or None.
    """
    if isinstance(day, datetime.datetime):
        day = day.date()
    parts = [_normalise_key_part(publication), _normalise_key_part(headline)]
    parts.append(day.isoformat() if day else "")
    return "text:" + hashlib.sha1("|".join(parts).encode()).hexdigest()


def read_text(text: str, *, filename: str = "") -> StoryData:
    """Read one story from syndicated text copy.

    Raises ParseError for copy that cannot be a story: empty or binary input,
    no headline, no body paragraphs, or an impossible date.
    """
    try:
        return _read(text)
    except ParseError as exc:
        raise _error(str(exc), filename) from None


def _read(text: str) -> StoryData:
    blocks = _blocks(_clean(text))
    if not blocks:
        raise ParseError("empty copy: there is no text to read")
    head = _Head()
    start = _title(blocks, head)
    body = _header(blocks[start:], head)
    if not body:
        raise ParseError("no body paragraphs after the headline and its details")
    while len(body) > 1 and EDITORS_NOTE.match(body[0]):
        body = body[1:]  # a note to readers above the story
    ends = _end_notes(body, head)
    body = body[: len(body) - ends]
    dateline, agency, first = "", "", body[0] if body else ""
    if body and (found := _dateline(body[0])):
        dateline, agency, first = found
    agency = agency or head.agency
    body = ([_Block(first, [first])] if first else []) + body[1:]
    paragraphs, parts = _body(body)
    if not paragraphs:
        raise ParseError("no body paragraphs after the dateline")

    authors, publication = _people(head.names)
    authors = authors or head.signoff
    # A dateline naming no news agency names the outlet itself ("AUSTIN
    # (KXAN) —"); failing all else, an author card says whom they work for.
    own = agency if agency and agency.casefold() not in WIRE_AGENCIES else ""
    publication = head.publication or publication or own or head.card_outlet
    day, moment = head.day, head.moment
    return StoryData(
        format="text",
        identity=story_key(publication, head.headline, day or moment),
        headline=head.headline,
        standfirst=head.standfirst,
        authors=authors,
        contributors=[name for name in head.contributors if name not in authors],
        publication=publication,
        published_on=day,
        published_at=moment,
        dateline=dateline,
        paragraphs=paragraphs,
        body_html="\n".join(parts),
        photo=_photo(head.picture, head.caption, head.credit),
        kicker=head.kicker,
        agency=agency,
        provenance=" ".join(head.provenance),
        corrections=head.corrections,
        updated_at=head.updated,
    )


class _Block(str):
    """A block of copy as one line of text, remembering the lines it came in."""

    lines: list[str]

    def __new__(cls, text, lines):
        block = super().__new__(cls, text)
        block.lines = lines
        return block

    def __reduce__(self):  # a copy (dataclasses.asdict) is a plain string
        return str, (str(self),)


class _Head:
    """What the blocks before the body say about the story."""

    def __init__(self):
        self.headline = self.standfirst = self.kicker = ""
        self.names: list[str] = []  # name-like lines: bylines, author cards
        self.signoff: list[str] = []  # an author named only at the end
        self.contributors: list[str] = []
        self.publication = ""
        self.picture = self.caption = self.credit = ""
        self.day: datetime.date | None = None
        self.moment: datetime.datetime | None = None
        self.updated: datetime.datetime | None = None
        self.provenance: list[str] = []
        self.corrections: list[str] = []
        self.card_outlet = ""  # "… is a reporter for The Courier" on a card
        self.agency = ""  # a line naming only the agency ("dpa")

    @property
    def dated(self):
        return self.day is not None or self.moment is not None

    def date(self, found):
        """Keep the first date line's publication and update times."""
        published, updated = found
        if published is None and not self.dated:  # only "Updated …" given
            published, updated = updated, None
        if published is not None and not self.dated:
            if isinstance(published, datetime.datetime):
                self.moment = published
            else:
                self.day = published
        if updated is not None and self.updated is None:
            self.updated = (
                updated
                if isinstance(updated, datetime.datetime)
                else _midnight(updated)
            )


# News agencies, whose name in a dateline is provenance rather than the outlet.
WIRE_AGENCIES = {"ap", "reuters", "afp", "dpa", "sid", "efe", "ansa", "xinhua",
                 "kyodo", "pa", "aap", "upi", "tass", "ria", "interfax", "bernama",
                 "yonhap", "cp", "kna", "epd", "apa", "sda", "ats", "belga", "anp",
                 "ntb", "tt", "lusa", "europa press", "ep", "ani", "pti", "ians",
                 "antara", "pna", "vna", "mena", "wafa", "irna", "anadolu", "aa",
                 "ctk", "čtk", "pap", "mti", "hina", "tanjug", "bta", "agerpres",
                 "ips", "bloomberg", "dow jones", "adnkronos", "agi", "notimex",
                 "télam", "telam", "prensa latina", "ap photo"}  # fmt: skip

# The layout before the body

# How far into the copy the headline and its details are looked for.
HEAD_REACH = 16


def _title(blocks: list[str], head: _Head) -> int:
    """Find the headline (and a kicker, standfirst and leading picture) among
    the first blocks; the index of the first block left for ``_header``.

    The headline is the last title-like block before the first line that is
    plainly a detail (a date, a labelled byline, a picture file, the dateline
    paragraph): a caption, credit or section label printed above it never
    becomes the headline.
    """
    kinds = []
    for block in blocks[:HEAD_REACH]:
        kinds.append(_kind(block))
        if kinds[-1] in ("dateline", "prose"):
            break  # the body has begun
    lead = 0  # leading picture blocks: a caption and its credit, a file name
    while lead < len(kinds) - 1 and (
        kinds[lead] in ("caption", "credit", "picture")
        or (kinds[lead] is None and kinds[lead + 1] == "credit")
        or (
            kinds[lead] is None
            and lead
            and kinds[lead - 1] == "picture"
            and _FULL_STOP.search(blocks[lead])
        )
    ):
        _picture_block(blocks[lead], kinds[lead], head)
        lead += 1
    meta = next(
        (i for i, kind in enumerate(kinds) if kind in _STRONG_DETAILS and i >= lead),
        None,
    )
    if meta is None:
        end = lead + 1
    else:
        end = meta
        while end - 1 > lead and _weak_detail(blocks, kinds, end - 1):
            end -= 1
    candidates = [
        block for block in blocks[lead:end] if not _FURNITURE_BLOCK.match(block)
    ]
    if not candidates:
        raise ParseError(f"no headline: the copy begins with {_quote(blocks[0])}")
    # A sentence above a title is the lead picture's caption (with no credit):
    # headlines do not end in a full stop.
    while (
        len(candidates) >= 2
        and _FULL_STOP.search(candidates[0])
        and len(candidates[0].split()) >= 6
        and not _FULL_STOP.search(candidates[1])
    ):
        caption = candidates.pop(0)
        head.caption = head.caption or caption
    if len(candidates) >= 2 and (
        _sentence_like(candidates[-1])
        or (len(candidates) >= 3 and not _kicker_like(candidates[-2]))
        or (len(candidates) == 2 and not _kicker_like(candidates[0]))
    ):
        head.standfirst = candidates.pop()
    head.headline = candidates.pop()
    if candidates:
        head.kicker = candidates.pop()
    if candidates and not head.caption:  # a caption with no credit, first
        head.caption = candidates[0]
    headline = head.headline
    if (
        _date_line(headline)
        or PICTURE_FILE.match(headline)
        or _is_prose(headline)
        or (len(headline.split()) >= 8 and _FULL_STOP.search(headline))
    ):
        raise ParseError(f"no headline: the copy begins with {_quote(headline)}")
    return end


_STRONG_DETAILS = ("date", "byline", "picture", "dateline")


def _kind(block: str) -> str | None:
    """What a block is by its own content alone, when that says enough."""
    if PICTURE_FILE.match(block):
        return "picture"
    if _date_line(block):
        return "date"
    if _labelled_byline(block):
        return "byline"
    if _credit_only(block):
        return "credit"
    if _caption_credit(block):
        return "caption"
    if _is_prose(block):
        return "dateline" if _dateline(block) else "prose"
    return None


def _weak_detail(blocks, kinds, index) -> bool:
    """A block just before the first plain detail that belongs with it: a
    name line, a picture's caption or credit."""
    block, kind = blocks[index], kinds[index]
    if kind in ("caption", "credit"):
        return True
    if index + 1 < len(kinds) and kinds[index + 1] == "credit" and kind is None:
        return True
    return _is_agency_line(block) or (_is_name_like(block) and _short_names(block))


def _is_agency_line(block: str) -> bool:
    """A line naming only news agencies: "dpa", "AFP/Reuters"."""
    if len(block) > 60:
        return False
    parts = [part.strip() for part in _AGENCY_SEPARATOR.split(block)]
    return all(part.casefold() in WIRE_AGENCIES for part in parts)


_AGENCY_SEPARATOR = re.compile(r"[/,|&]| and ")


def _short_names(block: str) -> bool:
    """Name-like and made of names of at most four words each."""
    names = split_authors(block)
    return bool(names) and all(len(name.split()) <= 4 for name in names)


def _header(blocks: list[str], head: _Head) -> list[str]:
    """Sort the details between the headline and the body; the body blocks."""
    for index, block in enumerate(blocks):
        following = blocks[index + 1] if index + 1 < len(blocks) else ""
        if _FURNITURE_BLOCK.match(block) or EDITORS_NOTE.match(block):
            continue
        if _dateline(block) and _kind(block) != "date":
            return blocks[index:]
        if found := _date_line(block):
            head.date(found)
        elif found := _labelled_byline(block):
            authors, publication, date = found
            head.names.append("By " + ", ".join(authors))
            head.publication = head.publication or publication
            if date:
                head.date(date)
        elif PICTURE_FILE.match(block):
            if not head.picture:
                head.picture = block
        elif _credit_only(block):
            if not head.credit:
                head.credit = _credit_text(block)
        elif _caption_credit(block) or (
            head.picture and not head.caption and not _is_name_like(block)
        ):
            if not head.caption and not (head.credit and not head.picture):
                head.caption = block
        elif following and _credit_only(following) and not _is_name_like(block):
            if not head.caption and not head.credit:
                head.caption = block
        elif _is_agency_line(block):
            head.agency = head.agency or block
        elif _is_name_like(block):
            head.names.append(block)
        elif not head.standfirst and (_is_detail(following) or _dateline(following)):
            head.standfirst = block
        else:
            return blocks[index:]
    return []


def _picture_block(block: str, kind: str | None, head: _Head) -> None:
    if kind == "picture":
        head.picture = head.picture or block
    elif kind == "credit":
        head.credit = head.credit or _credit_text(block)
    elif not head.caption:
        head.caption = block


def _is_prose(block: str) -> bool:
    """A body paragraph rather than a headline: long, or a dateline and a sentence."""
    return len(block) > 300 or (bool(_dateline(block)) and block[-1] in '."”’')


def _sentence_like(block: str) -> bool:
    """A standfirst rather than a headline: a sentence ending in a full stop,
    or long (headlines that end in ? or ! are still headlines)."""
    words = len(block.split())
    return (words >= 6 and bool(_FULL_STOP.search(block))) or words >= 16


def _kicker_like(block: str) -> bool:
    """A section label or kicker: a few words, no sentence, no list."""
    return (
        len(block.split()) <= 4
        and len(block) <= 40
        and "," not in block
        and block[-1] not in ".!?"
    )


_FULL_STOP = re.compile(r"[.…។](?:[\"”’»)]*)$")


def _is_detail(block: str) -> bool:
    """Whether a block is one of the story's details rather than prose."""
    return bool(
        _date_line(block)
        or PICTURE_FILE.match(block)
        or CREDIT_LABEL.search(block)
        or _credit_only(block)
        or _labelled_byline(block)
        or _is_name_like(block)
    )


def paragraphs_to_html(paragraphs: list[str]) -> str:
    """Each plain-text paragraph as an escaped ``<p>`` element, one a line."""
    return "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)


def split_authors(byline: str, *, exclude: str = "") -> list[str]:
    """Names in a byline: "By A, B and C" gives [A, B, C], without duplicates.

    A part equal to ``exclude`` (the publication, say) is left out, and so is
    a job title ("Staff Writer", "AP Business Writer").
    """
    byline = BYLINE_LABEL.sub("", byline.strip())
    names: list[str] = []
    for part in AUTHOR_SEPARATOR.split(byline):
        name = part.strip(" .")
        if name and name.casefold() != exclude.casefold() and not _is_job(name):
            names.append(name)
    return _unique(names)


# Cleaning and blocks


def _clean(text: str) -> str:
    """Normalise line endings and a BOM; refuse binary data and furniture."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        raise ParseError("binary data, not text: it contains NUL characters")
    visible = "".join(text.split())
    unprintable = (
        0
        if visible.isprintable()
        else sum(
            not c.isprintable() and unicodedata.category(c) != "Cf" for c in visible
        )
    )
    if visible and unprintable > len(visible) / 10:
        raise ParseError("binary data, not text: it is mostly unprintable")
    lines = [line.strip() for line in text.split("\n")]
    lines = [line for line in lines if not _FURNITURE_LINE.match(line)]
    text = "\n".join(lines).strip()
    while (stripped := _GLUED_FURNITURE.sub("", text)) != text:
        text = stripped.rstrip()
    return text


def _blocks(text: str) -> list[str]:
    """Blocks separated by blank lines, or lines when the copy has no blank lines.

    Each block is one line of text that remembers the lines it came in.
    """
    chunks = _BLANK_LINE.split(text) if _BLANK_LINE.search(text) else text.split("\n")
    blocks = []
    for chunk in chunks:
        lines = [_SPACES.sub(" ", line).strip() for line in chunk.split("\n")]
        lines = [line for line in lines if line]
        if lines:
            blocks.append(_Block(" ".join(lines), lines))
    return blocks


def _is_name_like(block: str) -> bool:
    """A short line of capitalised words: a byline or a publication name.

    In a script without capitals (Chinese, Khmer, Thai…) every word counts as
    capitalised, so “王伟 and 李娜” is a byline too.
    """
    words = BYLINE_LABEL.sub("", block).replace(",", " ").split()
    if (
        not words
        or len(words) > 10
        or len(block) > 80
        or block[-1] in ".!?:;。！？：；"
    ):
        return False
    return all(
        _capitalised(word) or word[0].isdigit() or word.lower() in NAME_PARTICLES
        for word in words
    ) and any(_capitalised(word) for word in words)


def _capitalised(word: str) -> bool:
    first = word[0]
    return first.isupper() or (first.isalpha() and first.lower() == first.upper())


def _people(lines: list[str]) -> tuple[list[str], str]:
    """Split name-like lines into authors and the publication.

    A line naming a newspaper ("… Post", "… Times") is the publication; failing
    that, the last of several lines is, unless it only repeats an author.
    """
    lines = _unique(lines)
    publication = next((line for line in lines if _is_publication(line)), "")
    if not publication and len(lines) > 1 and not BYLINE_LABEL.match(lines[-1]):
        earlier = {
            name.casefold() for line in lines[:-1] for name in split_authors(line)
        }
        if any(name.casefold() not in earlier for name in split_authors(lines[-1])):
            publication = lines[-1]
    authors = [
        name
        for line in lines
        if line != publication
        for name in split_authors(line, exclude=publication)
    ]
    return _unique(authors), publication


def _is_publication(line: str) -> bool:
    """A name-like line naming a newspaper, agency or broadcaster."""
    if BYLINE_LABEL.match(line):
        return False
    words = {word.strip(".,").lower() for word in line.split()}
    return bool(words & PUBLICATION_WORDS)


# The body and what is printed around it

# A box of links to other stories: "Related", "Most Read", "Lesen Sie auch:" …
RELATED_LABEL = re.compile(
    r"^(?:related(?:\s+(?:stories|articles|coverage|content|links|reading))?|"
    r"most\s+(?:read|popular|viewed)|more\s+(?:from|on|stories|news)\b[^.]*|"
    r"(?:see|read)\s+also|also\s+read|read\s+more|recommended(?:\s+stories)?|"
    r"trending|top\s+stories|(?:related\s+)?topics|tags|themen|schlagwörter|"
    r"etiquetas|mots[-\s]clés|more\s+on\s+this\s+story|"
    r"you\s+may\s+also\s+like|lesen\s+sie\s+(?:auch|mehr)|mehr\s+zum\s+thema|"
    r"das\s+könnte\s+sie\s+(?:auch\s+)?interessieren|weitere\s+artikel|"
    r"lire\s+(?:aussi|également)|à\s+lire\s+aussi|voir\s+aussi|sur\s+le\s+même\s+sujet|"
    r"le\s+puede\s+interesar|te\s+puede\s+interesar|lea\s+también|lee\s+también|"
    r"relacionad[ao]s?|noticias\s+relacionadas|ver\s+también)"
    r"\s*(?::|$)",
    re.IGNORECASE,
)
# An upper-case promo label glued to a link: "PREVIOUS Cost-of-living …".
PROMO_LABEL = re.compile(
    r"^(?:PREVIOUS|NEXT|RELATED|READ MORE|MORE|WATCH|LISTEN|VIDEO|PHOTOS|FOTOS|"
    r"GALLERY|LIVE|SEE ALSO|ALSO READ)\b:?\s+\S"
)
# The heading of an editor's box inside the story: "About this series".
INFO_LABEL = re.compile(
    r"^(?:about\s+this\s+(?:series|story|project|report|article)|"
    r"editor['’]s\s+note|note\s+to\s+readers|"
    r"fact\s*box|key\s+facts|factbox|background|hintergrund|contexte)\s*:?$",
    re.IGNORECASE,
)
# A note from the desk printed with the story: "Editor's note: …".
EDITORS_NOTE = re.compile(
    r"^(?:editor['’]s\s+note|note\s+to\s+(?:readers|editors)|"
    r"anm\.\s+d\.\s+red\.|anmerkung\s+der\s+redaktion|nota\s+del\s+editor|"
    r"nota\s+de\s+la\s+redacción|note\s+de\s+la\s+rédaction)\s*[:.–—-]\s*\S",
    re.IGNORECASE,
)
CONTRIBUTED = (
    re.compile(
        r"^(?P<names>[^.:;]+?)\s+(?:also\s+)?contributed"
        r"(?:\s+(?:reporting|additional\s+reporting|to\s+this\s+(?:report|story|article)))?"
        r"(?:\s+(?:from|in)\s+[^.]+)?\.?$",
        re.IGNORECASE,
    ),
    re.compile(
        r"^\(?(?:additional\s+|with\s+)?reporting\s+(?:by\s+)?(?P<names>[^;()]+?)"
        r"(?:[;,]\s*(?:writing|editing)\s+by\s+[^()]+)?\.?\)?$",
        re.IGNORECASE,
    ),
)
CORRECTION_NOTE = re.compile(
    r"^(?:\*?\s*(?:correction|clarification|corrigendum|berichtigung|"
    r"korrektur|rectificatif|fe de erratas|corrección|aclaración)\b\s*[:.–—-]"
    r"|(?:an?\s+)?(?:earlier|previous)\s+version\s+of\s+this\s+"
    r"(?:story|article|report)"
    r"|this\s+(?:story|article|report)\s+(?:has\s+been|was)\s+"
    r"(?:corrected|updated\s+to\s+correct|amended))",
    re.IGNORECASE,
)
PROVENANCE_NOTE = re.compile(
    r"\b(?:originally|first)\s+(?:appeared|published|ran)\b"
    r"|^this\s+(?:story|article|report)\s+(?:was|is)\s+(?:produced|published|"
    r"republished|reproduced|reprinted)\b"
    r"|^(?:republished|reprinted|reproduced)\s+(?:with\s+permission\s+)?from\b",
    re.IGNORECASE,
)
RIGHTS_NOTE = re.compile(
    r"^(?:copyright\b|©|\(c\)\s*\d)|all\s+rights\s+reserved|"
    r"^this\s+material\s+may\s+not\s+be\s+published|"
    r"^\(?(?:writing|editing|compiled|graphics|production)\s+by\b[^.]{0,120}\)?\.?$",
    re.IGNORECASE,
)
REPORTED_FROM = re.compile(r"^[^.]{2,80}?\breported\s+from\b", re.IGNORECASE)
AUTHOR_CARD_LABEL = re.compile(
    r"^(?:contact\s+the\s+authors?|about\s+the\s+authors?|follow\s+\S.{0,60}\s+on|"
    r"email\s+the\s+authors?|more\s+from\s+the\s+authors?)\b.{0,80}$",
    re.IGNORECASE,
)
# "– Jane Roe" at the very end: the author's sign-off.
SIGN_OFF = re.compile(r"^[–—―-]\s*(?P<name>\S.{1,60})$")
BIO_VERB = re.compile(r"^\s*(?:is|was|es|est|ist|covers|writes|reports)\b", re.I)
QUOTE_OPEN = "“\"«„‘'‚‹"
QUOTE_CLOSE = "”\"»“’'‘›"


def _end_notes(body: list[str], head: _Head) -> int:
    """How many blocks at the end of the body are end notes, taking what they
    say: contributors, corrections, provenance, an author's sign-off."""
    authors = {name.casefold() for name in _people(head.names)[0]}
    count = 0
    for block in reversed(body[1:]):
        kind = _end_note(block, authors)
        if kind is None:
            break
        count += 1
        if kind == "card" and (outlet := _outlet_in(block)):
            head.card_outlet = outlet
        if kind == "contributors":
            names = next(
                _contributor_names(match["names"])
                for pattern in CONTRIBUTED
                if (match := pattern.match(block))
            )
            head.contributors[:0] = names
        elif kind == "correction":
            head.corrections.insert(0, block)
        elif kind == "provenance":
            head.provenance.insert(0, block)
        elif kind == "signoff":
            head.signoff = split_authors(_signoff_name(block))
            authors.update(name.casefold() for name in head.signoff)
    return count


def _end_note(block: str, authors: set[str]) -> str | None:
    if CORRECTION_NOTE.match(block):
        return "correction"
    if len(block) > 400:
        return None
    if PROVENANCE_NOTE.search(block) and len(block) < 300:
        return "provenance"
    if RIGHTS_NOTE.search(block) or REPORTED_FROM.match(block):
        return "note"
    if AUTHOR_CARD_LABEL.match(block) or _FURNITURE_BLOCK.match(block):
        return "card"
    if any(
        (match := pattern.match(block)) and _contributor_names(match["names"])
        for pattern in CONTRIBUTED
    ):
        return "contributors"
    folded = block.casefold()
    for name in authors:
        if folded == name or (
            folded.startswith(name) and BIO_VERB.match(block[len(name) :])
        ):
            return "card"
    if _signoff_name(block):
        return "signoff"
    return None


_CAPITALISED_RUN = re.compile(r"(?:[A-Z][\w&.'’-]*\s+)*[A-Z][\w&.'’-]*")


def _outlet_in(card: str) -> str:
    """The newspaper or broadcaster an author card names, or ""."""
    for match in _CAPITALISED_RUN.finditer(card):
        name = match[0].rstrip(".")
        if _ends_like_outlet(name):
            return name
    return ""


def _signoff_name(block: str) -> str:
    """The name in "– Jane Roe" or "Auteur: Jane Roe", or ""."""
    if (match := SIGN_OFF.match(block)) and _is_name_like(match["name"]):
        return match["name"]
    if (found := _labelled_byline(block)) and found[0] and not found[2]:
        return " and ".join(found[0])
    return ""


# "Associated Press writer Jane Roe in Rome": the names without job and place.
_CONTRIBUTOR_JOB = re.compile(
    r"^.*?\b(?:writers?|reporters?|correspondents?|photographers?|staff)\s+",
    re.IGNORECASE,
)
_CONTRIBUTOR_PLACE = re.compile(r"\s+(?:in|from|at)\s+[A-Z][^,;&]*")


def _contributor_names(text: str) -> list[str]:
    """The names in a contributor line, or [] when it names no one."""
    names = []
    for part in AUTHOR_SEPARATOR.split(_CONTRIBUTOR_PLACE.sub("", text)):
        name = _CONTRIBUTOR_JOB.sub("", part).strip(" .")
        if name:
            names.append(name)
    if names and all(_is_name_like(n) and len(n.split()) <= 5 for n in names):
        return _unique(names)
    return []


def _names_only(text: str) -> bool:
    names = split_authors(text)
    return bool(names) and all(
        _is_name_like(name) and len(name.split()) <= 5 for name in names
    )


def _body(blocks: list[str]) -> tuple[list[str], list[str]]:
    """The story's paragraphs, and its body as HTML (paragraphs and subheads),
    leaving out the page furniture printed among them."""
    kept: list[tuple[str, str]] = []  # ("p" or "h2", text)
    dropped_captions: set[str] = set()
    index = kept_last = 0
    words = _Words(blocks)
    dropped: set[int] = set()  # blocks left out as pull quotes
    while index < len(blocks):
        block = blocks[index]
        following = blocks[index + 1] if index + 1 < len(blocks) else ""
        first = index == 0
        index += 1
        if first:
            kept.append(("p", block))
            kept_last = 0
            continue
        if _FURNITURE_BLOCK.match(block):
            continue
        if RELATED_LABEL.match(block) or PROMO_LABEL.match(block):
            if len(block.lines) == 1 and RELATED_LABEL.fullmatch(block.strip()):
                index = _skip_links(blocks, index)
            continue
        if EDITORS_NOTE.match(block):
            continue
        if INFO_LABEL.match(block):
            if following and not _dateline(following) and len(following) < 1200:
                index += 1  # the box's text
            continue
        if _credit_only(block):
            # "Photo: X" under the caption printed just before it; a credit in
            # brackets alone is a graphic's whole caption.
            if (
                kept_last == index - 2
                and kept[-1][0] == "p"
                and len(kept) > 1
                and _caption_like(kept[-1][1])
                and not (
                    block.startswith("(") and not CREDIT_LABEL.match(block.strip("() "))
                )
                and not SOURCE_LABEL.match(block)  # printed above its caption
            ):
                dropped_captions.add(_loose(kept.pop()[1]))
            continue
        if (
            _caption_credit(block)
            or _trailing_credit(block)
            or _loose(block) in dropped_captions
        ):
            dropped_captions.add(_loose(block))
            continue
        if _is_card(block):
            continue
        if _pull_quote(block, index - 1, words, dropped):
            dropped.add(index - 1)
            continue
        if following and _is_subhead(block, following):
            kept.append(("h2", block))
            kept_last = index - 1
            continue
        kept.append(("p", block))
        kept_last = index - 1
    paragraphs = [text for tag, text in kept if tag == "p"]
    parts = [f"<{tag}>{html.escape(text)}</{tag}>" for tag, text in kept]
    return paragraphs, parts


_LAST_STOP = re.compile(r".*[.!?…។]\s")


def _trailing_credit(block: str) -> bool:
    """A caption whose credit trails its last sentence with no stop of its
    own: "… on the quay at dawn. Tom Breck/Courier" (a paragraph of the story
    ends with a full stop)."""
    text = block.rstrip(" \u200b\u200c\u200d")
    if not 40 <= len(text) <= 600 or _SENTENCE_END.search(text):
        return False
    match = _LAST_STOP.match(text)
    if not match:
        return False
    tail = text[match.end() :].strip()
    return 0 < len(tail.split()) <= 5 and ("/" in tail or _is_name_like(tail))


class _Words:
    """The words of each block, loosely compared, worked out when first asked."""

    def __init__(self, blocks):
        self.blocks = blocks
        self.sets = {}

    def __len__(self):
        return len(self.blocks)

    def __getitem__(self, index):
        if index not in self.sets:
            self.sets[index] = set(_loose(self.blocks[index]).split())
        return self.sets[index]


def _caption_like(block: str) -> bool:
    """Short and quoting no one: what a caption looks like."""
    return len(block) < 350 and not any(mark in block for mark in '“”"«»„')


def _skip_links(blocks: list[str], index: int) -> int:
    """Past the links of a box headed "Related": each a short title, maybe
    followed by its authors' names; all the rest when only titles remain."""
    if all(not _body_like(block) for block in blocks[index:]):
        return len(blocks)
    taken = 0
    while index < len(blocks) and not _body_like(blocks[index]):
        title = blocks[index]
        after = blocks[index + 1] if index + 1 < len(blocks) else ""
        if after and _is_name_like(after) and _short_names(after):
            index += 2
        elif taken == 0 or _is_name_like(title) and _short_names(title):
            index += 1
        else:
            break
        taken += 1
    return index


def _body_like(block: str) -> bool:
    """A paragraph of prose: sentences, or long."""
    return bool(_SENTENCE_END.search(block)) or len(block.split()) > 25


_SENTENCE_END = re.compile(r"[.!?…។៖:;](?:[\"”’»)]*)[\s\u200b\u200c\u200d]*$")


def _is_subhead(block: str, following: str) -> bool:
    """A short line that is no sentence, before a paragraph: a subhead."""
    return (
        len(block.lines) == 1
        and len(block.split()) <= 14
        and len(block) <= 120
        and not _SENTENCE_END.search(block)
        and not _LAST_STOP.match(block)  # no sentence inside either
        and not _is_opening_quote_only(block)
        and _body_like(following)
    )


def _is_opening_quote_only(block: str) -> bool:
    return block[0] in '“"«„' and block[-1] in '”"»“'


def _is_card(block: str) -> bool:
    """A floated card: a name on one line, who they are on the next."""
    lines = [line for line in block.lines if line.strip()]
    return (
        len(lines) >= 2
        and len(block) <= 200
        and _is_name_like(lines[0])
        and len(lines[0].split()) <= 4
        and not _SENTENCE_END.search(block)
    )


def _pull_quote(block: str, index: int, words: "_Words", dropped: set) -> bool:
    """A quotation set apart that repeats words printed elsewhere in the story:
    most of its words stand in another block (or two blocks in a row). Of two
    near-identical blocks, the earlier is the one set apart."""
    text = block.strip()
    if not text or text[0] not in QUOTE_OPEN:
        return False
    own = words[index]
    if len(own) < 6:
        return False
    others = [number for number in range(len(words)) if number != index]
    for number in others:
        if number in dropped:
            continue
        after = number + 1
        pair = words[number] | (
            words[after]
            if after < len(words) and after != index and after not in dropped
            else set()
        )
        if len(own & pair) < 0.8 * len(own):
            continue
        near_identical = len(own & words[number]) >= 0.8 * len(own) and len(
            own & words[number]
        ) >= 0.8 * len(words[number])
        if not near_identical or index < number:
            return True
    return False


def _loose(text: str) -> str:
    """Text compared loosely: case, quotes, apostrophes and spacing aside."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"[\u200b\u200c\u200d\u2060\ufeff]", "", text)
    text = re.sub(r"[^\w\s]", "", text)
    return " ".join(text.split())


# Bylines

BYLINE_LABEL = re.compile(
    r"^(?:(?:by|von|av|par|por|door|di|przez|af)\s*:\s*|"
    r"(?:by|von|av|par|por|door|di)\s+(?=[^\W\d_]\S*\s+\S)|"
    r"(?:auteure?|autor(?:in|a)?|author|text|texto|texte|reporter(?:in)?|"
    r"written\s+by|words|redacción|redaction)\s*:\s*)",
    re.IGNORECASE,
)
JOB_WORDS = {"writer", "correspondent", "editor", "reporter", "staff", "producer",
             "columnist", "photographer", "contributor", "redakteur", "redakteurin",
             "korrespondent", "korrespondentin", "journaliste", "periodista",
             "corresponsal", "envoyé", "envoyée", "spécial", "special"}  # fmt: skip


def _labelled_byline(block: str):
    """(authors, publication, (published, updated) or None) for a byline that
    says it is one: "By A and B", "Von: A | 31.10.23", "A | Outlet | date"."""
    first = block.lines[0] if isinstance(block, _Block) else block
    first = first.strip()
    if len(first) > 200 or ("|" not in first and not BYLINE_LABEL.match(first)):
        return None
    parts = [part.strip() for part in re.split(r"\s+[|•·]\s+|\s*\|\s*", first)]
    parts = [part for part in parts if part]
    if not parts:
        return None
    labelled = bool(BYLINE_LABEL.match(parts[0]))
    names = _caps_name(BYLINE_LABEL.sub("", parts[0]).strip())
    dates = [found for part in parts[1:] if (found := _date_line(part))]
    if not (labelled or (len(parts) > 1 and dates)):
        return None
    if not names or not _is_name_like(names) and not labelled:
        return None
    authors = [_name_case(name) for name in split_authors(names)]
    outlets = [name for name in authors if _ends_like_outlet(name)]
    authors = [name for name in authors if name not in outlets]
    if not authors or not all(_is_name_like(name) for name in authors):
        return None
    others = [part for part in parts[1:] if not _date_line(part)]
    publication = next((part for part in others if _is_name_like(part)), "")
    publication = publication or (outlets[0] if outlets else "")
    return authors, publication, dates[0] if dates else None


def _caps_name(names: str) -> str:
    """ "JANE ROE AP Business Writer" → "JANE ROE": upper-case names followed by
    who they write for."""
    words = names.split()
    caps = []
    for word in words:
        if not (word.isupper() or not word.isalpha()):
            break
        caps.append(word)
    if not caps or len(caps) == len(words) or len(caps) < 2:
        return names
    while caps and caps[-1].strip(",").casefold() in WIRE_AGENCIES:
        caps.pop()
    return " ".join(caps).strip(", ") if len(caps) >= 2 else names


def _ends_like_outlet(name: str) -> bool:
    """ "The Island Times", "Daily Post": a name ending like a newspaper's."""
    words = name.split()
    return len(words) >= 2 and words[-1].strip(".,").casefold() in PUBLICATION_WORDS


def _is_job(name: str) -> bool:
    return any(word.strip(".,").casefold() in JOB_WORDS for word in name.split())


def _name_case(name: str) -> str:
    """An upper-case name as a name is written: "JANE ROE" → "Jane Roe"."""
    letters = [c for c in name if c.isalpha()]
    if len(letters) < 2 or not name.isupper():
        return name
    return re.sub(r"[^\W\d_]+", lambda word: word[0].capitalize(), name)


# Dates

_DATE_PARSER = None
DATE_LANGUAGES = ["en", "fr", "de", "es", "it", "pt", "nl", "km"]
# Words printed before a date: "Posted:", "Updated", "Publié le", "am".
DATE_LABEL = re.compile(
    r"^(?P<label>(?:first\s+)?(?:posted|published|publication|updated|last\s+updated|"
    r"modified|publié|publiée|modifié|modifiée|mis\s+à\s+jour|mise\s+à\s+jour|"
    r"actualisé|geändert|modificado|"
    r"veröffentlicht|aktualisiert|zuletzt\s+aktualisiert|stand|"
    r"publicado|actualizado|actualización|date|datum|fecha)?)"
    r"\s*(?:on|at|le|am|el|the)?\s*[:.]?\s*(?:(?:on|le|am|el)\s+)?",
    re.IGNORECASE,
)
UPDATE_WORDS = ("updat", "modif", "mis", "mise", "actualis", "aktualis", "stand",
                "actualiz", "last", "geändert")  # fmt: skip
_HAS_TIME = re.compile(
    r"\d{1,2}\s*(?::|h\b|h\d)\s*\d{0,2}|\d\s*[ap]\.?\s?m\b"
    r"|\b\d{1,2}\.\d{2}\s*(?:uhr\b|[A-Z]{2,5}\b)",
    re.I,
)
_ONLY_TIME = re.compile(
    r"^(?:um\s+|à\s+|at\s+|a\s+las\s+)?\d{1,2}[:.h]\d{2}(?::\d{2})?\s*"
    r"(?:[ap]\.?\s?m\.?)?(?:\s*(?:uhr|[a-z]{2,5}|[+-]\d{2}:?\d{2}))?$",
    re.I,
)


# Where a line of dates splits: "… / Updated …", "…, modifié le …".
_DATE_SEGMENTS = re.compile(
    r"\s+[/|·•]\s+|\s+[–—]\s+|[,;]\s+(?=(?:last\s+)?(?:updated|modified|modifié|"
    r"mis\s+à\s+jour|mise\s+à\s+jour|actualizado|aktualisiert|geändert)\b)",
    re.IGNORECASE,
)
# A date line gives a year, or the day, month and year in figures.
_DATED = re.compile(
    r"(?<![\d.,])\d{4}(?![\d.,]\d)|(?<!\d)\d{1,2}[./-]\d{1,2}[./-]\d{2,4}(?!\d)"
)


def _date_parser():
    global _DATE_PARSER
    if _DATE_PARSER is None:
        from dateparser.date import DateDataParser

        _DATE_PARSER = DateDataParser(
            languages=DATE_LANGUAGES,
            settings={
                "STRICT_PARSING": True,
                "DATE_ORDER": "DMY",
                "PREFER_DATES_FROM": "past",
                "PARSERS": ["timestamp", "custom-formats", "absolute-time"],
            },
        )
    return _DATE_PARSER


def _date_line(block: str):
    # Each block is asked about more than once, and an archive repeats dates.
    # A time the copy gives without a zone is in the newsroom's (looked up
    # each time: the cache holds what the text says, not the settings).
    found = _cached_date_line(str(block))
    if found is None:
        return None
    return tuple(
        _aware(value)
        if isinstance(value, datetime.datetime) and value.tzinfo is None
        else value
        for value in found
    )


@functools.lru_cache(maxsize=4096)
def _cached_date_line(block: str):
    """(published, updated) for a line that is only a date (and time), each a
    date, an aware datetime or None; None when the line is not a date line.

    A date-shaped line naming a day that does not exist raises ParseError.
    """
    text = block.replace("\u00a0", " ").replace("\u200b", "").strip()
    if not text or len(text) > 120 or not any(c.isdigit() for c in text):
        return None
    segments = [s.strip() for s in _DATE_SEGMENTS.split(text)]
    published = updated = None
    pending = []  # (is_update, text)
    for segment in segments:
        if pending and _ONLY_TIME.match(segment):
            pending[-1] = (pending[-1][0], f"{pending[-1][1]} {segment}")
            continue
        label = DATE_LABEL.match(segment)
        is_update = label["label"].casefold().startswith(UPDATE_WORDS)
        rest = (
            segment[label.end() :].strip() if label["label"] or label.end() else segment
        )
        pending.append((is_update, rest))
    for is_update, rest in pending:
        value = _one_date(rest, block)
        if value is None:
            return None
        if is_update:
            updated = updated or value
        elif published is None:
            published = value
        else:
            updated = updated or value
    return published, updated


def _one_date(text: str, block: str):
    text = text.strip(" ,.;") if not text.endswith((".m.",)) else text.strip(" ,;")
    words = text.split()
    if not words or len(words) > 9 or len(text) > 60 or not _DATED.search(text):
        return None
    # More words than a month, a weekday and a label ("Uhr") make no date.
    if sum(len(w) > 3 and w.isalpha() for w in map(_bare, words)) > 3:
        return None
    if PICTURE_FILE.match(text):
        return None
    if (day := _standard_date(text)) is not None:
        return day
    found = _date_parser().get_date_data(text)
    value = found.date_obj
    if value is None:
        if re.search(r"\b\d{4}\b", text) and re.search(r"\b\d{1,2}\b", text):
            changed = re.sub(r"\b(?:3[0-9]|29)\b", "1", text, count=1)
            if changed != text and _date_parser().get_date_data(changed).date_obj:
                raise ParseError(f"impossible date {_quote(block)}")
        return None
    if not _HAS_TIME.search(
        re.sub(r"\b\d{4}\b|\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b", "", text)
    ):
        return value.date()
    return value  # naive when the copy names no zone


# A day in ISO 8601 or with an English month name, as the standard library
# reads them exactly, skips dateparser's language detection (about 0.6 ms a
# distinct date line): the form most copy uses. Anything else — other
# languages, times, zones, figures only — is dateparser's.
_STANDARD_DAY_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%b. %d, %Y", "%d %B %Y", "%d %b %Y")


def _standard_date(text: str) -> datetime.date | None:
    if text[:1].isdigit() and len(text) == 10:
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            return None
    if not text[:1].isalnum():
        return None
    for form in _STANDARD_DAY_FORMATS:
        try:
            return datetime.datetime.strptime(text, form).date()  # noqa: DTZ007 (a day)
        except ValueError:
            continue
    return None


def _bare(word: str) -> str:
    return word.strip(".,:;()")


def _aware(value: datetime.datetime) -> datetime.datetime:
    from django.utils import timezone

    return timezone.make_aware(value, timezone.get_default_timezone())


def _midnight(day: datetime.date) -> datetime.datetime:
    return _aware(datetime.datetime.combine(day, datetime.time.min))


# Datelines, captions and credits

# Labels printed like a dateline that name no place: "BREAKING: …".
NOT_PLACES = {"breaking", "breaking news", "update", "updated", "exclusive", "watch",
              "analysis", "opinion", "editorial", "live", "video", "photos",
              "correction", "clarification", "note", "editor's note",
              "editor’s note", "eilmeldung", "exklusiv", "dernière minute",
              "última hora", "urgente", "factbox", "explainer", "q&a"}  # fmt: skip
# Combining marks that are part of words in Indic and Southeast Asian scripts
# (Khmer vowel signs are not word characters to ``re``).
_MARKS = "\u0300-\u036f\u0900-\u0dff\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff"
# "PHNOM PENH – ", "MOSCOW (AP) — ", "LONDON (Reuters) - ", "BANGKOK: ",
# "WASHINGTON • ", "TEGUCIGALPA, HONDURAS.- ", "SEOUL, South Korea — ".
DATELINE = re.compile(
    r"^(?P<place>[^\W\d_][\w.,'’/ \u200b" + _MARKS + r"-]{0,80}?)"
    r"(?:,\s*(?P<date>[A-Z][a-z]{2,8}\.?\s+\d{1,2}|\d{1,2}\s+[^\W\d_]{3,9}\.?))?"
    r"(?:\s*\((?P<agency>[^()\d]{2,30})\))?"
    r"\s*(?P<sep>--|\.-|[–—‒―_-]|•|:)\s+"
)


# "AP", "Reuters", "dpa", "Agence France-Presse": a name, not a remark.
_AGENCY = re.compile(r"(?:[A-Z][\w.&'/-]*|[a-z]{2,4})(?:\s+[A-Z][\w.&'/-]*){0,3}")


def _dateline(paragraph: str) -> tuple[str, str, str] | None:
    """Split a dateline from a paragraph: (place, agency, text), or None."""
    match = DATELINE.match(paragraph)
    if not match:
        return None
    place = match["place"].replace("\u200b", "").strip(" ,.")
    agency = (match["agency"] or "").strip()
    text = paragraph[match.end() :].strip()
    letters = sum(c.isalpha() for c in place)
    if letters < 2 or not text or len(place.split()) > 10:
        return None
    leading = place.split(",")[0]
    if leading != leading.upper() and not (agency and leading.istitle()):
        return None
    if place.casefold() in NOT_PLACES:
        return None
    if match["sep"] == ":" and (len(place.split()) > 3 or not text[0].isupper()):
        return None
    if agency and not _AGENCY.fullmatch(agency):
        return None
    return place, agency, text


# "… PHOTO: AGENCY", "… Photo: X", "Credit: X", "… Photograph by X".
CREDIT_LABEL = re.compile(
    r"(?:(?:^|(?<=\s))(?:photo(?:graph)?s?|pictures?|pic|image|credit|fotos?|"
    r"bild(?:er)?|imagen|crédit(?:\s+photo)?)\s*:"
    r"|(?:^|(?<=[.!?|]\s))(?:photo(?:graph)?|picture)\s+by\b)"
    r"\s*(?P<credit>[^:]+?)\.?$",
    re.IGNORECASE,
)
# "Image source, Agency" and "Image caption, …" as some sites print them.
SOURCE_LABEL = re.compile(r"^(?:image|picture|photo|video)\s+source\s*[,:]\s*", re.I)
CAPTION_LABEL = re.compile(r"^(?:image|media|photo|video)\s+caption\s*[,:]\s*", re.I)
# Words that say a bracket at the end of a paragraph is a picture credit.
CREDIT_WORDS = re.compile(
    r"[/|]|\b(?:photo|foto|getty|images?|reuters|ap|afp|epa|dpa|ansa|xinhua|"
    r"file|courtesy|handout|pool|screenshot|captura|archive|archiv|bild)\b",
    re.IGNORECASE,
)


def _credit_only(block: str) -> bool:
    """A block that is only a picture credit: "Photo: X", "(X/Agency)",
    "Jane Roe / AFP - Getty Images"."""
    if len(block) > 120:
        return False
    if (match := CREDIT_LABEL.match(block)) and match.start() == 0:
        return True
    if block.startswith("©") and len(block) <= 80 and "reserved" not in block.lower():
        return True
    if SOURCE_LABEL.match(block):
        return True
    if block.startswith("(") and block.endswith(")") and CREDIT_WORDS.search(block):
        return block.count("(") == 1
    return (
        len(block.split()) <= 12
        and bool(
            re.search(
                r"\s[/|]\s|/\s?(?:AFP|AP|Reuters|EPA)\b|getty images", block, re.I
            )
        )
        and not _SENTENCE_END.search(block)
        and _is_name_like(block.replace("/", " ").replace("|", " ").replace(" - ", " "))
    )


def _credit_text(block: str) -> str:
    if match := CREDIT_LABEL.match(block):
        return match["credit"].strip()
    if match := SOURCE_LABEL.match(block):
        return block[match.end() :].strip()
    return block.strip().strip("()").strip()


def _caption_credit(block: str) -> bool:
    """A caption that carries its credit: "… PHOTO: X", "… (Jane Roe/AP)".

    A bracket at the end counts only when it names a picture source, since a
    paragraph may end with any parenthesis.
    """
    if len(block) >= 600:
        return False
    if CAPTION_LABEL.match(block):
        return True
    if CREDIT_LABEL.search(block) and not _credit_only(block):
        return True
    match = CREDIT_BRACKETS.search(block)
    before = block[: match.start()].rstrip() if match else ""
    return bool(
        match
        and not PICTURE_POSITION.match(match["credit"].strip())
        and CREDIT_WORDS.search(match["credit"])
        and not match[0].endswith(".")
        and (not before or before[-1] in '.!?…។"”’»')
    )


def _photo(filename: str, caption: str, credit: str = "") -> PhotoData | None:
    """The picture named in the copy, its caption and credit split apart."""
    if not filename and not caption and not credit:
        return None
    if match := CREDIT_LABEL.search(caption):
        credit, caption = match["credit"], caption[: match.start()]
    elif (match := CREDIT_BRACKETS.search(caption)) and not PICTURE_POSITION.match(
        match["credit"].strip()
    ):
        credit, caption = match["credit"], caption[: match.start()]
    caption = CAPTION_LABEL.sub("", caption)
    return PhotoData(
        filename=filename, caption=caption.strip(" -–—|"), credit=credit.strip()
    )


# Small helpers


def _normalise_key_part(value: str) -> str:
    value = unicodedata.normalize("NFKC", value).casefold()
    value = re.sub(r"[^\w\s]", "", value)
    return " ".join(value.split())


def _unique(values: list[str]) -> list[str]:
    """Values without repeats (ignoring case), first occurrence kept."""
    seen: set[str] = set()
    result = []
    for value in values:
        if value.casefold() not in seen:
            seen.add(value.casefold())
            result.append(value)
    return result


def _quote(block: str) -> str:
    return repr(block if len(block) <= 60 else block[:57] + "...")


def _error(message: str, filename: str) -> ParseError:
    return ParseError(f"{filename}: {message}" if filename else message)
