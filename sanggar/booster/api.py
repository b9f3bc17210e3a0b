"""Booster API for the mobile apps: the public bio page and opt-in submit, the affiliate's leads, credits and
broadcasts. Pages and these call the same services."""

from datetime import date, datetime
from typing import Literal

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from sanggar.affiliates.services.profiles import affiliate_profile_ensure
from sanggar.api.auth import JWTAuth
from sanggar.api.idempotency import idempotent
from sanggar.api.schemas import ErrorOut
from sanggar.core.exceptions import NotAllowed, NotFound, ServiceError
from sanggar.core.request_context import client_ip
from sanggar.core.roles import Role
from sanggar.core.site import absolute

from . import selectors
from .constants import API_PAGE_SIZE, BODY_MAX, NAME_MAX, NOTES_MAX, SUBJECT_MAX
from .models import Broadcast, Lead, OptinForm
from .services import broadcasts, credits, leads, pages

router = Router(tags=["booster"])
API_ORDER = 82
affiliate_auth = JWTAuth(roles=(Role.AFFILIATE,))
W = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}

LeadStatusIn = Literal["new", "contacted", "interested", "converted", "lost"]


class BoosterBioButtonOut(Schema):
    id: int
    kind: str
    label: str
    url: str


class BoosterSocialOut(Schema):
    site: str
    url: str


class BoosterOptinRefOut(Schema):
    slug: str
    title: str
    url: str


class BoosterBioOut(Schema):
    username: str
    name: str
    headline: str
    bio: str
    theme: str
    primary_color: str
    avatar_url: str | None
    buttons: list[BoosterBioButtonOut]
    socials: list[BoosterSocialOut]
    optin_forms: list[BoosterOptinRefOut]


class BoosterOptinIn(Schema):
    name: str = Field(default="", max_length=NAME_MAX)
    email: str = Field(default="", max_length=254)
    whatsapp: str = Field(default="", max_length=30)


class BoosterOptinOut(Schema):
    message: str
    redirect_url: str | None
    magnet_url: str | None


class BoosterLeadFilters(Schema):
    status: Literal["", "new", "contacted", "interested", "converted", "lost"] = ""
    source: Literal["", "optin", "manual", "import"] = ""
    tag: str = Field(default="", max_length=40)
    q: str = Field(default="", max_length=100)
    page: int = Field(default=1, ge=1, le=100_000)


class BoosterLeadIn(Schema):
    name: str = Field(default="", max_length=NAME_MAX)
    email: str = Field(default="", max_length=254)
    whatsapp: str = Field(default="", max_length=30)
    status: LeadStatusIn = "new"
    notes: str = Field(default="", max_length=NOTES_MAX)
    tags: list[str] = Field(default_factory=list, max_length=20)
    follow_up_on: date | None = None


class BoosterLeadOut(Schema):
    id: int
    name: str
    email: str
    whatsapp: str
    status: str
    source: str
    notes: str
    tags: list[str]
    follow_up_on: date | None
    last_contacted_at: datetime | None
    converted_at: datetime | None
    unsubscribed: bool
    created_at: datetime


class BoosterLeadPageOut(Schema):
    count: int
    next_page: int | None
    results: list[BoosterLeadOut]


class BoosterCreditEntryOut(Schema):
    kind: str
    available: int
    reserved: int
    note: str
    created_at: datetime


class BoosterCreditsOut(Schema):
    balance: int
    reserved: int
    low_threshold: int = Field(description="Di bawah saldo ini affiliate diperingatkan (0: tidak pernah).")
    low: bool
    history: list[BoosterCreditEntryOut]


class BoosterBioOrderIn(Schema):
    ids: list[int] = Field(max_length=50, description="Setiap tombol bio Anda tepat sekali, dalam urutan baru.")


class BoosterBioOrderOut(Schema):
    ids: list[int]


class BoosterSegmentIn(Schema):
    status: Literal["", "new", "contacted", "interested", "converted", "lost"] = ""
    source: Literal["", "optin", "manual", "import"] = ""
    tag: str = Field(default="", max_length=40)


class BoosterRecurrenceIn(Schema):
    frequency: Literal["daily", "weekly", "monthly"]
    interval: int = Field(default=1, ge=1, le=30)
    time_of_day: str = Field(default="", max_length=5, description="JJ:MM (WIB)")
    days_of_week: list[int] = Field(default_factory=list, max_length=7, description="0 = Minggu … 6 = Sabtu")
    end_date: date | None = None


