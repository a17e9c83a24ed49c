from django.shortcuts import get_object_or_404, render

from articles.queries import bylined, story_list
from newsroom.pagination import capped_page

from .models import Journalist

STORIES_PER_PAGE = 20


def journalist(request, slug):
    journalist = get_object_or_404(
        Journalist.objects.select_related("portrait"), slug=slug
    )
    page = capped_page(
        story_list(),
        request.GET,
        per_page=STORIES_PER_PAGE,
        index=bylined(journalist.pk),
    )
    return render(
        request,
        "people/journalist_detail.html",
        {"journalist": journalist, "page_obj": page},
    )
