"""The pages of the people in the news: a journalist's author page and an
on-record source's page, each listing their published stories (the story
lists come from ``articles.queries``)."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from articles.queries import bylined, quoting, story_list
from newsroom.pagination import PAGE_SIZE, capped_page

from .models import Journalist, Source


def journalist(request, slug):
    journalist = get_object_or_404(
        Journalist.objects.select_related("portrait"), slug=slug
    )
    page = capped_page(
        story_list(),
        request.GET,
        per_page=PAGE_SIZE,
        index=bylined(journalist.pk),
    )
    return render(
        request,
        "people/journalist_detail.html",
        {"journalist": journalist, "page_obj": page},
    )


def source(request, slug):
    """An on-record source's published stories, each with what they said in it."""
    source = get_object_or_404(Source, slug=slug, on_record=True)
    page = capped_page(quoting(source), request.GET, per_page=PAGE_SIZE)
    if not page.object_list:
        raise Http404("This source is not quoted in any published story.")
    return render(
        request, "people/source_detail.html", {"source": source, "page_obj": page}
    )
