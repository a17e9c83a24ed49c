"""Giving a photo its picture: clean it, store it, make its renditions.

A picture reaches a photo from the admin, the importer or the demo loader; each
first checks it with ``media.validation.validate_picture`` and then comes here.
"""

from .images import clean_picture
from .models import Photo, delete_files_on_commit, files_of
from .renditions import make_renditions


def store_clean_file(*, photo, file, name):
    """Store ``file`` as the photo's picture, upright and without personal
    metadata, without saving the photo. Returns the cleaned file."""
    cleaned = clean_picture(file, name)
    photo.image.save(cleaned.name, cleaned, save=False)
    return cleaned


def attach_picture(*, photo, file, name, written=None):
    """Give ``photo`` the accepted picture in ``file`` and make its renditions.

    Saves the photo. A file it had before is deleted once the transaction
    commits, with its renditions. Pass a list as ``written`` to have the name
    of every file stored appended to it the moment it is stored, so a caller
    whose transaction fails — even because the database went away halfway —
    can remove them all with ``discard_files``.
    """
    previous = photo.image.name if photo.image else ""
    cleaned = store_clean_file(photo=photo, file=file, name=name)
    if written is not None:
        written.append(photo.image.name)
    photo.save()
    make_renditions(photo, source=cleaned, written=written)
    if previous and previous != photo.image.name:
        delete_files_on_commit([previous])
    return photo


def stored_files(photo):
    """The stored names of a photo's original and renditions."""
    return files_of(Photo.objects.filter(pk=photo.pk))


def discard_files(names):
    """Remove files whose transaction rolled back, so nothing is left orphaned.

    Needs no database, so it also works when the database is what failed.
    """
    storage = Photo._meta.get_field("image").storage
    for name in names:
        if name:
            storage.delete(name)
