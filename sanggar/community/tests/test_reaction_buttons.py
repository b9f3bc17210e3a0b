"""`{% reaction_buttons %}` draws the six reaction buttons of a post card or a comment exactly as the template loop
it replaced did (the page's live script and the tests of the bars read that markup), and the feed asks whether the
member is premium once, not once per group."""

from types import SimpleNamespace

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from sanggar.community import services
from sanggar.community.constants import REACTION_EMOJI, ReactionType

from .world import World

# The loop the templates drew before the tag (post card: px-2 py-1; comment and reply: px-1.5 py-0.5).
LOOP = (
    '{% for value, label, emoji in reaction_types %}<button type="submit" name="type" value="{{ value }}" '
    'title="{{ label }}" aria-label="{{ label }}" class="rounded-full border SIZE '
    '{% if target.my_reaction == value %}border-primary bg-primary/10{% else %}border-gray-200{% endif %}">{{ emoji }}'
    '<span data-reaction-count="{{ value }}">'
    "{% for k, n in target.reaction_counts.items %}{% if k == value %} {{ n }}{% endif %}{% endfor %}</span></button>"
    "{% endfor %}"
)
TYPES = [(t.value, t.label, REACTION_EMOJI[t.value]) for t in ReactionType]


@pytest.mark.parametrize(
    "target",
    [
        SimpleNamespace(reaction_counts={"love": 3, "haha": 12}, my_reaction="love"),
        SimpleNamespace(reaction_counts={t.value: 1 for t in ReactionType} | {"angry": 0}, my_reaction=""),
        SimpleNamespace(reaction_counts={}, my_reaction="angry"),
        SimpleNamespace(),  # a target no page annotated: no counts, nothing chosen
    ],
)
@pytest.mark.parametrize("size,classes", [("post", "px-2 py-1"), ("comment", "px-1.5 py-0.5")])
def test_the_tag_draws_what_the_loop_drew(target, size, classes):
    loop = Template(LOOP.replace("SIZE", classes)).render(Context({"reaction_types": TYPES, "target": target}))
    tag = Template(f'{{% load community_reactions %}}{{% reaction_buttons target "{size}" %}}')
    assert tag.render(Context({"target": target})) == loop
    assert loop.count("<button") == 6


def test_labels_follow_the_active_language(monkeypatch):
    """The fixed parts are kept per language: a page in another language draws that language's labels, and the
    Indonesian page stays Indonesian after it (a catalogue stands in for one the project does not ship)."""
    source = translation._trans.gettext

    def catalogue(message):
        return {"Suka": "Like"}.get(message, message) if translation.get_language() == "en" else source(message)

    monkeypatch.setattr(translation._trans, "gettext", catalogue)
    target = SimpleNamespace(reaction_counts={}, my_reaction="")
    tag = Template("{% load community_reactions %}{% reaction_buttons target %}")
    assert 'title="Suka"' in tag.render(Context({"target": target}))
    with translation.override("en"):
        assert 'title="Like"' in tag.render(Context({"target": target}))
    assert 'title="Suka"' in tag.render(Context({"target": target}))


@pytest.mark.django_db
def test_feed_queries_do_not_grow_with_the_member_s_groups(make_user, admin_user, client, django_assert_num_queries):
    world = World(make_user, admin_user)
    services.post_create(user=world.premium, group=world.public, body="Kopi Gayo ke Osaka")
    client.force_login(world.premium)
    client.get("/komunitas")
    with CaptureQueriesContext(connection) as one_group:
        assert client.get("/komunitas").status_code == 200
    budget = len(one_group.captured_queries)  # now: the next request clears the connection's query log
    for n in range(5):
        group = services.group_create(actor=admin_user, data={"name": f"Grup Ekspor {n}", "visibility": "public"})
        services.group_join(user=world.premium, group=group)
    client.get("/komunitas")
    with django_assert_num_queries(budget):
        page = client.get("/komunitas")
    assert page.status_code == 200 and "Grup Ekspor 4" in page.content.decode()
