"""Every role may create, see and revoke its own API tokens and see their webhook
deliveries; Editors, who look after sources, may also send articles in through the API."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "Analyst": [],
    "Editor": [("sources", "add_article")],
    "Viewer": [],
}
EVERY_ROLE = [
    ("api", "add_apitoken"),
    ("api", "change_apitoken"),
    ("api", "view_apitoken"),
    ("api", "view_webhookdelivery"),
]


def grant(apps, schema_editor):
    # As claims 0004: permissions made here, so one `migrate` gives complete groups.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, extra in GRANTS.items():
        group = Group.objects.filter(name=name).first()
        if group is None:
            continue
        for app, codename in EVERY_ROLE + extra:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app, codename=codename)
            )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, extra in GRANTS.items():
        group = Group.objects.filter(name=name).first()
        if group is None:
            continue
        for app, codename in EVERY_ROLE + extra:
            group.permissions.remove(
                *Permission.objects.filter(content_type__app_label=app, codename=codename)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0001_initial"),
        ("claims", "0004_roles"),
        ("sources", "0004_ingestionrun_api_kind"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
