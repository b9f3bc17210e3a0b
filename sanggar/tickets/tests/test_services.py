from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sanggar.core.exceptions import NotAllowed, RateLimited, ServiceError
from sanggar.notifications.models import Notification
from sanggar.tickets import selectors, services
from sanggar.tickets.models import Ticket, TicketAttachment

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20


def test_open_numbers_targets_and_tells_staff(agent, admin_user, ticket):
    assert ticket.number == f"TKT-{ticket.pk:06d}"
    assert ticket.status == "open" and ticket.priority == "normal"
    assert abs(ticket.first_response_due_at - ticket.created_at - timedelta(hours=8)) < timedelta(seconds=1)
    assert Notification.objects.filter(user=agent, data__template="tickets.new").exists()
    assert Notification.objects.filter(user=admin_user, data__template="tickets.new").exists()


def test_transitions(ticket, member, agent):
    services.ticket_claim(ticket=ticket, agent=agent)
    ticket.refresh_from_db()
    assert (ticket.status, ticket.assigned_to) == ("in_progress", agent)
    services.ticket_reply(ticket=ticket, actor=agent, body="Sedang kami cek.")
    ticket.refresh_from_db()
    assert ticket.status == "waiting" and ticket.first_response_at is not None
    assert Notification.objects.filter(user=member, data__template="tickets.staff_reply").exists()
    services.ticket_reply(ticket=ticket, actor=member, body="Ini buktinya.")
    ticket.refresh_from_db()
    assert ticket.status == "in_progress"
    assert Notification.objects.filter(user=agent, data__template="tickets.member_reply").exists()
    services.ticket_set_status(ticket=ticket, actor=agent, status="resolved")
    ticket.refresh_from_db()
    assert ticket.resolved_at is not None
    services.ticket_rate(ticket=ticket, user=member, rating=5, comment="Cepat!")
    with pytest.raises(ServiceError):
        services.ticket_rate(ticket=ticket, user=member, rating=4)
    services.ticket_close(ticket=ticket, actor=member)
    ticket.refresh_from_db()
    assert ticket.status == "closed" and ticket.closed_by == member
    with pytest.raises(ServiceError):
        services.ticket_reply(ticket=ticket, actor=member, body="Halo?")
    services.ticket_reopen(ticket=ticket, actor=member)
    ticket.refresh_from_db()
    assert ticket.status == "in_progress"


def test_member_cannot_reopen_after_window(ticket, member, agent, settings):
    services.ticket_set_status(ticket=ticket, actor=agent, status="resolved")
    Ticket.objects.filter(pk=ticket.pk).update(resolved_at=timezone.now() - timedelta(days=8))
    ticket.refresh_from_db()
    with pytest.raises(ServiceError):
        services.ticket_reply(ticket=ticket, actor=member, body="Masih error")


def test_auto_close_with_a_fake_clock(ticket, agent):
    services.ticket_set_status(ticket=ticket, actor=agent, status="resolved")
    assert services.tickets_auto_close_sweep(now=timezone.now() + timedelta(days=6)) == 0
    assert services.tickets_auto_close_sweep(now=timezone.now() + timedelta(days=7, minutes=1)) == 1
    ticket.refresh_from_db()
    assert ticket.status == "closed"


def test_sla_warning_once_and_priority_moves_target(ticket, agent):
    services.ticket_set_priority(ticket=ticket, actor=agent, priority="urgent")
    ticket.refresh_from_db()
    assert abs(ticket.first_response_due_at - ticket.created_at - timedelta(hours=1)) < timedelta(seconds=1)
    later = timezone.now() + timedelta(hours=2)
    assert services.tickets_sla_sweep(now=later) == 1
    assert services.tickets_sla_sweep(now=later) == 0
    assert Notification.objects.filter(user=agent, data__template="tickets.sla_late").exists()


def test_agents_see_only_what_they_may(ticket, agent, other_agent, member, make_user):
    assert services.can_view(agent, ticket) and services.can_view(other_agent, ticket)  # unassigned queue
    services.ticket_claim(ticket=ticket, agent=agent)
    ticket.refresh_from_db()
    assert not services.can_view(other_agent, ticket)
    assert ticket not in selectors.visible_to_staff(other_agent)
    with pytest.raises(ServiceError):
        services.ticket_claim(ticket=ticket, agent=other_agent)
    with pytest.raises(NotAllowed):
        services.ticket_reply(ticket=ticket, actor=other_agent, body="Saya ambil alih")
    stranger = make_user()
    assert not services.can_view(stranger, ticket)
    with pytest.raises(NotAllowed):
        services.ticket_reply(ticket=ticket, actor=stranger, body="Hai")
    with pytest.raises(NotAllowed):
        services.ticket_assign(ticket=ticket, actor=agent, agent=other_agent)  # only admins assign


def test_internal_note_is_hidden_from_member(ticket, agent, member):
    services.ticket_reply(ticket=ticket, actor=agent, body="Cek mutasi BCA dulu", internal=True)
    ticket.refresh_from_db()
    assert ticket.status == "open" and ticket.first_response_at is None
    assert [m.kind for m in selectors.thread(ticket=ticket, include_notes=False)] == ["member"]
    with pytest.raises(NotAllowed):
        services.ticket_reply(ticket=ticket, actor=member, body="x", internal=True)


def test_attachments_checked_by_content_and_size(member, settings):
    ok = services.ticket_open(
        user=member, category="teknis", subject="Error", body="Lihat gambar",
        files=[SimpleUploadedFile("layar.png", PNG)],
    )  # fmt: skip
    assert TicketAttachment.objects.filter(message__ticket=ok).count() == 1
    for name, content in (("virus.exe", b"MZ"), ("palsu.png", b"%PDF-1.4"), ("kosong.pdf", b"")):
        with pytest.raises(ServiceError):
            services.ticket_open(
                user=member, category="teknis", subject="x", body="y", files=[SimpleUploadedFile(name, content)]
            )
    settings.TICKET_ATTACHMENT_MAX_BYTES = 10
    with pytest.raises(ServiceError) as exc:
        services.ticket_open(
            user=member, category="teknis", subject="x", body="y", files=[SimpleUploadedFile("a.png", PNG)]
        )
    assert "maksimal" in exc.value.message
    with pytest.raises(ServiceError):
        services.ticket_open(
            user=member, category="teknis", subject="x", body="y", files=[SimpleUploadedFile("a.png", PNG)] * 4
        )


def test_hostile_input(member):
    with pytest.raises(ServiceError):
        services.ticket_open(user=member, category="teknis", subject="a\x00b", body="y")
    with pytest.raises(ServiceError):
        services.ticket_open(user=member, category="rahasia", subject="x", body="y")
    with pytest.raises(ServiceError):
        services.ticket_open(user=member, category="teknis", subject="x", body="y" * 6000)


def test_open_rate_limit(member, settings):
    settings.TICKET_CREATE_RATE_LIMIT = "2/3600"
    for _ in range(2):
        services.ticket_open(user=member, category="akun", subject="x", body="y")
    with pytest.raises(RateLimited):
        services.ticket_open(user=member, category="akun", subject="x", body="y")
