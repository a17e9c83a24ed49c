"""Find who is quoted in a story and what each of them said.

Rule-based, no NLP library; the README ("Who said what") states the rules.

* quotations (“…”, "…", «…», „…“, ‚…‘, ‘…’, and paragraphs opened by a dash)
  are cut out of a paragraph and replaced by slots ``⟦n⟧`` first, so words
  inside a quotation never read as attribution;
* each sentence is searched for a *claim*: ``Speaker verb …`` (possibly after a
  leading clause or quotation), ``“…,” said Speaker``, ``according to X``, a
  participle clause (``…, saying …``), in English, French, German or Spanish
  (the verbs are data, ``_VERB_TABLE``), or a Khmer ``… ថា៖`` paragraph;
* a speaker is a pronoun, a name (with a description before it, or an
  appositive after it), a document ("the statement") or a role ("the mayor");
* pronouns, partial names and roles are resolved against earlier sentences,
  and only when exactly one person fits; otherwise the quote is kept with
  ``speaker=None`` for the desk: a wrong speaker is worse than none.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from people.names import COURTESY_TITLES, normalise_name

from .data import QuoteData, SourceData

# Names are normalised again and again while a story is read; the answer
# never changes.
_norm = lru_cache(maxsize=8192)(normalise_name)

_TITLES = COURTESY_TITLES | {
    *"general gen lieutenant lt colonel col captain capt admiral sergeant sgt".split(),
    *"commander president minister premier mayor councillor councilor".split(),
    *"governor senator judge sir dame director chief secretary ambassador".split(),
    *"chairman chairwoman chairperson spokesman spokeswoman spokesperson".split(),
    *"professor doctor inspector superintendent deputy king queen".split(),
    *"mme mlle herr frau".split(),
    *"bürgermeisterin ministerin präsidentin kanzler kanzlerin sprecher".split(),
    *"sprecherin ministra presidenta alcaldesa portavoz porte-parole".split(),
    *"ministre président présidente maire député ministro presidente".split(),
    *"alcalde diputado senador fiscal juez minister präsident bürgermeister".split(),
}
# "a également déclaré": an adverb between the parts of a compound verb.
_ADVERB_INSIDE = r"\s+(?:\w+ment\s+)?"
# Titles that say how to address someone, not what they do: never a description.
_COURTESY = COURTESY_TITLES | {
    *"m mme mlle herr frau sr sra srta dra señor señora sir dame".split()
}
# Short forms that are titles only with their full stop ("Sen." but "Hun Sen").
_DOTTED_TITLES = frozenset("rep sen gov maj adm cmdr rev sr sra srta dra m".split())


@lru_cache(maxsize=8192)
def _is_title(word: str) -> bool:
    bare = word.rstrip(".").casefold()
    return bare in _TITLES or (word.endswith(".") and bare in _DOTTED_TITLES)


# Reporting verbs, as data: one table per language; "_" joins the words of a
# compound form ("a_déclaré").
_VERB_TABLE = {
    "en": "said says added adds explained explains opined noted stressed argued"
    " claimed insisted warned stated believes believed thinks suggested"
    " acknowledged admitted confirmed announced told asked replied continued"
    " wrote described emphasised emphasized observed remarked maintained"
    " concluded recalled conceded tells recounted pointed_out went_on goes_on",
    "fr": "déclare dit affirme ajoute explique estime précise souligne indique"
    " raconte poursuit assure confie insiste rappelle a_déclaré a_dit"
    " a_affirmé a_ajouté a_expliqué a_estimé a_précisé a_souligné a_indiqué"
    " a_raconté a_poursuivi a_assuré a_confié a_insisté a_rappelé"
    " avait_déclaré avait_affirmé avait_estimé avait_dit",
    "de": "sagte sagt erklärte erklärt betonte betont meinte meint ergänzte"
    " ergänzt berichtete berichtet sagten erklärten so",
    "es": "dijo afirmó señaló explicó aseguró añadió agregó indicó comentó"
    " declaró manifestó sostuvo expresó respondió advirtió dice afirma señala"
    " explica asegura añade agrega indica",
}
_VERBS = "|".join(
    sorted(
        {
            _ADVERB_INSIDE.join(map(re.escape, verb.split("_")))
            for words in _VERB_TABLE.values()
            for verb in words.split()
        },
        key=len,
        reverse=True,
    )
)
# "a-t-il déclaré", "a-t-elle ajouté": the French inverted pronoun.
_FR_INVERTED = r"a-t-(?:il|elle)\s+\w+"
_ORG_WORDS = frozenset(
    "Council Ministry Department Union Army Forces Police Hospital University"
    " Academy Institute Company Corporation Inc Ltd Group Agency Authority"
    " Association Federation Committee Commission Office Bank Court Party"
    " Government Foundation Board Service Trust Club School College Society"
    " Embassy Parliament Assembly Coalition Alliance Centre Center Bureau"
    " Ministerium Regierung Polizei Partei Ministère Gouvernement Parti"
    " Ministerio Gobierno Fiscalía Policía Partido Tribunal Corte"
    " International Watch Network Organization Organisation Fund Studies Press"
    " News Times Journal Herald Media Television Radio Airlines Airways"
    " Motors Technologies Systems Partners Holdings Industries Corp LLC Co"
    " Initiative Project Programme Program Campaign Movement Front League"
    " Nations Ministère Conseil Commission Agence Institut"
    " Stiftung Verband Verein Gesellschaft Agentur Instituto Asociación"
    " Comisión Consejo Fundación Agencia Team Unit Taskforce".split()
)
_NOT_NAMES = frozenset(
    "The A An On In At During After Before While When But And Or However This"
    " Meanwhile Yesterday Today Last That These Those It He She They We I You"
    " Some Many Most Several According If As For With From Since Asked Both"
    " Officials Critics Experts Residents Others Instead There Finally Then"
    " Now Still Yet So Also Even Here Later Earlier Thus Asked Speaking"
    " Le La Les Un Une Il Elle Der Die Das Ein Eine Er Sie El Los Las Una"
    " Pour Selon Dans Avec Pendant Après Avant Depuis Sans Chez Contre Mais Et"
    " Für Nach Bei Mit Auf Seit Laut Aber Und Auch Im Am Vor"
    " Para Por Con Sin Desde Tras Según Pero Cuando Durante".split()
)
_NOT_DESC = frozenset("which that who whom where when and but as while if".split())

_DOCS = (
    r"press release|news release|statement|report|letter|memo|study|survey"
    r"|notice|announcement|communiqu[eé]|bulletin|audit|filing|ruling|circular"
)
_FINITE = r"\b(?:is|was|were|are|has|have|had|will|would|can|could)\b"
_ARTICLE = r"(?:[Aa]n?|[Tt]he|[Ii]ts|[Tt]heir)"
_UP = "A-ZÀ-ÖØ-ÞĀ-ſ"
_TITLE_WORD = (
    r"(?:Mr|Mrs|Ms|Dr|Prof|Gen|Col|Lt|Sgt|Capt|Maj|Adm|Rep|Sen|Gov|Rev|Sr|Sra"
    r"|Srta|Dra|Mme|Mlle|M)\.?"
)
# Scripts without capitals (Chinese, Japanese, Korean, Khmer, Thai, Arabic,
# Hebrew, Devanagari): any word in them may be a name and is kept as written.
_CASELESS = (
    "\u0590-\u05ff\u0600-\u06ff\u0900-\u097f\u0e00-\u0e7f\u1780-\u17ff"
    "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"
)
_CAP = (  # a capitalised word (O’Brien), or a word in a script without capitals
    rf"(?:[{_UP}][\w-]*(?:['’][{_UP}][\w-]*)?|[{_CASELESS}][\w-]*)"
)
_PARTICLE = r"(?:de|del|da|van|von|bin|ibn|al|le|la|y)"
# A middle initial ("David G. Victor") is part of a name, never its end.
_INITIAL = rf"[{_UP}]\."
_NAME = (
    rf"(?:{_TITLE_WORD}\s+)*{_CAP}"
    rf"(?:\s+(?:{_INITIAL}\s+)*(?:{_PARTICLE}\s+)?{_CAP})*"
)
_ORG = (
    rf"{_CAP}(?:['’]s)?"
    rf"(?:(?:\s+(?:of|and|for|on|the|de))*(?:\s+{_INITIAL})*\s+{_CAP}(?:['’]s)?)*"
)

# Quotation marks: “…”, "…", «…», „…“, ‚…‘, ‘…’ and ‘‘…’’.
_QUOTE = re.compile(
    r"„(?P<low>[^“”„]+)[“”]|‚(?P<lowsingle>[^‘’‚]+)[‘’]"
    r"|“(?P<curly>[^”“]+)(?:”|’’)|“(?P<unclosed>[^”“]+)$|\"(?P<straight>[^\"“”«»„<>{}]+)\""
    r"|«(?P<guillemets>[^»]+)»|«(?P<openguillemets>[^»«]+)$"
    r"|(?<![\w’])‘(?P<single>.+?)’(?!\w)"
)
_SLOT = re.compile(r"⟦(\d+)⟧")
_SLOT_END = re.compile(r"⟦(\d+)⟧$")
_LEADING_SLOTS = re.compile(r"^(?:⟦\d+⟧[\s,]*)+")
_ABBREV = re.compile(
    r"(?:^|\s)(?:Mr|Mrs|Ms|Dr|Prof|St|Gen|Col|Lt|Sgt|Capt|Rev|Jr|Sr|Sra|No|vs|Maj"
    r"|Rep|Sen|Gov|Adm|Mme|[A-Z]|(?:[A-Z]\.)+[A-Z])\.$"
)
_VERB = re.compile(
    rf"(?<!\S)(?:(?:also|later|then|further|earlier|previously|également"
    rf"|[a-z]+ly)\s+)?"
    rf"(?P<verb>{_VERBS}|{_FR_INVERTED})(?!\w)"
)
_INVERTED = re.compile(
    r"\s+(?P<who>[^,⟦]+?)(?:,\s+(?P<desc>[^⟦]+?))?[.!?]?(?:[,:;]?\s*⟦\d+⟧)*[.!?]?$"
)
_ACCORDING_WORDS = r"(?:[Aa]ccording to|[Ss]elon|[Ss]egún|[Ll]aut)"
_ACCORDING_LEAD = re.compile(rf"{_ACCORDING_WORDS} (?P<who>[^,⟦]+),\s*(?P<what>.+)")
_ACCORDING_TAIL = re.compile(
    rf"(?P<what>.+?),?\s+{_ACCORDING_WORDS} (?P<who>[^,⟦]+?)\.?"
)
_THAT = re.compile(
    r"(?:(?:adding|saying)\s+)?"
    r"(?:(?:on|in|at|during|last|this|earlier|later)\b[^,.⟦]{0,40}?\s+)?"
    r"(?:that|que|qu['’]|dass)\s*"
)
_TOLD = re.compile(r"\s+(?:[\w’'-]+\s+){1,4}?that\s+")

_PRONOUN = re.compile(r"(?i:he|she|they|it|il|elle|er|sie|él|ella|a-t-il|a-t-elle)")
_INTRO = re.compile(rf"(?P<name>{_NAME}),\s+(?P<desc>[a-z0-9].*)")
_APPOSITION = re.compile(
    rf"(?P<desc>(?:[Tt]he|[Aa]n?)\s+(?:(?!{_FINITE})[^,])+),\s+(?P<name>{_NAME})"
)
_DESC_NAME = re.compile(rf"(?P<desc>(?:[\w’'.-]+\s+){{0,4}}?)(?P<name>{_ORG})")
_ROLE = re.compile(rf"{_ARTICLE}\s+(?P<noun>[a-z][\w-]*(?:\s+[a-z][\w-]*){{0,2}})")
_DOC_WORDS = rf"(?P<pre>(?:(?!{_ARTICLE}\s)[\w’'-]+\s+){{0,4}}?)(?P<doc>{_DOCS})\b"
_ISSUED_BY = r"\s+(?:(?:issued|released|published)\s+)?(?:by|from|of)\s+(?:the\s+)?"
_DOC_SPEAKER = re.compile(
    rf"(?:{_ARTICLE}\s+)?{_DOC_WORDS}(?:{_ISSUED_BY}(?P<issuer>.+))?"
)
_DOC_MENTION = re.compile(
    rf"\b{_ARTICLE}\s+{_DOC_WORDS}(?:{_ISSUED_BY}(?P<issuer>{_ORG}))?"
)
_DESC_ARTICLES = (
    r"(?:an?|the|his|her|their|its|one|un|une|le|la|l['’]|el|una|der|die|ein|eine)"
)
_INTRO_START = re.compile(
    rf"(?P<name>{_NAME}),\s+(?P<desc>(?:{_DESC_ARTICLES}|\d)\b[^,]*),"
)
# Head nouns of a description that make "Name, a …," a place or a thing.
_THING_HEADS = frozenset(
    "province city town village country district region state river island"
    " capital area county commune port company firm group party newspaper"
    " agency organisation organization network territory nation suburb enclave"
    " municipality kingdom republic site facility building hospital school"
    " university neighborhood neighbourhood camp base capitale ville pays région"
    " commune île entreprise société journal ciudad país región provincia"
    " empresa periódico diario stadt land hauptstadt region gemeinde firma"
    " zeitung".split()
)
_POSSESSIVE = re.compile(r"['’]s$")
_RUN = re.compile(
    rf"(?<![\w’'-]){_CAP}(?:\s+(?:{_INITIAL}\s+)*(?:{_PARTICLE}\s+)?{_CAP})*"
)
# Words before a capitalised run that make it a place or a thing, not a person.
_PLACE_WORDS = frozenset(
    "in at from to near of on into across toward towards outside inside the a an"
    " en à au aux dans de du des le la les vers"
    " bei in im am an auf aus von vom zu zum zur mit nach gegen für über den dem"
    " der die das des"
    " en a al del desde hacia por para el los las".split()
)
# What marks a capitalised run as a person: an age before it ("25-year-old"),
# or "…, who" / "…, a …" after it.
_AGE = re.compile(r"\d+-(?:year|jährige|ans|años)")
_PERSON_AFTER = re.compile(
    r",\s+(?:who\b|whose\b|qui\b|quien\b|\d{1,3},|(?P<desc>(?:an?|un|une|una|ein|eine|le|la|el|der|die)\s+[\w-]+(?:\s+[\w-]+){0,3}))"
)
_RELATIVE = re.compile(r"(?:who|whose|qui|quien|que|der|die)\b")
_RELATIVE_TAIL = re.compile(r",\s+(?:who|whose|which|qui|quien|que)\b")
_AGE_ONLY = re.compile(r"\d{1,3}")
_INVISIBLE = " \u200b\u200c\u200d\u2060\ufeff\u00a0"
_BARE = " ,.;:!?–—-\u200b។៕៖"
_SPACES = str.maketrans("\u00a0\u202f\u2009", "   ")
_HAS_WORD = re.compile(r"[^\W_]")
# "Tennis-Olympiasieger Alexander Zverev": a compound noun before a name.
_COMPOUND_NOUN = re.compile(r"\w+-[a-zäöüßàâçéèêëîïôûùü]\w*")
_PARENTHESES = re.compile(r"\s*\([^()]*\)")
_ARTICLE_START = re.compile(r"(?<!\S)(?:the|le|la|el|der|die)\s")
# Words that tie a description to someone else: "the lawyer for …".
_LINK_WORDS = frozenset(
    "for of to with by from and or de du des la le à au von für mit und del para"
    " por y con".split()
)
# Khmer honorifics before a name: Mr, Mrs, Madam, Miss, Excellency.
_KHMER_LEAD = re.compile(
    "(?:លោកស្រី|អ្នកស្រី|កញ្ញា|ឯកឧត្តម|លោក)[\u200b\u200c\u200d ]+(?P<rest>.+)", re.S
)
_DASH_START = re.compile(r"(?:[—–]|-(?=\s))\s*(?=\w)")
_DASH_INNER = re.compile(
    r"(?P<quote>[^—–]+?)\s+[—–]\s*(?P<said>[^—–]+?)(?:[—–]\s*(?P<rest>.*))?"
)
_DASH_TAIL = re.compile(rf",\s+(?=(?:{_VERBS}|{_FR_INVERTED})(?!\w))")
# Verbs that report speech only right after the quotation („…“, so Anna Berg).
_AFTER_QUOTE_ONLY = frozenset({"so"})
_PRO_DROP = re.compile(r"\s*[.!?]?\s*")
_PARTICIPLE = re.compile(
    r",\s+(?P<verb>(?:saying|adding|noting|warning|arguing|insisting|explaining)"
    r"(?!\w)|telling\s+(?:[\w’'-]+\s+){1,6}?that\b|telling\s+[\w’'-]+)"
)
# A name opening a sentence, after at most a short lead ("Earlier Saturday, ")
# and before a verb in lower case.
_SUBJECT_START = re.compile(rf"(?:[^,]{{0,30}},\s+)?(?P<name>{_NAME})\s+(?=[a-zà-ÿ])")
_MARKUP = re.compile(
    r"</?[a-zA-Z][\w:-]*(?:\s[^<>]*)?/?>|\{\s*\"[\w@$:-]+\"\s*:|<!\[CDATA\["
)
# "a former mayor" is not who "the mayor" is.
_FORMER = frozenset(
    "former ex late retired ancien ancienne ehemalige exalcalde".split()
)
_NAME_AFTER_ROLE = re.compile(rf"(?P<name>{_NAME})(?:,\s+\d{{1,3}})?")
_LEADING_CONJUNCTION = re.compile(
    r"^(?:But|And|Yet|Still|However,?|Meanwhile,?|Mais|Et|Aber|Und|Doch|Pero|Y)\s+"
)
_ACRONYM = re.compile(r"\((?P<acronym>[A-Z][A-Z&]{1,9})\)")
_ORG_AT_END = re.compile(rf"(?<![\w’'-]){_ORG}$")
_LOOKBACK = 8
_MAX_VERBS = 12  # reporting verbs tried in one sentence
_MAX_HEAD = 400  # characters before a verb where its speaker is looked for


def _is_subject(text: str, m: re.Match) -> bool:
    """Whether a name is what its sentence is about: near the start, after at
    most a short lead ("Last week, ", "At that moment "), not after a
    preposition, and not a possessive ("Lee’s office")."""
    lead = text[: m.start()].split()
    if len(lead) > 5 or (lead and lead[-1].casefold() in _PLACE_WORDS | {"by"}):
        return False
    return not re.match(
        r"['’]s\b", text[m.end() :]
    )  # sentences a pronoun may reach back


def find_quotes(
    paragraphs: list[str], *, authors: Iterable[str] = ()
) -> tuple[list[SourceData], list[QuoteData]]:
    """Return the sources quoted in ``paragraphs`` and their quotes, in order."""
    reader = _read(paragraphs, authors)
    return reader.sources(), reader.quotes


@dataclass(frozen=True)
class Mention:
    """Someone a sentence names: a person the finder places (a speaker, a
    name with a title, description or age), or a run of capitalised words it
    could not place (``placed`` False: perhaps a person, perhaps a place)."""

    paragraph: int
    name: str
    kind: str = "person"  # "person" or "organisation"
    description: str = ""
    placed: bool = True


def find_mentions(
    paragraphs: list[str], *, authors: Iterable[str] = ()
) -> tuple[list[QuoteData], list[Mention]]:
    """The quotes in ``paragraphs`` (as ``find_quotes``) and, in reading
    order, whom each sentence names: speakers first, then the people and
    organisations it mentions. Bylined ``authors`` are never mentions."""
    reader = _read(paragraphs, authors)
    mentions: list[Mention] = []
    for seen in reader.history:
        keys = [seen.speaker, *seen.persons]
        for key in dict.fromkeys(k for k in keys if k):
            entity = reader.entities.get(key)
            if entity is not None and entity.kind != "document":
                mentions.append(
                    Mention(
                        seen.paragraph, entity.name, entity.kind, entity.description
                    )
                )
        for name in seen.unknown:
            mentions.append(Mention(seen.paragraph, name, placed=False))
        for name in dict.fromkeys(seen.orgs):
            mentions.append(Mention(seen.paragraph, name, "organisation", placed=False))
    return reader.quotes, mentions


def _read(paragraphs: list[str], authors: Iterable[str]) -> "_Reader":
    reader = _Reader(authors)
    flat: list[str] = []  # each paragraph's words, worked out when first needed
    for index, paragraph in enumerate(paragraphs):
        if _MARKUP.search(paragraph):
            continue  # HTML, XML or JSON that reached us as text: not prose
        if pulled := _quotation_only(paragraph):
            flat = flat or [_words(p) for p in paragraphs]
            if any(pulled in other for n, other in enumerate(flat) if n != index):
                continue  # a pull quote: read where its words come again
        reader.read(index, paragraph)
    return reader


def _words(text: str) -> str:
    return " ".join(re.findall(r"[^\W_]+", text.casefold()))


def _quotation_only(paragraph: str) -> str:
    """The words of a paragraph that is one quotation and nothing else, or "".

    Such a paragraph that another paragraph repeats is a pull quote set in
    the page: its speaker is the one where the words come again.
    """
    text = paragraph.strip(_INVISIBLE)
    if text[:1] not in '“"«„‘‚' or not (m := _QUOTE.fullmatch(text)):
        return ""
    words = _words(m.group(m.lastgroup))
    return words if len(words.split()) >= 4 else ""


@dataclass
class _Ref:
    """How a sentence names its speaker, before resolution."""

    kind: str  # "pronoun", "name", "doc" or "role"
    text: str
    description: str = ""
    issuer: str = ""
    introduced: bool = False  # named with a description or relative clause


@dataclass
class _Claim:
    """A sentence's attribution: who, with which verb, and what follows it."""

    ref: _Ref
    verb: str
    at: int
    rest: str
    lead: str = ""


