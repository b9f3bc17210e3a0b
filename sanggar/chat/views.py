"""Chat pages: the inbox (/chat), a conversation (/chat/<id>) with a reconnecting websocket and a polling fallback,
"Kirim pesan" (/chat/mulai/<user id>), mute / archive / block / report, and the admin's reports (read = audited)."""

from django.conf import settings
from django.contrib import messages as flash
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET, require_POST

from sanggar.core.exceptions import NotFound, ServiceError
from sanggar.core.permissions import login_required, role_required
from sanggar.core.request_context import client_ip
from sanggar.core.roles import Role

from . import policy, realtime, registry, selectors, services, stickers
from .constants import Kind, ReportStatus
from .files import attachment_response
from .models import Block, Message, Participant, Report, Sticker, StickerPack

# A group moderator mutes a member in the group chat for (minutes, label).
MUTE_CHOICES = ((15, _l("15 menit")), (60, _l("1 jam")), (1440, _l("1 hari")), (10080, _l("7 hari")))

User = get_user_model()


def _before(request) -> int | None:
    raw = request.GET.get("sebelum", "")
    return int(raw) if raw.isdigit() and len(raw) < 18 else None


@login_required
def inbox(request):
    archived = request.GET.get("arsip") == "1"
    rows, next_before = selectors.inbox(user=request.user, archived=archived, before=_before(request))
    ids = {p.user_id for r in rows for p in r.conversation.others}
    online = realtime.online_ids(ids)
    return render(
        request,
        "chat/_inbox_list.html" if request.htmx else "chat/inbox.html",
        {"rows": rows, "next_before": next_before, "online": online, "archived": archived},
    )


@login_required
def conversation(request, pk: int):
    participant = selectors.participant_for(user=request.user, conversation_id=pk)
    if participant is None:
        raise Http404
    rows, next_before = selectors.messages(conversation_id=pk, before=_before(request))
    for m in rows:
        for a in m.attachment_list:
            a.token = services.attachment_token(a, pk)
    is_group = participant.conversation.kind == Kind.GROUP
    others = (
        []
        if is_group
        else list(Participant.objects.filter(conversation_id=pk).exclude(user=request.user).select_related("user"))
    )
    i_blocked = (
        not is_group
        and not request.htmx
        and Block.objects.filter(blocker=request.user, blocked_id__in=[p.user_id for p in others]).exists()
    )
    if participant.unread_count and _before(request) is None:
        services.conversation_mark_read(user=request.user, conversation_id=pk)
    template = "chat/_messages.html" if request.htmx else "chat/conversation.html"
    can_mute = (
        is_group and not request.htmx and registry.group_moderator(request.user, participant.conversation.group_key)
    )
    return render(
        request,
        template,
        {
            "participant": participant,
            "conversation": participant.conversation,
            "others": others,
            "i_blocked": i_blocked,
            "online": realtime.online_ids(p.user_id for p in others),
            "rows": list(reversed(rows)),
            "next_before": next_before,
            "read_upto": 0 if is_group else selectors.last_read_by_others(user=request.user, conversation_id=pk),
            "is_group": is_group,
            "can_mute": can_mute,
            "mute_members": (
                selectors.group_members_for_mute(conversation_id=pk, exclude_user_id=request.user.pk)
                if can_mute
                else []
            ),
            "mute_choices": MUTE_CHOICES,
            # an admin's suspension or a mute (group chat, group): said above a disabled composer
            "restriction": "" if request.htmx else policy.send_restriction(request.user, participant.conversation),
            "edit_window": settings.CHAT_EDIT_WINDOW_SECONDS,
            "now": timezone.now(),
        },
    )


@login_required
@require_POST
def send(request, pk: int):
    try:
        services.message_send(
            user=request.user,
            conversation_id=pk,
            body=request.POST.get("body", ""),
            client_id=request.POST.get("client_id", ""),
            ip=client_ip(request),
            files=request.FILES.getlist("attachments"),
            sticker=request.POST.get("sticker") or None,
        )
    except NotFound:
        raise Http404 from None
    except ServiceError as exc:  # refused, limited or invalid: said on the page
        flash.error(request, exc.message)
    return redirect("chat:conversation", pk=pk)


@login_required
@require_GET
def attachment(request, token: str):
    """An attachment through its signed link, to a current participant only. Never a public URL."""
    try:
        item = services.attachment_open(user=request.user, token=token[:500])
    except NotFound:
        raise Http404 from None
    except ServiceError as exc:
        flash.error(request, exc.message)
        return redirect("chat:inbox")
    return attachment_response(item)


@login_required
@require_POST
def message_change(request, message_id: int, action: str):
    """Edit (`ubah`) or delete (`hapus`) one's own message within the allowed time."""
    message = Message.objects.filter(pk=message_id, sender=request.user).only("conversation_id").first()
    if message is None or action not in ("ubah", "hapus"):
        raise Http404
    try:
        if action == "ubah":
            services.message_edit(user=request.user, message_id=message_id, body=request.POST.get("body", ""))
            flash.success(request, _("Pesan diubah."))
        else:
            services.message_delete(user=request.user, message_id=message_id)
            flash.success(request, _("Pesan dihapus."))
    except NotFound:
        raise Http404 from None
    except ServiceError as exc:
        flash.error(request, exc.message)
    return redirect("chat:conversation", pk=message.conversation_id)


