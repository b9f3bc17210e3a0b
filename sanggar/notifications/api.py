"""Notifications API: the signed-in user's notifications, marking one or all of them read."""

from ninja import Query, Router

from sanggar.api.auth import admin_auth, jwt_auth
from sanggar.api.idempotency import idempotent
from sanggar.api.schemas import ErrorOut

from . import selectors, services
from .models import Delivery, Notification
from .schemas import (
    PAGE_SIZE,
    DeliveryDetailOut,
    DeliveryFilters,
    DeliveryPageOut,
    NotificationFilters,
    NotificationOut,
    NotificationPageOut,
    ReadAllOut,
    SubscriptionStateOut,
    SubscriptionToggleIn,
)

router = Router(tags=["notifikasi"], auth=jwt_auth)
# Mounted by `sanggar.api.api` (discovery): this app's routers, at this place in the document.
API_ORDER = 20


def notification_data(request, n: Notification) -> dict:
    return {
        "id": n.pk,
        "kind": n.kind,
        "kind_label": str(n.get_kind_display()),
        "title": n.title,
        "message": n.message,
        "link": n.link,
        "url": request.build_absolute_uri(n.link) if n.link else None,
        "data": n.data or {},
        "source": n.source,
        "is_read": n.read_at is not None,
        "read_at": n.read_at,
        "archived_at": n.archived_at,
        "created_at": n.created_at,
    }


@router.get(
    "/notifications",
    response={200: NotificationPageOut, 401: ErrorOut, 422: ErrorOut},
    summary="Daftar notifikasi",
    description="Notifikasi milik pengguna, terbaru dulu, 20 per halaman. `next_page` bernilai null di halaman "
    "terakhir; `unread` menghitung semua yang belum dibaca, apa pun filternya. Yang diarsipkan hanya muncul dengan "
    "`archived=true`.",
)
def notification_list(request, filters: Query[NotificationFilters]):
    user = request.auth
    qs = selectors.notification_list(
        user=user, kind=filters.kind, unread=filters.unread, archived=filters.archived, source=filters.source
    )
    count = qs.count()
    start = (filters.page - 1) * PAGE_SIZE
    rows = list(qs[start : start + PAGE_SIZE]) if start < count else []
    return {
        "count": count,
        "unread": selectors.unread_count(user=user),
        "next_page": filters.page + 1 if start + PAGE_SIZE < count else None,
        "results": [notification_data(request, n) for n in rows],
    }


@router.post(
    "/notifications/read-all",
    response={200: ReadAllOut, 401: ErrorOut},
    summary="Tandai semua dibaca",
    description="Menandai semua notifikasi pengguna yang belum dibaca; `marked` = jumlah yang berubah.",
)
@idempotent
def notification_read_all(request):
    user = request.auth
    marked = services.notification_mark_all_read(user=user)
    return {"marked": marked, "unread": selectors.unread_count(user=user)}


@router.post(
    "/notifications/{int:notification_id}/read",
    response={200: NotificationOut, 401: ErrorOut, 404: ErrorOut},
    summary="Tandai dibaca",
    description="Menandai satu notifikasi milik pengguna. Notifikasi pengguna lain dijawab 404.",
)
@idempotent
def notification_read(request, notification_id: int):
    notification = services.notification_mark_read(user=request.auth, notification_id=notification_id)
    return notification_data(request, notification)


@router.post(
    "/notifications/{int:notification_id}/archive",
    response={200: NotificationOut, 401: ErrorOut, 404: ErrorOut},
    summary="Arsipkan notifikasi",
    description="Memindahkan satu notifikasi ke arsip (sekaligus menandainya dibaca). Milik pengguna lain: 404.",
)
@idempotent
def notification_archive(request, notification_id: int):
    notification = services.notification_archive(user=request.auth, notification_id=notification_id)
    return notification_data(request, notification)


@router.delete(
    "/notifications/{int:notification_id}/archive",
    response={200: NotificationOut, 401: ErrorOut, 404: ErrorOut},
    summary="Kembalikan dari arsip",
    description="Mengembalikan notifikasi dari arsip ke daftar biasa. Milik pengguna lain: 404.",
)
def notification_unarchive(request, notification_id: int):
    notification = services.notification_archive(user=request.auth, notification_id=notification_id, archived=False)
    return notification_data(request, notification)


@router.get(
    "/notifications/subscription",
    response={200: SubscriptionStateOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="Status ikuti notifikasi sebuah grup, kursus atau event",
    description='`source` seperti "group:12", "course:3", "event:7". Hanya anggota grup, peserta kursus atau '
    "pendaftar event (dan pengelolanya): selain itu 403.",
)
def subscription_get(request, source: str):
    return {"source": source, "subscribed": services.subscription_follow_state(user=request.auth, source=source)}


@router.put(
    "/notifications/subscription",
    response={200: SubscriptionStateOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="Ikuti atau berhenti mengikuti notifikasi sebuah grup, kursus atau event",
    description="Yang berhenti mengikuti tidak lagi diberi tahu tentang postingan grup, kabar mentor, diskusi kelas "
    "atau pengingat event dari sumber itu.",
)
@idempotent
def subscription_put(request, payload: SubscriptionToggleIn):
    on = services.subscription_follow(user=request.auth, source=payload.source, subscribed=payload.subscribed)
    return {"source": payload.source, "subscribed": on}


# --- admin: the delivery log -------------------------------------------------------------------------------------


def delivery_data(d: Delivery, *, detail: bool = False) -> dict:
    """One row of the delivery log; a private kind's message (a chat preview) is never in it (Delivery.shown_*)."""
    out = {
        "id": d.pk,
        "channel": d.channel,
        "channel_label": str(d.get_channel_display()),
        "status": d.status,
        "status_label": str(d.get_status_display()),
        "provider": d.provider,
        "recipient": d.recipient,
        "user_id": d.user_id,
        "user_name": d.user.full_name if d.user_id else "",
        "template_key": d.template_key,
        "private": d.is_private,
        "subject": d.shown_subject,
        "body": d.shown_body,
        "link": d.link,
        "attempts": d.attempts,
        "last_error": d.last_error,
        "created_at": d.created_at,
        "sent_at": d.sent_at,
        "provider_status": d.provider_status,
        "delivered_at": d.delivered_at,
        "opened_at": d.opened_at,
        "clicked_at": d.clicked_at,
    }
    if detail:
        out["response"] = d.shown_response or {}
    return out


@router.get(
    "/admin/notifications/deliveries",
    auth=admin_auth,
    response={200: DeliveryPageOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="Log pengiriman (admin)",
    description="Setiap email, WhatsApp dan push yang dikirim platform, terbaru dulu, 20 per halaman. Pesan chat "
    "pribadi (`private: true`) tidak pernah ditampilkan isinya.",
)
def delivery_log(request, filters: Query[DeliveryFilters]):
    qs = selectors.delivery_list(channel=filters.channel, status=filters.status, q=filters.q)
    count = qs.count()
    start = (filters.page - 1) * PAGE_SIZE
    rows = list(qs[start : start + PAGE_SIZE]) if start < count else []
    return {
        "count": count,
        "next_page": filters.page + 1 if start + PAGE_SIZE < count else None,
        "results": [delivery_data(d) for d in rows],
    }


@router.get(
    "/admin/notifications/deliveries/{int:delivery_id}",
    auth=admin_auth,
    response={200: DeliveryDetailOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="Detail pengiriman (admin)",
)
def delivery_detail(request, delivery_id: int):
    return delivery_data(selectors.delivery_get(delivery_id=delivery_id), detail=True)
