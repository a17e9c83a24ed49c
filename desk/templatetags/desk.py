from django import template
from django.urls import reverse
from django.utils.html import format_html

from .. import notices, queries

register = template.Library()


@register.inclusion_tag("desk/home_sections.html", takes_context=True)
def desk_home(context):
    """The desk home's sections for the member signed in (``desk.queries``)."""
    request = context["request"]
    return {
        "sections": queries.home(request.user),
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }


@register.simple_tag(takes_context=True)
def desk_notices_link(context):
    """“Notices (3 unread)” for the admin's header: from the cache once known."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not (user.is_active and user.is_staff):
        return ""
    count = notices.unread_count(user)
    url = reverse("desk:notices")
    if count:
        return format_html(
            '<a href="{}" class="desk-notices-link desk-notices-link--unread">'
            'Notices <span class="desk-badge">{}</span>'
            '<span class="visually-hidden"> unread</span></a> / ',
            url,
            notices.unread_text(count),
        )
    return format_html('<a href="{}" class="desk-notices-link">Notices</a> / ', url)
