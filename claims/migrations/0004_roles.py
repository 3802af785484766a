"""The three roles: Analyst, Editor, Viewer, as groups with their permissions.

Permissions are created here rather than left to post_migrate, so that a fresh database
gets complete groups in one `migrate`. Re-running keeps the groups in step with this list.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

VIEW_ALL = [
    ("sources", "source", ["view"]),
    ("sources", "article", ["view"]),
    ("sources", "feed", ["view"]),
    ("sources", "ingestionrun", ["view"]),
    ("claims", "speaker", ["view"]),
    ("claims", "speakeralias", ["view"]),
    ("claims", "statement", ["view"]),
    ("claims", "claim", ["view"]),
    ("claims", "claimvariant", ["view"]),
    ("claims", "claimlink", ["view"]),
    ("claims", "suggestion", ["view"]),
    ("claims", "topic", ["view"]),
]
ROLES = {
    # Review suggestions, edit claims and links.
    "Analyst": VIEW_ALL
    + [
        ("claims", "suggestion", ["review", "bulk_review"]),
        ("claims", "claim", ["add", "change"]),
        ("claims", "claimvariant", ["add", "change", "delete"]),
        ("claims", "claimlink", ["add", "change", "delete"]),
        ("claims", "topic", ["add", "change"]),
    ],
    # Search and export, edit sources and speakers.
    "Editor": VIEW_ALL
    + [
        ("sources", "source", ["add", "change"]),
        ("sources", "feed", ["add", "change", "delete"]),
        ("claims", "speaker", ["add", "change"]),
        ("claims", "speakeralias", ["add", "change", "delete"]),
    ],
    # Read only.
    "Viewer": VIEW_ALL,
}


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, grants in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        codenames = [
            (app, f"{action}_{model}") for app, model, actions in grants for action in actions
        ]
        permissions = [
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in codenames
        ]
        group.permissions.set(permissions)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0003_audit_history_and_review_permissions"),
        ("sources", "0003_article_pending_index"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
