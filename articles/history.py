"""Story history kept by django-reversion, for saves made outside the admin."""

import reversion
from reversion.models import Version


def keep_stored_version(model, pk, *, comment):
    """Record a row's stored state as a version if it has no history yet.

    Stories created by the importer or from the shell have no version until
    someone changes them; this keeps the state they had before that change.
    """
    if not reversion.is_registered(model):
        return
    if Version.objects.get_for_object_reference(model, pk).exists():
        return
    stored = model.objects.filter(pk=pk).first()
    if stored is None:
        return
    with reversion.create_revision():
        reversion.add_to_revision(stored)
        reversion.set_comment(comment)
