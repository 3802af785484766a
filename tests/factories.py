"""Test data factories: each builds a valid row with the fewest required choices."""

from __future__ import annotations

import factory

from claims.models import (
    Claim,
    ClaimLink,
    Speaker,
    SpeakerAlias,
    Stance,
    Statement,
    Suggestion,
)
from sources.models import Article, Source
from sources.text import content_hash


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    name = factory.Sequence(lambda n: f"Outlet {n}")
    country = "AZ"
    default_language = "en"
    domain = factory.Sequence(lambda n: f"outlet{n}.example")


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    source = factory.SubFactory(SourceFactory)
    url = factory.Sequence(lambda n: f"https://news.example/articles/{n}")
    title = factory.Sequence(lambda n: f"Article {n}")
    body = factory.Sequence(lambda n: f"Body of article number {n}.")
    language = "en"
    content_hash = factory.LazyAttribute(lambda article: content_hash(article.body))


class SpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Speaker

    name = factory.Sequence(lambda n: f"Speaker {n}")
    country = "AZ"


class SpeakerAliasFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SpeakerAlias

    speaker = factory.SubFactory(SpeakerFactory)
    name = factory.Sequence(lambda n: f"Alias {n}")


class StatementFactory(factory.django.DjangoModelFactory):
    """A statement whose article body holds its text at [start, end)."""

    class Meta:
        model = Statement

    class Params:
        prefix = "The minister said that "

    text = factory.Sequence(lambda n: f"statement number {n} is true")
    article = factory.SubFactory(
        ArticleFactory,
        body=factory.LazyAttribute(
            lambda article: f"{article.factory_parent.prefix}{article.factory_parent.text}."
        ),
    )
    speaker = factory.SubFactory(SpeakerFactory)
    start = factory.LazyAttribute(lambda statement: len(statement.prefix))
    end = factory.LazyAttribute(lambda statement: len(statement.prefix) + len(statement.text))
    language = "en"


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Claim

    text = factory.Sequence(lambda n: f"Claim number {n}")
    language = "en"


class SuggestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Suggestion

    statement = factory.SubFactory(StatementFactory)
    claim = factory.SubFactory(ClaimFactory)
    score = 0.5
    method = "test"
    suggested_stance = Stance.MENTIONS


class ClaimLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClaimLink

    statement = factory.SubFactory(StatementFactory)
    claim = factory.SubFactory(ClaimFactory)
    stance = Stance.MENTIONS
