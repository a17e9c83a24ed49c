from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from articles.api import api

from .health import HealthView
from .middleware import OUTAGE_ERRORS, leave_outages_to_the_middleware

admin.site.site_header = f"{settings.NEWSROOM_NAME} desk"
admin.site.site_title = settings.NEWSROOM_NAME
for error in OUTAGE_ERRORS:
    api.add_exception_handler(error, leave_outages_to_the_middleware)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("healthz", HealthView.as_view(), name="healthz"),
    path("", include("people.urls")),
    # Uploaded photos, DEBUG on or off (a web server or S3 may serve them instead).
    path("", include("media.urls")),
    # Last: story addresses begin with a section slug.
    path("", include("articles.urls")),
    # The IndexNow key file (/<key>.txt), after robots.txt.
    path("", include("webhooks.urls")),
]

handler500 = "articles.views.server_error"
