import hashlib

from django.core.files.storage import FileSystemStorage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.utils.encoding import filepath_to_uri
from django.utils.functional import LazyObject, empty

from newsroom.models import ValueRulesMixin, ValueRulesQuerySet

from .fields import PictureField
from .images import RENDITION_VERSION

FOCAL_HELP = (
    "Where the picture's subject is, from %s (0) to %s (1). Crops for social "
    "cards keep this point in view; 0.5 is the centre."
)


def file_url(file):
    """``file.url``. For the file-system storage with a base URL such as
    ``/uploads/``, the base and the quoted name side by side: what its
    ``urljoin`` gives when neither has an empty or dot segment (a story page
    asks for some nine, and ``urljoin`` is most of each); any other storage,
    base or name goes to ``file.url``."""
    storage, name = file.storage, file.name
    if isinstance(storage, LazyObject):  # default_storage
        if storage._wrapped is empty:
            storage._setup()
        storage = storage._wrapped
    if type(storage) is FileSystemStorage and name:
        base = storage.base_url
        url = filepath_to_uri(name).lstrip("/")
        if (
            base.startswith("/")
            and base.endswith("/")
            and "//" not in base
            and "/." not in base
            and "//" not in url
            and "/." not in "/" + url
        ):
            return base + url
    return file.url


class PhotoQuerySet(ValueRulesQuerySet):
    def delete(self):
        """Delete the photos and, once the deletion is committed, their files."""
        names = files_of(self)
        result = super().delete()
        delete_files_on_commit(names)
        return result


class Photo(ValueRulesMixin, models.Model):
    """A captioned, credited picture. Its file may arrive after the story."""

    image = PictureField(
        "image file",
        upload_to="photos/%Y/%m/",
        width_field="width",
        height_field="height",
        blank=True,
        max_length=255,
        help_text="The picture itself: a JPEG, PNG, WebP or GIF. Leave empty if it "
        "has not arrived yet: the caption and credit are kept and the photo is "
        "flagged as missing its file.",
    )
    caption = models.TextField(
        help_text="What the picture shows, as readers will see it under the photo."
    )
    credit = models.CharField(
        max_length=255,
        help_text="Who took or supplied the picture, e.g. “Jane Doe/The Newsroom”.",
    )
    alt_text = models.CharField(
        "alt text",
        max_length=500,
        help_text="A short description for readers who cannot see the picture.",
    )
    width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    original_filename = models.CharField(
        max_length=255,
        blank=True,
        help_text="The file name the picture came with, as named in the copy.",
    )
    focal_x = models.FloatField(
        "focal point across",
        default=0.5,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text=FOCAL_HELP % ("the left edge", "the right edge"),
    )
    focal_y = models.FloatField(
        "focal point down",
        default=0.5,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text=FOCAL_HELP % ("the top", "the bottom"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PhotoQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["original_filename"]),
            # The photo list, newest first, and its date hierarchy.
            models.Index(fields=["-created_at", "-id"], name="photo_desk_order_idx"),
            # Photos still waiting for their file, newest first (the desk
            # home's “Photos missing their file”, the list's file filter).
            models.Index(
                fields=["-created_at", "-id"],
                condition=models.Q(image=""),
                name="photo_missing_file_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(focal_x__gte=0, focal_x__lte=1)
                & models.Q(focal_y__gte=0, focal_y__lte=1),
                name="photo_focal_point_inside",
                violation_error_message="The focal point must be inside the picture "
                "(both values between 0 and 1).",
            ),
        ]

    def __str__(self):
        label = self.caption or self.original_filename or f"Photo {self.pk}"
        return label if len(label) <= 80 else label[:79] + "…"

    def delete(self, *args, **kwargs):
        """Delete the photo and, once the deletion is committed, its files.

        ``Photo.objects.filter(…).delete()`` does the same (``PhotoQuerySet``).
        """
        names = files_of(Photo.objects.filter(pk=self.pk))
        result = super().delete(*args, **kwargs)
        delete_files_on_commit(names)
        return result

    @property
    def has_file(self):
        return bool(self.image)

    def missing_details(self):
        """What a story's lead photo still needs before the story goes out:
        ["a caption", "a credit", "alt text"], those left empty."""
        return [
            label
            for label, value in [
                ("a caption", self.caption),
                ("a credit", self.credit),
                ("alt text", self.alt_text),
            ]
            if not value.strip()
        ]

    @property
    def focal_point(self):
        return (self.focal_x, self.focal_y)

    def fingerprint(self, *, cropped):
        """Identifies what a rendition was made from: this file (and, for crops,
        this focal point). A rendition with another fingerprint is stale."""
        parts = [RENDITION_VERSION, self.image.name, self.width, self.height]
        if cropped:
            parts += [round(self.focal_x, 4), round(self.focal_y, 4)]
        return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]

    def current_renditions(self):
        """Renditions made from the current file and focal point.

        Reads ``self.renditions.all()``, so prefetch ``renditions`` when listing
        photos (``prefetch_related("lead_photo__renditions")``), or
        ``listed_renditions`` if a list prefetched them there (``to_attr``).
        """
        if not self.has_file or self.pk is None:
            return []
        known = self._known_renditions()
        if known is None:
            return self._current(self.renditions.all())
        return list(known[2])

    def _known_renditions(self):
        """(prefetched list, what they were made from, current renditions,
        values worked out from them) when the renditions are prefetched, else
        None.

        A page asks a photo for its renditions some five times (two srcsets,
        the fallback, the social card twice): worked out once per list
        prefetched and per file and focal point, and so is what is made of
        them (``_from_renditions``)."""
        renditions = self.__dict__.get("listed_renditions")
        if renditions is None:
            renditions = getattr(self, "_prefetched_objects_cache", {}).get(
                "renditions"
            )
        if renditions is None:
            return None
        asked = (self.image.name, self.width, self.height, self.focal_x, self.focal_y)
        known = self.__dict__.get("_current_renditions")
        if known is None or known[0] is not renditions or known[1] != asked:
            known = (renditions, asked, self._current(renditions), {})
            self.__dict__["_current_renditions"] = known
        return known

    def _from_renditions(self, key, make):
        """``make()``, once for as long as the current renditions are the
        same prefetched ones (every time when they are not prefetched)."""
        known = self._known_renditions() if self.has_file and self.pk else None
        if known is None:
            return make()
        made = known[3]
        if key not in made:
            made[key] = make()
        return made[key]

    def _current(self, renditions):
        fresh = {
            Rendition.Kind.WIDTH: self.fingerprint(cropped=False),
            Rendition.Kind.SOCIAL: self.fingerprint(cropped=True),
        }
        return [r for r in renditions if fresh[r.kind] == r.fingerprint]

    def width_renditions(self, format):
        """The ``"webp"`` or ``"jpeg"`` copies in every width, narrowest first."""
        return list(
            self._from_renditions(
                ("width", format),
                lambda: sorted(
                    (
                        r
                        for r in self.current_renditions()
                        if r.kind == Rendition.Kind.WIDTH and r.format == format
                    ),
                    key=lambda r: r.width,
                ),
            )
        )

    def srcset(self, format):
        """A ``srcset`` value, e.g. ``"/uploads/….webp 480w, /uploads/….webp 960w"``."""
        return self._from_renditions(
            ("srcset", format),
            lambda: ", ".join(
                f"{file_url(r.file)} {r.width}w" for r in self.width_renditions(format)
            ),
        )

    @property
    def webp_srcset(self):
        return self.srcset(Rendition.Format.WEBP)

    @property
    def jpeg_srcset(self):
        return self.srcset(Rendition.Format.JPEG)

    @property
    def fallback_rendition(self):
        """The widest JPEG: the ``src`` for browsers that ignore ``srcset``."""
        jpegs = self.width_renditions(Rendition.Format.JPEG)
        return jpegs[-1] if jpegs else None

    @property
    def thumbnail_rendition(self):
        """The narrowest JPEG, for lists and previews."""
        jpegs = self.width_renditions(Rendition.Format.JPEG)
        return jpegs[0] if jpegs else None

    @property
    def social_rendition(self):
        """The 1200×630 JPEG crop for social cards (``og:image``), if made yet."""
        for rendition in self.current_renditions():
            if rendition.kind == Rendition.Kind.SOCIAL:
                return rendition
        return None

    def share_image(self, *, social=True):
        """(URL, width, height) of the picture to share (Open Graph, JSON-LD,
        feeds), or None when there is no file yet.

        With ``social``, prefers the social-card crop when it has been made;
        otherwise the whole picture. Never opens or resizes an image file.
        """
        return self._from_renditions(
            ("share", social), lambda: self._share_image(social=social)
        )

    def _share_image(self, *, social):
        card = self.social_rendition if social else None
        if card is not None:
            return card.url, card.width, card.height
        if self.has_file:
            return file_url(self.image), self.width, self.height
        return None

    def rendition_data(self):
        """Plain data for the API: caption, credit, alt text and every size."""

        def entry(rendition):
            return {
                "url": rendition.file.url,
                "width": rendition.width,
                "height": rendition.height,
            }

        social = self.social_rendition
        return {
            "caption": self.caption,
            "credit": self.credit,
            "alt_text": self.alt_text,
            "width": self.width,
            "height": self.height,
            "has_file": self.has_file,
            "original": self.image.url if self.has_file else None,
            "webp": [entry(r) for r in self.width_renditions(Rendition.Format.WEBP)],
            "jpeg": [entry(r) for r in self.width_renditions(Rendition.Format.JPEG)],
            "social": entry(social) if social else None,
        }


