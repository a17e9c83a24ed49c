"""Quotes worked on in the story form: the compact list and “Find quotes”.

The list is the story form's quote inline (``QuoteInline`` in
``articles.admin``) drawn by ``admin/articles/article/quote_inline.html`` and
``static/articles/quotes.js``: one line a quote, the rest on demand, and the
quote's words marked in the body.

“Find quotes” posts the body as typed to ``find_quotes_view``, which runs the
importer's quote finder (``articles.importing.quotes.find_quotes``, on the
paragraphs the importer reads from HTML) and answers with the quotes it finds
that the story does not have yet. Each proposal names its source as the
importer would: a source the desk already has under that name, or a new one
made, like the importer's, when the story is saved with the quote. Nothing is
written by the finder; an accepted proposal is a new row of the inline.
"""

import json
import re

from django import forms
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST

from people.admin import SourceAutocompleteSelect
from people.models import Source
from people.names import normalise_name
from people.permissions import can_see_private_source_fields, source_label

from .importing.data import SourceData
from .importing.ninjs import html_paragraphs
from .importing.quotes import find_quotes
from .importing.store import _source as importer_source
from .models import Article, Quote

# What one request may carry: a long feature is some 60,000 characters of
# HTML; the quotes the form already has, each up to a few hundred.
MAX_REQUEST_BYTES = 512 * 1024
MAX_BODY_CHARS = 200_000
MAX_EXISTING = 500
FIRST_WORDS = 12


def first_words(text, count=FIRST_WORDS):
    """The opening words of a quote, for its line in the list."""
    words = (text or "").split()
    if len(words) <= count:
        return " ".join(words)
    return " ".join(words[:count]) + " …"


def words_key(text):
    """A quote's words without case, punctuation or spacing: the same quote
    typed again with other quotation marks is the same quote."""
    return " ".join(re.findall(r"[^\W_]+", (text or "").casefold()))


class QuoteSourceSelect(SourceAutocompleteSelect):
    """The source picker, naming the row's source from the row as loaded
    (the inline selects it with the quote) rather than asking the database
    again for each row."""

    known = None  # the row's source

    def optgroups(self, name, value, attr=None):
        known = self.known
        chosen = {str(v) for v in value if str(v) not in ("", "None")}
        if known is None or chosen != {str(known.pk)}:
            return super().optgroups(name, value, attr)
        options = (
            [] if self.is_required else [self.create_option(name, "", "", False, 0)]
        )
        label = self.choices.field.label_from_instance(known)
        options.append(self.create_option(name, known.pk, label, chosen, len(options)))
        return [(None, options, 0)]


class DeskQuoteForm(forms.ModelForm):
    """A quote row, with the new source an accepted proposal may bring.

    A proposal whose speaker the desk does not know yet carries the name in
    the hidden ``new_source_*`` fields; the source is made (as the importer
    makes it) only when the story is saved with the quote, and only if no
    source was picked in the meantime.
    """

    new_source_name = forms.CharField(
        required=False, max_length=200, widget=forms.HiddenInput
    )
    new_source_kind = forms.ChoiceField(
        required=False,
        choices=[("", ""), *Source.Kind.choices],
        widget=forms.HiddenInput,
    )
    new_source_description = forms.CharField(
        required=False, max_length=500, widget=forms.HiddenInput
    )

    desk_user = None  # who is editing (``DeskQuoteFormSet`` passes it)

    def __init__(self, *args, desk_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.desk_user = desk_user
        if "text" in self.fields:
            self.fields["text"].widget.attrs.update(rows=4, spellcheck="true")
        if "source" in self.fields and self.instance.source_id:
            wrapper = self.fields["source"].widget
            picker = getattr(wrapper, "widget", wrapper)
            if type(picker) is SourceAutocompleteSelect:
                picker.__class__ = QuoteSourceSelect  # same picker, fewer queries
                picker.known = self.instance.source

    @property
    def speaker(self):
        """Who said it, as this user may know them, for the row's summary."""
        source = self.instance.source if self.instance.source_id else None
        if source is None:
            name = self["new_source_name"].value()
            return f"{name} (new source)" if name else "Unattributed"
        if self.desk_user is not None:
            return source_label(self.desk_user, source)
        return source.public_name

    @property
    def summary(self):
        return first_words(self["text"].value() if "text" in self.fields else "")

    @property
    def kind_label(self):
        value = self["kind"].value() if "kind" in self.fields else self.instance.kind
        return dict(Quote.Kind.choices).get(value, "")

    def clean(self):
        cleaned = super().clean()
        name = (cleaned.get("new_source_name") or "").strip()
        cleaned["new_source_name"] = name
        if name and not cleaned.get("source"):
            if not normalise_name(name):
                self.add_error(None, f"“{name}” cannot be a source's name.")
            elif not self._may_add_source():
                self.add_error(
                    "source",
                    f"You may not add sources: pick one for “{name}”, or leave "
                    "the quote unattributed.",
                )
        return cleaned

    def _may_add_source(self):
        user = self.desk_user
        return user is not None and user.has_perm("people.add_source")

    def save(self, commit=True):
        quote = super().save(commit=False)
        name = self.cleaned_data.get("new_source_name")
        if quote.source_id is None and name and self._may_add_source():
            quote.source = new_or_known_source(
                user=self.desk_user,
                data=SourceData(
                    name=name,
                    kind=self.cleaned_data.get("new_source_kind") or "person",
                    description=self.cleaned_data.get("new_source_description", ""),
                ),
            )
        if commit:
            quote.save()
            self._save_m2m()
        return quote


class DeskQuoteFormSet(forms.BaseInlineFormSet):
    desk_user = None  # set by ``QuoteInline.get_formset``

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "desk_user": self.desk_user}


