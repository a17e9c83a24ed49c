"""Read "syndicated text" copy: a story pasted as plain text, block by block.

The usual layout is a headline, a standfirst, the author (byline and again on
the author card), the publication, a picture file name and its caption with a
credit, the date, then body paragraphs, the first opening with a dateline
("PHNOM PENH – …"). Real copy drops or reorders some of these, so blocks are
recognised by what they contain rather than only by where they stand.
"""

import codecs
import datetime
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

_MONTH_NAMES = (
    "january february march april may june july august september october"
    " november december"
).split()
MONTHS = {
    name: number
    for number, month in enumerate(_MONTH_NAMES, start=1)
    for name in (month, month[:3])
} | {"sept": 9}

_WEEKDAY = (
    r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
)
_ORDINAL = r"(?:st|nd|rd|th)?"
DATE_PATTERNS = (
    re.compile(  # March 25, 2024 / Mar. 25 2024 / Monday, March 25, 2024
        rf"^{_WEEKDAY}(?P<month>[a-z]{{3,9}})\.?\s+(?P<day>\d{{1,2}}){_ORDINAL},?"
        r"\s+(?P<year>\d{4})$",
        re.IGNORECASE,
    ),
    re.compile(  # 25 March 2024 / 25th Mar, 2024
        rf"^{_WEEKDAY}(?P<day>\d{{1,2}}){_ORDINAL}\s+(?P<month>[a-z]{{3,9}})\.?,?"
        r"\s+(?P<year>\d{4})$",
        re.IGNORECASE,
    ),
    re.compile(r"^(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})$"),
)

PICTURE_FILE = re.compile(r"^\S+\.(?:jpe?g|png|webp|gif)$", re.IGNORECASE)

# "PHNOM PENH – text", "WASHINGTON, DC -- text": capitals, then a dash and a space.
DATELINE = re.compile(r"^(?P<place>[^\W\d_][\w.,'’/ -]{0,60}?)\s*(?:--|[–—‒―-])\s+")

# "… PHOTO: AGENCY", "… Photo: X", "Credit: X", "… Photograph by X".
CREDIT_LABEL = re.compile(
    r"(?:(?:^|(?<=\s))(?:photo(?:graph)?s?|pictures?|pic|image|credit)\s*:"
    r"|(?:^|(?<=[.!?|]\s))(?:photo(?:graph)?|picture)\s+by\b)"
    r"\s*(?P<credit>[^:]+?)\.?$",
    re.IGNORECASE,
)
# "… (Jane Roe/Agency)" at the end of a caption.
CREDIT_BRACKETS = re.compile(r"\s*\((?P<credit>[^()]+)\)\.?$")
# Parentheses that say where someone stands, not who took the picture.
PICTURE_POSITION = re.compile(
    r"^(?:(?:second|third|far|front|back|top|bottom)\s+)?"
    r"(?:left|right|centre|center|middle|top|bottom|above|below|inset|file|"
    r"pictured|l-r|r-l|from left|from right|left to right)$",
    re.IGNORECASE,
)

BYLINE_PREFIX = re.compile(r"^(?:by|von|av|par|por|door)\s+(?=\S+\s+\S)", re.IGNORECASE)
AUTHOR_SEPARATOR = re.compile(r"\s*(?:,|;|&|\band\b|\bund\b|\boch\b)\s*")
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
    headline = blocks[0]
    if _parse_date(headline) or PICTURE_FILE.match(headline) or _is_prose(headline):
        raise ParseError(f"no headline: the copy begins with {_quote(headline)}")

    header, body = _split_header(blocks[1:])
    if not body:
        raise ParseError("no body paragraphs after the headline and its details")
    dateline, first = _dateline(body[0]) or ("", body[0])
    paragraphs = [first, *body[1:]] if first else body[1:]
    if not paragraphs:
        raise ParseError("no body paragraphs after the dateline")

    authors, publication = _people(header["names"])
    day = header["date"]
    return StoryData(
        format="text",
        identity=story_key(publication, headline, day),
        headline=headline,
        standfirst=header["standfirst"],
        authors=authors,
        publication=publication,
        published_on=day,
        dateline=dateline,
        paragraphs=paragraphs,
        body_html=paragraphs_to_html(paragraphs),
        photo=_photo(header["picture"], header["caption"]),
    )


def paragraphs_to_html(paragraphs: list[str]) -> str:
    """Each plain-text paragraph as an escaped ``<p>`` element, one a line."""
    return "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)


