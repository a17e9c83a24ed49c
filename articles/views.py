from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render

from .models import Article, Byline, Section

STORIES_PER_PAGE = 20


def story_list(queryset):
    """Published stories with what a story card shows, in a fixed number of queries."""
    return (
        queryset.published()
        .select_related("section", "lead_photo")
        .prefetch_related(
            Prefetch("bylines", queryset=Byline.objects.select_related("journalist"))
        )
    )


def index(request):
    page = Paginator(story_list(Article.objects.all()), STORIES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "articles/article_index.html", {"page_obj": page})


def section(request, section):
    section = get_object_or_404(Section, slug=section)
    page = Paginator(story_list(section.articles.all()), STORIES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request, "articles/section_detail.html", {"section": section, "page_obj": page}
    )


def detail(request, section, slug):
    article = get_object_or_404(
        story_list(Article.objects.all()).prefetch_related("corrections", "tags"),
        slug=slug,
    )
    if article.section.slug != section:
        return redirect(article, permanent=True)
    return render(request, "articles/article_detail.html", {"article": article})