class BoosterBroadcastIn(Schema):
    name: str = Field(max_length=120)
    subject: str = Field(max_length=SUBJECT_MAX)
    body: str = Field(max_length=BODY_MAX)
    segment: BoosterSegmentIn = Field(default_factory=BoosterSegmentIn)
    send: Literal["draft", "now", "schedule"] = "draft"
    scheduled_at: datetime | None = None
    recurrence: BoosterRecurrenceIn | None = None


class BoosterBroadcastOut(Schema):
    id: int
    name: str
    subject: str
    status: str
    scheduled_at: datetime | None
    recurring: bool
    recipients: int
    sent: int
    delivered: int = Field(description="Terkirim dan diterima server email penerima (SMTP/Mailketing menjawab sukses).")
    failed: int
    opened: int
    clicked: int
    unsubscribed: int
    converted: int
    open_rate: float
    click_rate: float
    credits_reserved: int
    credits_used: int
    error: str
    created_at: datetime


def _affiliate(request):
    profile = affiliate_profile_ensure(user=request.auth)
    if profile.status != "active":
        raise NotAllowed(_("Akun affiliate Anda tidak aktif."))
    return profile


@router.get(
    "/bio/{username}", response={200: BoosterBioOut, 404: ErrorOut, 422: ErrorOut}, auth=None, summary="Halaman bio"
)
def bio(request, username: str):
    page = selectors.bio_page_public(username[:40])
    if page is None:
        raise NotFound(_("Halaman bio tidak ditemukan."))
    pages.bio_view_count(page)
    code = page.affiliate.code
    forms = OptinForm.objects.filter(affiliate=page.affiliate, is_active=True).order_by("-created_at")[:20]
    buttons = [(b, pages.button_url(b, code=code, page=page)) for b in page.buttons.all()]
    return {
        "username": code.lower(), "name": page.affiliate.user.full_name, "headline": page.headline, "bio": page.bio,
        "theme": page.theme, "primary_color": page.primary_color,
        "avatar_url": absolute(page.avatar.url) if page.avatar else None,
        "buttons": [{"id": b.pk, "kind": b.kind, "label": b.label,
                     "url": absolute(reverse("booster:bio_go", args=[code.lower(), b.pk]))}
                    for b, url in buttons if url],
        "socials": [{"site": key, "url": url} for key, _label, url in pages.social_links(page)],
        "optin_forms": [{"slug": f.slug, "title": f.headline,
                         "url": absolute(reverse("booster:optin", args=[f.slug])) + f"?ref={code}"} for f in forms],
    }  # fmt: skip


@router.post("/optin/{slug}", response={201: BoosterOptinOut, **W}, auth=None, summary="Kirim form opt-in",
             description="Publik, dibatasi per alamat (BOOSTER_OPTIN_RATE_LIMIT).")  # fmt: skip
@idempotent
def optin_submit(request, slug: str, payload: BoosterOptinIn):
    form = selectors.optin_public(slug[:60])
    if form is None:
        raise NotFound(_("Form tidak ditemukan atau tidak aktif."))
    _lead, wa_url = pages.optin_submit(
        form=form, name=payload.name, email=payload.email, whatsapp=payload.whatsapp, ip=client_ip(request)
    )
    magnet = None
    if form.magnet_file:
        magnet = absolute(reverse("booster:optin_magnet", args=[form.slug]))
    elif form.magnet_url:
        magnet = form.magnet_url
    return Status(201, {"message": form.success_message or _("Terima kasih, data Anda sudah kami terima."),
                 "redirect_url": wa_url or None, "magnet_url": magnet})  # fmt: skip


def lead_data(lead) -> dict:
    return {
        "id": lead.pk, "name": lead.name, "email": lead.email, "whatsapp": lead.whatsapp, "status": lead.status,
        "source": lead.source, "notes": lead.notes, "tags": [t.tag for t in lead.tags.all()],
        "follow_up_on": lead.follow_up_on, "last_contacted_at": lead.last_contacted_at,
        "converted_at": lead.converted_at, "unsubscribed": lead.unsubscribed_at is not None,
        "created_at": lead.created_at,
    }  # fmt: skip