@login_required
def start(request, user_id: int):
    """The target of every "Kirim pesan" button (community profile, mentor page, course page): an existing
    conversation opens at once; otherwise the rules decide, and a refusal is said in the page (no form)."""
    other = User.objects.filter(pk=user_id, is_active=True).first()
    if request.method != "POST":
        if other is None:
            raise Http404
        existing, decision = policy.entry(request.user, other)
        if existing is not None:
            return redirect("chat:conversation", pk=existing)
        return render(request, "chat/start.html", {"other": other, "decision": decision})
    try:
        conversation_obj, _created = services.conversation_open(user=request.user, other=other)
    except ServiceError as exc:
        flash.error(request, exc.message)
        return redirect("chat:inbox")
    return redirect("chat:conversation", pk=conversation_obj.pk)


@login_required
@require_POST
def settings_update(request, pk: int):
    action = request.POST.get("action", "")
    try:
        if action in ("mute", "unmute"):
            services.conversation_settings(user=request.user, conversation_id=pk, muted=action == "mute")
            flash.success(request, _("Percakapan dibisukan.") if action == "mute" else _("Notifikasi dinyalakan."))
        elif action in ("archive", "unarchive"):
            services.conversation_settings(user=request.user, conversation_id=pk, archived=action == "archive")
            flash.success(request, _("Percakapan diarsipkan.") if action == "archive" else _("Percakapan dipulihkan."))
            return redirect("chat:inbox")
        elif action == "block":
            services.conversation_block(user=request.user, conversation_id=pk)
            flash.success(request, _("Pengguna diblokir. Anda berdua tidak dapat saling mengirim pesan."))
        elif action == "unblock":
            services.conversation_unblock(user=request.user, conversation_id=pk)
            flash.success(request, _("Blokir dibuka. Anda dapat saling mengirim pesan lagi."))
        elif action == "mute_member":
            services.group_chat_mute(
                actor=request.user,
                conversation_id=pk,
                member_id=request.POST.get("member", ""),
                minutes=request.POST.get("minutes", ""),
                reason=request.POST.get("reason", ""),
            )
            flash.success(request, _("Anggota dibisukan di chat grup ini."))
        elif action == "unmute_member":
            services.group_chat_unmute(actor=request.user, conversation_id=pk, member_id=request.POST.get("member", ""))
            flash.success(request, _("Bisu anggota dicabut."))
        elif action == "report":
            services.report_create(user=request.user, conversation_id=pk, reason=request.POST.get("reason", ""))
            flash.success(request, _("Laporan terkirim. Admin akan meninjaunya."))
        else:
            flash.error(request, _("Aksi tidak dikenal."))
    except NotFound:
        raise Http404 from None
    except ServiceError as exc:
        flash.error(request, exc.message)
    return redirect("chat:conversation", pk=pk)


@login_required
def blocks(request):
    """The people I blocked (in chat or on their profile: one block), newest first, each with "Buka blokir"."""
    if request.method == "POST":
        other = User.objects.filter(pk=_pk(request.POST.get("user"))).first()
        try:
            services.user_unblock(user=request.user, other=other)
            flash.success(request, _("Blokir dibuka."))
        except ServiceError as exc:
            flash.error(request, exc.message)
        return redirect("chat:blocks")
    rows, next_before = selectors.blocks(user=request.user, before=_before(request))
    return render(request, "chat/blocks.html", {"rows": rows, "next_before": next_before})


@role_required(Role.ADMIN)
def reports(request):
    status = request.GET.get("status", ReportStatus.OPEN)
    if status not in ReportStatus.values:
        status = ReportStatus.OPEN
    qs = Report.objects.filter(status=status).select_related("reporter", "conversation")
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(
        request, "chat/admin_reports.html", {"page_obj": page, "status": status, "statuses": ReportStatus.choices}
    )


# An admin suspends an offender's chat for (days, label); None: blocked from chat until lifted.
SUSPEND_CHOICES = (
    ("1", _l("1 hari")),
    ("3", _l("3 hari")),
    ("7", _l("7 hari")),
    ("30", _l("30 hari")),
    ("blokir", _l("Blokir dari chat (sampai dicabut)")),
)


