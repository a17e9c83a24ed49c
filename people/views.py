from django.shortcuts import get_object_or_404, render

from articles.models import Article
from articles.queries import bylined, story_list
from newsroom.pagination import capped_page

from .models import Journalist

STORIES_PER_PAGE = 20


def journalist(request, slug):
    journalist = get_object_or_404(
        Journalist.objects.select_related("portrait"), slug=slug
    )
    stories = story_list(Article.objects.filter(bylined(journalist.pk)))
    page = capped_page(stories, request.GET, per_page=STORIES_PER_PAGE, sort_rows=True)
    return render(
        request,
        "people/journalist_detail.html",
        {"journalist": journalist, "page_obj": page},
    )
