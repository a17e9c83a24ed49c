"""The story form's search and share-card preview.

What it shows is what the story page emits: its <title> and meta description
(``structured_data.page_title``, ``Article.meta_description``) and its Open
Graph and Twitter card rows (``structured_data.social_meta``), built by those
same functions from the story as the form holds it. The admin renders it with
the form and again, as the editor types, from the form's values
(``ArticleAdmin.card_preview_view``; static/articles/story-form.js).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers

from media.models import Photo
from newsroom.validation import clean_text

from . import publishing, structured_data
from .models import Article, Section
from .story_page import story_for_page

# The form fields the preview follows.
TEXT_FIELDS = ("headline", "standfirst", "seo_title", "seo_description", "slug")


def stored_story(pk):
    """The story with everything its page's head reads, or None."""
    return story_for_page(pk=pk, published=False)


def new_story():
    """A story not yet saved: no tags yet (taggit reads none without an id)."""
    article = Article()
    article.__dict__["tags"] = _NoTags()
    return article


class _NoTags:
    def all(self):
        return []


def with_form_values(article, data, *, may_see_photos):
    """``article`` (not saved) with the headline, standfirst, SEO fields,
    address, section and lead photo the editor has in the form (``data``,
    the form's POST): each value as the save would clean it."""
    for name in TEXT_FIELDS:
        if name in data:
            field = Article._meta.get_field(name)
            value = clean_text(
                data[name], single_line=field.get_internal_type() != "TextField"
            )
            setattr(
                article, name, value[: field.max_length] if field.max_length else value
            )
    if "section" in data:
        article.section = Section.objects.filter(pk=_number(data["section"])).first()
    if "lead_photo" in data and may_see_photos:
        photo_id = _number(data["lead_photo"])
        if photo_id != article.lead_photo_id:
            article.lead_photo = (
                Photo.objects.filter(pk=photo_id).prefetch_related("renditions").first()
                if photo_id
                else None
            )
    return article


def _number(value):
    """A row id from the form, or None (not a number, or past any id)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**31 else None


def card(request, article):
    """The search result and the share card of ``article``: plain values, as
    the page emits them."""
    missing = [
        what
        for what, known in (
            ("a section", article.section_id),
            ("an address", article.slug),
        )
        if not known
    ]
    if missing:
        # The address is the section's and the slug's: until both are
        # chosen the page has none, and the preview says so.
        if not article.section_id:
            article.section = Section(name="", slug="section")
        article.slug = article.slug or "story"
    rows = structured_data.social_meta(request, article)
    meta = {}
    for _attribute, key, value in rows:
        meta.setdefault(key, value)
    return {
        "title": structured_data.page_title(article),
        "description": article.meta_description,
        "url": None if missing else meta["og:url"],
        "missing": " and ".join(missing),
        "site_name": meta["og:site_name"],
        "og_title": meta["og:title"],
        "og_description": meta["og:description"],
        "image": meta.get("og:image"),
        "image_alt": meta.get("og:image:alt", ""),
        "large_image": meta["twitter:card"] == "summary_large_image",
    }


def render(request, article, template="card_preview.html", **context):
    return render_to_string(
        f"admin/articles/article/{template}",
        {"card": card(request, article), **context},
        request=request,
    )


def preview_view(model_admin, request):
    """The cards for the form's current values (POST, from story-form.js):
    for the story ``story``, to those who may read it at the desk; for a new
    story, to those who may add one. Writes nothing."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    story_id = request.POST.get("story", "")
    if story_id:
        article = stored_story(_number(story_id))
        if article is None:
            raise Http404("No such story.")
        # Who may read the story at the desk (an embargo's rule included).
        if not publishing.can_preview(request.user, article):
            raise PermissionDenied
    else:
        if not model_admin.has_add_permission(request):
            raise PermissionDenied
        article = new_story()
    with_form_values(
        article, request.POST, may_see_photos=request.user.has_perm("media.view_photo")
    )
    response = HttpResponse(render(request, article, "card_preview_cards.html"))
    add_never_cache_headers(response)
    return response
