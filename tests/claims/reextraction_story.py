"""A short English article whose attribution changes once `Ali Karimi` becomes an alias.

With only the alias `Karimi` (Hossein Karimi) known, both statements are his; once Ali
Karimi's alias is registered, the first is Ali's.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import count

from claims.models import Speaker
from claims.services.extraction.storing import article_extract
from claims.services.speakers import speaker_alias_add
from sources.models import Article
from tests.factories import ArticleFactory

BODY = (
    "Spokesman Ali Karimi said that the report about the border was entirely false. "
    "The weather in Baku was mild on Monday. "
    "Karimi also said that the talks would resume next week."
)
DENIAL = "the report about the border was entirely false"
TALKS = "the talks would resume next week"

_numbers = count(1)


@dataclass
class Story:
    article: Article
    hossein: Speaker
    ali: Speaker

    def register_ali(self) -> None:
        speaker_alias_add(speaker=self.ali, name="Ali Karimi")


def story(**article_fields) -> Story:
    """Both speakers, and the article extracted once with only Hossein's alias known."""
    # Shared by every article of a test: one Karimi alias, one Ali.
    hossein, _ = Speaker.objects.get_or_create(name="Hossein Karimi", country="IR")
    speaker_alias_add(speaker=hossein, name="Karimi")
    ali, _ = Speaker.objects.get_or_create(name="Ali Karimi", country="IR")
    # A dateline of its own: two articles with one text would be duplicates.
    body = f"{BODY} Filed as story {next(_numbers)}."
    article = ArticleFactory(**{"language": "en", "body": body, **article_fields})
    article_extract(article_id=article.pk)
    return Story(Article.objects.get(pk=article.pk), hossein, ali)
