"""Beat schedules: the e-mail sweeper every two minutes (as claims' sweepers), and the daily
digest at 07:00 (the crontab is edited in the admin: Periodic tasks → "Send alert digests")."""

from django.db import migrations

SWEEPER = ("Re-queue unsent alert e-mails", "alerts.tasks.sweep_unsent_emails")
DIGEST = ("Send alert digests", "alerts.tasks.send_digests")


def create(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every, _ = IntervalSchedule.objects.get_or_create(every=120, period="seconds")
    PeriodicTask.objects.get_or_create(
        name=SWEEPER[0], defaults={"task": SWEEPER[1], "interval": every}
    )
    daily, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour="7", day_of_week="*", day_of_month="*", month_of_year="*"
    )
    PeriodicTask.objects.get_or_create(
        name=DIGEST[0], defaults={"task": DIGEST[1], "crontab": daily}
    )


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        name__in=[SWEEPER[0], DIGEST[0]]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("alerts", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
