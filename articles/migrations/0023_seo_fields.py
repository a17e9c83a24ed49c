"""An SEO title and description for search results and share cards
(``Article.meta_title``, ``Article.meta_description``). Both empty for every
story until an editor writes them: the headline and standfirst are used."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0022_section_optional_featured"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="seo_title",
            field=models.CharField(
                blank=True,
                default="",
                db_default="",
                help_text="For search results and share cards, when the headline is "
                "long or plays on words. Empty: the headline is used.",
                max_length=200,
                verbose_name="SEO title",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="seo_description",
            field=models.TextField(
                blank=True,
                default="",
                db_default="",
                help_text="One or two sentences for search results and share cards. "
                "Empty: the standfirst is used.",
                verbose_name="SEO description",
            ),
        ),
    ]
