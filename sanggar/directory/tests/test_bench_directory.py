"""The bench's directory member and its two targets at a small size: the member is set up as a signup leaves one
(the directory's access policy refuses an account without the Member role, which broke `make bench`), and the buyer
list's page and API answer it in-process."""

import pytest
from django.test import Client

from bench import directory, targets
from sanggar.accounts.models import User
from sanggar.api.tokens import token_pair_issue
from sanggar.core.roles import Role

pytestmark = pytest.mark.django_db


def test_the_bench_member_opens_both_buyer_targets():
    member = directory.member()
    assert member.role_set == frozenset({Role.MEMBER})
    client = Client()
    client.force_login(member)
    context = targets.Context(
        admin_cookie="", tokens=[], callback_token="", webhooks=[],
        member_cookie=f"sessionid={client.cookies['sessionid'].value}",
        member_token=token_pair_issue(user=member).access,
    )  # fmt: skip
    chosen = [t for t in targets.TARGETS if t.key in ("buyers", "buyers_api")]
    assert len(chosen) == 2
    for target in chosen:
        assert targets.queries_per_request(target, context) > 0


def test_a_member_left_by_an_earlier_bench_without_the_role_gets_it_once():
    User.objects.create_user(email=directory.MEMBER_EMAIL, password="bench-sandi-123", full_name="Member Bench")
    first = directory.member()
    assert first.role_set == frozenset({Role.MEMBER})
    assert directory.member().pk == first.pk
    assert User.objects.get(pk=first.pk).roles.count() == 1