@router.get("/affiliate/leads", response={200: BoosterLeadPageOut, **W}, auth=affiliate_auth, summary="Lead saya")
def lead_list(request, filters: Query[BoosterLeadFilters]):
    affiliate = _affiliate(request)
    qs = selectors.leads_for(
        affiliate=affiliate,
        status=filters.status,
        source=filters.source,
        tag=filters.tag,
        q=filters.q.replace("\x00", ""),
    )
    count = qs.count()
    start = (filters.page - 1) * API_PAGE_SIZE
    rows = list(qs.prefetch_related("tags")[start : start + API_PAGE_SIZE]) if start < count else []
    return {"count": count, "next_page": filters.page + 1 if start + API_PAGE_SIZE < count else None,
            "results": [lead_data(lead) for lead in rows]}  # fmt: skip


@router.post("/affiliate/leads", response={201: BoosterLeadOut, 200: BoosterLeadOut, **W}, auth=affiliate_auth,
             summary="Tambah lead",
             description="Email atau WhatsApp yang sudah ada: lead itu dilengkapi (200).")  # fmt: skip
@idempotent
def lead_create(request, payload: BoosterLeadIn):
    affiliate = _affiliate(request)
    lead, created = leads.lead_upsert(
        affiliate=affiliate, name=payload.name, email=payload.email, whatsapp=payload.whatsapp, status=payload.status,
        notes=payload.notes, tags=[str(t)[:40] for t in payload.tags], rate_key=request.auth.pk,
    )  # fmt: skip
    if payload.follow_up_on:
        leads.lead_update(lead=lead, follow_up_on=payload.follow_up_on)
    lead.refresh_from_db()
    return Status(201 if created else 200, lead_data(lead))


class BoosterLeadPatchIn(Schema):
    name: str | None = Field(default=None, max_length=NAME_MAX)
    email: str | None = Field(default=None, max_length=254)
    whatsapp: str | None = Field(default=None, max_length=30)
    status: LeadStatusIn | None = None
    notes: str | None = Field(default=None, max_length=NOTES_MAX)
    follow_up_on: date | None = None


class BoosterTagIn(Schema):
    tag: str = Field(max_length=40)


def _own_lead(request, lead_id: int):
    lead = Lead.objects.filter(pk=lead_id, affiliate=_affiliate(request)).first()
    if lead is None:
        raise NotFound(_("Lead tidak ditemukan."))
    return lead


@router.get("/affiliate/leads/{lead_id}", response={200: BoosterLeadOut, **W}, auth=affiliate_auth, summary="Satu lead")
def lead_detail(request, lead_id: int):
    return lead_data(_own_lead(request, lead_id))


@router.patch("/affiliate/leads/{lead_id}", response={200: BoosterLeadOut, **W}, auth=affiliate_auth,
              summary="Ubah lead", description="Status yang berubah mengisi last_contacted_at.")  # fmt: skip
@idempotent
def lead_patch(request, lead_id: int, payload: BoosterLeadPatchIn):
    lead = _own_lead(request, lead_id)
    data = payload.dict(exclude_unset=True)
    leads.lead_update(
        lead=lead, name=data.get("name"), email=data.get("email"), whatsapp=data.get("whatsapp"),
        status=data.get("status"), notes=data.get("notes"), follow_up_on=data.get("follow_up_on"),
        clear_follow_up="follow_up_on" in data and data["follow_up_on"] is None,
    )  # fmt: skip
    return lead_data(lead)


@router.delete("/affiliate/leads/{lead_id}", response={204: None, **W}, auth=affiliate_auth, summary="Hapus lead")
def lead_remove(request, lead_id: int):
    leads.lead_delete(lead=_own_lead(request, lead_id))
    return Status(204, None)


@router.post("/affiliate/leads/{lead_id}/tags", response={200: BoosterLeadOut, **W}, auth=affiliate_auth,
             summary="Tambah tag lead")  # fmt: skip
@idempotent
def lead_tag_add(request, lead_id: int, payload: BoosterTagIn):
    lead = _own_lead(request, lead_id)
    leads.lead_tag_add(lead=lead, tag=payload.tag)
    return lead_data(lead)


@router.delete("/affiliate/leads/{lead_id}/tags/{tag}", response={200: BoosterLeadOut, **W}, auth=affiliate_auth,
               summary="Hapus tag lead")  # fmt: skip
def lead_tag_remove(request, lead_id: int, tag: str):
    lead = _own_lead(request, lead_id)
    leads.lead_tag_remove(lead=lead, tag=tag[:40])
    return lead_data(lead)


