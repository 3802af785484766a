"""Beat schedules for the matching sweepers: statements and claims whose matching stayed
pending (a lost message, a worker that died) are queued again, like stale articles."""

from django.db import migrations

# Every two minutes, as the stale-article sweeper (0002_beat_schedules).
EVERY_SECONDS = 120
SCHEDULES = {
    "Re-queue unmatched statements": "claims.tasks.sweep_unmatched_statements",
    "Re-queue unsearched claims": "claims.tasks.sweep_unsearched_claims",
}


def create(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every, _ = IntervalSchedule.objects.get_or_create(every=EVERY_SECONDS, period="seconds")
    for name, task in SCHEDULES.items():
        PeriodicTask.objects.get_or_create(name=name, defaults={"task": task, "interval": every})


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        name__in=list(SCHEDULES)
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0010_statement_and_claim_matching_status"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
