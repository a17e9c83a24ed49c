"""``{% one_pass_result_list cl %}``: Django's ``{% result_list cl %}`` (the same
template, ``admin/…/change_list_results.html``, the same headers and cells)
with the rows rendered by ``newsroom.admin_lists.one_pass_rows``."""

from django.contrib.admin.templatetags import admin_list
from django.contrib.admin.templatetags.base import InclusionAdminNode
from django.template import Library

from newsroom.admin_lists import filter_html, one_pass_rows, plain_filter_template

register = Library()


def one_pass_result_list(cl):
    if cl.formset:  # ``list_editable``: each row has its form; Django's way
        return admin_list.result_list(cl)
    headers = list(admin_list.result_headers(cl))
    return {
        "cl": cl,
        "result_hidden_fields": [],
        "result_headers": headers,
        "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
        "results": one_pass_rows(cl),
    }


@register.tag(name="one_pass_result_list")
def one_pass_result_list_tag(parser, token):
    return InclusionAdminNode(
        parser,
        token,
        func=one_pass_result_list,
        template_name="change_list_results.html",
        takes_context=False,
    )


@register.simple_tag
def one_pass_list_filter(cl, spec):
    """Django's ``{% admin_list_filter cl spec %}``; a filter shown by Django's
    own ``admin/filter.html`` is rendered here, the same markup, without a
    template node for each of its choices (a source list's organisations are
    a few hundred)."""
    if spec.template != "admin/filter.html" or not plain_filter_template(cl):
        return admin_list.admin_list_filter(cl, spec)
    return filter_html(spec.title, spec.choices(cl))
