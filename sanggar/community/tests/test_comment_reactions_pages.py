"""Reactions on comments from the post page: buttons with counts per type on comments and replies, the viewer's own
reaction marked, toggled by a second click, counts updated live (the page's script targets the comment's bar), and
the post page keeps a fixed number of queries however many comments and reactions it shows."""

import re

import pytest

from sanggar.community import services
from sanggar.community.models import Reaction

from .world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user, admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.COMMUNITY_POST_RATE_LIMIT = settings.COMMUNITY_POST_IP_RATE_LIMIT = "1000/3600"
    settings.COMMUNITY_COMMENT_RATE_LIMIT = settings.COMMUNITY_COMMENT_IP_RATE_LIMIT = "1000/3600"
    settings.COMMUNITY_REACTION_RATE_LIMIT = settings.COMMUNITY_REACTION_IP_RATE_LIMIT = "1000/3600"
    return World(make_user, admin_user)


def test_comment_reactions_from_the_post_page(world, client):
    post = services.post_create(user=world.premium, group=world.public, body="Siapa sudah ekspor ke Jepang?")
    services.group_join(user=world.mentor, group=world.public)
    comment = services.comment_create(user=world.mentor, post=post, body="Saya, lewat Osaka")
    reply = services.comment_create(user=world.premium, post=post, body="Berapa lama prosesnya?", parent=comment)
    services.reaction_set(user=world.premium, post=post, comment=comment, type="love")

    client.force_login(world.premium)
    html = client.get(f"/komunitas/post/{post.pk}").content.decode()
    bar = html[html.index(f'data-comment-reactions="{comment.pk}"') :]
    bar = bar[: bar.index("</div>")]
    assert f'name="comment" value="{comment.pk}"' in bar
    # one form a comment (the bar is that form), its buttons send the type: a form per type made the post page
    # three times heavier
    form = bar[: bar.index("</form>")]
    assert "<form" not in form and form.count('<button type="submit" name="type" value="') == 6
    assert html[: html.index(f'data-comment-reactions="{comment.pk}"')].rsplit("<", 1)[1].startswith("form ")
    assert 'border-primary bg-primary/10">❤️<span data-reaction-count="love"> 1</span>' in bar
    assert f'data-comment-reactions="{reply.pk}"' in html  # replies get their bar too
    # the forms under each comment and reply carry the post's own addresses (Post.action_urls, reversed once a post)
    opening = html[: html.index(f'data-comment-reactions="{comment.pk}"')].rsplit("<form", 1)[1]
    assert f'action="/komunitas/post/{post.pk}/reaksi"' in opening
    assert f'name="next" value="/komunitas/post/{post.pk}#comment-{comment.pk}"' in bar
    block = html[html.index(f'id="comment-{comment.pk}"') :]
    assert f'action="/komunitas/post/{post.pk}/komentar"' in block  # reply to the comment
    assert f'action="/komunitas/post/{post.pk}/laporkan"' in block[: block.index("data-replies")]  # the mentor's

    # react to the reply, then click the same reaction again: it is taken back
    url = f"/komunitas/post/{post.pk}/reaksi"
    response = client.post(url, {"type": "haha", "comment": reply.pk, "next": f"/komunitas/post/{post.pk}"})
    assert response.status_code == 302
    assert Reaction.objects.get(comment=reply, user=world.premium).type == "haha"
    client.post(url, {"type": "haha", "comment": reply.pk})
    assert not Reaction.objects.filter(comment=reply, user=world.premium).exists()
    # a comment of another post, or hostile input, is refused with a message, never a 500
    other = services.post_create(user=world.premium, group=world.public, body="Lain")
    page = client.post(f"/komunitas/post/{other.pk}/reaksi", {"type": "like", "comment": comment.pk}, follow=True)
    assert "Komentar tidak ditemukan" in page.content.decode()
    page = client.post(url, {"type": "meledak", "comment": comment.pk}, follow=True)
    assert page.status_code == 200 and "Jenis reaksi tidak dikenal" in page.content.decode()
    # the outsider cannot react in a group they are not in (public: reads, but joining comes first)
    client.force_login(world.outsider)
    page = client.post(url, {"type": "like", "comment": comment.pk}, follow=True)
    assert "Gabung ke grup ini dulu" in page.content.decode()


def test_new_comment_fragment_and_live_script_carry_comment_reactions(world, client):
    post = services.post_create(user=world.premium, group=world.public, body="Halo")
    comment = services.comment_create(user=world.premium, post=post, body="Komentar baru")
    client.force_login(world.premium)
    fragment = client.get(f"/komunitas/post/{post.pk}/komentar-baru?setelah=0").content.decode()
    assert f'data-comment-reactions="{comment.pk}"' in fragment and 'data-reaction-count="like"' in fragment
    assert f'action="/komunitas/post/{post.pk}/reaksi"' in fragment
    assert f'action="/komunitas/post/{post.pk}/komentar"' in fragment
    html = client.get(f"/komunitas/post/{post.pk}").content.decode()
    assert "'[data-comment-reactions=\"' + event.comment + '\"] [data-reaction-count]'" in html


def test_post_page_queries_do_not_grow_with_comments(world, client, make_user, django_assert_max_num_queries):
    post = services.post_create(user=world.premium, group=world.public, body="Ramai")
    people = [make_user(full_name=f"Anggota {i}") for i in range(3)]
    for person in people:
        services.group_join(user=person, group=world.public)

    def grow(n):
        for i in range(n):
            person = people[i % len(people)]
            comment = services.comment_create(user=person, post=post, body=f"Komentar {i}")
            services.comment_create(user=world.premium, post=post, body=f"Balasan {i}", parent=comment)
            services.reaction_set(user=world.premium, post=post, comment=comment, type="like")

    client.force_login(world.premium)
    client.get(f"/komunitas/post/{post.pk}")  # warm caches (profile, daily visit)
    grow(2)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(f"/komunitas/post/{post.pk}").status_code == 200
    grow(12)
    with django_assert_max_num_queries(len(small.captured_queries)):
        html = client.get(f"/komunitas/post/{post.pk}").content.decode()
    assert len(re.findall(r'data-comment-reactions="\d+"', html)) == 28


def test_a_post_card_reacts_through_one_form(world, client):
    post = services.post_create(user=world.premium, group=world.public, body="Kontainer pertama berangkat")
    client.force_login(world.premium)
    html = client.get("/komunitas").content.decode()
    footer = html[html.index(f'id="post-{post.pk}"') :]
    footer = footer[footer.index("<footer") : footer.index("</footer>")]
    reactions = footer[footer.index(f'action="/komunitas/post/{post.pk}/reaksi"') : footer.index("</form>")]
    assert reactions.count('<button type="submit" name="type" value="') == 6
    assert reactions.count('name="csrfmiddlewaretoken"') == 1
    # the clicked button's type arrives with the form's fields
    response = client.post(f"/komunitas/post/{post.pk}/reaksi", {"type": "wow", "next": f"/komunitas#post-{post.pk}"})
    assert response.status_code == 302 and response["Location"] == f"/komunitas#post-{post.pk}"
    assert Reaction.objects.get(post=post, comment=None, user=world.premium).type == "wow"
