"""The demo's group extras: covers and avatars, a group admin, a customised permissions matrix and a real PDF in the
public group's library; a second run adds nothing."""

import pytest
from django.core.management import call_command

from sanggar.chat.models import Message
from sanggar.community import policy, services
from sanggar.community.models import Comment, Group, GroupFile, GroupMember

pytestmark = pytest.mark.django_db


def test_seed_demo_group_extras_idempotent(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo")
    call_command("seed_demo")
    public = Group.objects.get(slug="ukm-ekspor-indonesia")
    assert public.cover.name.endswith(".jpg") and public.avatar.name.endswith(".jpg")
    assert Group.objects.get(slug="komunitas-premium").cover
    assert GroupMember.objects.get(group=public, user__email="affiliate@sanggar.test").role == "admin"
    assert policy.permissions_of(public)["event"] == ["admin", "moderator"]
    files = GroupFile.objects.filter(group=public)
    assert files.count() == 1
    item = files.get()
    with item.file.open("rb") as stored:
        assert stored.read(5) == b"%PDF-"
    mentor = item.uploader
    assert services.group_file_open(user=mentor, token=services.group_file_token(mentor, item)) == item
    # stickers in the demo: a comment and a chat message that are a sticker alone, once each after two runs
    assert list(Comment.objects.filter(sticker__isnull=False).values_list("sticker__name", "body")) == [
        ("Terima kasih", "")
    ]
    assert list(Message.objects.filter(sticker__isnull=False).values_list("sticker__name", flat=True)) == ["Semangat!"]


def test_seed_demo_has_one_pending_group_proposal(settings, tmp_path):
    from sanggar.community.models import GroupProposal

    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo")
    call_command("seed_demo")
    rows = GroupProposal.objects.filter(slug="eksportir-kopi-nusantara")
    assert rows.count() == 1
    proposal = rows.get()
    assert proposal.status == GroupProposal.PENDING
    assert proposal.proposer.email == "mentor@sanggar.test"
