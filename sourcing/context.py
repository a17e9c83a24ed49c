"""A quote in its story: where its words are in the body, the sentences
around them, and who might have said it. Pure readers: no database.

The body is read as the importer reads HTML (``html_paragraphs``: plain
text, entities unescaped) and its people as the importer finds them
(``find_mentions``, the quote finder's reader), so the queue's suggestions
are the names the importer itself would have weighed.
"""

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from articles.importing.ninjs import html_paragraphs
from articles.importing.quotes import find_mentions
from people.names import normalise_name

_WORD = re.compile(r"[^\W_]+")
# A sentence ends at . ! or ? (and any closing quotation marks or brackets)
# followed by space and a capital, a digit or an opening quotation mark.
_SENTENCE_END = re.compile(r"[.!?…][\"”’»)\]]*\s+(?=[\"“‘«„(\[]?[^\W_a-zß-ÿ])")
_ABBREVIATION = re.compile(
    r"(?:^|\s)(?:Mr|Mrs|Ms|Mx|Dr|Prof|St|Jr|Sr|Gen|Col|Lt|Sgt|Capt|Rev|Gov|Sen"
    r"|Rep|No|vs|Mme|[A-Z])\.$"
)
# How much of a quote's words must be in a passage for it to be its closest match.
CLOSEST_SHARE = 0.6
NEARBY_PARAGRAPHS = 1  # mentions this many paragraphs away still count as nearby


def words_key(text):
    """A text's words without case or punctuation: quotes compared as typed."""
    return " ".join(_WORD.findall((text or "").casefold()))


def sentence_spans(text):
    """The (start, end) of each sentence of a paragraph."""
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        head = text[start : m.start() + 1]
        if _ABBREVIATION.search(head):
            continue
        end = m.end() - len(m[0]) + len(m[0].rstrip())
        spans.append((start, end))
        start = m.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans or [(0, len(text))]


@dataclass
class Context:
    """The quote's place in the body, as text to show (never HTML)."""

    found: bool = False
    exact: bool = False  # the quote's words, in order, as typed in the body
    paragraph: int | None = None
    before: str = ""  # the sentence before
    lead: str = ""  # the marked sentence up to the quote's words
    marked: str = ""  # the quote's words as the body has them
    trail: str = ""  # the marked sentence after them
    after: str = ""  # the sentence after
    start: int = 0  # the marked words' place in their paragraph
    end: int = 0


def _words_with_spans(text):
    return [(m.start(), m.end(), m[0].casefold()) for m in _WORD.finditer(text)]


def _exact(words, wanted):
    """The (first, last) index of ``wanted``'s words in a run of ``words``."""
    size = len(wanted)
    plain = [w for _, _, w in words]
    for i in range(len(plain) - size + 1):
        if plain[i] == wanted[0] and plain[i : i + size] == wanted:
            return i, i + size - 1
    return None


def _closest(words, wanted):
    """The span of ``words`` the quote's words best match, with the share of
    the quote's words matched in order; None when too few are."""
    wanted_set = set(wanted)
    plain = [w for _, _, w in words]
    if len(wanted_set & set(plain)) < CLOSEST_SHARE * len(wanted_set):
        return None
    matcher = SequenceMatcher(None, plain, wanted, autojunk=False)
    blocks = [b for b in matcher.get_matching_blocks() if b.size]
    matched = sum(b.size for b in blocks)
    if not blocks or matched < max(2, CLOSEST_SHARE * len(wanted)):
        return None
    return (blocks[0].a, blocks[-1].a + blocks[-1].size - 1), matched / len(wanted)


def locate(paragraphs, text):
    """Where ``text`` (a quote) is in ``paragraphs``: its words in order, or
    else the passage that holds most of them; ``Context(found=False)`` when
    none holds enough."""
    wanted = _WORD.findall((text or "").casefold())
    if not wanted:
        return Context()
    split = [_words_with_spans(p) for p in paragraphs]
    hit, exact = None, True
    for index, words in enumerate(split):
        if (span := _exact(words, wanted)) is not None:
            hit = index, span
            break
    if hit is None:
        exact, best = False, 0.0
        for index, words in enumerate(split):
            if (found := _closest(words, wanted)) is not None and found[1] > best:
                hit, best = (index, found[0]), found[1]
    if hit is None:
        return Context()
    index, (first, last) = hit
    start, end = split[index][first][0], split[index][last][1]
    if exact:  # the quote's own marks around its words (“<b>…”, “…?”)
        start, end = _with_ends(paragraphs[index], start, end, text.strip())
    return in_context(paragraphs, index, start, end, exact=exact)


_LEAD = re.compile(r"[\W_]*")
_TAIL = re.compile(r"[\W_]*$")


