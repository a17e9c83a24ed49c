import pytest
from django.db import transaction

from articles.events import emit, story_event
from tests.factories import ArticleFactory


@pytest.fixture
def heard():
    events = []

    def listen(sender, kind, article_id, details, **kwargs):
        events.append((kind, article_id, details))

    story_event.connect(listen, dispatch_uid="test-listen")
    yield events
    story_event.disconnect(dispatch_uid="test-listen")


@pytest.mark.django_db(transaction=True)
def test_an_event_is_sent_when_the_change_commits(heard):
    article = ArticleFactory()
    with transaction.atomic():
        emit("published", article, by="ana")
        assert heard == []
    assert heard == [("published", article.pk, {"by": "ana"})]


@pytest.mark.django_db(transaction=True)
def test_no_event_for_a_change_rolled_back(heard):
    article = ArticleFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        emit("killed", article)
        raise RuntimeError
    assert heard == []


@pytest.mark.django_db
def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="unknown story event"):
        emit("exploded", ArticleFactory.build())