@dataclass
class _Entity:
    name: str
    kind: str = "person"
    description: str = ""


@dataclass
class _Seen:
    """What one sentence offers to later pronouns and partial references."""

    attributed: bool
    speaker: str | None
    persons: list[str] = field(default_factory=list)
    orgs: list[str] = field(default_factory=list)
    docs: list[tuple[str, str]] = field(default_factory=list)  # (head word, key)
    unknown: list[str] = field(default_factory=list)  # names nobody has placed
    paragraph: int = 0
    subjects: set[str] = field(default_factory=set)  # whom the sentence is about


def _is_org(name: str) -> bool:
    return any(_POSSESSIVE.sub("", w) in _ORG_WORDS for w in name.split())


@lru_cache(maxsize=8192)
def _is_org_name(name: str) -> bool:
    """An organisation's name, once any personal title is split off."""
    return _is_org(" ".join(_split_title(name)[1]) or name)


def _capitalised(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return bool(letters) and letters[0].isupper()


def _split_title(name: str) -> tuple[list[str], list[str]]:
    """Split "Health Minister Ann Lee" into (["Health", "Minister"], ["Ann", "Lee"])."""
    words = name.split()
    cut = 0
    for i, word in enumerate(words):
        if _is_title(word):
            cut = i + 1
    return words[:cut], words[cut:]


def _clean_org(name: str) -> str:
    return _POSSESSIVE.sub("", re.sub(r"^(?:[Tt]he)\s+", "", name.strip()))


def _plausible_name(name: str) -> bool:
    words = _clean_org(name).split() if _is_org_name(name) else _split_title(name)[1]
    return bool(words) and words[0] not in _NOT_NAMES


def _sentences(skeleton: str, inner: list[str]) -> list[str]:
    """Split a paragraph (quotations already slotted) into sentences."""
    out, start = [], 0
    for gap in re.finditer(r"\s+", skeleton):
        following = skeleton[gap.end() : gap.end() + 1]
        if not (following.isupper() or following == "⟦"):
            continue
        before = skeleton[start : gap.start()]
        tail = max(0, len(before) - 40)  # only the end matters: stay linear
        if slot := _SLOT_END.search(before, tail):
            ends = inner[int(slot[1])].rstrip().endswith((".", "!", "?"))
        else:
            ends = before.endswith((".", "!", "?")) and not _ABBREV.search(before, tail)
        if ends:
            out.append(before.strip())
            start = gap.end()
    out.append(skeleton[start:].strip())
    return [s for s in out if s]


def _parse_speaker(text: str) -> _Ref | None:
    """Read a speaker expression such as "He", "Sam" or "the ministry's report"."""
    text = text.strip(" ,")
    if not text or "⟦" in text:
        return None
    if _PRONOUN.fullmatch(text):
        return _Ref("pronoun", text.casefold())
    if m := _DOC_SPEAKER.fullmatch(text):
        pre, issuer = m["pre"], _clean_org(m["issuer"] or "")
        if not issuer and _POSSESSIVE.search(pre.strip()) and pre[:1].isupper():
            issuer = _clean_org(pre)
        issuer = issuer if issuer[:1].isupper() else ""  # "the inquiry": not named
        return _Ref("doc", f"the {pre}{m['doc']}", issuer=issuer)
    for pattern in (_INTRO, _APPOSITION, _DESC_NAME):
        if (m := pattern.fullmatch(text)) and _plausible_name(m["name"]):
            desc = m["desc"].strip()
            if (
                pattern is _DESC_NAME
                and desc.split()[-1:]
                and (desc.split()[-1].casefold() in _LINK_WORDS)
            ):
                return None  # "the lawyer for Ann Lee": not Ann Lee speaking
            if pattern is _DESC_NAME:  # "Council spokeswoman Jane Doe"
                if desc.split()[:1] and desc.split()[0].casefold() in _NOT_DESC:
                    return None  # "…, which Ann Lee said …"
                desc = re.sub(r"^(?:[Tt]he|[Aa]n?|[Ee]l|[Ll]a|[Ll]e)\s+", "", desc)
                desc = " ".join(
                    w for w in desc.split() if w.rstrip(".").casefold() not in _COURTESY
                )
            elif desc.startswith(("The ", "A ", "An ")):  # "The mayor, Ann Lee"
                desc = desc[0].lower() + desc[1:]
            introduced = bool(desc) and pattern is not _DESC_NAME
            if _AGE_ONLY.fullmatch(desc):  # "Sokha, 29, said": an age, no description
                desc = ""
            return _Ref("name", m["name"], desc, introduced=introduced)
    if m := _ROLE.fullmatch(text):
        return _Ref("role", m["noun"])
    return None


def _dash_quote(paragraph: str) -> str:
    """A paragraph opened by a dash is a quotation (French, Spanish and Nordic
    copy): "—A —dijo X—. B" and "— A, a déclaré X." are read as
    "“A,” dijo X. “B”" and "“A,” a déclaré X."."""
    if not (m := _DASH_START.match(paragraph)):
        return paragraph
    body = paragraph[m.end() :]
    if inner := _DASH_INNER.fullmatch(body):  # —A —dijo X—. B
        said = inner["said"].strip()
        rest = (inner["rest"] or "").strip().lstrip(".,").strip()
        text = f"“{inner['quote'].strip().rstrip(',')},” {said.rstrip('.')}."
        return f"{text} “{rest}”" if rest else text
    if tail := _DASH_TAIL.search(body):  # — A, a déclaré X.
        return f"“{body[: tail.start()].strip()},” {body[tail.start() + 1 :].strip()}"
    return f"“{body.strip()}”"


def _khmer_speaker(sentence: str) -> _Ref | None:
    """Khmer copy introduces a quotation with a paragraph that starts with an
    honorific and the speaker's name and ends with a colon ("… ថា៖"); the
    quotation follows in the next paragraph. Words are joined by zero-width
    spaces, the parts of a name by ordinary spaces."""
    if not (m := _KHMER_LEAD.match(sentence)) or not sentence.rstrip(
        _INVISIBLE
    ).endswith(("៖", ":")):
        return None
    parts = []
    for token in m["rest"].split(" ")[:2]:
        if not token or token[0] in _INVISIBLE:
            break
        parts.append(re.sub(f"[{_INVISIBLE}]", "", token))
        if token[-1] in _INVISIBLE:
            break
    return _Ref("name", " ".join(parts), introduced=True) if parts else None


def _parse_inverted(who: str) -> _Ref | None:
    """The speaker after a verb, past words of time or place before it:
    "a déclaré à cette occasion le ministre" reads as "le ministre"."""
    if ref := _parse_speaker(who):
        return ref
    for m in _ARTICLE_START.finditer(who):
        if m.start() and (ref := _parse_speaker(who[m.start() :])):
            return ref
    return None


def _find_claim(sentence: str) -> _Claim | None:
    """The first attribution in a sentence whose speaker reads as one."""
    if ref := _khmer_speaker(sentence):
        return _Claim(ref, "៖", len(sentence), "")
    for pattern in (_ACCORDING_LEAD, _ACCORDING_TAIL)[: 2 * (len(sentence) < 3000)]:
        if (m := pattern.fullmatch(sentence)) and (ref := _parse_speaker(m["who"])):
            return _Claim(ref, "according to", 0, m["what"])
    for n, m in enumerate(_VERB.finditer(sentence)):
        if n == _MAX_VERBS:
            break  # a run-on "sentence" of thousands of words: stay linear
        head = sentence[max(0, m.start() - _MAX_HEAD) : m.start()]
        head = _LEADING_SLOTS.sub("", head).strip(" ,")
        head = _PARENTHESES.sub("", head).strip(" ,")  # "Jan Novák (ČSSD)"
        head = _LEADING_CONJUNCTION.sub("", head)  # "But Ann Lee said …"
        if not head and m["verb"].startswith("a-t-"):  # « … », a-t-il ajouté.
            return _Claim(_Ref("pronoun", m["verb"].split()[0][4:]), m["verb"], 0, "")
        if not head and _PRO_DROP.fullmatch(sentence, m.end()):
            # “…”, afirmó. Spanish leaves the subject out: read as a pronoun.
            return _Claim(_Ref("pronoun", "él"), m["verb"], m.start(), "")
        if head and m["verb"] in _AFTER_QUOTE_ONLY:
            continue  # "so" reports speech only straight after a quotation
        if not head:  # “…,” said Ann Lee, the mayor.
            inverted = _INVERTED.fullmatch(sentence, m.end())
            if (
                inverted
                and (appositive := _NAME_AFTER_ROLE.fullmatch(inverted["desc"] or ""))
                and _ROLE.fullmatch(inverted["who"].strip())
            ):
                # “…,” explained the woman, Ann Lee, 34.
                ref = _Ref(
                    "name",
                    appositive["name"],
                    inverted["who"].strip(),
                    introduced=True,
                )
                return _Claim(ref, m["verb"], m.start(), "")
            if inverted and (ref := _parse_inverted(inverted["who"])):
                desc = inverted["desc"] or ""
                if desc:
                    ref.introduced = True
                if _RELATIVE.match(desc) or _AGE_ONLY.fullmatch(desc):
                    desc = ""  # "said Dara, who asked that …"
                desc = _RELATIVE_TAIL.split(desc)[0]  # "…, an economist, who …"
                ref.description = ref.description or desc
                return _Claim(ref, m["verb"], m.start(), "")
            continue
        cuts = [c.end() for c in re.finditer(r",\s+|⟦\d+⟧\s*", head)]
        for cut in [0, *cuts]:
            if ref := _parse_speaker(head[cut:]):
                rest = sentence[m.end() :]
                return _Claim(ref, m["verb"], m.start(), rest, head[:cut].strip(" ,"))
    return _participle_claim(sentence)


def _participle_claim(sentence: str) -> _Claim | None:
    """“Ann Lee, the mayor, closed the bridge, saying it was “unsafe”.”: the
    one who speaks in a participle clause is the subject of the sentence, a
    name at its start."""
    if len(sentence) > 3000 or not (p := _PARTICIPLE.search(sentence)):
        return None
    main = sentence[: p.start()]
    if m := _INTRO_START.match(main):
        ref = _Ref("name", m["name"], m["desc"], introduced=True)
    elif m := _SUBJECT_START.match(main):
        ref = _Ref("name", m["name"])
    else:
        return None
    if not _plausible_name(ref.text):
        return None
    return _Claim(ref, p["verb"], p.start(), sentence[p.end() :])


def _reported(claim: _Claim) -> str | None:
    """The reported clause of a claim (slots kept), or None when there is none."""
    rest = claim.rest
    if claim.verb == "told":
        if not (m := _TOLD.match(rest)):
            return None
        rest = rest[m.end() :]
    else:
        rest = rest.lstrip(" ,:;")
        if m := _THAT.match(rest):
            rest = rest[m.end() :]
    body = " ".join(rest.split()).rstrip(" .!?;:,")
    if not body.strip() and claim.lead and "⟦" not in claim.lead:
        body = claim.lead  # The plan is dead, he said.
    if not _SLOT.sub("", body).strip(" ,.;:!?–—-"):
        return None
    return f"described {body}" if claim.verb == "described" else body


class _Reader:
    """Reads paragraphs in order, remembering who was mentioned and quoted."""

    def __init__(self, authors: Iterable[str]):
        self.authors = {_norm(a) for a in authors} - {""}
        self.author_words = {w for a in self.authors for w in a.split()}
        self.entities: dict[str, _Entity] = {}
        self.history: list[_Seen] = []
        self.quotes: list[QuoteData] = []
        self.speakers: list[str | None] = []
        self.pending: list[int] = []  # quotes left open at a paragraph's end
        # every name-like run of words seen, normalised → as written, filed
        # under its last word
        self.mentions: dict[str, dict[str, str]] = {}
        self.last_speaker: str | None = None  # who ends the paragraph just read
        self.paragraph = 0  # the one being read
        self.by_token: dict[str, set[str]] = {}  # people by first and last word
        self.acronyms: dict[str, str] = {}  # "CSIS" → the organisation it stands for

    def sources(self) -> list[SourceData]:
        keys = dict.fromkeys(k for k in self.speakers if k is not None)
        entities = [self.entities[k] for k in keys]
        return [SourceData(e.name, e.description, e.kind) for e in entities]

    def read(self, index: int, paragraph: str) -> None:
        self.paragraph = index
        paragraph = _dash_quote(paragraph.strip(_INVISIBLE).translate(_SPACES))
        matches = list(_QUOTE.finditer(paragraph))
        inner = [m.group(m.lastgroup) for m in matches]
        skeleton = paragraph
        for n, m in reversed(list(enumerate(matches))):
            skeleton = f"{skeleton[: m.start()]}⟦{n}⟧{skeleton[m.end() :]}"
        first = len(self.quotes)
        found = []  # per sentence: (claim found?, speaker key, [(at, kind, text)])
        for sentence in _sentences(skeleton, inner):
            claim = _find_claim(sentence)
            speaker = self._resolve(claim.ref) if claim else None
            items = []
            if claim and (reported := _reported(claim)):
                text = _SLOT.sub(lambda s: matches[int(s[1])].group(0), reported)
                items.append((claim.at, "paraphrase", text))
            embedded = len(_SLOT.sub(" ", sentence).split()) >= 3
            for slot in _SLOT.finditer(sentence):
                words = inner[int(slot[1])].split()
                if not claim and embedded and len(words) < 4:
                    continue  # scare quotes
                if embedded and len(words) < 5 and all(_capitalised(w) for w in words):
                    continue  # a title or a name: “Angkor Awakens”, “Tony”
                # a quotation inside a paraphrase is also a (partial) direct quote
                items.append((slot.start(), "direct", " ".join(words).rstrip(",")))
            self._remember(sentence, claim is not None, speaker)
            bare = not _SLOT.sub("", sentence).strip(_BARE)
            found.append((claim is not None, speaker, sorted(items), bare))
        claimed = {s for a, s, _, _ in found if a}
        previous, self.last_speaker = self.last_speaker, None
        if not claimed and all(bare for *_, bare in found):
            claimed = {previous}  # a paragraph that is only a quotation
        for i, (attributed, speaker, items, bare) in enumerate(found):
            if not attributed:
                speaker = self._nearby_speaker(found, i, claimed) if bare else None
            for _, kind, text in items:
                if not _HAS_WORD.search(text):
                    continue  # quotation marks around nothing
                name = self.entities[speaker].name if speaker else None
                self.quotes.append(QuoteData(text, kind, name, index))
                self.speakers.append(speaker)
            if speaker and self.entities[speaker].kind == "person":
                self.last_speaker = speaker if (attributed or bare) else None
            else:
                self.last_speaker = None
        if previous and claimed == {previous} and not any(a for a, *_ in found):
            self.last_speaker = None  # one paragraph on from the attribution, no more
        self._continue_open_quote(paragraph, first, matches)

    @staticmethod
    def _nearby_speaker(found: list, i: int, claimed: set) -> str | None:
        """Who says a bare quotation: the speaker of the nearest attribution in
        the paragraph, before it or else after it, with only quotations in
        between; in a paragraph that is only quotations, ``claimed``."""
        for run in (range(i - 1, -1, -1), range(i + 1, len(found))):
            for j in run:
                attributed, speaker, _, bare = found[j]
                if attributed:
                    return speaker
                if not bare:
                    break
        if all(bare for *_, bare in found) and len(claimed) == 1:
            return next(iter(claimed))
        return None

    def _continue_open_quote(self, paragraph: str, first: int, matches: list) -> None:
        """A quotation left open runs on: its speaker is the next paragraph's."""
        continues = paragraph.lstrip().startswith(tuple('“"«‘„‚'))
        continues = continues and first < len(self.quotes)
        if continues and (speaker := self.speakers[first]):
            for n in self.pending:
                self.quotes[n].speaker = self.quotes[first].speaker
                self.speakers[n] = speaker
            self.pending = []
        if not continues:
            self.pending = []
        last = len(self.quotes) - 1
        unclosed = matches and matches[-1].lastgroup in ("unclosed", "openguillemets")
        if unclosed and not self.speakers[last]:
            self.pending.append(last)

    def _entity(self, name: str, kind: str, description: str = "") -> str:
        key = _norm(name)
        if key and key not in self.entities and kind == "person":
            for token in {key.split()[0], key.split()[-1]}:
                self.by_token.setdefault(token, set()).add(key)
        entity = self.entities.setdefault(key, _Entity(name, kind))
        entity.description = entity.description or description
        return key

    def _person(self, name: str, description: str = "") -> str | None:
        """Register a person seen in the text (not yet a source)."""
        titles, words = _split_title(name)
        if not words or words[0] in _NOT_NAMES or _is_org_name(name):
            return None
        if all(len(w) > 1 and w.isupper() for w in words):
            return None  # an acronym ("LANGO", "CNRP"), not a person
        if _norm(" ".join(words)) in self.authors:
            return None
        courtesy = [t for t in titles if t.rstrip(".").casefold() not in _COURTESY]
        return self._entity(
            " ".join(words), "person", description or " ".join(courtesy)
        )

    def _remember(self, sentence: str, attributed: bool, speaker: str | None) -> None:
        """Record the people, organisations and documents a sentence mentions."""
        text = _SLOT.sub(" ", sentence)
        seen = _Seen(attributed, speaker, paragraph=self.paragraph)
        m = _INTRO_START.match(text)
        if m and not _THING_HEADS & set(m["desc"].casefold().split()[:4]):
            seen.persons.append(self._person(m["name"], m["desc"]))
        seen.unknown = self._people_in(text, seen.persons, seen.subjects)
        seen.persons = [p for p in dict.fromkeys(seen.persons) if p]
        seen.orgs = [
            _clean_org(m[0]) for m in re.finditer(_ORG, text) if _is_org_name(m[0])
        ]
        for m in _ACRONYM.finditer(text):  # "the Riverton Institute (RI)"
            before = text[max(0, m.start() - 120) : m.start()].rstrip()
            named = _ORG_AT_END.search(before)
            if named and _is_org_name(org := _clean_org(named[0])):
                self.acronyms.setdefault(m["acronym"], org)
        for m in _DOC_MENTION.finditer(text):
            pre, orgs = m["pre"], set(seen.orgs)
            if m["issuer"]:
                key = self._entity(_clean_org(m["issuer"]), "organisation")
            elif pre[:1].isupper() and _POSSESSIVE.search(pre.strip()):
                key = self._entity(_clean_org(pre), "organisation")
            elif len(orgs) == 1:
                key = self._entity(orgs.pop(), "organisation")
            else:
                key = self._entity(f"the {pre}{m['doc']}", "document")
            seen.docs.append((m["doc"].split()[-1].casefold(), key))
        self.history.append(seen)

    def _people_in(
        self, text: str, persons: list[str | None], subjects: set[str]
    ) -> list[str]:
        """Add the known people ``text`` names to ``persons``; return the others.

        Each run of capitalised words is matched against the people seen so
        far: the whole name, or a part of it that fits only them ("Lee", "Ann").
        A run that fits several is all of them; a run of two or more words
        that fits nobody is a person nobody has placed, unless it reads as a
        place or a thing. Generous on purpose: each name stops a pronoun from
        reaching past it. The person a sentence is about (its first name, near
        its start, not after a preposition nor a possessive) goes in
        ``subjects``.
        """
        unknown: list[str] = []
        first = True
        for m in _RUN.finditer(text):
            counted, strangers = len(persons), len(unknown)
            self._person_run(text, m, persons, unknown)
            named = {p for p in persons[counted:] if p}
            if first and (named or len(unknown) > strangers):
                first = False
                if len(named) == 1 and _is_subject(text, m):
                    subjects |= named
        return unknown

    def _person_run(
        self, text: str, m: re.Match, persons: list[str | None], unknown: list[str]
    ) -> None:
        """Place one run of capitalised words (see ``_people_in``)."""
        words = m[0].split()
        while words and (
            words[0] in _NOT_NAMES
            or _is_title(words[0])
            or (len(words) > 2 and _COMPOUND_NOUN.fullmatch(words[0]))
        ):
            words.pop(0)
        if not words or _is_org_name(" ".join(words)):
            return
        if written := " ".join(words):
            norm_run = _norm(written)
            last = norm_run.rsplit(" ", 1)[-1]
            self.mentions.setdefault(last, {}).setdefault(norm_run, written)
        norm = _norm(" ".join(words))
        if norm in self.authors:
            return
        if norm in self.entities:
            persons.append(norm if self.entities[norm].kind == "person" else None)
            return
        tokens = norm.split()
        hits = [
            k
            for k in self._sharing(tokens)
            if len(tokens) < len(k.split())
            and (k.split()[-len(tokens) :] == tokens or k.split()[:1] == tokens)
        ]
        if hits:
            persons.extend(hits)
            return
        preceding = text[max(0, m.start() - 60) : m.start()].split()
        before = preceding[-1:]
        while preceding and _is_title(preceding[-1]):  # "councillor Rita Moss"
            words = [preceding.pop(), *words]
        titles, named = _split_title(" ".join(words))
        after = text[m.end() : m.end() + 40]
        described = _PERSON_AFTER.match(after)
        if described and described["desc"]:
            described = not _THING_HEADS & set(described["desc"].casefold().split())
        if named and (titles or described or (before and _AGE.search(before[0]))):
            persons.append(self._person(" ".join(words)))
        elif len(words) > 1 and not (before and before[0].casefold() in _PLACE_WORDS):
            unknown.append(" ".join(words))

    def _resolve(self, ref: _Ref) -> str | None:
        if ref.kind == "pronoun":
            if ref.text == "it":
                return self._resolve_it()
            if ref.text in ("they", "sie"):  # German "sie" is also "they"
                return self._resolve_they()
            return self._resolve_person()
        if ref.kind == "doc":
            return self._resolve_doc(ref)
        if ref.kind == "role":
            return self._resolve_role(ref.text)
        return self._resolve_name(ref)

    def _resolve_person(self) -> str | None:
        """He/she/they: the one person who fits, or nobody.

        Walking back to the last sentence that names its speaker, every person
        named on the way fits, and so does that speaker: the pronoun is theirs
        only when that is one person. The walk also ends at the start of a
        paragraph that names one person only, when that paragraph is the
        pronoun's own (“Lee paused. ‘…,’ she said.”) or is about that person
        (“Minister Ann Lee visited the port.” then “‘…,’ she said.”). A name
        that cannot be placed, or a sentence whose speaker was not found,
        means nobody.
        """
        people: set[str] = set()
        subjects: set[str] = set()
        here = True  # still in the pronoun's own paragraph
        paragraph = self.paragraph
        for seen in reversed(self.history[-_LOOKBACK:]):
            if seen.paragraph != paragraph:
                if len(people) == 1 and (here or people <= subjects):
                    break  # the one person the paragraph before is about
                here, paragraph = False, seen.paragraph
            if seen.attributed and seen.speaker is None:
                return None  # lost track
            if seen.unknown:
                return None
            people.update(seen.persons)
            subjects |= seen.subjects
            if seen.speaker and self.entities[seen.speaker].kind == "person":
                people.add(seen.speaker)
                break
        return people.pop() if len(people) == 1 else None

    def _sharing(self, tokens: list[str]) -> list[str]:
        """People whose name starts with the first or ends with the last token,
        in the order they were first seen."""
        if not tokens:
            return []
        found = self.by_token.get(tokens[0], set()) | self.by_token.get(
            tokens[-1], set()
        )
        return [k for k in self.entities if k in found] if found else []

    def _resolve_they(self) -> str | None:
        """They: a group more often than one person, so only the speaker of the
        sentence just before, when that sentence names nobody else."""
        if not self.history:
            return None
        seen = self.history[-1]
        speaker = seen.speaker
        if not (seen.attributed and speaker) or seen.unknown:
            return None
        if self.entities[speaker].kind != "person" or set(seen.persons) - {speaker}:
            return None
        return speaker

    def _full_name(self, tokens: list[str]) -> str | None:
        """The one longer name seen earlier that ends in ``tokens``, if any.

        "Zverev" after "Alexander Zverev" is Alexander Zverev; after both
        "Ann Lee" and "Ben Lee", "Lee" is nobody for sure.
        """
        longer = {}
        for norm_run, written in self.mentions.get(tokens[-1], {}).items():
            norm = norm_run.split()
            if len(norm) > len(tokens) and norm[-len(tokens) :] == tokens:
                longer[norm_run] = written
        if not longer:
            return None
        shortest = min(longer, key=len)
        if any(not k.endswith(" " + shortest) and k != shortest for k in longer):
            return None
        return longer[shortest] if len(shortest.split()) <= 4 else None

    def _named_apart(self, tokens: list[str], key: str) -> bool:
        """Whether another name seen ends in ``tokens`` but is not ``key``."""
        for norm in self.mentions.get(tokens[-1], {}):
            if norm.split()[-len(tokens) :] == tokens and len(norm.split()) > len(
                tokens
            ):
                if not (key.endswith(" " + norm) or norm == key or norm.endswith(key)):
                    return True
        return False

    def _resolve_it(self) -> str | None:
        """It: the last organisation or document that spoke or was mentioned."""
        for seen in reversed(self.history):
            if seen.speaker and self.entities[seen.speaker].kind != "person":
                return seen.speaker
            if seen.docs:
                return seen.docs[-1][1]
            if orgs := list(dict.fromkeys(seen.orgs)):
                return self._entity(orgs[0], "organisation") if len(orgs) == 1 else None
        return None

    def _resolve_doc(self, ref: _Ref) -> str:
        if ref.issuer:
            return self._entity(ref.issuer, "organisation")
        head = ref.text.split()[-1].casefold()
        for seen in reversed(self.history):
            for doc_head, key in reversed(seen.docs):
                if doc_head == head:
                    return key
        return self._entity(ref.text, "document")

    def _resolve_role(self, role: str) -> str | None:
        """ "the council" → the last council mentioned; "the mayor" → the one
        person whose description holds every word of the role."""
        head = role.split()[-1]
        if head.capitalize() in _ORG_WORDS:
            for seen in reversed(self.history):
                for name in reversed(seen.orgs):
                    if head in name.casefold().split():
                        return self._entity(name, "organisation")
            return None
        hits = [
            key
            for key, e in self.entities.items()
            if e.kind == "person"
            and set(role.casefold().split()) <= set(e.description.casefold().split())
            and not _FORMER & set(e.description.casefold().split())
        ]
        return hits[0] if len(hits) == 1 else None

    def _resolve_name(self, ref: _Ref) -> str | None:
        """A full name, or a part of one that fits exactly one known person."""
        name = _clean_org(ref.text)
        if name in self.acronyms:
            return self._entity(self.acronyms[name], "organisation")
        if _is_org_name(name):
            if len(name.split()) < 2:
                return None  # "Police said": a group, not a named source
            return self._entity(name, "organisation", ref.description)
        titles, words = _split_title(name)
        if any(w[:1].islower() for w in words):
            return None  # "Ann Lee and Tom Hill": several people
        norm = _norm(" ".join(words))
        if norm in self.entities:
            return self._entity(" ".join(words), "person", ref.description)
        if norm in self.authors:
            return None
        tokens = norm.split()
        hits = [
            k
            for k in self._sharing(tokens)
            if (k.split()[-len(tokens) :] == tokens or tokens[0] in k.split()[:1])
            and len(tokens) < len(k.split())
        ]
        if len(hits) == 1 and not self._named_apart(tokens, hits[0]):
            return hits[0]
        if hits or (len(tokens) == 1 and tokens[0] in self.author_words):
            return None
        if full := self._full_name(tokens):
            return self._person(full, ref.description)
        if len(tokens) == 1 and not titles and not ref.introduced:
            return None  # a lone word nobody introduced: "Instead", "Officials"
        return self._person(name, ref.description)