def _report_action(request, report: Report) -> None:
    action = request.POST.get("action", "resolve")
    if action == "resolve":
        services.report_resolve(admin=request.user, report=report)
        flash.success(request, _("Laporan ditutup."))
        return
    target = User.objects.filter(pk=_pk(request.POST.get("user"))).first()
    if target is None or not Participant.objects.filter(conversation_id=report.conversation_id, user=target).exists():
        raise ServiceError(_("Pengguna tidak ditemukan di percakapan ini."))
    if action == "suspend":
        raw = request.POST.get("days", "")
        suspension = services.chat_suspend(
            admin=request.user,
            user=target,
            days=None if raw == "blokir" else (raw or 0),
            reason=request.POST.get("reason", ""),
            report=report,
        )
        if suspension.until is None:
            flash.success(request, _("%(n)s diblokir dari chat sampai dicabut.") % {"n": target.full_name})
        else:
            when = timezone.localtime(suspension.until).strftime("%d-%m-%Y %H:%M")
            flash.success(request, _("Chat %(n)s ditangguhkan sampai %(w)s WIB.") % {"n": target.full_name, "w": when})
    elif action == "lift":
        services.chat_suspension_lift(admin=request.user, user=target)
        flash.success(request, _("Penangguhan chat %(n)s dicabut.") % {"n": target.full_name})
    else:
        raise ServiceError(_("Aksi tidak dikenal."))


@role_required(Role.ADMIN)
def report_detail(request, pk: int):
    """A reported conversation for review (every reading audited): its messages with their attachments (signed
    links, each opening audited), and actions against the offender: suspend their chat for some days or block them
    from chat, lift it; close the report."""
    report = get_object_or_404(Report.objects.select_related("reporter", "conversation", "message"), pk=pk)
    if request.method == "POST":
        try:
            _report_action(request, report)
        except ServiceError as exc:
            flash.error(request, exc.message)
        if request.POST.get("action", "resolve") == "resolve":
            return redirect("chat:admin_reports")
        return redirect("chat:admin_report", pk=pk)
    services.report_read(admin=request.user, report=report)
    rows, next_before = selectors.messages(conversation_id=report.conversation_id, before=_before(request))
    for m in rows:
        for a in m.attachment_list:
            a.admin_token = services.report_attachment_token(report, a)
    return render(
        request,
        "chat/admin_report.html",
        {
            "report": report,
            "rows": list(reversed(rows)),
            "next_before": next_before,
            "people": selectors.report_people(report=report, messages=rows),
            "suspend_choices": SUSPEND_CHOICES,
        },
    )


@role_required(Role.ADMIN)
@require_GET
def report_attachment(request, pk: int, token: str):
    """One attachment of a reported conversation for the reviewing admin (signed link; every opening audited)."""
    report = get_object_or_404(Report, pk=pk)
    try:
        item = services.report_attachment_open(admin=request.user, report=report, token=token[:500])
    except NotFound:
        raise Http404 from None
    except ServiceError as exc:
        flash.error(request, exc.message)
        return redirect("chat:admin_report", pk=pk)
    return attachment_response(item)


@role_required(Role.ADMIN)
@require_GET
def stats(request):
    """Chat volume for admins: counts only, never a message's text."""
    raw = request.GET.get("hari", "")
    days = int(raw) if raw in {str(d) for d in selectors.STATS_DAYS} else 30
    return render(
        request, "chat/admin_stats.html", {"stats": selectors.admin_stats(days=days), "choices": selectors.STATS_DAYS}
    )


def _pk(raw) -> int:
    raw = (raw or "").strip()
    return int(raw) if raw.isdigit() and len(raw) < 10 else 0


@role_required(Role.ADMIN)
def admin_stickers(request):
    """The sticker packs (built-in and uploaded): create a pack, upload a sticker into it, enable / disable a pack
    or a sticker. Nothing is deleted: old messages, comments and posts keep their sticker."""
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "pack":
                pack = stickers.pack_create(actor=request.user, name=request.POST.get("name", ""))
                flash.success(request, _("Paket stiker %(n)s dibuat.") % {"n": pack.name})
            elif action == "sticker":
                pack = StickerPack.objects.filter(pk=_pk(request.POST.get("pack"))).first()
                if pack is None:
                    raise ServiceError(_("Paket stiker tidak ditemukan."))
                stickers.sticker_add(
                    actor=request.user, pack=pack, name=request.POST.get("name", ""), image=request.FILES.get("image")
                )
                flash.success(request, _("Stiker ditambahkan."))
            elif action == "pack_toggle":
                pack = StickerPack.objects.filter(pk=_pk(request.POST.get("pack"))).first()
                if pack is None:
                    raise ServiceError(_("Paket stiker tidak ditemukan."))
                stickers.pack_set_active(actor=request.user, pack=pack, active=not pack.is_active)
                flash.success(request, _("Paket stiker diperbarui."))
            elif action == "sticker_toggle":
                sticker = Sticker.objects.filter(pk=_pk(request.POST.get("sticker"))).first()
                if sticker is None:
                    raise ServiceError(_("Stiker tidak ditemukan."))
                stickers.sticker_set_active(actor=request.user, sticker=sticker, active=not sticker.is_active)
                flash.success(request, _("Stiker diperbarui."))
            else:
                raise ServiceError(_("Aksi tidak dikenal."))
        except ServiceError as exc:
            flash.error(request, exc.message)
        return redirect("chat:admin_stickers")
    page = Paginator(stickers.packs_all(), 10).get_page(request.GET.get("page"))
    return render(
        request,
        "chat/admin_stickers.html",
        {"page_obj": page, "max_kb": settings.CHAT_STICKER_MAX_BYTES // 1024},
    )
