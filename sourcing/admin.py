import csv

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import path

from people.permissions import can_see_private_source_fields

from .charts import bar_chart
from .forms import ReportFilterForm
from .models import SourcingReport
from .report import build_report, csv_rows


@admin.register(SourcingReport)
class SourcingReportAdmin(admin.ModelAdmin):
    """The sourcing report (Admin › Sourcing › Sourcing report): for those who
    may edit sources, as it counts their private, self-described attributes."""

    def has_module_permission(self, request):
        return can_see_private_source_fields(request.user)

    def has_view_permission(self, request, obj=None):
        return can_see_private_source_fields(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

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


def spreadsheet_safe(cell):
    """Text a spreadsheet would run as a formula (a source named “=1+1”) is
    written with a leading apostrophe."""
    if isinstance(cell, str) and cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + cell
    return cell
