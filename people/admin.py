from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import get_script_prefix, path, reverse
from django.utils.dateparse import parse_date
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import ngettext
from reversion_compare.admin import CompareVersionAdmin

from newsroom.admin_history import GuardedHistoryMixin
from newsroom.admin_lists import (
    PK_MARK,
    ChangeUrls,
    LargeTableAdminMixin,
    LargeTableChangeList,
)

from . import source_record
from .attributes import (
    GENDER_SUGGESTIONS,
    SELF_DESCRIBED,
    SELF_DESCRIBED_FIELDS,
    SuggestingTextInput,
)
from .models import Journalist, Source
from .permissions import (
    can_see_private_journalist_fields,
    can_see_private_source_fields,
    source_label,
)
from .staff import StaffMemberForm, can_add_staff

PRIVATE = "Private — never shown to readers"


def per_row(related, field, value):
    """``value`` aggregated over the ``related`` rows pointing at each listed row.

    A subquery for each row rather than a GROUP BY over the whole related
    table: PostgreSQL evaluates it after the sort and LIMIT, that is only for
    the rows on the page (unless the list is sorted by it).
    """
    return Subquery(
        related.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(value=value)
        .values("value")
    )


def latest_quoted(quotes):
    """When the newest story quoting the source (the last one filed, by id,
    that has a publication time) was published: one probe of the
    (source, article) index per listed source, however often they are quoted.
    """
    return Subquery(
        quotes.filter(source=OuterRef("pk"), article__published_at__isnull=False)
        .order_by("-article_id")
        .values("article__published_at")[:1]
    )


def count_of(related, field):
    return Coalesce(per_row(related, field, Count("*")), 0, output_field=IntegerField())


class CappedCount(Subquery):
    """How many of ``queryset``'s rows there are, counting no further than
    its slice: ``count(*)`` over a ``LIMIT``, per listed row."""

    template = "(SELECT count(*) FROM (%(subquery)s) AS capped)"
    output_field = IntegerField()


def count_up_to(related, field, up_to):
    """``count_of`` that stops at ``up_to + 1``: a list of the most prolific
    journalists reads at most that many bylines of each."""
    rows = related.filter(**{field: OuterRef("pk")}).order_by().values("pk")
    return CappedCount(rows[: up_to + 1])


class PrivateHistoryMixin(GuardedHistoryMixin):
    """History shows private fields, so it is for those who may edit the row."""

    def has_history_permission(self, request, obj):
        return self.has_change_permission(request, obj)


