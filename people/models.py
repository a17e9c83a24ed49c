from django.conf import settings
from django.db import models
from django.db.models.functions import Lower

from newsroom.addresses import slug_url
from newsroom.models import ValueRulesMixin, ValueRulesQuerySet
from newsroom.validation import clean_text_values

from .names import normalise_name


class Journalist(ValueRulesMixin, models.Model):
    """A member of staff or contributor who writes stories."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=200, unique=True, help_text="Used in the author page's address."
    )
    role = models.CharField(
        "role or title",
        max_length=200,
        blank=True,
        help_text="As shown under the name, e.g. “Political correspondent”.",
    )
    bio = models.TextField(blank=True, help_text="A few sentences for the author page.")
    email = models.EmailField(
        blank=True, help_text="Private: for the desk only, never shown to readers."
    )
    portrait = models.ForeignKey(
        "media.Photo",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="portraits",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="journalist",
        help_text="The admin account of this journalist, linking it to their byline.",
    )
    is_active = models.BooleanField(
        "active",
        default=True,
        help_text="Untick for people who no longer write for the newsroom.",
    )

    objects = ValueRulesQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_url("people:journalist", slug=self.slug)


class Source(ValueRulesMixin, models.Model):
    """A person, organisation or document quoted in stories."""

    class AgeBand(models.TextChoices):
        UNKNOWN = "", "Unknown"
        UNDER_18 = "under-18", "Under 18"
        AGE_18_29 = "18-29", "18–29"
        AGE_30_44 = "30-44", "30–44"
        AGE_45_64 = "45-64", "45–64"
        AGE_65_PLUS = "65+", "65 and over"

    class Expertise(models.TextChoices):
        UNKNOWN = "", "Unknown"
        OFFICIAL = "official", "Official"
        EXPERT = "expert", "Expert"
        AFFECTED = "affected", "Affected person"
        BUSINESS = "business", "Business"
        CIVIL_SOCIETY = "civil-society", "Civil society"

    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        ORGANISATION = "organisation", "Organisation"
        DOCUMENT = "document", "Document"

    name = models.CharField(
        max_length=200,
        help_text="Full name. For an anonymous source this is private to the desk.",
    )
    normalised_name = models.CharField(
        max_length=200,
        unique=True,
        editable=False,
        help_text="The name without case, accents or titles: one source per name.",
    )
    slug = models.SlugField(max_length=200, unique=True)
    description = models.CharField(
        max_length=500,
        blank=True,
        help_text="How copy introduces them, e.g. “a researcher at the Royal Academy”.",
    )
    organisation = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.PERSON)
    on_record = models.BooleanField(
        "on the record",
        default=True,
        help_text="Untick for an anonymous source: their name is never shown publicly.",
    )
    contact_details = models.TextField(
        "contact details (private)",
        blank=True,
        help_text="Private: phone, email, how to reach them. Never leaves the admin.",
    )
    notes = models.TextField(
        "notes (private)",
        blank=True,
        help_text="Private: the desk's notes on this source. Never leaves the admin.",
    )
    # Self-described attributes for the sourcing report (``sourcing``): each
    # optional, blank meaning unknown, recorded only as the source describes
    # themselves — never guessed from a name or a picture. Private like notes.
    # Their defaults are in the table too, for rows written by COPY (bench/).
    gender = models.CharField(
        max_length=100,
        blank=True,
        default="",
        db_default="",
        help_text="Private: only as the source describes themselves; "
        "leave empty if they have not said.",
    )
    age_band = models.CharField(
        "age band",
        max_length=20,
        choices=AgeBand,
        blank=True,
        default=AgeBand.UNKNOWN,
        db_default=AgeBand.UNKNOWN,
        help_text="Private: only if the source has told you.",
    )
    location = models.CharField(
        max_length=200,
        blank=True,
        default="",
        db_default="",
        help_text="Private: the place they speak from, as they describe it.",
    )
    expertise = models.CharField(
        "expertise type",
        max_length=20,
        choices=Expertise,
        blank=True,
        default=Expertise.UNKNOWN,
        db_default=Expertise.UNKNOWN,
        help_text="Private: in what capacity they speak, e.g. as an official.",
    )
    other_attributes = models.CharField(
        "other",
        max_length=200,
        blank=True,
        default="",
        db_default="",
        help_text="Private: anything else the newsroom tracks and the source "
        "chose to tell, in their words.",
    )

    objects = ValueRulesQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(normalised_name=""),
                name="source_normalised_name_not_empty",
            ),
        ]
        indexes = [
            models.Index(Lower("organisation"), name="source_org_lower_idx"),
            # The desk's source list in its order: a filtered list's first
            # page checks its filters for the first sources by name only,
            # not for every source before sorting them.
            models.Index(fields=["name", "id"], name="source_name_order_idx"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        clean_text_values(self, fields={"name"})  # the key is made from clean text
        # One spelling per self-description, so the report counts them together.
        clean_text_values(self, fields={"gender", "location", "other_attributes"})
        self.normalised_name = normalise_name(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        """The source's page; it answers only for an on-record source quoted in
        a published story (an anonymous source's name is never shown)."""
        return slug_url("people:source", slug=self.slug)

    @property
    def public_name(self):
        """What readers may see: the name, or a description for anonymous sources."""
        if self.on_record:
            return self.name
        return self.description or "a source who asked not to be named"
