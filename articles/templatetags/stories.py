import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from articles import structured_data
from articles.models import Section

register = template.Library()


@register.filter
def with_dateline(body, dateline):
    """The (already sanitized) body with the dateline opening its first paragraph."""
    if not dateline:
        return mark_safe(body)
    opening = format_html('<span class="dateline">{} —</span> ', dateline)
    if body.startswith("<p>"):
        return mark_safe(f"<p>{opening}{body[3:]}")
    return mark_safe(f"<p>{opening}</p>{body}")


# JSON inside <script>: escape the characters that could close the element or
# open a comment, as Django's json_script does.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld_script(data, *, nonce=""):
    """A ``<script type="application/ld+json">`` element holding ``data``.

    ``nonce`` is the request's Content-Security-Policy nonce, so that the
    element is one the policy allows.
    """
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return format_html(
        '<script type="application/ld+json"{}>{}</script>',
        format_html(' nonce="{}"', nonce) if nonce else "",
        mark_safe(payload.translate(_JSON_SCRIPT_ESCAPES)),
    )


@register.simple_tag(takes_context=True)
def story_json_ld(context, article):
    """The story's schema.org NewsArticle as JSON-LD."""
    request = context["request"]
    # django-csp's lazy nonce is falsy until read; str() reads it.
    nonce = getattr(request, "csp_nonce", None)
    return json_ld_script(
        structured_data.news_article(request, article),
        nonce="" if nonce is None else str(nonce),
    )


@register.simple_tag(takes_context=True)
def story_social_meta(context, article):
    """Open Graph and Twitter card ``<meta>`` tags for the story."""
    rows = structured_data.social_meta(context["request"], article)
    return format_html_join("\n    ", '<meta {}="{}" content="{}">', rows)


@register.simple_tag(takes_context=True)
def canonical_url(context, article):
    return structured_data.canonical_url(context["request"], article)


@register.inclusion_tag("includes/section_nav.html", takes_context=True)
def section_nav(context):
    """The sections, marking the one the page belongs to (a view that has
    read them already passes them as ``site_sections``)."""
    current = context.get("section") or getattr(context.get("article"), "section", None)
    sections = context.get("site_sections")
    return {
        "sections": Section.objects.all() if sections is None else sections,
        "current": getattr(current, "slug", None),
    }


@register.filter
def quoted_on_record(article):
    """On-record sources quoted in the story, once each, in order of first quote.

    Anonymous sources are left out: their names never reach readers.
    """
    sources = {}
    for quote in article.quotes.all():
        if quote.source is not None and quote.source.on_record:
            sources.setdefault(quote.source_id, quote.source)
    return list(sources.values())
