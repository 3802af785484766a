"""Feed polling moved from claims' tasks to sources' tasks: point its beat schedule there."""

from django.db import migrations

RENAMES = [("claims.tasks.poll_feeds", "sources.tasks.poll_feeds")]


def forwards(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for old, new in RENAMES:
        PeriodicTask.objects.filter(task=old).update(task=new)


def backwards(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for old, new in RENAMES:
        PeriodicTask.objects.filter(task=new).update(task=old)


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0008_extraction_cues_speaker_history"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