@router.get(
    "/affiliate/credits", response={200: BoosterCreditsOut, **W}, auth=affiliate_auth, summary="Kredit email saya"
)
def credit_balance(request):
    affiliate = _affiliate(request)
    account = credits.account_for(affiliate)
    available, reserved = credits.balances(account)
    return {
        "balance": available, "reserved": reserved, "low_threshold": credits.low_threshold(account),
        "low": credits.is_low(account, available), "history": list(selectors.credit_history(account)[:50]),
    }  # fmt: skip


@router.put("/affiliate/bio/buttons/order", response={200: BoosterBioOrderOut, **W}, auth=affiliate_auth,
            summary="Ubah urutan tombol bio",
            description="Layanan yang sama dengan seret-lepas di halaman bio.")  # fmt: skip
@idempotent
def bio_buttons_order(request, payload: BoosterBioOrderIn):
    return {"ids": pages.bio_buttons_reorder(affiliate=_affiliate(request), ids=payload.ids)}


def broadcast_data(b: Broadcast) -> dict:
    stats = selectors.broadcast_stats(b)
    keys = ("recipients", "sent", "delivered", "failed", "opened", "clicked", "unsubscribed", "converted", "open_rate",
            "click_rate")  # fmt: skip
    return {
        "id": b.pk, "name": b.name, "subject": b.subject, "status": b.status, "scheduled_at": b.scheduled_at,
        "recurring": bool(b.recurrence), **{k: stats[k] for k in keys}, "credits_reserved": b.credits_reserved,
        "credits_used": b.credits_used, "error": b.error, "created_at": b.created_at,
    }  # fmt: skip


@router.post("/affiliate/broadcasts", response={201: BoosterBroadcastOut, **W}, auth=affiliate_auth,
             summary="Buat broadcast email",
             description="send: draft, now (kredit dicadangkan lalu dikirim) atau schedule (scheduled_at di masa "
                         "depan, opsional recurrence).")  # fmt: skip
@idempotent
def broadcast_create(request, payload: BoosterBroadcastIn):
    affiliate = _affiliate(request)
    b = broadcasts.broadcast_save(
        affiliate=affiliate, name=payload.name, subject=payload.subject, body=payload.body,
        segment=payload.segment.dict(),
    )  # fmt: skip
    if payload.send == "now":
        b = broadcasts.broadcast_schedule(affiliate=affiliate, broadcast=b)
    elif payload.send == "schedule":
        if payload.scheduled_at is None:
            raise ServiceError(_("Isi scheduled_at."), errors={"scheduled_at": [_("Wajib untuk send=schedule.")]})
        when = (
            payload.scheduled_at
            if timezone.is_aware(payload.scheduled_at)
            else timezone.make_aware(payload.scheduled_at)
        )
        recurring = None
        if payload.recurrence:
            recurring = payload.recurrence.dict()
            recurring["end_date"] = recurring["end_date"].isoformat() if recurring["end_date"] else ""
        b = broadcasts.broadcast_schedule(affiliate=affiliate, broadcast=b, when=when, recurring=recurring)
    b.refresh_from_db()
    return Status(201, broadcast_data(b))


class BoosterBroadcastPageOut(Schema):
    count: int
    next_page: int | None
    results: list[BoosterBroadcastOut]


@router.get("/affiliate/broadcasts", response={200: BoosterBroadcastPageOut, **W}, auth=affiliate_auth,
            summary="Broadcast saya")  # fmt: skip
def broadcast_list(request, page: int = Query(1, ge=1, le=100_000)):
    qs = Broadcast.objects.filter(affiliate=_affiliate(request)).order_by("-created_at", "-id")
    count = qs.count()
    start = (page - 1) * API_PAGE_SIZE
    rows = list(qs[start : start + API_PAGE_SIZE]) if start < count else []
    return {"count": count, "next_page": page + 1 if start + API_PAGE_SIZE < count else None,
            "results": [broadcast_data(b) for b in rows]}  # fmt: skip


@router.get("/affiliate/broadcasts/{broadcast_id}", response={200: BoosterBroadcastOut, **W}, auth=affiliate_auth,
            summary="Satu broadcast dengan statistiknya")  # fmt: skip
def broadcast_detail(request, broadcast_id: int):
    affiliate = _affiliate(request)
    b = Broadcast.objects.filter(pk=broadcast_id, affiliate=affiliate).first()
    if b is None:
        raise NotFound(_("Broadcast tidak ditemukan."))
    return broadcast_data(b)
