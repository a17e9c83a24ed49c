from django.contrib.auth.views import redirect_to_login
from django.contrib.sitemaps import views as sitemap_views
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from taggit.models import Tag

from newsroom.pagination import PAGE_SIZE, capped_page

from . import publishing, sitemaps
from . import search as story_search
from .models import Article, Section
from .queries import (
    latest_by_section,
    newest_pin,
    pinned_lead,
    public_corrections,
    story_list,
    tagged_with,
)
from .story_page import one_cursor, related_stories, site_sections, story_for_page

# The corrections list is a list of short notes, not stories: more a page.
CORRECTIONS_PER_PAGE = 50


def paginate(request, queryset, per_page=PAGE_SIZE):
    """A page of ``queryset``: a bad number gives the first page, too high the last."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def list_page(request, queryset, per_page=PAGE_SIZE):
    """A numbered page of a reader's list, newest first, at a cost that does
    not grow with the archive (``newsroom.pagination``)."""
    return capped_page(queryset, request.GET, per_page=per_page)


def index(request):
    all_sections = list(Section.objects.all())
    # The pinned lead comes in the same query as the sections' stories.
    stories = latest_by_section(all_sections, also=[pinned_lead()])
    with_photo = (s for s in stories if s.lead_photo and s.lead_photo.has_file)
    lead = newest_pin(stories) or next(with_photo, stories[0] if stories else None)
    by_section = {}
    for story in stories:
        if story is not lead:
            by_section.setdefault(story.section, []).append(story)
    sections = sorted(
        by_section.items(), key=lambda item: (item[0].position, item[0].name)
    )
    return render(
        request,
        "articles/article_index.html",
        {"lead": lead, "sections": sections, "site_sections": all_sections},
    )


def section(request, section):
    section = get_object_or_404(Section, slug=section)
    page = list_page(request, story_list(section.articles.all()))
    return render(
        request, "articles/section_detail.html", {"section": section, "page_obj": page}
    )


def detail(request, section, slug):
    article = story_for_page(slug=slug)
    if article is None:
        # A killed story says so at its address, and at any it had before.
        killed = killed_story(Q(slug=slug) | Q(redirects__old_path=request.path))
        if killed is not None:
            return gone(request, killed)
        article = moved_story(request.path)
    if article.section.slug != section or article.slug != slug:
        return redirect(article, permanent=True)
    return render_story(request, article)


def killed_story(lookup):
    """The killed story found by ``lookup``, with what its notice shows, or None."""
    return (
        Article.objects.filter(lookup, status=Article.Status.KILLED)
        .only("headline", "kill_reason", "slug")
        .first()
    )


def gone(request, article):
    """410 Gone: a killed story's address says it was withdrawn, and why."""
    response = render(
        request, "articles/article_killed.html", {"article": article}, status=410
    )
    response["X-Robots-Tag"] = "noindex"
    return response


def moved_story(path):
    """The published story that used to live at ``path``, or 404."""
    return get_object_or_404(
        Article.objects.published().select_related("section"), redirects__old_path=path
    )


def render_story(request, article, *, preview=False):
    with one_cursor():
        related, sections = related_stories(article), site_sections()
    context = {
        "article": article,
        "related": related,
        "preview": preview,
        "site_sections": sections,
    }
    return render(request, "articles/article_detail.html", context)


def preview(request, pk):
    """A story of any status as readers will see it, for the desk."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    article = story_for_page(pk=pk, published=False)
    if article is None:
        raise Http404("No such story.")
    if not publishing.can_preview(request.user, article):
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    response = render_story(request, article, preview=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    add_never_cache_headers(response)
    return response


def tag(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    page = list_page(request, story_list(Article.objects.filter(tagged_with(tag.pk))))
    if not page.object_list:
        raise Http404("No published stories have this tag.")
    return render(request, "articles/tag_detail.html", {"tag": tag, "page_obj": page})


def search(request):
    query = story_search.clean_query(request.GET.get("q"))
    page = None
    if query:
        stories = story_list()
        results = story_search.ResultsPaginator(
            story_search.search(stories, query), PAGE_SIZE, stories=stories
        )
        page = results.get_page(request.GET.get("page"))
    return render(
        request, "articles/search_results.html", {"query": query, "page_obj": page}
    )


def corrections(request):
    """Every correction to a published story, newest first."""
    page = list_page(request, public_corrections(), CORRECTIONS_PER_PAGE)
    return render(request, "articles/correction_list.html", {"page_obj": page})


def sitemap_section(request, section):
    """sitemap-<section>.xml; the old all-stories sitemap points at the index."""
    if section == "stories":
        return redirect("sitemap", permanent=True)
    if section in sitemaps.SITEMAPS:
        return sitemap_views.sitemap(request, sitemaps.SITEMAPS, section=section)
    month = sitemaps.sitemap_month(section)
    if month is None:
        raise Http404("No such sitemap.")
    return sitemaps.month_urlset(request, month)


def news_sitemap(request):
    """The Google News sitemap: the last two days' stories."""
    return sitemaps.news_urlset(request)
