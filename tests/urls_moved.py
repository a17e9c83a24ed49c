"""The site under /moved/, for tests/test_addresses.py."""

from django.urls import include, path

urlpatterns = [
    path("moved/", include("people.urls")),
    path("moved/", include("articles.urls")),
]
