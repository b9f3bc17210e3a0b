"""Demo accounts, one per role. They exist only in the demo (`manage.py seed_demo`)."""

from sanggar.core.roles import Role

from .constants import AffiliateApplicationStatus
from .demo_notifications import seed_notifications
from .hooks import role_granted_run
from .models import AffiliateApplication, User, UserRole

DEMO_PASSWORD = "sanggar-demo"

DEMO_USERS = (
    ("admin@sanggar.test", "Admin Sanggar", "081200000001", (Role.ADMIN,), "DKI Jakarta", "Jakarta Selatan"),
    ("founder@sanggar.test", "Budi Santoso", "081200000002", (Role.FOUNDER,), "Jawa Barat", "Bandung"),
    ("cofounder@sanggar.test", "Sari Wulandari", "081200000003", (Role.COFOUNDER,), "Jawa Timur", "Surabaya"),
    ("support@sanggar.test", "Rina Support", "081200000004", (Role.SUPPORT,), "DKI Jakarta", "Jakarta Barat"),
    ("mentor@sanggar.test", "Andi Mentor", "081200000005", (Role.MENTOR,), "DI Yogyakarta", "Yogyakarta"),
    ("affiliate@sanggar.test", "Dinda Affiliate", "081200000006", (Role.AFFILIATE,), "Bali", "Denpasar"),
    ("supplier@sanggar.test", "CV Rempah Nusantara", "081200000007", (Role.SUPPLIER,), "Sulawesi Selatan", "Makassar"),
    ("member@sanggar.test", "Maya Member", "081200000008", (), "Jawa Tengah", "Semarang"),
    ("free@sanggar.test", "Fajar Gratis", "081200000009", (), "Sumatera Utara", "Medan"),
)  # fmt: skip


def seed(*, log):
    from allauth.account.models import EmailAddress

    created = 0
    for email, name, wa, roles, province, city in DEMO_USERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email, password=DEMO_PASSWORD, full_name=name, whatsapp="+62" + wa[1:],
                province=province, city=city,
            )  # fmt: skip
            created += 1
        EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        for role in (Role.MEMBER, *roles):
            UserRole.objects.get_or_create(user=user, role=role)
        if Role.AFFILIATE in roles:
            role_granted_run(role=Role.AFFILIATE, user=user)  # affiliates makes the profile (code DINDA)
        if Role.AFFILIATE in roles and not AffiliateApplication.objects.filter(user=user).exists():
            AffiliateApplication.objects.create(
                user=user,
                status=AffiliateApplicationStatus.APPROVED,
                motivation="Saya aktif membagikan tips ekspor di Instagram dan grup WhatsApp UMKM.",
                channels="Instagram, WhatsApp",
                decision_note="Disetujui (data demo).",
            )
    log(f"{created} demo accounts created, {len(DEMO_USERS) - created} already there (password: {DEMO_PASSWORD})")
    seed_notifications(log=log, demo_users=DEMO_USERS)
