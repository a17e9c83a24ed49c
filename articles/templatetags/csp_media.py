"""Form media that carries this request's Content-Security-Policy nonce."""

from django import template
from js_asset import Media

register = template.Library()


@register.filter
def with_csp_nonce(media, request):
    """``media`` with the request's nonce on every tag it renders.

    The story form's rich-text editor (django-prose-editor) needs an inline
    ``<script type="importmap">``, which the policy runs only with the nonce.
    """
    return Media.from_media(media, nonce=getattr(request, "csp_nonce", ""))