class Rendition(models.Model):
    """A stored copy of a photo at one size and format, made once, served often."""

    class Kind(models.TextChoices):
        WIDTH = "width", "Width for pages"
        SOCIAL = "social", "Social card crop"

    class Format(models.TextChoices):
        WEBP = "webp", "WebP"
        JPEG = "jpeg", "JPEG"

    photo = models.ForeignKey(
        Photo, on_delete=models.CASCADE, related_name="renditions"
    )
    kind = models.CharField(max_length=10, choices=Kind)
    format = models.CharField(max_length=10, choices=Format)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    file = models.FileField(max_length=255)
    fingerprint = models.CharField(
        max_length=16, help_text="The file and focal point it was made from."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["photo", "kind", "format", "width"]
        constraints = [
            models.UniqueConstraint(
                fields=["photo", "kind", "format", "width", "fingerprint"],
                name="rendition_once_per_photo",
            ),
        ]

    def __str__(self):
        return f"{self.get_format_display()} {self.width}×{self.height} of {self.photo}"

    @property
    def url(self):
        return file_url(self.file)


def files_of(photos):
    """The stored names of these photos' originals and renditions."""
    names = [name for name in photos.values_list("image", flat=True) if name]
    names += Rendition.objects.filter(photo__in=photos).values_list("file", flat=True)
    return names


def delete_files_on_commit(names):
    """Remove stored files once the transaction that stopped using them commits.

    Until then a rollback would still need them, so they are kept.
    """
    storage = Photo._meta.get_field("image").storage
    names = [name for name in names if name]
    if names:
        transaction.on_commit(lambda: _delete_files(storage, names))


def _delete_files(storage, names):
    for name in names:
        storage.delete(name)
