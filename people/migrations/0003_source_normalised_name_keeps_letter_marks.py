"""Recompute each source's matching key with the current ``normalise_name``.

The key used to drop every combining mark and split words at vowel signs, so
two different names in Khmer or Devanagari could share one key. It now keeps
the marks that belong to letters outside Latin and Greek; Latin keys do not
change. The new key tells more names apart than the old one, never fewer, so
no two existing sources should collide; if two ever did, the second keeps its
old key rather than stopping the migration.
"""

from django.db import migrations

from people.names import normalise_name


def recompute_keys(apps, schema_editor):
    Source = apps.get_model("people", "Source")
    sources = list(Source.objects.only("pk", "name", "normalised_name"))
    taken = {source.normalised_name for source in sources}
    changed = []
    for source in sources:
        key = normalise_name(source.name)
        if key and key != source.normalised_name and key not in taken:
            taken.discard(source.normalised_name)
            taken.add(key)
            source.normalised_name = key
            changed.append(source)
    Source.objects.bulk_update(changed, ["normalised_name"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("people", "0002_journalist_portrait_reverse_name")]

    operations = [migrations.RunPython(recompute_keys, migrations.RunPython.noop)]
