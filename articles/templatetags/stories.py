from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def with_dateline(body, dateline):
    """The (already sanitized) body with the dateline opening its first paragraph."""
    if not dateline:
        return mark_safe(body)
    opening = format_html('<span class="dateline">{} —</span> ', dateline)
    if body.startswith("<p>"):
        return mark_safe(f"<p>{opening}{body[3:]}")
    return mark_safe(f"<p>{opening}</p>{body}")
