"""Business writes of the access app: resources, grants (from memberships, purchases and admins) and private files.

Memberships and orders call `grant_create`, `grants_revoke` and `grants_set_end` inside their own transactions;
pages and the API never write grants themselves."""

from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.conf import settings
from django.core import signing
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sanggar.audit.services import activity_record
from sanggar.core import request_context
from sanggar.core.exceptions import NotAllowed, NotFound, ServiceError
from sanggar.core.transactions import service_atomic

from .constants import (
    ACTION_GRANT_CREATED,
    ACTION_GRANT_REVOKED,
    GRANT_NOTE_MAX_LENGTH,
    PRIVATE_LINK_SALT,
    GrantSource,
)
from .kinds import resource_kind
from .models import DownloadLog, Grant, Resource
from .policy import AccessDecision, product_access_check

# ---------------------------------------------------------------------------------------------------------------
# Resources


@service_atomic
def resource_ensure(*, kind: str, key: str, title: str) -> Resource:
    """The resource `(kind, key)`, created when missing; its title follows `title`."""
    if resource_kind(kind) is None:
        raise ServiceError(_("Jenis resource tidak dikenal."), errors={"kind": [_("Pilih jenis yang tersedia.")]})
    key = (key or "").strip()
    title = (title or "").strip()[:200]
    if not key:
        raise ServiceError(_("Kunci resource wajib diisi."), errors={"key": [_("Wajib diisi.")]})
    resource, created = Resource.objects.get_or_create(kind=kind, key=key, defaults={"title": title or key})
    if not created and title and resource.title != title:
        resource.title = title
        resource.save(update_fields=["title"])
    return resource


@service_atomic
def resource_bundle_set(*, resource: Resource, resources) -> bool:
    """Makes what comes with `resource` exactly `resources` (a course's bonus products and study group). A purchase
    or a plan that opens `resource` then gives them too (`bundle_with`, memberships' `plan_resources`). Returns
    whether anything changed; the caller re-syncs the plans that include `resource` when it did."""
    wanted = {r.pk for r in resources if r.pk != resource.pk}
    have = set(resource.bundled.values_list("pk", flat=True))
    if wanted == have:
        return False
    resource.bundled.set(sorted(wanted))
    return True


def bundle_with(resources) -> list[Resource]:
    """`resources` and what comes with each of them (one query), for a purchase's grants."""
    resources = list(resources)
    extra = Resource.objects.filter(bundled_in__in=[r.pk for r in resources]).exclude(pk__in=[r.pk for r in resources])
    return resources + list(extra.distinct().order_by("pk"))


# ---------------------------------------------------------------------------------------------------------------
# Grants


def _check_period(starts_at: datetime, ends_at: datetime | None) -> None:
    if ends_at is not None and ends_at <= starts_at:
        raise ServiceError(
            _("Akhir akses harus setelah awal akses."), errors={"ends_at": [_("Pilih waktu setelah awal akses.")]}
        )


@service_atomic
def grant_create(
    *, user, resource: Resource, source: str, source_ref: str, starts_at: datetime, ends_at: datetime | None = None,
    note: str = "",
) -> Grant:  # fmt: skip
    """Gives `user` access to `resource` from `starts_at` until `ends_at` (None: no end).

    Idempotent: an open (not revoked) grant of the same user, resource and `source_ref` is updated instead of
    duplicated, so a renewal or a repeated fulfilment never stacks rows."""
    if source not in GrantSource.values:
        raise ServiceError(_("Sumber akses tidak dikenal."))
    if not source_ref:
        raise ServiceError(_("Sumber akses wajib punya referensi."))
    _check_period(starts_at, ends_at)
    note = (note or "").strip()[:GRANT_NOTE_MAX_LENGTH]
    lookup = {"user": user, "resource": resource, "source_ref": source_ref, "revoked_at__isnull": True}
    grant = Grant.objects.select_for_update().filter(**lookup).first()
    if grant is None:
        try:
            with transaction.atomic():
                return Grant.objects.create(
                    user=user, resource=resource, source=source, source_ref=source_ref,
                    starts_at=starts_at, ends_at=ends_at, note=note,
                )  # fmt: skip
        except IntegrityError:
            # Another transaction opened the same grant a moment ago: update that one.
            grant = Grant.objects.select_for_update().get(**lookup)
    grant.source = source
    grant.starts_at = starts_at
    grant.ends_at = ends_at
    if note:
        grant.note = note
    grant.save(update_fields=["source", "starts_at", "ends_at", "note"])
    return grant


