"""Bio pages and opt-in forms: saving them, what their buttons link to, counting views and clicks, and taking an
opt-in submission (honeypot, signed form token, rate limit per address)."""

import re
from urllib.parse import quote, urlencode

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from sanggar.affiliates.constants import RESERVED_SLUGS
from sanggar.catalog.constants import PlanStatus, ProductStatus
from sanggar.catalog.models import MembershipPlan, Product
from sanggar.core.exceptions import NotAllowed, RateLimited, ServiceError
from sanggar.core.ratelimit import window_take
from sanggar.events.models import Event, EventStatus
from sanggar.learning.models import Course
from sanggar.notifications.services import notify, suppression_add
from sanggar.reminders.services import render_text

from ..constants import BUTTONS_MAX, MAGNET_EXTENSIONS, MAGNET_MAX_BYTES, SOCIALS, ButtonKind, Font, OptinAction, Theme
from ..models import BioButton, BioPage, Broadcast, BroadcastRecipient, Lead, OptinForm, Suppression
from ..notifications import NEW_LEAD
from .leads import clean_text, clean_whatsapp, lead_upsert
from .sequences import enrollments_stop

COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
HANDLE_RE = re.compile(r"^[A-Za-z0-9._-]{1,60}$")
WA_GROUP_RE = re.compile(r"^https://chat\.whatsapp\.com/[A-Za-z0-9]{10,40}$")
FORM_TOKEN_SALT = "booster.optin"
FORM_TOKEN_MAX_AGE = 6 * 3600

# The page each internal button kind opens (url name with the slug).
TARGET_URLS = {
    ButtonKind.PLAN: "orders:plan_sales",
    ButtonKind.PRODUCT: "orders:product_detail",
    ButtonKind.COURSE: "learning:course_detail",
    ButtonKind.EVENT: "events:detail",
    ButtonKind.OPTIN: "booster:optin",
}


def _error(field, message) -> ServiceError:
    return ServiceError(message, errors={field: [message]})


def _color(value, field) -> str:
    value = str(value or "").strip()
    if not COLOR_RE.match(value):
        raise _error(field, _("Warna dengan format #RRGGBB, mis. #0f766e."))
    return value.lower()


def bio_page_for(affiliate) -> BioPage:
    page = BioPage.objects.filter(affiliate=affiliate).first()
    if page is None:
        try:
            with transaction.atomic():
                page = BioPage.objects.create(affiliate=affiliate, headline=affiliate.user.full_name[:150])
        except IntegrityError:
            page = BioPage.objects.get(affiliate=affiliate)
    return page


def bio_page_save(*, affiliate, theme, primary_color, font, headline, bio, whatsapp, wa_group_url, socials,
                  is_published, avatar=None) -> BioPage:  # fmt: skip
    page = bio_page_for(affiliate)
    if theme not in Theme.values:
        raise _error("theme", _("Tema tidak dikenal."))
    if font not in Font.values:
        raise _error("font", _("Huruf tidak dikenal."))
    wa_group_url = str(wa_group_url or "").strip()
    if wa_group_url and not WA_GROUP_RE.match(wa_group_url):
        raise _error("wa_group_url", _("Hanya tautan undangan grup WhatsApp: https://chat.whatsapp.com/…"))
    clean_socials = {}
    for key, handle in (socials or {}).items():
        handle = str(handle or "").strip().lstrip("@")
        if key not in SOCIALS or not handle:
            continue
        if not HANDLE_RE.match(handle):
            raise _error(key, _("Tulis nama pengguna saja (huruf, angka, titik, garis bawah), bukan alamat web."))
        clean_socials[key] = handle
    page.theme, page.font = theme, font
    page.primary_color = _color(primary_color, "primary_color")
    page.headline = clean_text(headline, max_length=150)
    page.bio = clean_text(bio, max_length=1000)
    page.whatsapp = clean_whatsapp(whatsapp)
    page.wa_group_url, page.socials, page.is_published = wa_group_url, clean_socials, bool(is_published)
    if avatar is not None:
        page.avatar = avatar
    page.save()
    return page


def bio_apply_template(*, affiliate, template) -> BioPage:
    """Takes a published bio template's look, copy and buttons (existing buttons stay)."""
    if not template.is_published:
        raise NotAllowed(_("Template ini belum diterbitkan."))
    page = bio_page_for(affiliate)
    page.theme, page.primary_color, page.font = template.theme, template.primary_color, template.font
    if template.headline:
        page.headline = template.headline
    if template.bio:
        page.bio = template.bio
    page.save()
    for button in (template.buttons or [])[:BUTTONS_MAX]:
        kind, label = str(button.get("kind", "")), str(button.get("label", ""))[:80]
        if kind in ButtonKind.values and label and page.buttons.count() < BUTTONS_MAX:
            BioButton.objects.create(page=page, kind=kind, label=label, target="", position=page.buttons.count())
    return page