def new_or_known_source(*, user, data):
    """The source for a name, as the importer resolves it: the one the desk
    has under that name, else a new one. An anonymous source is never
    attached by its real name for someone who may not know that name: the
    quote stays unattributed for an editor to settle."""
    known = Source.objects.filter(normalised_name=normalise_name(data.name)).first()
    if known is not None:
        visible = known.on_record or can_see_private_source_fields(user)
        return known if visible else None
    return importer_source(data)


# The finder, as a JSON endpoint of the story admin


def refused(status, message):
    return JsonResponse({"error": message}, status=status)


def find_quotes_view(request, *, model_admin):
    """``POST`` ``{"body": html, "story": id or null, "existing": [texts]}``:
    the quotes the finder reads in ``body`` that neither the story nor the
    form's rows (``existing``) have, each with the source it would get."""
    return _find_quotes(request, model_admin)


@never_cache
@csrf_protect
@require_POST
def _find_quotes(request, model_admin):
    user = request.user
    if not (user.is_active and user.is_staff):
        return refused(403, "Sign in to the desk to find quotes.")
    if len(request.body) > MAX_REQUEST_BYTES:
        return refused(413, "The story is too long to search for quotes at once.")
    try:
        payload = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return refused(400, "The request is not JSON.")
    if not isinstance(payload, dict):
        return refused(400, "The request must be a JSON object.")
    body, story_id, existing = (
        payload.get("body", ""),
        payload.get("story"),
        payload.get("existing", []),
    )
    if not isinstance(body, str):
        return refused(400, "“body” must be the story's body as text.")
    if len(body) > MAX_BODY_CHARS:
        return refused(413, f"The body is over {MAX_BODY_CHARS:,} characters.")
    if not isinstance(existing, list) or not all(isinstance(t, str) for t in existing):
        return refused(400, "“existing” must be a list of quote texts.")
    if len(existing) > MAX_EXISTING:
        return refused(400, f"At most {MAX_EXISTING} quotes may be sent.")

    article = None
    if story_id not in (None, ""):
        if not isinstance(story_id, int | str) or not str(story_id).isdigit():
            return refused(400, "“story” must be a story's number.")
        article = Article.objects.filter(pk=int(story_id)).first()
        if article is None:
            return refused(404, "No such story.")
        if not model_admin.has_change_permission(request, article):
            return refused(403, "You may not change this story.")
    elif not model_admin.has_add_permission(request):
        return refused(403, "You may not add stories.")

    authors = []
    known = {words_key(text) for text in existing}
    if article is not None:
        authors = list(article.bylines.values_list("journalist__name", flat=True))
        known |= {words_key(t) for t in article.quotes.values_list("text", flat=True)}
    journalist = getattr(user, "journalist", None)
    if journalist is not None:
        authors.append(journalist.name)

    sources, quotes = find_quotes(html_paragraphs(body), authors=authors)
    proposals = propose(user=user, sources=sources, quotes=quotes, known=known)
    return JsonResponse(
        {
            "proposals": proposals,
            "found": len(quotes),
            "already": len(quotes) - len(proposals),
        }
    )


def propose(*, user, sources, quotes, known):
    """The finder's ``quotes`` not among ``known`` (``words_key``s), each
    with the source it would be stored with, in what ``user`` may see."""
    by_name = {data.name: data for data in sources}
    keys = {normalise_name(name) for name in by_name}
    stored = {
        s.normalised_name: s for s in Source.objects.filter(normalised_name__in=keys)
    }
    private = can_see_private_source_fields(user)
    may_add = user.has_perm("people.add_source")
    proposals, seen = [], set()
    for found in quotes:
        key = words_key(found.text)
        if not key or key in known or key in seen:
            continue
        seen.add(key)
        data = by_name.get(found.speaker)
        source = new_source = None
        note = "Unattributed: pick who said it."
        if data is not None:
            match = stored.get(normalise_name(data.name))
            if match is not None and (match.on_record or private):
                source = {"id": match.pk, "label": source_label(user, match)}
                note = "A source the desk has."
            elif may_add:
                # Also for an anonymous source this user may not know by
                # name: the answer is the same as for a name the desk does
                # not have, and the save leaves that quote unattributed
                # (``new_or_known_source``).
                new_source = {
                    "name": data.name,
                    "kind": data.kind,
                    "description": data.description,
                }
                note = "A new source, made when you save the story."
        proposals.append(
            {
                "text": found.text,
                "kind": found.kind,
                "kind_label": Quote.Kind(found.kind).label,
                "speaker": data.name if data is not None else "",
                "paragraph": found.paragraph,
                "source": source,
                "new_source": new_source,
                "note": note,
            }
        )
    return proposals
