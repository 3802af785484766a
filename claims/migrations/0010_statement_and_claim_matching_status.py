"""Claim matching's work lives in the database: a statement is pending until its suggestions
are stored, a claim until recent statements have been searched for it.

Rows that exist already were matched (or searched for) when they arrived, so they start
*done*: each column is added with a database default of 'done', which PostgreSQL records
once instead of rewriting the table, and the default is then changed to 'pending' for the
rows that come later.
"""

import django.db.models.functions.datetime
import django.utils.timezone
from django.db import migrations, models

MODELS = ["statement", "claim", "historicalclaim"]
CHOICES = [("pending", "Pending"), ("done", "Done")]
CLAIM_HELP = "Whether recent statements have been searched for it since its last new phrasing"
HELP = {
    "statement": "Whether claim matching has run for it",
    "claim": CLAIM_HELP,
    "historicalclaim": CLAIM_HELP,
}


def status(model_name: str, db_default: str) -> models.CharField:
    return models.CharField(
        choices=CHOICES,
        db_default=db_default,
        default="pending",
        editable=False,
        help_text=HELP[model_name],
        max_length=8,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0009_feed_polling_moves_to_sources"),
    ]

    operations = [
        *(
            migrations.AddField(
                model_name=model_name, name="matching_status", field=status(model_name, "done")
            )
            for model_name in MODELS
        ),
        *(
            migrations.AlterField(
                model_name=model_name, name="matching_status", field=status(model_name, "pending")
            )
            for model_name in MODELS
        ),
        *(
            migrations.AddField(
                model_name=model_name,
                name="matching_status_changed_at",
                field=models.DateTimeField(
                    db_default=django.db.models.functions.datetime.Now(),
                    default=django.utils.timezone.now,
                    editable=False,
                ),
            )
            for model_name in MODELS
        ),
        migrations.AddIndex(
            model_name="statement",
            index=models.Index(
                condition=models.Q(("matching_status", "pending")),
                fields=["matching_status_changed_at"],
                name="statement_matching_pending_idx",
            ),
        ),
    ]
