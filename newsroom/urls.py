from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from articles.api import api

admin.site.site_header = f"{settings.NEWSROOM_NAME} desk"
admin.site.site_title = settings.NEWSROOM_NAME

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("", include("people.urls")),
    # Uploaded photos, DEBUG on or off (a web server or S3 may serve them instead).
    path("", include("media.urls")),
    # Last: story addresses begin with a section slug.
    path("", include("articles.urls")),
]

handler500 = "articles.views.server_error"