def _target_exists(kind: str, target: str, affiliate) -> bool:
    checks = {
        ButtonKind.PLAN: lambda: MembershipPlan.objects.filter(slug=target, status=PlanStatus.ACTIVE).exists(),
        ButtonKind.PRODUCT: lambda: Product.objects.filter(slug=target, status=ProductStatus.PUBLISHED).exists(),
        ButtonKind.COURSE: lambda: Course.objects.filter(slug=target, status="published").exists(),
        ButtonKind.EVENT: lambda: Event.objects.filter(slug=target, status=EventStatus.PUBLISHED).exists(),
        ButtonKind.OPTIN: lambda: OptinForm.objects.filter(slug=target, affiliate=affiliate, is_active=True).exists(),
    }
    return checks[kind]()


def bio_button_save(*, affiliate, button=None, kind, target, label) -> BioButton:
    page = bio_page_for(affiliate)
    if button is not None and button.page_id != page.pk:
        raise NotAllowed(_("Tombol ini bukan milik Anda."))
    if kind not in ButtonKind.values:
        raise _error("kind", _("Jenis tombol tidak dikenal."))
    label = clean_text(label, max_length=80)
    if not label:
        raise _error("label", _("Tulis teks tombol."))
    target = clean_text(target, max_length=120)
    if kind in TARGET_URLS:
        if not target or not _target_exists(kind, target, affiliate):
            raise _error("target", _("Pilih halaman tujuan yang ada dan aktif."))
    elif kind == ButtonKind.WHATSAPP and not page.whatsapp:
        raise _error("kind", _("Isi dulu nomor WhatsApp di profil bio."))
    elif kind == ButtonKind.WA_GROUP and not page.wa_group_url:
        raise _error("kind", _("Isi dulu tautan grup WhatsApp di profil bio."))
    if button is None:
        if page.buttons.count() >= BUTTONS_MAX:
            raise _error("kind", _("Paling banyak %(n)s tombol.") % {"n": BUTTONS_MAX})
        button = BioButton(page=page, position=page.buttons.count())
    button.kind, button.target, button.label = kind, target if kind in TARGET_URLS else "", label
    button.save()
    return button


def bio_button_delete(*, affiliate, button) -> None:
    if button.page.affiliate_id != affiliate.pk:
        raise NotAllowed(_("Tombol ini bukan milik Anda."))
    button.delete()


@transaction.atomic
def bio_button_move(*, affiliate, button, up: bool) -> None:
    if button.page.affiliate_id != affiliate.pk:
        raise NotAllowed(_("Tombol ini bukan milik Anda."))
    buttons = list(BioButton.objects.select_for_update().filter(page=button.page).order_by("position", "id"))
    i = next(i for i, b in enumerate(buttons) if b.pk == button.pk)
    j = i - 1 if up else i + 1
    if 0 <= j < len(buttons):
        buttons[i], buttons[j] = buttons[j], buttons[i]
    for position, b in enumerate(buttons):
        if b.position != position:
            BioButton.objects.filter(pk=b.pk).update(position=position)


@transaction.atomic
def bio_buttons_reorder(*, affiliate, ids) -> list[int]:
    """Saves the order of the affiliate's bio buttons (`ids`: every one of their buttons, in the new order): the
    drag-and-drop builder and the API call this. Returns the ids in the saved order."""
    page = bio_page_for(affiliate)
    if not isinstance(ids, list) or len(ids) > BUTTONS_MAX or not all(str(i).isdigit() for i in ids):
        raise ServiceError(_("Urutan tombol tidak valid."), code="invalid_order")
    ids = [int(i) for i in ids]
    buttons = {b.pk: b for b in BioButton.objects.select_for_update().filter(page=page)}
    if len(set(ids)) != len(ids) or set(ids) != set(buttons):
        raise ServiceError(_("Urutan harus memuat setiap tombol Anda tepat sekali."), code="invalid_order")
    for position, pk in enumerate(ids):
        if buttons[pk].position != position:
            BioButton.objects.filter(pk=pk).update(position=position)
    return ids


