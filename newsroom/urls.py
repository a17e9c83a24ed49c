from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from . import views
from .api import api
from .health import HealthView

admin.site.site_header = f"{settings.NEWSROOM_NAME} desk"
admin.site.site_title = settings.NEWSROOM_NAME
admin.site.index_title = "Desk home"

urlpatterns = [
    # The desk's own pages (notices, send back) and the story form's JSON
    # endpoints (autosave, presence, withdraw), inside the admin.
    path("admin/desk/", include("desk.urls")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("healthz", HealthView.as_view(), name="healthz"),
    # For search engines and aggregators; each app's sitemaps are in its urls.
    path("robots.txt", views.robots_txt, name="robots"),
    path("sitemap.xml", views.sitemap_index, name="sitemap"),
    path("", include("people.urls")),
    # Uploaded photos, DEBUG on or off (a web server or S3 may serve them instead).
    path("", include("media.urls")),
    # Last: story addresses begin with a section slug.
    path("", include("articles.urls")),
    # The IndexNow key file (/<key>.txt), after robots.txt.
    path("", include("webhooks.urls")),
]

handler500 = "newsroom.views.server_error"
