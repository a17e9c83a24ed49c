from django.db import models


class Photo(models.Model):
    """A captioned, credited picture. Its file may arrive after the story."""

    image = models.ImageField(
        "image file",
        upload_to="photos/%Y/%m/",
        width_field="width",
        height_field="height",
        blank=True,
        help_text="The picture itself. Leave empty if it has not arrived yet: "
        "the caption and credit are kept and the photo is flagged as missing.",
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
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["original_filename"])]

    def __str__(self):
        label = self.caption or self.original_filename or f"Photo {self.pk}"
        return label if len(label) <= 80 else label[:79] + "…"

    @property
    def has_file(self):
        return bool(self.image)
