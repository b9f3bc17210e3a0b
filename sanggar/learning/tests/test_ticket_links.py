"""A member names one of their courses when opening a support ticket (learning registers "kursus" with tickets):
on the page and through the API; a course they are not enrolled in is refused."""

import pytest

from sanggar.api.testing import call
from sanggar.core.exceptions import ServiceError
from sanggar.learning import services
from sanggar.tickets.links import ticket_link_choices
from sanggar.tickets.models import Ticket
from sanggar.tickets.services import ticket_open

from .world import build_course

pytestmark = pytest.mark.django_db


def test_member_links_their_course(settings, tmp_path, client, admin_user, member_user):
    settings.MEDIA_ROOT = tmp_path / "media"
    mine = build_course(admin_user, "Dasar Ekspor", modules=1, lessons=1, quiz=False)
    other = build_course(admin_user, "Kelas Buyer", modules=1, lessons=1, quiz=False)
    services.enrollment_ensure(user=member_user, course=mine)
    choices = dict(ticket_link_choices(member_user))
    assert [label for _value, label in choices["Kursus"]] == ["Dasar Ekspor"]

    ticket = ticket_open(user=member_user, category="kelas", subject="Video tidak jalan", body="Macet di menit 3.",
                         link=f"kursus:{mine.pk}")  # fmt: skip
    assert (ticket.link_kind, ticket.link_label) == ("kursus", "Dasar Ekspor")
    for bad in (f"kursus:{other.pk}", "kursus:", "rahasia:1", "kursus:" + "9" * 70):
        with pytest.raises(ServiceError) as err:
            ticket_open(user=member_user, category="kelas", subject="x", body="y", link=bad)
        assert "link" in err.value.errors

    client.force_login(member_user)
    form = client.get("/tiket/baru").content.decode()
    assert "Terkait kursus atau kelas" in form and f'value="kursus:{mine.pk}"' in form
    response = client.post("/tiket/baru", {"category": "kelas", "subject": "Sertifikat", "body": "Belum muncul.",
                                           "link": f"kursus:{mine.pk}"})  # fmt: skip
    assert response.status_code == 302
    created = Ticket.objects.get(subject="Sertifikat")
    assert created.link_label == "Dasar Ekspor"
    assert "Dasar Ekspor" in client.get(f"/tiket/{created.number}").content.decode()
    form = {"category": "kelas", "subject": "Bukan kursus saya", "body": "y", "link": f"kursus:{other.pk}"}
    refused = client.post("/tiket/baru", form)
    assert refused.status_code in (200, 400) and not Ticket.objects.filter(subject="Bukan kursus saya").exists()

    options = call(client, "get", "/tickets/link-options", user=member_user).json()
    assert options == [{"group": "Kursus", "value": f"kursus:{mine.pk}", "label": "Dasar Ekspor"}]
    body = {"category": "kelas", "subject": "Kuis", "body": "Nilai tidak tersimpan.", "link": f"kursus:{mine.pk}"}
    made = call(client, "post", "/tickets", body, user=member_user)
    assert made.status_code == 201 and made.json()["link_label"] == "Dasar Ekspor"
    bad = call(client, "post", "/tickets", {**body, "link": f"kursus:{other.pk}"}, user=member_user)
    assert bad.status_code == 400 and bad.json()["message"]