def grants_give(
    *,
    user,
    resources=(),
    resource_ids=(),
    source: str,
    source_ref: str,
    starts_at: datetime,
    ends_at: datetime | None = None,
) -> int:
    """`grant_create` for several resources of one source at once (a plan or a product opening its resources): ONE
    statement whatever their number. An open grant of the same user, resource and `source_ref` is updated in place
    (its source and period), a missing one created: an upsert on the partial unique constraint (one open grant per
    user, resource and source), which also settles two transactions giving the same grant at once (the second waits
    for the first and updates its row). Rows are written in resource order, so concurrent callers lock alike.
    Returns how many grants were created or updated. `resource_ids`: the resources by id (with or instead of
    `resources`)."""
    if source not in GrantSource.values:
        raise ServiceError(_("Sumber akses tidak dikenal."))
    if not source_ref:
        raise ServiceError(_("Sumber akses wajib punya referensi."))
    _check_period(starts_at, ends_at)
    resource_ids = sorted({resource.pk for resource in resources} | {int(pk) for pk in resource_ids})
    if not resource_ids:
        return 0
    ops = connection.ops
    starts = ops.adapt_datetimefield_value(starts_at)
    ends = ops.adapt_datetimefield_value(ends_at)
    created = ops.adapt_datetimefield_value(timezone.now())
    table = ops.quote_name(Grant._meta.db_table)
    rows = ", ".join(["(%s, %s, %s, %s, %s, %s, '', '', %s)"] * len(resource_ids))
    params = []
    for resource_id in resource_ids:
        params += [user.pk, resource_id, source, source_ref, starts, ends, created]
    # The table's name and placeholders only: every value is a parameter.
    sql = (
        f"INSERT INTO {table} (user_id, resource_id, source, source_ref, starts_at, ends_at, revoked_reason, note,"  # noqa: S608
        f" created_at) VALUES {rows} ON CONFLICT (user_id, resource_id, source_ref) WHERE revoked_at IS NULL"
        " DO UPDATE SET source = EXCLUDED.source, starts_at = EXCLUDED.starts_at, ends_at = EXCLUDED.ends_at"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


@transaction.atomic
def grants_revoke(*, source_ref: str, reason: str, user=None, now: datetime | None = None) -> int:
    """Revokes the open grants that `source_ref` gave (only `user`'s when given). Returns how many."""
    qs = Grant.objects.filter(source_ref=source_ref, revoked_at__isnull=True)
    if user is not None:
        qs = qs.filter(user=user)
    return qs.update(revoked_at=now or timezone.now(), revoked_reason=(reason or "")[:200])


@transaction.atomic
@dataclass(frozen=True)
class GrantHolder:
    """Who holds the grants of one source_ref (a membership) and for how long."""

    user_id: int
    starts_at: datetime | None
    ends_at: datetime | None


def grants_sync(
    *, holders: dict[str, GrantHolder], resource_ids, source: str, revoke_reason: str, now: datetime
) -> int:
    """Makes the open grants of each source_ref in `holders` exactly `resource_ids`: grants of other resources are
    revoked with `revoke_reason`, missing ones created. Set-based (three queries for a whole batch); the partial
    unique constraint (one open grant per user, resource and source) guards concurrent runs. Returns the number of
    grants created plus revoked. (memberships calls this when a plan's content changes.)"""
    wanted = set(resource_ids)
    changed = (
        Grant.objects.filter(source_ref__in=holders, revoked_at__isnull=True)
        .exclude(resource_id__in=wanted)
        .update(revoked_at=now, revoked_reason=revoke_reason)
    )
    have = set(
        Grant.objects.filter(source_ref__in=holders, revoked_at__isnull=True).values_list("source_ref", "resource_id")
    )
    missing = [
        Grant(
            user_id=holder.user_id,
            resource_id=resource_id,
            source=source,
            source_ref=ref,
            starts_at=holder.starts_at,
            ends_at=holder.ends_at,
        )  # fmt: skip
        for ref, holder in holders.items()
        for resource_id in wanted
        if (ref, resource_id) not in have
    ]
    Grant.objects.bulk_create(missing, ignore_conflicts=True)
    return changed + len(missing)


def grants_set_end(*, source_ref: str, ends_at: datetime | None) -> int:
    """Moves the end of the open grants of `source_ref` (a renewal, or a refunded renewal). Returns how many."""
    return Grant.objects.filter(source_ref=source_ref, revoked_at__isnull=True).update(ends_at=ends_at)


def admin_source_ref(actor) -> str:
    return f"admin:{actor.pk}"


@transaction.atomic
def grant_admin_create(
    *, user, resource: Resource, actor, ends_at: datetime | None = None, note: str = "", now: datetime | None = None
) -> Grant:
    """An admin gives `user` access to `resource` by hand (source "admin"), from now until `ends_at`."""
    now = now or timezone.now()
    if not user.is_active:
        raise ServiceError(_("Akun %(email)s nonaktif; aktifkan dulu sebelum memberi akses.") % {"email": user.email})
    if not resource.is_active:
        raise ServiceError(_("Resource ini sedang tidak aktif."), errors={"resource": [_("Pilih resource aktif.")]})
    if ends_at is not None and ends_at <= now:
        raise ServiceError(
            _("Akhir akses harus di masa depan."), errors={"ends_at": [_("Pilih tanggal setelah hari ini.")]}
        )
    grant = grant_create(
        user=user, resource=resource, source=GrantSource.ADMIN, source_ref=admin_source_ref(actor),
        starts_at=now, ends_at=ends_at, note=note,
    )  # fmt: skip
    activity_record(
        action=ACTION_GRANT_CREATED,
        actor=actor,
        target=user,
        data={
            "resource": str(resource),
            "ends_at": timezone.localtime(ends_at).isoformat() if ends_at else "",
            "note": grant.note,
        },
    )
    return grant


@transaction.atomic
def grant_admin_revoke(*, grant: Grant, actor, reason: str, now: datetime | None = None) -> Grant:
    """An admin ends one open grant now (any source), with a reason that goes to the activity log."""
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("Tulis alasan pencabutan."), errors={"reason": [_("Wajib diisi.")]})
    locked = Grant.objects.select_for_update().select_related("user", "resource").get(pk=grant.pk)
    if locked.revoked_at is not None:
        raise ServiceError(_("Akses ini sudah dicabut sebelumnya."))
    locked.revoked_at = now or timezone.now()
    locked.revoked_reason = reason[:200]
    locked.save(update_fields=["revoked_at", "revoked_reason"])
    activity_record(
        action=ACTION_GRANT_REVOKED,
        actor=actor,
        target=locked.user,
        data={"resource": str(locked.resource), "source": locked.source_ref, "reason": locked.revoked_reason},
    )
    return locked