def button_url(button, *, code: str, page: BioPage) -> str:
    """Where a button goes. Internal pages carry `?ref=<code>`; WhatsApp opens wa.me or the group invite."""
    if button.kind in TARGET_URLS:
        try:
            path = reverse(TARGET_URLS[button.kind], args=[button.target])
        except NoReverseMatch:
            return ""
        return f"{path}?{urlencode({'ref': code})}"
    if button.kind == ButtonKind.WHATSAPP and page.whatsapp:
        return f"https://wa.me/{page.whatsapp.lstrip('+')}"
    if button.kind == ButtonKind.WA_GROUP and page.wa_group_url:
        return page.wa_group_url
    return ""


def social_links(page) -> list[tuple[str, str, str]]:
    return [
        (key, SOCIALS[key][0], SOCIALS[key][1].format(quote(h))) for key, h in page.socials.items() if key in SOCIALS
    ]


def bio_view_count(page) -> None:
    BioPage.objects.filter(pk=page.pk).update(view_count=F("view_count") + 1)


def bio_click(button) -> None:
    BioButton.objects.filter(pk=button.pk).update(click_count=F("click_count") + 1)


# --- opt-in forms ------------------------------------------------------------------------------------------------


def _slug_auto(affiliate, title: str) -> str:
    base = f"{slugify(str(title or ''))[:40].strip('-') or 'form'}-{affiliate.code.lower()}"[:55].strip("-")
    slug, n = base, 2
    while OptinForm.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _slug_for(affiliate, slug: str, form=None) -> str:
    slug = slugify(str(slug or ""))[:60].strip("-")
    if len(slug) < 3 or slug in RESERVED_SLUGS:
        raise _error("slug", _("Alamat minimal 3 huruf/angka, tanpa spasi, dan bukan kata yang dipakai sistem."))
    taken = OptinForm.objects.filter(slug=slug)
    if form is not None:
        taken = taken.exclude(pk=form.pk)
    if taken.exists():
        raise _error("slug", _("Alamat ini sudah dipakai. Coba yang lain."))
    return slug


def optin_save(*, affiliate, form=None, data: dict, magnet_file=None) -> OptinForm:
    if form is not None and form.affiliate_id != affiliate.pk:
        raise NotAllowed(_("Form ini bukan milik Anda."))
    if form is None and OptinForm.objects.filter(affiliate=affiliate).count() >= settings.BOOSTER_MAX_FORMS:
        raise ServiceError(_("Paling banyak %(n)s form opt-in.") % {"n": settings.BOOSTER_MAX_FORMS})
    obj = form or OptinForm(affiliate=affiliate)
    if data.get("slug"):
        obj.slug = _slug_for(affiliate, data["slug"], form)
    elif not obj.slug:
        obj.slug = _slug_auto(affiliate, data.get("title"))
    obj.title = clean_text(data.get("title"), max_length=120)
    obj.headline = clean_text(data.get("headline"), max_length=150)
    if not obj.title:
        raise _error("title", _("Beri nama form."))
    if not obj.headline:
        raise _error("headline", _("Tulis judul halaman."))
    for field, n in (("description", 2000), ("badge_text", 60), ("benefits", 2000), ("faq", 4000),
                     ("success_message", 1000), ("wa_message", 500), ("button_label", 60)):  # fmt: skip
        setattr(obj, field, clean_text(data.get(field), max_length=n))
    obj.button_label = obj.button_label or _("Kirim")
    obj.primary_color = _color(data.get("primary_color") or obj.primary_color, "primary_color")
    obj.secondary_color = _color(data.get("secondary_color") or obj.secondary_color, "secondary_color")
    obj.countdown_end = data.get("countdown_end") or None
    obj.ask_name, obj.ask_email, obj.ask_whatsapp = (
        bool(data.get("ask_name")), bool(data.get("ask_email")), bool(data.get("ask_whatsapp")),
    )  # fmt: skip
    if not obj.ask_email and not obj.ask_whatsapp:
        raise _error("ask_email", _("Minta paling sedikit email atau WhatsApp."))
    magnet_url = str(data.get("magnet_url") or "").strip()
    if magnet_url and not magnet_url.startswith("https://"):
        raise _error("magnet_url", _("Tautan lead magnet harus diawali https://"))
    obj.magnet_url = magnet_url[:500]
    if magnet_file is not None:
        ext = magnet_file.name.rsplit(".", 1)[-1].lower() if "." in magnet_file.name else ""
        if ext not in MAGNET_EXTENSIONS or magnet_file.size > MAGNET_MAX_BYTES:
            raise _error(
                "magnet_file", _("File lead magnet: PDF, ZIP, gambar atau dokumen Office, paling besar 20 MB.")
            )
        obj.magnet_file = magnet_file
    action = data.get("action") or OptinAction.MESSAGE
    if action not in OptinAction.values:
        raise _error("action", _("Tindakan tidak dikenal."))
    obj.action = action
    obj.wa_number = clean_whatsapp(data.get("wa_number"))
    if action == OptinAction.WHATSAPP and not obj.wa_number:
        raise _error("wa_number", _("Isi nomor WhatsApp tujuan."))
    obj.is_active = bool(data.get("is_active", True))
    obj.save()
    return obj


