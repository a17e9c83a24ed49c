from django import forms
from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import ngettext

from articles.events import PUBLIC_KINDS

from .models import Delivery, DeliveryAttempt, Endpoint, new_secret


class EndpointForm(forms.ModelForm):
    events = forms.MultipleChoiceField(
        choices=[(kind, kind.replace("_", " ")) for kind in PUBLIC_KINDS],
        widget=forms.CheckboxSelectMultiple,
        help_text=Endpoint._meta.get_field("events").help_text,
    )

    class Meta:
        model = Endpoint
        fields = ["name", "url", "events", "active"]


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin):
    form = EndpointForm
    list_display = ["name", "url", "active", "event_list", "created_at"]
    list_filter = ["active"]
    search_fields = ["name", "url"]
    readonly_fields = ["secret", "created_at"]
    actions = ["replace_secrets"]

    def get_fields(self, request, obj=None):
        fields = ["name", "url", "events", "active"]
        return fields + (["secret", "created_at"] if obj else [])

    @admin.action(
        description="Replace the secrets of the selected endpoints",
        permissions=["change"],
    )
    def replace_secrets(self, request, queryset):
        endpoints = list(queryset)
        for endpoint in endpoints:
            endpoint.secret = new_secret()
            endpoint.save(update_fields=["secret"])
        self.message_user(
            request,
            ngettext(
                "%d endpoint has a new secret: give it to the receiver.",
                "%d endpoints have new secrets: give them to the receivers.",
                len(endpoints),
            )
            % len(endpoints),
        )

    @admin.display(description="events")
    def event_list(self, obj):
        return ", ".join(obj.events)


class AttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    extra = 0
    can_delete = False
    fields = [
        "number",
        "attempted_at",
        "response_code",
        "response_excerpt",
        "error",
        "next_retry_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """The delivery log: read-only, for everyone who may see it."""

    list_display = [
        "created_at",
        "event",
        "endpoint",
        "story",
        "status",
        "attempts",
        "response_code",
        "next_retry_at",
    ]
    list_filter = ["status", "event", "endpoint"]
    list_select_related = ["endpoint", "article__section"]
    search_fields = ["endpoint__name", "article__headline", "=uuid"]
    date_hierarchy = "created_at"
    inlines = [AttemptInline]
    fields = [
        "uuid",
        "endpoint",
        "event",
        "article",
        "status",
        "attempts",
        "response_code",
        "error",
        "next_retry_at",
        "created_at",
        "finished_at",
        "body",
    ]
    readonly_fields = fields

    @admin.display(description="story", ordering="article__headline")
    def story(self, obj):
        if obj.article is None:
            return "—"
        if obj.article.get_absolute_url() is None:  # in no section: no address
            return obj.article.headline
        return format_html(
            '<a href="{}">{}</a>', obj.article.get_absolute_url(), obj.article.headline
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
