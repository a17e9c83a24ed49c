"""Renditions: the sizes and formats a photo is served in, made once and stored.

``make_renditions(photo)`` is called explicitly whenever a photo's file or focal
point changes (the admin, the importer, the demo loader, ``rebuild_renditions``)
and never while a page is rendered: pages read stored renditions only.

Every photo gets, for each width in ``NEWSROOM_PHOTO_WIDTHS`` (never wider than
the original), a WebP and a JPEG copy, plus a 1200×630 JPEG crop around the focal
point for social cards.
"""

from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.files.base import ContentFile

from .images import Target, render, width_sizes
from .models import Rendition, delete_files_on_commit

SOCIAL_SIZE = (1200, 630)
# Where renditions are stored; their names never get other content.
RENDITION_FOLDER = "photos/renditions/"
EXTENSIONS = {Rendition.Format.WEBP: "webp", Rendition.Format.JPEG: "jpg"}


@dataclass(frozen=True)
class Planned:
    kind: str
    format: str
    width: int
    height: int
    fingerprint: str
    target: Target

    @property
    def key(self):
        return (self.kind, self.format, self.width, self.height, self.fingerprint)


@dataclass
class Result:
    made: int = 0
    dropped: int = 0


def plan(photo, widths=None):
    """The renditions ``photo`` should have with its current file and focal point."""
    if not photo.has_file or not photo.width or not photo.height:
        return []
    widths = settings.NEWSROOM_PHOTO_WIDTHS if widths is None else widths
    plain = photo.fingerprint(cropped=False)
    planned = [
        Planned(Rendition.Kind.WIDTH, fmt, w, h, plain, Target((w, h), fmt))
        for w, h in width_sizes((photo.width, photo.height), widths)
        for fmt in (Rendition.Format.WEBP, Rendition.Format.JPEG)
    ]
    planned.append(
        Planned(
            Rendition.Kind.SOCIAL,
            Rendition.Format.JPEG,
            *SOCIAL_SIZE,
            photo.fingerprint(cropped=True),
            Target(
                SOCIAL_SIZE, Rendition.Format.JPEG, crop=True, focus=photo.focal_point
            ),
        )
    )
    return planned


def make_renditions(photo, *, source=None, widths=None, written=None):
    """Make the renditions ``photo`` is missing and drop those gone stale.

    ``source`` is an open file holding the photo's picture, to save fetching it
    back from storage just after it was stored. New renditions are stored before
    stale ones are dropped, so a page never lacks them; the stale files are
    deleted when the transaction commits. The name of each file stored is
    appended to ``written``, when given, as soon as it is stored.
    """
    missing, stale = pending(photo, widths)
    result = Result()
    if missing:
        if source is not None:
            images = render(source, [planned.target for planned in missing])
        else:
            with photo.image.open("rb") as original:
                images = render(original, [planned.target for planned in missing])
        storage = Rendition._meta.get_field("file").storage
        stem = PurePath(photo.image.name).stem[:60]
        for planned, data in zip(missing, images, strict=True):
            name = storage.save(_name(photo, stem, planned), ContentFile(data))
            if written is not None:
                written.append(name)
            Rendition.objects.create(
                photo=photo,
                kind=planned.kind,
                format=planned.format,
                width=planned.width,
                height=planned.height,
                fingerprint=planned.fingerprint,
                file=name,
            )
        result.made = len(missing)
    if stale:
        Rendition.objects.filter(pk__in=[rendition.pk for rendition in stale]).delete()
        delete_files_on_commit([rendition.file.name for rendition in stale])
        result.dropped = len(stale)
    # A list prefetched before this call no longer tells the truth.
    getattr(photo, "_prefetched_objects_cache", {}).pop("renditions", None)
    photo.__dict__.pop("listed_renditions", None)
    return result


def pending(photo, widths=None):
    """What ``make_renditions`` would do: (renditions to make, stale ones)."""
    existing = list(Rendition.objects.filter(photo=photo))
    wanted = plan(photo, widths)
    have = {_key(rendition) for rendition in existing}
    keep = {planned.key for planned in wanted}
    missing = [planned for planned in wanted if planned.key not in have]
    stale = [rendition for rendition in existing if _key(rendition) not in keep]
    return missing, stale


def _key(rendition):
    return (
        rendition.kind,
        rendition.format,
        rendition.width,
        rendition.height,
        rendition.fingerprint,
    )


def _name(photo, stem, planned):
    size = "social" if planned.kind == Rendition.Kind.SOCIAL else f"{planned.width}w"
    extension = EXTENSIONS[planned.format]
    return (
        f"{RENDITION_FOLDER}{photo.pk}/{stem}-{planned.fingerprint[:8]}-{size}"
        f".{extension}"
    )