def optin_delete(*, affiliate, form) -> None:
    if form.affiliate_id != affiliate.pk:
        raise NotAllowed(_("Form ini bukan milik Anda."))
    form.delete()


def form_token(form) -> str:
    """Signed into the page: a cross-site iframe cannot rely on the CSRF cookie (third-party cookies are blocked)."""
    return signing.dumps(form.pk, salt=FORM_TOKEN_SALT)


def form_token_ok(form, value) -> bool:
    try:
        return signing.loads(str(value or "")[:200], salt=FORM_TOKEN_SALT, max_age=FORM_TOKEN_MAX_AGE) == form.pk
    except signing.BadSignature:
        return False


def optin_submit(*, form, name="", email="", whatsapp="", ip: str | None, honeypot: str = "") -> tuple:
    """A visitor's submission: returns (lead or None for a caught bot, next url or "")."""
    if not form.is_active or form.affiliate.status != "active":
        raise ServiceError(_("Form ini tidak aktif."), code="inactive")
    wait = window_take(f"ip:{ip or '-'}", setting="BOOSTER_OPTIN_RATE_LIMIT")
    if wait:
        raise RateLimited(
            _("Terlalu banyak pendaftaran dari alamat Anda. Coba lagi beberapa menit lagi."), retry_after=wait
        )
    if honeypot:
        return None, ""  # a bot filled the hidden field: answer like a success, store nothing
    if form.ask_email and not str(email or "").strip():
        raise _error("email", _("Email wajib diisi."))
    if form.ask_whatsapp and not form.ask_email and not str(whatsapp or "").strip():
        raise _error("whatsapp", _("Nomor WhatsApp wajib diisi."))
    if form.ask_name and not str(name or "").strip():
        raise _error("name", _("Nama wajib diisi."))
    lead, created = lead_upsert(
        affiliate=form.affiliate, name=name if form.ask_name else "", email=email if form.ask_email else "",
        whatsapp=whatsapp if form.ask_whatsapp else "", source="optin", form=form,
    )  # fmt: skip
    OptinForm.objects.filter(pk=form.pk).update(submission_count=F("submission_count") + 1)
    if created:
        lead_label = lead.name or lead.email or lead.whatsapp
        notify(
            user=form.affiliate.user, kind=NEW_LEAD, link=reverse("booster:lead_edit", args=[lead.pk]),
            context={"lead": lead_label, "form": form.title},
        )  # fmt: skip
    return lead, whatsapp_redirect(form, lead)


def whatsapp_redirect(form, lead) -> str:
    if form.action != OptinAction.WHATSAPP or not form.wa_number:
        return ""
    text = render_text(form.wa_message or "", {"name": lead.name, "email": lead.email})
    return f"https://wa.me/{form.wa_number.lstrip('+')}?{urlencode({'text': text})}"


def unsubscribe(*, lead, everywhere: bool = False, now=None) -> None:
    """The lead stops getting this affiliate's email (and the address joins the affiliate's suppression list).
    `everywhere`: the address also joins the platform's global list (notifications' EmailSuppression), so no
    affiliate and no platform broadcast emails it any more (transactional mail still goes out)."""
    now = now or timezone.now()
    if everywhere and lead.email:
        suppression_add(email=lead.email, reason="unsubscribed")
    if Lead.objects.filter(pk=lead.pk, unsubscribed_at__isnull=True).update(unsubscribed_at=now) and lead.email:
        Suppression.objects.get_or_create(
            affiliate_id=lead.affiliate_id, email=lead.email, defaults={"reason": "berhenti berlangganan"}
        )
        ids = set(BroadcastRecipient.objects.filter(lead=lead).values_list("broadcast_id", flat=True))
        Broadcast.objects.filter(pk__in=ids).update(unsubscribed_count=F("unsubscribed_count") + 1)
    enrollments_stop(leads=[lead.pk], reason="berhenti berlangganan")
