"""Post an admin change form back as the browser would, from its rendered page."""

import datetime

from django.utils import timezone


def _form_values(form):
    data = {}
    for name in form.fields:
        value = form[name].value()
        key = form.add_prefix(name)
        if isinstance(value, datetime.datetime):
            local = timezone.localtime(value) if timezone.is_aware(value) else value
            data[f"{key}_0"] = local.strftime("%Y-%m-%d")
            data[f"{key}_1"] = local.strftime("%H:%M:%S")
        elif isinstance(value, bool):
            if value:
                data[key] = "on"
        elif isinstance(value, list | tuple):
            data[key] = ", ".join(getattr(v, "name", str(v)) for v in value)
        elif value is not None:
            data[key] = getattr(value, "pk", value)
    return data


def posted_back(response, **changes):
    """The data of the change form on ``response``, with ``changes`` made."""
    context = response.context
    data = _form_values(context["adminform"].form)
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        data |= _form_values(formset.management_form)
        for form in formset.forms:
            data |= _form_values(form)
    return data | changes
