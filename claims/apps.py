from __future__ import annotations

from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Claims and statements"

    def ready(self) -> None:
        # Sources knows nothing about claims: a feed poll announces the articles it stored,
        # and claims queues their extraction.
        from sources.signals import articles_stored

        articles_stored.connect(_extract_stored, dispatch_uid="claims.extract_stored")


def _extract_stored(sender: object, *, article_ids: list[int], **kwargs: object) -> None:
    from claims.services.queueing import articles_extract_queue

    articles_extract_queue(article_ids)
