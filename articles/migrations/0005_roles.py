"""The newsroom's roles: Reporter, Editor and Photo editor.

What each may do is in the README; row-level rules (a reporter edits only their
own drafts) are in ``articles.publishing``.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def crud(app, model, *actions):
    return [f"{app}.{action}_{model}" for action in actions]


ALL = ("add", "change", "delete", "view")

ROLES = {
    "Reporter": [
        *crud("articles", "article", "add", "change", "view"),
        *crud("articles", "byline", *ALL),
        *crud("articles", "quote", *ALL),
        *crud("articles", "correction", "view"),
        *crud("articles", "section", "view"),
        *crud("articles", "publication", "view"),
        *crud("articles", "storyimport", "view"),
        *crud("people", "journalist", "view"),
        *crud("people", "source", "add", "view"),
        *crud("media", "photo", "add", "view"),
    ],
    "Editor": [
        "articles.publish_article",
        "articles.edit_any_article",
        *crud("articles", "article", *ALL),
        *crud("articles", "byline", *ALL),
        *crud("articles", "quote", *ALL),
        *crud("articles", "correction", *ALL),
        *crud("articles", "section", *ALL),
        *crud("articles", "publication", *ALL),
        *crud("articles", "storyimport", "view"),
        *crud("articles", "articleredirect", "view"),
        *crud("people", "journalist", *ALL),
        *crud("people", "source", *ALL),
        *crud("media", "photo", "add", "change", "view"),
    ],
    "Photo editor": [
        *crud("media", "photo", "add", "change", "view"),
    ],
}


def create_roles(apps, schema_editor):
    # Permissions are normally made after all migrations; make them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    grant_roles(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def grant_roles(Group, Permission):
    """Make each role's group with its permissions (safe to repeat)."""
    for name, permissions in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        for permission in permissions:
            app_label, codename = permission.split(".")
            group.permissions.add(
                Permission.objects.get(
                    content_type__app_label=app_label, codename=codename
                )
            )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0004_desk_workflow"),
        ("people", "0001_initial"),
        ("media", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
