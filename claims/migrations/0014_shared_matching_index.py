"""The matcher's shared index: what changed since a saved build is found by transaction id.

`matching_xid` on claims and variants (raw columns, not model fields: no form, history row or
serializer should carry them) is the id of the transaction that last wrote the wording, set
by triggers whatever process or tool wrote; a deleted claim or variant, or a variant moved to
another claim, leaves a `ClaimRemoval` row. A saved build records the xmin of its snapshot:
everything stamped from there on is the delta (claims/services/matching_index.py).

Rows that exist already keep 0: the first build after this migration holds them.
"""

from django.db import migrations, models
import django.db.models.functions.datetime

_XID = "pg_current_xact_id()::text::bigint"

_FORWARD = f"""
ALTER TABLE claims_claim ADD COLUMN matching_xid bigint NOT NULL DEFAULT 0;
ALTER TABLE claims_claimvariant ADD COLUMN matching_xid bigint NOT NULL DEFAULT 0;
-- The delta's queries: WHERE matching_xid >= <the saved build's snapshot xmin>.
CREATE INDEX claim_matching_xid_idx ON claims_claim (matching_xid);
CREATE INDEX claimvariant_matching_xid_idx ON claims_claimvariant (matching_xid);

CREATE FUNCTION claims_matching_xid_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.matching_xid := {_XID};
    RETURN NEW;
END;
$$;
CREATE TRIGGER claims_claim_matching_xid_insert
    BEFORE INSERT ON claims_claim
    FOR EACH ROW EXECUTE FUNCTION claims_matching_xid_stamp();
-- Only a change of wording: a status or matching_status update leaves the index as it is.
CREATE TRIGGER claims_claim_matching_xid_update
    BEFORE UPDATE ON claims_claim
    FOR EACH ROW
    WHEN (OLD.text IS DISTINCT FROM NEW.text OR OLD.language IS DISTINCT FROM NEW.language)
    EXECUTE FUNCTION claims_matching_xid_stamp();
CREATE TRIGGER claims_claimvariant_matching_xid_insert
    BEFORE INSERT ON claims_claimvariant
    FOR EACH ROW EXECUTE FUNCTION claims_matching_xid_stamp();
CREATE TRIGGER claims_claimvariant_matching_xid_update
    BEFORE UPDATE ON claims_claimvariant
    FOR EACH ROW
    WHEN (OLD.text IS DISTINCT FROM NEW.text OR OLD.language IS DISTINCT FROM NEW.language
          OR OLD.claim_id IS DISTINCT FROM NEW.claim_id)
    EXECUTE FUNCTION claims_matching_xid_stamp();

CREATE FUNCTION claims_claimremoval_record() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'claims_claim' THEN
        INSERT INTO claims_claimremoval (claim_id, xid) VALUES (OLD.id, {_XID});
    ELSE
        INSERT INTO claims_claimremoval (claim_id, xid) VALUES (OLD.claim_id, {_XID});
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER claims_claim_removal
    AFTER DELETE ON claims_claim
    FOR EACH ROW EXECUTE FUNCTION claims_claimremoval_record();
CREATE TRIGGER claims_claimvariant_removal
    AFTER DELETE ON claims_claimvariant
    FOR EACH ROW EXECUTE FUNCTION claims_claimremoval_record();
CREATE TRIGGER claims_claimvariant_moved
    AFTER UPDATE ON claims_claimvariant
    FOR EACH ROW WHEN (OLD.claim_id IS DISTINCT FROM NEW.claim_id)
    EXECUTE FUNCTION claims_claimremoval_record();
"""

_BACKWARD = """
DROP TRIGGER IF EXISTS claims_claimvariant_moved ON claims_claimvariant;
DROP TRIGGER IF EXISTS claims_claimvariant_removal ON claims_claimvariant;
DROP TRIGGER IF EXISTS claims_claim_removal ON claims_claim;
DROP FUNCTION IF EXISTS claims_claimremoval_record();
DROP TRIGGER IF EXISTS claims_claimvariant_matching_xid_update ON claims_claimvariant;
DROP TRIGGER IF EXISTS claims_claimvariant_matching_xid_insert ON claims_claimvariant;
DROP TRIGGER IF EXISTS claims_claim_matching_xid_update ON claims_claim;
DROP TRIGGER IF EXISTS claims_claim_matching_xid_insert ON claims_claim;
DROP FUNCTION IF EXISTS claims_matching_xid_stamp();
ALTER TABLE claims_claimvariant DROP COLUMN IF EXISTS matching_xid;
ALTER TABLE claims_claim DROP COLUMN IF EXISTS matching_xid;
"""


# Every minute a worker checks whether this machine's saved index is missing or stale (cheap:
# one count over indexed stamps), and builds it if so (README, "Claim linking at scale").
REFRESH = ("Refresh the saved claim index", "claims.tasks.refresh_matching_index", 60)


def schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    name, task, seconds = REFRESH
    every, _ = IntervalSchedule.objects.get_or_create(every=seconds, period="seconds")
    PeriodicTask.objects.get_or_create(name=name, defaults={"task": task, "interval": every})


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=REFRESH[0]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0013_queue_and_search_indexes"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.CreateModel(
            name="ClaimRemoval",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("claim_id", models.BigIntegerField()),
                ("xid", models.BigIntegerField()),
                ("removed_at", models.DateTimeField(db_default=django.db.models.functions.datetime.Now())),
            ],
            options={
                "indexes": [models.Index(fields=["xid"], name="claimremoval_xid_idx")],
            },
        ),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(
                condition=models.Q(("matching_status", "pending")),
                fields=["matching_status_changed_at"],
                name="claim_matching_pending_idx",
            ),
        ),
        migrations.RunSQL(_FORWARD, _BACKWARD),
        migrations.RunPython(schedule, unschedule),
    ]