# ---------------------------------------------------------------------------------------------------------------
# Private files: a download page checks the policy and redirects to a signed link bound to the user, valid for
# PRIVATE_LINK_TTL_SECONDS; the link's view checks the signature, the user and the policy again, logs the download
# and streams the file.


@dataclass(frozen=True)
class _PrivateKind:
    model: str  # app_label.model_name
    file_field: str


# The models whose files are private. Later capabilities (documents, courses) add theirs here.
PRIVATE_KINDS = {"catalog.productfile": _PrivateKind("catalog.ProductFile", "file")}


def _owner_label(owner) -> str:
    return owner._meta.label_lower


def private_file_decision(*, user, file_field_owner) -> AccessDecision:
    """May `user` download the file of `file_field_owner`? (A product file: the product's access decides.)"""
    label = _owner_label(file_field_owner)
    if label not in PRIVATE_KINDS:
        raise ServiceError(_("Berkas ini tidak bisa diunduh."))
    return product_access_check(user=user, product=file_field_owner.product)


def private_file_link(*, user, file_field_owner) -> str:
    """A signed path (`/unduh/<token>`) to download `file_field_owner`'s file, bound to `user` and valid for
    `settings.PRIVATE_LINK_TTL_SECONDS`. Raises NotAllowed with the policy's message when access is denied."""
    from django.urls import reverse

    decision = private_file_decision(user=user, file_field_owner=file_field_owner)
    if not decision.allowed:
        raise NotAllowed(decision.message, code=decision.reason)
    token = signing.dumps(
        {"u": user.pk, "k": _owner_label(file_field_owner), "i": file_field_owner.pk}, salt=PRIVATE_LINK_SALT
    )
    return reverse("access:file_serve", args=[token])


