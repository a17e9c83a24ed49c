"""The site's content API (django-ninja), mounted at /api/: one ``NinjaAPI``,
to which each app contributes its router."""

from django.conf import settings
from ninja import NinjaAPI

from articles.api import router as stories

from .middleware import OUTAGE_ERRORS, leave_outages_to_the_middleware

api = NinjaAPI(
    title=f"{settings.NEWSROOM_NAME} content API",
    version="1",
    description="Read-only access to published stories.",
    urls_namespace="api",
)
api.add_router("/", stories)
# A database outage answers as every page does (503, from the middleware).
for error in OUTAGE_ERRORS:
    api.add_exception_handler(error, leave_outages_to_the_middleware)