def _with_ends(paragraph, start, end, text):
    """``start``–``end`` widened to the quote's leading and trailing
    punctuation where the paragraph has it too."""
    lead, tail = _LEAD.match(text)[0], _TAIL.search(text)[0]
    if lead and paragraph[max(0, start - len(lead)) : start] == lead:
        start -= len(lead)
    if tail and paragraph[end : end + len(tail)] == tail:
        end += len(tail)
    return start, end


def in_context(paragraphs, index, start, end, *, exact):
    """The sentences around ``start``–``end`` of paragraph ``index``: the
    sentence before and after come from the paragraphs either side when the
    marked one opens or closes its paragraph."""
    text = paragraphs[index]
    spans = sentence_spans(text)
    inside = [n for n, (a, b) in enumerate(spans) if a < end and b > start] or [0]
    first, last = inside[0], inside[-1]
    if first > 0:
        a, b = spans[first - 1]
        before = text[a:b]
    elif index > 0:
        a, b = sentence_spans(paragraphs[index - 1])[-1]
        before = paragraphs[index - 1][a:b]
    else:
        before = ""
    if last + 1 < len(spans):
        a, b = spans[last + 1]
        after = text[a:b]
    elif index + 1 < len(paragraphs):
        a, b = sentence_spans(paragraphs[index + 1])[0]
        after = paragraphs[index + 1][a:b]
    else:
        after = ""
    return Context(
        found=True,
        exact=exact,
        paragraph=index,
        before=before.strip(),
        lead=text[spans[first][0] : start],
        marked=text[start:end],
        trail=text[end : spans[last][1]],
        after=after.strip(),
        start=start,
        end=end,
    )


@dataclass(frozen=True)
class Candidate:
    """A name that may be the quote's speaker, nearest first."""

    name: str
    key: str  # ``normalise_name(name)``: how it is matched to a Source
    kind: str = "person"
    description: str = ""
    placed: bool = True  # the finder reads it as a person (or organisation)
    why: str = ""


@dataclass
class StoryReading:
    """What the finder reads in one story: its paragraphs, the quotes with
    the speakers it gives them, and whom each sentence names."""

    paragraphs: list
    quotes: list = field(default_factory=list)  # QuoteData
    mentions: list = field(default_factory=list)  # Mention

    @classmethod
    def of(cls, body, *, authors=()):
        paragraphs = html_paragraphs(body or "")
        quotes, mentions = find_mentions(paragraphs, authors=authors)
        return cls(paragraphs, quotes, mentions)

    def speaker_of(self, text):
        """The speaker the finder gives ``text``'s words, if it finds them."""
        key = words_key(text)
        if not key:
            return None
        for found in self.quotes:
            other = words_key(found.text)
            if found.speaker and other and (key in other or other in key):
                return found.speaker
        return None

    def candidates(self, text, context):
        """The names that may have said ``text``, found at ``context``:
        whom the finder reads as its speaker, then the people and
        organisations named in its paragraph and the paragraphs either side,
        nearest to the quote's words first."""
        out = []
        speaker = self.speaker_of(text)
        if speaker:
            out.append(
                Candidate(speaker, normalise_name(speaker), why="said it, as read")
            )
        if context.found:
            nearby = []
            for order, mention in enumerate(self.mentions):
                apart = abs(mention.paragraph - context.paragraph)
                if apart > NEARBY_PARAGRAPHS:
                    continue
                nearby.append((apart, self._distance(mention, context), order, mention))
            for apart, _distance, _order, mention in sorted(nearby):
                out.append(
                    Candidate(
                        mention.name,
                        normalise_name(mention.name),
                        mention.kind,
                        mention.description if mention.kind == "person" else "",
                        mention.placed,
                        "named nearby" if apart else "named in the same paragraph",
                    )
                )
        seen, unique = set(), []
        for candidate in out:
            if candidate.key and candidate.key not in seen:
                seen.add(candidate.key)
                unique.append(candidate)
        return unique

    def _distance(self, mention, context):
        """How far (in characters) the mention's name is from the quote's
        words in the mention's paragraph; a name the sentence only implies
        (“she said”) counts as the length of that paragraph."""
        text = self.paragraphs[mention.paragraph]
        spots = [m.start() for m in re.finditer(re.escape(mention.name), text)]
        if not spots:
            return len(text)
        if mention.paragraph != context.paragraph:
            return (
                min(spots)
                if mention.paragraph > context.paragraph
                else (len(text) - max(spots))
            )
        return min(
            0
            if context.start <= spot < context.end
            else min(abs(spot - context.start), abs(spot - context.end))
            for spot in spots
        )