@dataclass(frozen=True)
class PrivateFile:
    owner: object
    file: object  # the FieldFile
    filename: str


def private_file_open(*, user, token: str, ip: str | None = None, user_agent: str | None = None) -> PrivateFile:
    """Checks a signed link and logs the download. An invalid, expired or someone else's link is refused (403);
    access is checked again, since it may have ended after the link was made."""
    try:
        payload = signing.loads(token, salt=PRIVATE_LINK_SALT, max_age=settings.PRIVATE_LINK_TTL_SECONDS)
    except signing.SignatureExpired:
        raise NotAllowed(
            _("Link unduhan sudah kedaluwarsa. Buka lagi dari halaman Produk Saya."), code="link_expired"
        ) from None
    except signing.BadSignature:
        raise NotAllowed(_("Link unduhan tidak valid."), code="link_invalid") from None
    if not isinstance(payload, dict) or payload.get("k") not in PRIVATE_KINDS:
        raise NotAllowed(_("Link unduhan tidak valid."), code="link_invalid")
    if not user.is_authenticated or payload.get("u") != user.pk:
        raise NotAllowed(_("Link unduhan ini dibuat untuk akun lain."), code="link_other_user")
    kind = PRIVATE_KINDS[payload["k"]]
    model = apps.get_model(kind.model)
    owner = model.objects.select_related("product", "product__resource").filter(pk=payload.get("i")).first()
    if owner is None:
        raise NotFound(_("Berkas ini sudah tidak tersedia."))
    decision = private_file_decision(user=user, file_field_owner=owner)
    if not decision.allowed:
        raise NotAllowed(decision.message, code=decision.reason)
    field_file = getattr(owner, kind.file_field)
    if not field_file or not field_file.storage.exists(field_file.name):
        raise NotFound(_("Berkas ini sudah tidak tersedia."))
    info = request_context.current()
    DownloadLog.objects.create(
        user=user,
        product_file=owner,
        product=owner.product,
        file_title=owner.title[:200],
        product_title=owner.product.title[:200],
        ip=ip if ip is not None else info.ip,
        user_agent=(user_agent if user_agent is not None else info.user_agent)[:300],
    )
    extension = field_file.name.rsplit(".", 1)[-1] if "." in field_file.name else ""
    filename = owner.title + (f".{extension}" if extension and not owner.title.endswith(f".{extension}") else "")
    return PrivateFile(owner=owner, file=field_file, filename=filename)
