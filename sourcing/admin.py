import csv
from urllib.parse import urlencode

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from articles.desk_quotes import new_or_known_source
from articles.importing.data import SourceData
from articles.models import Quote
from people.permissions import can_see_private_source_fields

from .attribution import attribute_quote, may_attribute, may_see_queue
from .charts import bar_chart
from .forms import AttributeForm, QueueFilterForm, ReportFilterForm, picker
from .models import SourcingReport, UnattributedQuote
from .queue import page_of
from .report import build_report, csv_rows


class DeskPageAdmin(admin.ModelAdmin):
    """A desk page reached through a table-less proxy: seen by those
    ``may_see`` lets in, and nothing to add, change or delete through it."""

    def may_see(self, user):
        raise NotImplementedError

    def has_module_permission(self, request):
        return self.may_see(request.user)

    def has_view_permission(self, request, obj=None):
        return self.may_see(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SourcingReport)
class SourcingReportAdmin(DeskPageAdmin):
    """The sourcing report (Admin › Sourcing › Sourcing report): for those who
    may edit sources, as it counts their private, self-described attributes."""

    def may_see(self, user):
        return can_see_private_source_fields(user)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "",
                self.admin_site.admin_view(self.report_view),
                name="{}_{}_changelist".format(*info),
            ),
            path(
                "csv/",
                self.admin_site.admin_view(self.csv_view),
                name="{}_{}_csv".format(*info),
            ),
        ]

    def figures(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = ReportFilterForm(request.GET or None)
        if not request.GET:
            form = ReportFilterForm({})
        if not form.is_valid():
            return form, None
        return form, build_report(form.filters(), user=request.user)

    def report_view(self, request):
        form, report = self.figures(request)
        charts = {}
        if report is not None:
            charts = {
                key: bar_chart(f"{label}: share of attributed quotes", rows)
                for key, (label, rows) in report.attributes.items()
            }
            charts["official"] = bar_chart(
                "Official and non-official voices: share of attributed quotes",
                report.official,
            )
        context = {
            **self.admin_site.each_context(request),
            "title": "Sourcing report",
            "opts": self.opts,
            "form": form,
            "report": report,
            "attribute_tables": [
                (key, label, rows, charts[key])
                for key, (label, rows) in (report.attributes.items() if report else [])
            ],
            "official_chart": charts.get("official"),
            "query": request.GET.urlencode(),
            "queue_url": queue_url(report) if may_see_queue(request.user) else "",
        }
        return TemplateResponse(
            request,
            "admin/sourcing/report.html",
            context,
            status=200 if report is not None else 400,
        )

    def csv_view(self, request):
        form, report = self.figures(request)
        if report is None:
            return HttpResponse(
                "; ".join(
                    message for errors in form.errors.values() for message in errors
                ),
                status=400,
                content_type="text/plain; charset=utf-8",
            )
        filters = report.filters
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="sourcing-{filters.date_from}-{filters.date_to}.csv"'
        )
        csv.writer(response).writerows(
            [spreadsheet_safe(cell) for cell in row] for row in csv_rows(report)
        )
        return response


def queue_url(report):
    """The queue of the published stories' unattributed quotes (of the
    report's section, if it has one)."""
    query = {"status": "published"}
    if report is not None and report.filters.section is not None:
        query["section"] = report.filters.section.pk
    url = reverse("admin:sourcing_unattributedquote_changelist")
    return f"{url}?{urlencode(query)}"


def spreadsheet_safe(cell):
    """Text a spreadsheet would run as a formula (a source named “=1+1”) is
    written with a leading apostrophe."""
    if isinstance(cell, str) and cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + cell
    return cell


@admin.register(UnattributedQuote)
class UnattributedQuoteAdmin(DeskPageAdmin):
    """Admin › Sourcing › Unattributed quotes: the quotes whose speaker the
    desk has yet to settle, each in its sentence with suggested speakers and
    a button to attribute it (``sourcing.queue``, ``sourcing.attribution``).
    For those who may change stories and view sources; the buttons only on
    stories the workflow lets this user change."""

    def may_see(self, user):
        return may_see_queue(user)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "",
                self.admin_site.admin_view(self.queue_view),
                name="{}_{}_changelist".format(*info),
            ),
            path(
                "<int:quote_id>/attribute/",
                self.admin_site.admin_view(self.attribute_view),
                name="{}_{}_attribute".format(*info),
            ),
        ]

    def queue_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = QueueFilterForm(request.GET)
        valid = form.is_valid()
        page = page_of(request.user, form.filters()) if valid else None
        here = request.get_full_path()
        filters = {
            key: value
            for key, value in request.GET.items()
            if key in ("section", "status") and value
        }
        picker_media, picker_attrs = picker(self.admin_site)
        context = {
            **self.admin_site.each_context(request),
            "title": "Unattributed quotes",
            "opts": self.opts,
            "form": form,
            "page": page,
            "rows": page.entries if page else [],
            "picker_attrs": picker_attrs,
            "media": self.media + picker_media,
            "here": here,
            "first_url": "?" + urlencode(filters),
            "next_url": "?" + urlencode({**filters, "after": page.next_cursor})
            if page and page.next_cursor
            else "",
            "is_first": not request.GET.get("after"),
        }
        return TemplateResponse(
            request,
            "admin/sourcing/unattributed.html",
            context,
            status=200 if valid else 400,
        )

    def attribute_view(self, request, quote_id):
        return _attribute(request, self, quote_id)


@require_POST
def _attribute(request, model_admin, quote_id):
    """POST: attribute the quote to a source (``source``) or to a new source
    made from a suggested name (``new_name``), then back to the queue."""
    user = request.user
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    quote = get_object_or_404(Quote.objects.select_related("article"), pk=quote_id)
    if not may_attribute(user, quote.article):
        raise PermissionDenied
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = ""
    back = back or reverse("admin:sourcing_unattributedquote_changelist")
    form = AttributeForm(request.POST, user=user)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return HttpResponseRedirect(back)
    with transaction.atomic():  # a new source only with its quote
        return _attributed(request, quote, form.cleaned_data, back)


def _attributed(request, quote, data, back):
    user = request.user
    source = data.get("source")
    if source is None:
        source = new_or_known_source(
            user=user,
            data=SourceData(
                name=data["new_name"],
                kind=data.get("new_kind") or "person",
                description=data.get("new_description", ""),
            ),
        )
        if source is None:
            messages.error(
                request,
                f"“{data['new_name']}” is a source only editors may name: "
                "ask one to attribute this quote.",
            )
            return HttpResponseRedirect(back)
    result = attribute_quote(quote, source, by=user)
    if not result.done:
        transaction.set_rollback(True)  # nor the new source it would have had
    (messages.success if result.done else messages.warning)(request, result.message)
    return HttpResponseRedirect(back)
