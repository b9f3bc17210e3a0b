"""Dashboard cards of suppliers: the supplier's own numbers, the mentors' review queue, the admins' decisions."""

from django.urls import reverse
from django.utils.translation import gettext as _

from sanggar.core.roles import Role
from sanggar.dashboard.registry import Card, Stat, card

from . import selectors, services
from .constants import Status
from .models import Supplier


@card(roles=(Role.SUPPLIER,), order=3)
def supplier_card(request) -> Card:
    supplier = Supplier.objects.filter(user=request.user).first()
    if supplier is None:
        return Card(title=_("Supplier"), icon="store", value="-", hint=_("Belum terdaftar sebagai supplier"),
                    link=reverse("suppliers:register"), link_label=_("Daftar sebagai supplier"))  # fmt: skip
    if supplier.status in (Status.DRAFT, Status.ONBOARDING):
        return Card(title=_("Onboarding Supplier"), icon="clipboard-check", value=str(supplier.get_status_display()),
                    hint=_("Lengkapi profil dan asesmen"), link=reverse("suppliers:onboarding"),
                    link_label=_("Lanjutkan onboarding"))  # fmt: skip
    stats = selectors.supplier_stats(supplier)
    premium = services.is_premium(supplier)
    return Card(
        title=_("Supplier %(p)s") % {"p": "Premium" if premium else "Free"}, icon="store",
        value=str(stats["profile_views"]), hint=_("kunjungan profil"), link=reverse("suppliers:home"),
        link_label=_("Buka dasbor supplier"), style="list",
        stats=(Stat(_("Produk"), str(stats["products"]), reverse("suppliers:products")),
               Stat(_("Pertanyaan chat (30 hari)"), str(stats["inquiries"]), reverse("chat:inbox")),
               Stat(_("Member ditolak (Free, 30 hari)"), str(stats["refused_members"]),
                    reverse("suppliers:package"))),
    )  # fmt: skip


@card(roles=(Role.MENTOR, Role.ADMIN), order=40)
def review_card(request) -> Card:
    numbers = selectors.admin_numbers()
    admin = Role.ADMIN in request.user.role_set
    return Card(
        title=_("Review Supplier"), icon="badge-check", value=str(numbers["waiting"]),
        hint=_("menunggu review mentor"), link=reverse("suppliers:admin_list" if admin else "suppliers:mentor_queue"),
        link_label=_("Buka antrean"), style="list",
        stats=(Stat(_("Menunggu keputusan admin"), str(numbers["recommended"]), reverse("suppliers:mentor_queue")
                    + "?status=recommended"),
               Stat(_("Premium aktif"), str(numbers["premium"]), "")),
    )  # fmt: skip
