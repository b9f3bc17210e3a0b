import hashlib
from functools import cached_property

from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sanggar.core.models import TimeStampedModel
from sanggar.core.prepared import Prepared
from sanggar.core.roles import Role
from sanggar.notifications.registry import default_channel_enabled

from .constants import PROVINCE_CHOICES, AffiliateApplicationStatus


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("Email is required")
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def get(self, *args, **kwargs):
        """`User.objects.get(pk=<int>)`, the read of the signed-in user on every page and session-authenticated call
        (Django's ModelBackend.get_user), runs a statement compiled once per process (`core.prepared`): compiling it
        on each request cost more CPU than PostgreSQL spends answering it. Same SQL, same row, the same DoesNotExist;
        every other lookup is the queryset's own `get`."""
        pk = kwargs.get("pk")
        if not args and len(kwargs) == 1 and type(pk) is int and self._db is None:
            return _USER_BY_PK.get(pk=pk)
        return super().get(*args, **kwargs)

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        """For `manage.py createsuperuser`: a Django-admin superuser who also holds the Admin role."""
        extra["is_staff"] = True
        extra["is_superuser"] = True
        extra.setdefault("full_name", "Administrator")
        user = self._create_user(email, password, **extra)
        UserRole.objects.get_or_create(user=user, role=Role.MEMBER)
        UserRole.objects.get_or_create(user=user, role=Role.ADMIN)
        return user


def avatar_path(instance, filename):
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"avatars/{instance.pk or 'new'}/{timezone.now():%Y%m%d%H%M%S}.{ext}"


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("email"), unique=True)
    full_name = models.CharField(_("nama lengkap"), max_length=150)
    whatsapp = models.CharField(_("nomor WhatsApp"), max_length=20, blank=True, db_index=True)
    avatar = models.ImageField(_("foto profil"), upload_to=avatar_path, blank=True)
    province = models.CharField(_("provinsi"), max_length=64, choices=PROVINCE_CHOICES, blank=True)
    city = models.CharField(_("kota/kabupaten"), max_length=100, blank=True)
    bio = models.TextField(_("bio"), blank=True, max_length=1000)
    # network → URL (constants.SOCIAL_NETWORKS), validated by services.social_links_clean; shown on instructor pages.
    social_links = models.JSONField(_("tautan media sosial"), default=dict, blank=True)
    notification_prefs = models.JSONField(_("preferensi notifikasi"), default=dict, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    is_staff = models.BooleanField(default=False, help_text="Access to the Django admin site (superusers only).")
    date_joined = models.DateTimeField(_("tanggal daftar"), default=timezone.now, db_index=True)
    deactivated_at = models.DateTimeField(null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ("-date_joined",)
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    def __str__(self):
        return f"{self.full_name} <{self.email}>" if self.full_name else self.email

    @cached_property
    def role_set(self) -> frozenset[str]:
        """The user's roles, loaded once per request (or taken from a prefetch of `roles`)."""
        if self.pk is None:
            return frozenset()
        cache = getattr(self, "_prefetched_objects_cache", {})
        if "roles" in cache:
            return frozenset(r.role for r in cache["roles"])
        return frozenset(_ROLE_SET.all(user_id=self.pk))

    def has_role(self, role: str) -> bool:
        return role in self.role_set

    @property
    def is_admin(self) -> bool:
        return self.has_role(Role.ADMIN)

    @property
    def initials(self) -> str:
        parts = [p for p in (self.full_name or self.email).split() if p]
        return "".join(p[0] for p in parts[:2]).upper() or "?"

    def channel_enabled(self, kind: str, channel: str) -> bool:
        prefs = self.notification_prefs or {}
        kind_prefs = prefs.get(kind) or {}
        if channel in kind_prefs:
            return bool(kind_prefs[channel])
        return default_channel_enabled(kind, channel)

    def token_fingerprint(self) -> str:
        """Changes when the password changes, so API refresh tokens issued before it stop working."""
        return hashlib.sha256(f"{self.pk}:{self.password}".encode()).hexdigest()[:16]


class UserRole(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=20, choices=Role.choices, db_index=True)
    granted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="uniq_user_role")]

    def __str__(self):
        return f"{self.user_id}:{self.role}"


# The signed-in user (UserManager.get) and their roles: read on every signed-in page, compiled once per process.
_USER_BY_PK = Prepared(lambda pk: User.objects.filter(pk=pk).order_by(), pk=-1_000_302)
# The roles of a user: read on every signed-in page, its statement compiled once per process.
_ROLE_SET = Prepared(
    lambda user_id: UserRole.objects.filter(user_id=user_id).values_list("role", flat=True), user_id=-1_000_301
)


class AffiliateApplication(TimeStampedModel):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="affiliate_applications")
    status = models.CharField(
        max_length=20, choices=AffiliateApplicationStatus.choices, default=AffiliateApplicationStatus.PENDING
    )
    motivation = models.TextField(_("alasan bergabung"), max_length=2000)
    channels = models.CharField(_("kanal promosi"), max_length=500, blank=True)
    decided_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ("-created_at",)
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(status="pending"),
                name="uniq_pending_affiliate_application",
            )
        ]

    def __str__(self):
        return f"Affiliate application {self.pk} ({self.status})"


class ApiKey(TimeStampedModel):
    """A key issued by an admin to one client app (e.g. the Android app). Only its hash is stored."""

    name = models.CharField(_("nama aplikasi"), max_length=100)
    prefix = models.CharField(max_length=16, unique=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ("-created_at",)

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
