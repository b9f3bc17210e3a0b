"""Social links on a profile (website, Instagram, YouTube, LinkedIn, TikTok, Facebook, X): validated by the service,
edited on /profil/ and through PATCH /api/v1/me, read back by GET /me."""

import pytest

from sanggar.accounts import services
from sanggar.accounts.selectors import social_links
from sanggar.api.testing import call
from sanggar.core.exceptions import ServiceError

pytestmark = pytest.mark.django_db


def test_service_keeps_valid_links_and_refuses_others(member_user):
    user = services.user_update_profile(
        user=member_user,
        actor=member_user,
        social_links={
            "instagram": "instagram.com/ekspor.budi",
            "youtube": "https://www.youtube.com/@eksporbudi",
            "website": "https://eksporbudi.id",
            "tiktok": "",
        },
    )
    assert user.social_links == {
        "website": "https://eksporbudi.id",
        "instagram": "https://instagram.com/ekspor.budi",
        "youtube": "https://www.youtube.com/@eksporbudi",
    }
    assert [n for n, _label, _url in social_links(user)] == ["website", "instagram", "youtube"]
    bad = {
        "instagram": "https://evil.example/instagram.com",
        "linkedin": "javascript:alert(1)",
        "x": "https://user:pw@x.com/budi",
        "tiktok": "https://tiktok.com/@" + "a" * 400,
        "myspace": "https://myspace.com/budi",
        "facebook": 12,
        "website": "https://ok.id/\x00",
    }
    with pytest.raises(ServiceError) as exc:
        services.user_update_profile(user=user, actor=user, social_links=bad)
    assert set(exc.value.errors) == {
        "social_links.instagram",
        "social_links.linkedin",
        "social_links.x",
        "social_links.tiktok",
        "social_links",
        "social_links.facebook",
        "social_links.website",
    }
    user.refresh_from_db()
    assert user.social_links["instagram"] == "https://instagram.com/ekspor.budi"  # nothing changed


def test_profile_page_edits_links_with_field_errors(client, member_user):
    client.force_login(member_user)
    page = client.get("/profil/").content.decode()
    assert 'id="social-links"' in page and 'name="social_linkedin"' in page
    base = {"full_name": "Maya Sari", "whatsapp": "081234567890", "province": "Bali", "city": "", "bio": ""}
    response = client.post("/profil/", {**base, "social_linkedin": "https://facebook.com/maya"})
    assert response.status_code == 200 and "Gunakan alamat LinkedIn" in response.content.decode()
    response = client.post("/profil/", {**base, "social_linkedin": "https://www.linkedin.com/in/mayasari"})
    assert response.status_code == 302
    member_user.refresh_from_db()
    assert member_user.social_links == {"linkedin": "https://www.linkedin.com/in/mayasari"}


def test_api_me_reads_and_replaces_links(client, member_user):
    response = call(
        client, "patch", "/me", {"social_links": {"tiktok": "https://www.tiktok.com/@maya"}}, user=member_user
    )
    assert response.status_code == 200, response.content
    assert response.json()["social_links"] == {"tiktok": "https://www.tiktok.com/@maya"}
    refused = call(
        client, "patch", "/me", {"social_links": {"tiktok": "https://tiktok.evil.id/@maya"}}, user=member_user
    )
    assert refused.status_code == 400 and "social_links.tiktok" in refused.json()["errors"]
    wrong = call(client, "patch", "/me", {"social_links": ["x"]}, user=member_user)
    assert wrong.status_code == 422
    cleared = call(client, "patch", "/me", {"social_links": None}, user=member_user)
    assert cleared.json()["social_links"] == {}
