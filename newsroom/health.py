"""``/healthz``: whether this app server can do its work, for load balancers.

django-health-check runs the checks; this view picks the three the newsroom
depends on and answers 503 (not the library's 500) when one of them fails.
"""

from health_check.views import HealthCheckView


class HealthView(HealthCheckView):
    """Database (SELECT 1), cache (set and get) and storage (write, read, delete).

    Storage is the default storage for uploads: the local file system, or the
    S3 bucket when one is set. HTML for people, JSON with ``?format=json`` or
    ``Accept: application/json``, never cached.
    """

    checks = (
        "health_check.checks.Database",
        "health_check.checks.Cache",
        "health_check.checks.Storage",
    )

    async def get(self, request, *args, **kwargs):
        response = await super().get(request, *args, **kwargs)
        if response.status_code == 500:  # the library's "a check failed"
            response.status_code = 503
        return response
