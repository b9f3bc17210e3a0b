"""Two members open a chat with a supplier at the last unit of its weekly allowance (PostgreSQL row lock): one
conversation is opened, the other is refused and leaves nothing behind."""

import threading

import pytest
from django.db import connection, connections

from sanggar.chat.models import Conversation
from sanggar.core.exceptions import NotAllowed
from sanggar.suppliers import services
from sanggar.suppliers.models import ChatWeekUse

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locking")
def test_two_members_racing_for_the_last_chat_of_the_week(make_supplier, make_user, admin_user, monkeypatch):
    monkeypatch.setattr("sanggar.chat.policy.is_premium", lambda *, user: True)
    services.settings_update(actor=admin_user, free_chats_week=1)
    _s_user, supplier = make_supplier("verified")
    members = [make_user(full_name=f"Pembeli {i}") for i in range(4)]
    barrier = threading.Barrier(len(members))
    outcomes: list[str] = []

    def run(member):
        try:
            barrier.wait()
            services.contact(supplier=supplier, member=member)
            outcomes.append("opened")
        except NotAllowed as exc:
            outcomes.append(exc.message)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(m,)) for m in members]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("opened") == 1, outcomes
    assert all(o == "opened" or "batas chat minggu ini" in o for o in outcomes)
    assert Conversation.objects.filter(kind="supplier").count() == 1
    assert ChatWeekUse.objects.filter(supplier=supplier).count() == 1
