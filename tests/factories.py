import datetime

import factory
from django.utils import timezone

from articles.models import Article, Byline, Correction, Publication, Quote, Section
from media.models import Photo
from people.models import Journalist, Source


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.Sequence(lambda n: f"section-{n}")


class PublicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Publication

    name = factory.Sequence(lambda n: f"The Morning Ledger {n}")
    url = "https://ledger.example/"


class PhotoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Photo

    image = factory.django.ImageField(width=800, height=450, color="teal")
    caption = "Fishing boats return to the harbour at dawn."
    credit = "Ana Ruiz/The Newsroom"
    alt_text = "Three wooden boats on calm water under an orange sky."
    original_filename = "harbour-dawn.jpg"


class JournalistFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Journalist

    name = factory.Sequence(lambda n: f"Reporter {n}")
    slug = factory.Sequence(lambda n: f"reporter-{n}")
    role = "Staff reporter"


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    name = factory.Sequence(lambda n: f"Source Person {n}")
    slug = factory.Sequence(lambda n: f"source-person-{n}")
    description = "a hydrologist at the regional water board"


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    headline = factory.Sequence(lambda n: f"Harbour council approves new sea wall {n}")
    slug = factory.Sequence(lambda n: f"harbour-council-sea-wall-{n}")
    standfirst = "The vote ends a two-year dispute over flood defences."
    body = "<p>The council voted on Tuesday.</p><p>Work begins in spring.</p>"
    dateline = "PORT ALDREN"
    section = factory.SubFactory(SectionFactory, name="City", slug="city")
    status = Article.Status.PUBLISHED
    published_at = factory.LazyFunction(
        lambda: timezone.now() - datetime.timedelta(hours=1)
    )
    first_published_at = factory.SelfAttribute("published_at")

    class Params:
        # The story most page tests read: a captioned, credited lead photo.
        harbour = factory.Trait(
            headline="Harbour council approves new sea wall",
            slug="harbour-council-approves-sea-wall",
            standfirst="The vote ends a two-year dispute over flood defences.",
            body="<p>Councillors voted 9 to 2 on Tuesday.</p>"
            "<p>Work begins in spring.</p>",
            lead_photo=factory.SubFactory(
                PhotoFactory,
                caption="The old harbour wall at high tide.",
                credit="Ana Ruiz/The Newsroom",
                alt_text="Waves breaking over a low stone wall.",
            ),
        )
        draft = factory.Trait(
            status=Article.Status.DRAFT, published_at=None, first_published_at=None
        )
        scheduled = factory.Trait(
            published_at=factory.LazyFunction(
                lambda: timezone.now() + datetime.timedelta(days=1)
            )
        )


class BylineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Byline

    article = factory.SubFactory(ArticleFactory)
    journalist = factory.SubFactory(JournalistFactory)
    position = 0


class QuoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quote

    article = factory.SubFactory(ArticleFactory)
    source = factory.SubFactory(SourceFactory)
    text = "The wall will protect four thousand homes."
    kind = Quote.Kind.DIRECT


class CorrectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Correction

    article = factory.SubFactory(ArticleFactory)
    text = "An earlier version gave the wrong cost of the wall."
