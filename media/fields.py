from django import forms
from django.db import models

from .validation import validate_photo_upload, validate_picture

ACCEPT = "image/jpeg,image/png,image/webp,image/gif"


class PictureFormField(forms.FileField):
    """A file input for pictures, checked by ``media.validation`` before the
    file goes anywhere near the model (whose ImageField would read its header to
    fill in width and height). Django's own ImageField check is vaguer."""

    widget = forms.ClearableFileInput(attrs={"accept": ACCEPT})

    def to_python(self, data):
        data = super().to_python(data)
        if data:
            validate_picture(data)
            data.picture_checked = True  # the model's validator need not repeat it
        return data


class PictureField(models.ImageField):
    """An image field judged by what the file contains, never by its extension:
    ``media.validation`` decides (type, integrity, size on disk and in pixels)."""

    default_validators = [validate_photo_upload]

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": PictureFormField, **kwargs})
