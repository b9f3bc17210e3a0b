from django.db import models
from django.utils.translation import gettext_lazy as _

PROVINCES: tuple[str, ...] = (
    "Aceh", "Sumatera Utara", "Sumatera Barat", "Riau", "Kepulauan Riau", "Jambi", "Bengkulu",
    "Sumatera Selatan", "Kepulauan Bangka Belitung", "Lampung", "Banten", "DKI Jakarta", "Jawa Barat",
    "Jawa Tengah", "DI Yogyakarta", "Jawa Timur", "Bali", "Nusa Tenggara Barat", "Nusa Tenggara Timur",
    "Kalimantan Barat", "Kalimantan Tengah", "Kalimantan Selatan", "Kalimantan Timur", "Kalimantan Utara",
    "Sulawesi Utara", "Gorontalo", "Sulawesi Tengah", "Sulawesi Barat", "Sulawesi Selatan",
    "Sulawesi Tenggara", "Maluku", "Maluku Utara", "Papua", "Papua Barat", "Papua Barat Daya",
    "Papua Tengah", "Papua Pegunungan", "Papua Selatan",
)  # fmt: skip
PROVINCE_CHOICES = [(p, p) for p in PROVINCES]


class AffiliateApplicationStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu")
    APPROVED = "approved", _("Disetujui")
    REJECTED = "rejected", _("Ditolak")


API_KEY_PREFIX = "sgk_"


# Social links on a profile (shown on a mentor's public instructor page and in the API): network → (label, hosts).
# A link must be an http(s) URL on one of the network's hosts (or a subdomain of one); "website" takes any public host.
SOCIAL_NETWORKS: dict[str, tuple[str, tuple[str, ...]]] = {
    "website": (_("Situs web"), ()),
    "instagram": ("Instagram", ("instagram.com",)),
    "youtube": ("YouTube", ("youtube.com", "youtu.be")),
    "linkedin": ("LinkedIn", ("linkedin.com",)),
    "tiktok": ("TikTok", ("tiktok.com",)),
    "facebook": ("Facebook", ("facebook.com", "fb.com")),
    "x": ("X (Twitter)", ("x.com", "twitter.com")),
}
SOCIAL_LINK_MAX = 300