@admin.register(Journalist)
class JournalistAdmin(LargeTableAdminMixin, PrivateHistoryMixin, CompareVersionAdmin):
    list_display = ["name", "role", "story_count", "is_active", "user"]
    list_filter = ["is_active"]
    list_per_page = 50
    list_select_related = ["user"]
    search_fields = ["name", "role", "email"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["portrait", "user"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "role", "bio", "portrait", "is_active"]}),
        (PRIVATE, {"fields": ["email", "user"]}),
    ]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if can_see_private_journalist_fields(request.user):
            return fieldsets
        return [(name, opts) for name, opts in fieldsets if name != PRIVATE]

    def get_list_display(self, request):
        if can_see_private_journalist_fields(request.user):
            return self.list_display
        return [name for name in self.list_display if name != "user"]

    def get_search_fields(self, request):
        if can_see_private_journalist_fields(request.user):
            return self.search_fields
        return [name for name in self.search_fields if name != "email"]

    # Story counts are exact up to this; past it the list says “1,000+”.
    stories_counted_up_to = 1000
    # django-reversion's list (its “Recover deleted” link) and “Add a staff member”.
    change_list_template = "admin/people/journalist/change_list.html"

    def get_urls(self):
        return [
            path(
                "add-staff/",
                self.admin_site.admin_view(self.add_staff_view),
                name="people_journalist_add_staff",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_add_staff": can_add_staff(request.user),
        }
        return super().changelist_view(request, extra_context)

    def add_staff_view(self, request):
        """The account, its role and the journalist profile in one form."""
        if not can_add_staff(request.user):
            raise PermissionDenied
        form = StaffMemberForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            member = form.save(by=request.user)
            if member.journalist is not None:
                target = reverse(
                    "admin:people_journalist_change", args=[member.journalist.pk]
                )
            else:
                target = reverse("admin:auth_user_change", args=[member.user.pk])
            self.message_user(
                request,
                format_html(
                    '{} <a href="{}">See the account</a>.', member.summary(), target
                ),
                messages.SUCCESS,
            )
            return redirect(target)
        context = {
            **self.admin_site.each_context(request),
            "title": "Add a staff member",
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(
            request, "admin/people/journalist/add_staff.html", context
        )

    def get_queryset(self, request):
        bylines = Journalist._meta.get_field("bylines").related_model.objects
        return (
            super()
            .get_queryset(request)
            .annotate(
                story_count=count_up_to(
                    bylines, "journalist", self.stories_counted_up_to
                )
            )
        )

    @admin.display(description="Stories", ordering="story_count")
    def story_count(self, journalist):
        if journalist.story_count > self.stories_counted_up_to:
            return f"{self.stories_counted_up_to:,}+"
        return journalist.story_count


class SourceAutocompleteView(AutocompleteJsonView):
    """Source suggestions that name an anonymous source only to those who may know."""

    def serialize_result(self, obj, to_field_name):
        return {
            "id": str(getattr(obj, to_field_name)),
            "text": source_label(self.request.user, obj),
        }


class SourceAutocompleteSelect(AutocompleteSelect):
    """The source picker for quotes: asks ``SourceAutocompleteView``."""

    url_name = "%s:people_source_autocomplete"


class OrganisationFilter(admin.AllValuesFieldListFilter):
    """Sources by organisation; those with none under “No organisation”
    rather than a link with no words."""

    def choices(self, changelist):
        for choice in super().choices(changelist):
            if choice.get("display") == "":
                choice = {**choice, "display": "No organisation"}
            yield choice


class QuotedFilter(admin.SimpleListFilter):
    """Sources by where they were quoted. The list's quote filters (section,
    journalist, period) are one condition on the same quote: “quoted in a
    Politics story by Ana Ruiz in March” (``SourceChangeList``). This filter
    only reads its value (``quote_condition``)."""

    def queryset(self, request, queryset):
        return queryset  # applied with the others, by ``SourceChangeList``

    def quote_condition(self):
        value = self.value()
        if not value:
            return {}
        try:
            return {self.parameter_name: int(value)}
        except ValueError:
            message = f"No such {self.title}: {value!r}"
            raise IncorrectLookupParameters(message) from None


class QuotedInSectionFilter(QuotedFilter):
    title = "story’s section"
    parameter_name = "section"

    def lookups(self, request, model_admin):
        return (
            source_record.section_model()
            .objects.order_by("name", "pk")
            .values_list("pk", "name")
        )


class QuotedByJournalistFilter(QuotedFilter):
    """Journalists with a byline on any story: one probe of the byline index
    each, for a few hundred journalists."""

    title = "story’s journalist"
    parameter_name = "journalist"

    def lookups(self, request, model_admin):
        bylines = source_record.byline_model().objects.filter(journalist=OuterRef("pk"))
        return (
            Journalist.objects.filter(Exists(bylines))
            .order_by("name", "pk")
            .values_list("pk", "name")
        )


class QuotedInPeriodFilter(admin.ListFilter):
    """Sources quoted in a story published in a period: two labelled date
    fields (from, to; either may be left empty) and a button, a plain form
    that keeps the list's other filters and search."""

    title = "story’s date"
    template = "admin/people/source/period_filter.html"
    parameters = {"quoted_from": "From", "quoted_to": "To"}

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        self.dates = {}
        for name in self.parameters:
            if name not in params:
                continue
            text = params.pop(name)[-1].strip()
            self.used_parameters[name] = text
            if not text:
                continue
            try:
                day = parse_date(text)
            except ValueError:
                day = None
            if day is None:
                raise IncorrectLookupParameters(f"Not a date: {text!r}")
            self.dates[name] = day

    def has_output(self):
        return True

    def expected_parameters(self):
        return list(self.parameters)

    def queryset(self, request, queryset):
        return queryset  # applied with the others, by ``SourceChangeList``

    def quote_condition(self):
        return {
            key: self.dates[name]
            for name, key in (("quoted_from", "since"), ("quoted_to", "until"))
            if name in self.dates
        }

    def choices(self, changelist):
        """The form's fields and the list's other parameters (kept as hidden
        fields), and a link back to any time."""
        keep = [
            (name, value)
            for name, value in changelist.params.items()
            if name not in self.parameters
        ]
        yield {
            "fields": [
                {
                    "name": name,
                    "label": label,
                    "id": f"source-{name.replace('_', '-')}",
                    "value": self.dates[name].isoformat() if name in self.dates else "",
                }
                for name, label in self.parameters.items()
            ],
            "keep": keep,
            "selected": not self.dates,
            "any_time": changelist.get_query_string(remove=list(self.parameters)),
        }


class SourceChangeList(LargeTableChangeList):
    """The source list, its quote filters (``QuotedFilter``,
    ``QuotedInPeriodFilter``) combined into one EXISTS over the quotes."""

    def get_queryset(self, request, exclude_parameters=None):
        queryset = super().get_queryset(request, exclude_parameters)
        condition = {}
        for spec in self.filter_specs:
            if hasattr(spec, "quote_condition"):
                condition.update(spec.quote_condition())
        if condition:
            queryset = queryset.filter(source_record.quoted_where(**condition))
        return queryset


@admin.register(Source)
class SourceAdmin(LargeTableAdminMixin, PrivateHistoryMixin, CompareVersionAdmin):
    list_display = [
        "name",
        "kind",
        "organisation",
        "on_record",
        "quote_count",
        "last_quoted",
    ]
    list_filter = [
        "kind",
        "on_record",
        ("organisation", OrganisationFilter),
        QuotedInSectionFilter,
        QuotedByJournalistFilter,
        QuotedInPeriodFilter,
    ]
    list_per_page = 50
    # No counts beside the filters' choices: a count over every source for
    # each section and each of a few hundred journalists, on every view.
    show_facets = admin.ShowFacets.NEVER
    search_fields = ["name", "description", "organisation"]
    actions = ["merge_sources"]
    # django-reversion's list plus a link to the sourcing report.
    change_list_template = "admin/people/source/change_list.html"
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "description", "organisation"]}),
        (
            "On the record",
            {
                "fields": ["on_record"],
                "description": "An anonymous source's name and address never "
                "appear on the public site; give them a neutral slug.",
            },
        ),
        (PRIVATE, {"fields": ["contact_details", "notes"]}),
        (SELF_DESCRIBED, {"fields": SELF_DESCRIBED_FIELDS, "classes": ["collapse"]}),
    ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "gender":
            kwargs["widget"] = SuggestingTextInput(GENDER_SUGGESTIONS)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def view_on_site(self, obj):
        """The source's public page; none for an anonymous source, who has none."""
        return obj.get_absolute_url() if obj.on_record else None

    def get_urls(self):
        view = SourceAutocompleteView.as_view(admin_site=self.admin_site)
        return [
            path(
                "autocomplete/",
                self.admin_site.admin_view(view),
                name="people_source_autocomplete",
            ),
            # Before the admin's own ``<path:object_id>/``, which would take it.
            path(
                "<path:object_id>/quotes/",
                self.admin_site.admin_view(self.quotes_view),
                name="people_source_quotes",
            ),
            *super().get_urls(),
        ]

    def get_changelist(self, request, **kwargs):
        return SourceChangeList

    def change_view(self, request, object_id, form_url="", extra_context=None):
        source = self.get_object(request, unquote(object_id))
        extra_context = dict(extra_context or {})
        if source is not None:
            extra_context["quoted"] = source_record.summary(source)
            extra_context["source"] = source
        if source is not None and not can_see_private_source_fields(request.user):
            name = source.public_name
            extra_context = {"subtitle": name, "shown_name": name, **extra_context}
        return super().change_view(request, object_id, form_url, extra_context)

    def quotes_view(self, request, object_id):
        """The source's record: what they are, how often and when they were
        quoted, and every quote, newest story first, 50 a page (keyset pages:
        ``?before=`` the last quote shown, ``?after=`` the first). Four
        queries (the source, its counts, a page, its bylines) whatever the
        source or the page. For everyone who may view sources; an anonymous
        source named by its public description unless the user may know."""
        source = self.get_object(request, unquote(object_id))
        if source is None:
            raise Http404("No such source.")
        if not self.has_view_permission(request, source):
            raise PermissionDenied
        before = source_record.Cursor.parse(request.GET.get("before"))
        after = source_record.Cursor.parse(request.GET.get("after"))
        page = source_record.quotes_page(
            source, before=None if after else before, after=after
        )
        story_url = ChangeUrls()
        rows = [
            {
                "quote": quote,
                "story": quote.article,
                "story_url": story_url(quote.article),
            }
            for quote in page.quotes
        ]
        name = source_label(request.user, source)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Quotes of {name}",
            "subtitle": None,
            "shown_name": name,
            "opts": self.model._meta,
            "source": source,
            "quoted": source_record.summary(source),
            "page": page,
            "rows": rows,
            "has_change_permission": self.has_change_permission(request, source),
        }
        return TemplateResponse(request, "admin/people/source/quotes.html", context)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or can_see_private_source_fields(request.user):
            return fieldsets
        # Read-only for this user: the name as readers see it, nothing private.
        return [
            (
                name,
                {
                    **opts,
                    "fields": [
                        "public_name" if field == "name" else field
                        for field in opts["fields"]
                    ],
                },
            )
            for name, opts in fieldsets
            if name not in (PRIVATE, SELF_DESCRIBED)
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None or can_see_private_source_fields(request.user):
            return super().get_readonly_fields(request, obj)
        return [*super().get_readonly_fields(request, obj), "public_name"]

    def get_list_display(self, request):
        if can_see_private_source_fields(request.user):
            return self.list_display
        return ["public_name", *self.list_display[1:]]

    def get_search_results(self, request, queryset, search_term):
        private = can_see_private_source_fields(request.user)
        if private:
            return super().get_search_results(request, queryset, search_term)
        match = request.resolver_match
        if match and match.url_name == "autocomplete":
            # The site-wide picker labels sources by name: on-record ones only.
            queryset = queryset.filter(on_record=True)
        # An anonymous source is found by how copy describes it, never its name.
        for word in search_term.split():
            queryset = queryset.filter(
                Q(description__icontains=word)
                | Q(organisation__icontains=word)
                | Q(on_record=True, name__icontains=word)
            )
        return queryset, False

    def get_queryset(self, request):
        quotes = Source._meta.get_field("quotes").related_model.objects
        return (
            super()
            .get_queryset(request)
            .annotate(
                quote_count=count_of(quotes, "source"),
                last_quoted_at=latest_quoted(quotes),
            )
            # A stable order for the pickers that page through them.
            .order_by("name", "pk")
        )

    def get_prepopulated_fields(self, request, obj=None):
        # An anonymous source's slug is public: never derive it from the name.
        if obj is not None and not obj.on_record:
            return {}
        return {"slug": ["name"]}

    @admin.display(description="Name")
    def public_name(self, source):
        return source.public_name

    @admin.display(description="Quotes", ordering="quote_count")
    def quote_count(self, source):
        """The count, linked to the source's quotes page."""
        prefix = get_script_prefix()
        if self._quotes_url_parts[0] != prefix:
            url = reverse("admin:people_source_quotes", args=[PK_MARK])
            self._quotes_url_parts = (prefix, *url.partition(PK_MARK)[::2])
        _, before, after = self._quotes_url_parts
        return format_html(
            '<a href="{}{}{}" title="Every quote of this source">{}</a>',
            before,
            source.pk,
            after,
            number_format(source.quote_count),
        )

    # The quotes page's address around a source's key, made once (the list
    # links every row to it).
    _quotes_url_parts = (None, "", "")

    @admin.display(description="Last quoted", ordering="last_quoted_at")
    def last_quoted(self, source):
        return source.last_quoted_at

    @admin.action(description="Merge selected sources into one", permissions=["change"])
    def merge_sources(self, request, queryset):
        sources = list(queryset.order_by("pk"))
        if len(sources) < 2:
            self.message_user(
                request, "Select at least two sources to merge.", messages.WARNING
            )
            return None
        keep_id = request.POST.get("keep")
        kept = next((s for s in sources if str(s.pk) == keep_id), None)
        if request.POST.get("confirm") != "yes" or kept is None:
            return TemplateResponse(
                request,
                "admin/people/source/merge_confirmation.html",
                {
                    **self.admin_site.each_context(request),
                    "title": "Merge sources",
                    "opts": self.model._meta,
                    "sources": sources,
                    "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                },
            )
        merged = [s for s in sources if s.pk != kept.pk]
        with transaction.atomic():
            for duplicate in merged:
                duplicate.quotes.update(source=kept)
                duplicate.delete()
        self.message_user(
            request,
            ngettext(
                "Merged %(count)d source into “%(name)s”; its quotes moved there.",
                "Merged %(count)d sources into “%(name)s”; their quotes moved there.",
                len(merged),
            )
            % {"count": len(merged), "name": kept.name},
        )
        return None
