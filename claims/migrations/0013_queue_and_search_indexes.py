"""Indexes for the review queue's and the search page's queries (issue 10, item 8)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("claims", "0012_claim_verdict_and_review")]

    operations = [
        # The review queue's language filter: pending suggestions joined to the statements in
        # one language, read from this index alone instead of every statement.
        migrations.AddIndex(
            model_name="statement",
            index=models.Index(fields=["language", "id"], name="statement_language_idx"),
        ),
        # The search page's stance filter (an EXISTS over links of one stance): the
        # statements with such a link, read from this index alone rather than every link.
        migrations.AddIndex(
            model_name="claimlink",
            index=models.Index(
                fields=["stance", "statement"], name="claimlink_stance_statement_idx"
            ),
        ),
    ]
