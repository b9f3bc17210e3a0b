"""Short links: admin-managed domains, affiliates' slugs, and where a link goes."""

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from sanggar.audit.services import activity_record
from sanggar.catalog import selectors as catalog_selectors
from sanggar.catalog.constants import ProductStatus
from sanggar.core.exceptions import NotAllowed, NotFound, ServiceError
from sanggar.core.roles import Role
from sanggar.core.site import site_url

from ..constants import (
    RESERVED_SLUGS,
    SLUG_MAX_LENGTH,
    SLUG_MIN_LENGTH,
    AffiliateAction,
    AffiliateStatus,
    TargetKind,
)
from ..models import AffiliateProfile, ShortLink, ShortLinkDomain
from ..short_link_targets import short_link_target_check

SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")
DOMAIN_RE = re.compile(r"^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
HOSTS_CACHE_KEY = "affiliates:short_link_hosts"
HOSTS_CACHE_SECONDS = 60
# URL names of targets that other capabilities will add (course pages, bio pages, opt-in forms); a kind whose page
# does not exist yet is refused with a clear message.
_TARGET_URL_NAMES = {
    TargetKind.PLAN: "orders:plan_sales",
    TargetKind.PRODUCT: "orders:product_detail",
    TargetKind.COURSE: "learning:course_detail",
    TargetKind.BIO: "booster:bio",
    TargetKind.OPTIN: "booster:optin",
}


def slug_clean(raw) -> str:
    return str(raw or "").strip().lower()


def domain_clean(raw) -> str:
    """A host name as stored: lower case, without scheme, path, port or trailing dot."""
    text = str(raw or "").strip().lower()
    if "://" in text:
        text = urlsplit(text).hostname or ""
    return text.split("/", 1)[0].split(":", 1)[0].rstrip(".")


def main_host() -> str:
    return (urlsplit(settings.SITE_URL).hostname or "").lower()


def short_link_hosts() -> frozenset[str]:
    """Active short-link domains (cached for a minute; the domain services clear the cache)."""
    hosts = cache.get(HOSTS_CACHE_KEY)
    if hosts is None:
        hosts = frozenset(ShortLinkDomain.objects.filter(is_active=True).values_list("domain", flat=True))
        cache.set(HOSTS_CACHE_KEY, hosts, HOSTS_CACHE_SECONDS)
    return hosts


def _hosts_changed() -> None:
    transaction.on_commit(lambda: cache.delete(HOSTS_CACHE_KEY))


def target_path(kind: str, slug: str) -> str | None:
    """The site path a short link of this target opens, or None when that kind of page does not exist (yet)."""
    name = _TARGET_URL_NAMES.get(kind)
    if name is None or not slug:
        return None
    try:
        return reverse(name, args=[slug])
    except NoReverseMatch:
        return None


def short_link_url(link: ShortLink) -> str:
    """https://<domain>/<slug> on a short-link domain; <site address>/s/<slug> on the main domain."""
    if link.domain_id:
        scheme = urlsplit(settings.SITE_URL).scheme or "https"
        return f"{scheme}://{link.domain.domain}/{link.slug}"
    return site_url() + reverse("affiliates:short_link", args=[link.slug])


# --- domains ---------------------------------------------------------------------------------------------------


def _require_admin(actor) -> None:
    if actor is None or not actor.has_role(Role.ADMIN):
        raise NotAllowed(_("Hanya admin yang bisa mengelola domain link pendek."))


@transaction.atomic
def short_link_domain_create(*, actor, domain: str) -> ShortLinkDomain:
    _require_admin(actor)
    host = domain_clean(domain)
    if not DOMAIN_RE.match(host):
        message = _("Tulis nama domain saja, mis. link.eksporyuk.com (tanpa http:// dan tanpa garis miring).")
        raise ServiceError(message, errors={"domain": [message]})
    if host == main_host():
        message = _("Domain utama platform sudah melayani link pendek di /s/<slug>.")
        raise ServiceError(message, errors={"domain": [message]})
    try:
        with transaction.atomic():
            obj = ShortLinkDomain.objects.create(domain=host)
    except IntegrityError:
        message = _("Domain %(domain)s sudah terdaftar.") % {"domain": host}
        raise ServiceError(message, errors={"domain": [message]}) from None
    activity_record(action=AffiliateAction.DOMAIN_CREATED, actor=actor, target=obj, data={"domain": host})
    _hosts_changed()
    return obj


@transaction.atomic
def short_link_domain_set_active(*, actor, domain: ShortLinkDomain, is_active: bool) -> ShortLinkDomain:
    _require_admin(actor)
    domain = ShortLinkDomain.objects.select_for_update().get(pk=domain.pk)
    if domain.is_active != is_active:
        domain.is_active = is_active
        domain.save(update_fields=["is_active", "updated_at"])
        activity_record(
            action=AffiliateAction.DOMAIN_CHANGED, actor=actor, target=domain, data={"is_active": is_active}
        )
        _hosts_changed()
    return domain


def domain_for_input(raw) -> ShortLinkDomain | None:
    """The active domain named by a form or API value ("" or the main host: None = the main domain).
    Raises ServiceError for a domain that is not an active short-link domain."""
    host = domain_clean(raw)
    if not host or host == main_host():
        return None
    domain = ShortLinkDomain.objects.filter(domain=host, is_active=True).first()
    if domain is None:
        message = _("Domain %(domain)s tidak tersedia untuk link pendek.") % {"domain": host}
        raise ServiceError(message, errors={"domain": [message]})
    return domain


# --- slugs -----------------------------------------------------------------------------------------------------


def _slug_format_error(slug: str) -> str:
    if len(slug) < SLUG_MIN_LENGTH:
        return _("Slug minimal %(n)s karakter.") % {"n": SLUG_MIN_LENGTH}
    if len(slug) > SLUG_MAX_LENGTH:
        return _("Slug maksimal %(n)s karakter.") % {"n": SLUG_MAX_LENGTH}
    if not SLUG_RE.match(slug):
        return _("Slug hanya boleh huruf kecil, angka dan tanda minus (-), tanpa spasi, dan tidak diawali/diakhiri -.")
    if slug in RESERVED_SLUGS:
        return _("“%(slug)s” adalah kata khusus sistem dan tidak bisa dipakai.") % {"slug": slug}
    return ""


def short_link_check(*, domain: ShortLinkDomain | None, slug: str, affiliate: AffiliateProfile) -> tuple[bool, str]:
    """(available, reason) of `slug` on `domain` (None: the main domain) for `affiliate`; the reason is a message
    for the affiliate either way."""
    slug = slug_clean(slug)
    error = _slug_format_error(slug)
    if error:
        return False, error
    holder = (
        ShortLink.objects.filter(domain=domain, slug=slug).values_list("affiliate_id", flat=True).first()
        if domain is not None
        else ShortLink.objects.filter(domain__isnull=True, slug=slug).values_list("affiliate_id", flat=True).first()
    )
    if holder == affiliate.pk:
        return False, _("Anda sudah memakai slug ini di domain tersebut.")
    if holder is not None:
        return False, _("Slug ini sudah dipakai affiliate lain. Coba variasi lain, mis. %(hint)s.") % {
            "hint": f"{slug}-{affiliate.code.lower()}"[:SLUG_MAX_LENGTH]
        }
    if AffiliateProfile.objects.filter(code__iexact=slug).exclude(pk=affiliate.pk).exists():
        return False, _("Slug ini sama dengan kode affiliate lain dan tidak bisa dipakai.")
    return True, _("Slug tersedia.")


def _target_check(kind: str, slug: str) -> str:
    """The target's slug, checked: an active plan or a published product; other kinds once their pages exist."""

    slug = slug_clean(slug)
    if kind not in TargetKind.values:
        message = _("Pilih tujuan link: membership, produk, kelas, halaman bio atau form opt-in.")
        raise ServiceError(message, errors={"target": [message]})
    try:
        if kind == TargetKind.PLAN:
            catalog_selectors.plan_get_public(slug=slug)
        elif kind == TargetKind.PRODUCT:
            product = catalog_selectors.product_get_public(slug=slug)
            if product.status != ProductStatus.PUBLISHED:
                raise NotFound("")
        elif (check := short_link_target_check(kind)) is not None and not check(slug):
            raise NotFound("")
    except NotFound:
        message = _("Tujuan link tidak ditemukan atau belum dipublikasikan.")
        raise ServiceError(message, errors={"target": [message]}) from None
    known = kind in {TargetKind.PLAN, TargetKind.PRODUCT} or short_link_target_check(kind) is not None
    if not known or target_path(kind, slug) is None:
        message = _("Tujuan jenis “%(kind)s” belum tersedia di platform ini.") % {"kind": TargetKind(kind).label}
        raise ServiceError(message, errors={"target": [message]})
    return slug


@transaction.atomic
def short_link_create(
    *, affiliate: AffiliateProfile, domain: ShortLinkDomain | None, slug: str, target_kind: str, target_slug: str
) -> ShortLink:
    """A short link of `affiliate` on `domain` (None: main domain). Refuses bad formats, reserved words, slugs taken
    (by the same or another affiliate) and unknown targets with messages on `slug` / `target`. Two affiliates
    creating the same slug at once: the unique constraint admits one; the other gets the "taken" message."""
    if affiliate.status != AffiliateStatus.ACTIVE:
        raise NotAllowed(_("Akun affiliate Anda sedang ditangguhkan."))
    if domain is not None and not domain.is_active:
        message = _("Domain ini sedang tidak aktif.")
        raise ServiceError(message, errors={"domain": [message]})
    slug = slug_clean(slug)
    available, reason = short_link_check(domain=domain, slug=slug, affiliate=affiliate)
    if not available:
        raise ServiceError(reason, errors={"slug": [reason]})
    target_slug = _target_check(target_kind, target_slug)
    try:
        with transaction.atomic():
            link = ShortLink.objects.create(
                affiliate=affiliate, domain=domain, slug=slug, target_kind=target_kind, target_slug=target_slug
            )
    except IntegrityError:
        message = _("Slug ini baru saja dipakai orang lain. Coba variasi lain.")
        raise ServiceError(message, errors={"slug": [message]}) from None
    activity_record(
        action=AffiliateAction.SHORT_LINK_CREATED,
        actor=affiliate.user,
        target=link,
        target_label=short_link_url(link),
        data={"domain": domain.domain if domain else "", "slug": slug, "target": f"{target_kind}:{target_slug}"},
    )
    return link


@transaction.atomic
def short_link_set_active(*, link: ShortLink, actor, is_active: bool) -> ShortLink:
    """The affiliate switches their own link off or on (an admin may switch any)."""
    link = ShortLink.objects.select_for_update(of=("self",)).select_related("affiliate", "domain").get(pk=link.pk)
    if link.affiliate.user_id != actor.pk and not actor.has_role(Role.ADMIN):
        raise NotAllowed(_("Ini bukan link pendek Anda."))
    if link.is_active != is_active:
        link.is_active = is_active
        link.save(update_fields=["is_active", "updated_at"])
        activity_record(
            action=AffiliateAction.SHORT_LINK_CHANGED,
            actor=actor,
            target=link,
            target_label=short_link_url(link),
            data={"is_active": is_active},
        )
    return link
