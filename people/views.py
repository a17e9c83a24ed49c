from django.shortcuts import get_object_or_404, render

from newsroom.pagination import capped_page

from .models import Journalist

STORIES_PER_PAGE = 20


def journalist(request, slug):
    journalist = get_object_or_404(
        Journalist.objects.select_related("portrait"), slug=slug
    )
    stories = (
        journalist.articles.published()
        .select_related("section", "lead_photo")
        .prefetch_related("bylines__journalist", "lead_photo__renditions")
    )
    page = capped_page(stories, request.GET, per_page=STORIES_PER_PAGE)
    return render(
        request,
        "people/journalist_detail.html",
        {"journalist": journalist, "page_obj": page},
    )
