"""History pages (list, compare, restore, recover) that check the stored object.

django-reversion's views check little: compare only that the user is staff,
restore the permission on the version being restored, and neither that the
version belongs to the object in the address. Every admin with History uses
this mixin, and says who may do what with three ``has_*_permission`` methods.
"""

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from reversion.models import Version


class GuardedHistoryMixin:
    """Put before ``VersionAdmin`` / ``CompareVersionAdmin`` in the bases."""

    def has_history_permission(self, request, obj):
        """Who may list an object's versions and compare them."""
        return self.has_view_or_change_permission(request, obj)

    def has_restore_permission(self, request, obj):
        """Who may restore a version over ``obj`` as it is stored now."""
        return self.has_change_permission(request, obj)

    def has_recover_permission(self, request):
        """Who may bring back deleted objects of this kind."""
        return self.has_add_permission(request) and self.has_change_permission(request)

    def stored_object(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404(f"No {self.opts.verbose_name} with this ID.")
        return obj

    def stored_version(self, obj, version_id):
        """A version of ``obj`` itself, never of another object with the same id."""
        version = Version.objects.get_for_object(obj).filter(pk=version_id).first()
        if version is None:
            raise Http404("This version does not belong to this object.")
        return version

    def history_view(self, request, object_id, extra_context=None):
        obj = self.stored_object(request, object_id)
        if not self.has_history_permission(request, obj):
            raise PermissionDenied
        return super().history_view(request, object_id, extra_context)

    def compare_view(self, request, object_id, extra_context=None):
        obj = self.stored_object(request, object_id)
        if not self.has_history_permission(request, obj):
            raise PermissionDenied
        return super().compare_view(request, object_id, extra_context)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        obj = self.stored_object(request, object_id)
        if not self.has_restore_permission(request, obj):
            raise PermissionDenied
        self.stored_version(obj, version_id)
        return super().revision_view(request, object_id, version_id, extra_context)

    def recoverlist_view(self, request, extra_context=None):
        if not self.has_recover_permission(request):
            raise PermissionDenied
        return super().recoverlist_view(request, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        if not self.has_recover_permission(request):
            raise PermissionDenied
        if not Version.objects.get_deleted(self.model).filter(pk=version_id).exists():
            raise Http404("No deleted object has this version.")
        return super().recover_view(request, version_id, extra_context)