def split_authors(byline: str, *, exclude: str = "") -> list[str]:
    """Names in a byline: "By A, B and C" gives [A, B, C], without duplicates.

    A part equal to ``exclude`` (the publication, say) is left out.
    """
    byline = BYLINE_PREFIX.sub("", byline.strip())
    names: list[str] = []
    for part in AUTHOR_SEPARATOR.split(byline):
        name = part.strip(" .")
        if name and name.casefold() != exclude.casefold():
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
        else len(visible) - sum(map(str.isprintable, visible))
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
    """Blocks separated by blank lines, or lines when the copy has no blank lines."""
    chunks = _BLANK_LINE.split(text) if _BLANK_LINE.search(text) else text.split("\n")
    blocks = (_SPACES.sub(" ", " ".join(chunk.split("\n"))).strip() for chunk in chunks)
    return [block for block in blocks if block]


def _split_header(blocks: list[str]) -> tuple[dict, list[str]]:
    """Sort the blocks after the headline into story details and body."""
    header = {"standfirst": "", "names": [], "picture": "", "caption": "", "date": None}
    for index, block in enumerate(blocks):
        following = blocks[index + 1] if index + 1 < len(blocks) else ""
        if _dateline(block):
            return header, blocks[index:]
        if (day := _parse_date(block)) and header["date"] is None:
            header["date"] = day
        elif PICTURE_FILE.match(block) and not header["picture"]:
            header["picture"] = block
        elif _is_caption(block, header) and header["date"] is None:
            header["caption"] = block
        elif _is_name_like(block):
            header["names"].append(block)
        elif (
            header["date"] is None
            and not header["standfirst"]
            and (_is_detail(following) or _dateline(following))
        ):
            header["standfirst"] = block
        else:
            return header, blocks[index:]
    return header, []


def _is_prose(block: str) -> bool:
    """A body paragraph rather than a headline: long, or a dateline and a sentence."""
    return len(block) > 300 or (bool(_dateline(block)) and block[-1] in '."”’')


def _is_caption(block: str, header: dict) -> bool:
    """The block after a picture file name, or one ending with a photo credit."""
    if header["caption"]:
        return False
    if CREDIT_LABEL.search(block):
        return True
    return bool(header["picture"]) and not _is_name_like(block)


def _is_detail(block: str) -> bool:
    """Whether a block is one of the story's details rather than prose."""
    return bool(
        _parse_date(block)
        or PICTURE_FILE.match(block)
        or CREDIT_LABEL.search(block)
        or _is_name_like(block)
    )


def _is_name_like(block: str) -> bool:
    """A short line of capitalised words: a byline or a publication name.

    In a script without capitals (Chinese, Khmer, Thai…) every word counts as
    capitalised, so “王伟 and 李娜” is a byline too.
    """
    words = BYLINE_PREFIX.sub("", block).replace(",", " ").split()
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
    if not publication and len(lines) > 1 and not BYLINE_PREFIX.match(lines[-1]):
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
    if BYLINE_PREFIX.match(line):
        return False
    words = {word.strip(".,").lower() for word in line.split()}
    return bool(words & PUBLICATION_WORDS)


# Dates, datelines and pictures


def _parse_date(block: str) -> datetime.date | None:
    """The date a block states, or None when it is not a date line.

    A date-shaped line naming a day that does not exist raises ParseError.
    """
    for pattern in DATE_PATTERNS:
        if match := pattern.match(block):
            month = match["month"]
            month = int(month) if month.isdigit() else MONTHS.get(month.lower())
            if month is None:
                return None
            try:
                return datetime.date(int(match["year"]), month, int(match["day"]))
            except ValueError:
                raise ParseError(f"impossible date {_quote(block)}") from None
    return None


def _dateline(paragraph: str) -> tuple[str, str] | None:
    """Split "PLACE – text" into (place, text), or None without a dateline."""
    match = DATELINE.match(paragraph)
    if not match:
        return None
    place = match["place"].strip(" ,")
    if place != place.upper() or sum(c.isalpha() for c in place) < 2:
        return None
    return place, paragraph[match.end() :].strip()


def _photo(filename: str, caption: str) -> PhotoData | None:
    """The picture named in the copy, its caption and credit split apart."""
    if not filename and not caption:
        return None
    credit = ""
    if match := CREDIT_LABEL.search(caption):
        credit, caption = match["credit"], caption[: match.start()]
    elif (match := CREDIT_BRACKETS.search(caption)) and not PICTURE_POSITION.match(
        match["credit"].strip()
    ):
        credit, caption = match["credit"], caption[: match.start()]
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
