from django.urls import path

from . import feeds, views

app_name = "articles"

urlpatterns = [
    path("", views.index, name="index"),
    path("search/", views.search, name="search"),
    path("tags/<slug:slug>/", views.tag, name="tag"),
    path("corrections/", views.corrections, name="corrections"),
    path("preview/<int:pk>/", views.preview, name="preview"),
    # Feeds: RSS 2.0 and Atom.
    path("feeds/rss/", feeds.LatestStoriesFeed(), name="latest_rss"),
    path("feeds/atom/", feeds.LatestStoriesAtomFeed(), name="latest_atom"),
    path("feeds/sections/<slug:slug>/rss/", feeds.SectionFeed(), name="section_rss"),
    path(
        "feeds/sections/<slug:slug>/atom/",
        feeds.SectionAtomFeed(),
        name="section_atom",
    ),
    path("feeds/authors/<slug:slug>/rss/", feeds.AuthorFeed(), name="author_rss"),
    path("feeds/authors/<slug:slug>/atom/", feeds.AuthorAtomFeed(), name="author_atom"),
    path("feeds/corrections/rss/", feeds.CorrectionsFeed(), name="corrections_rss"),
    path(
        "feeds/corrections/atom/",
        feeds.CorrectionsAtomFeed(),
        name="corrections_atom",
    ),
    # For search engines and aggregators (the index is newsroom's sitemap.xml).
    path("sitemap-news.xml", views.news_sitemap, name="news_sitemap"),
    path("sitemap-<section>.xml", views.sitemap_section, name="sitemap_section"),
    # Last: story addresses begin with a section slug.
    path("<slug:section>/", views.section, name="section"),
    path("<slug:section>/<slug:slug>/", views.detail, name="detail"),
]
