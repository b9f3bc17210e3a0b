"""Gamification settings and weekly work: points per action and levels set by admins (`PointRule`, `Level`; the
settings COMMUNITY_POINTS / COMMUNITY_POINTS_DAILY_CAP / COMMUNITY_LEVELS are the defaults until an admin saves a
row), the reversal of points when moderation removes a post or a comment (a new negative ledger row, never an update),
and the member of the week (the week's top scorer, computed by the Monday beat task, unless an admin picked).

Imported by services (points_for / level_for read the rules here), so this module imports no community service."""

import zlib
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sanggar.audit.services import activity_record
from sanggar.core.exceptions import NotAllowed, ServiceError
from sanggar.core.roles import Role
from sanggar.notifications.services import notify

from .constants import Action, Notify, PointAction
from .models import Level, MemberOfWeek, PointEntry, PointRule

RULES_CACHE_KEY = "community:point-rules:v1"
LEVELS_CACHE_KEY = "community:levels:v1"
MEMBER_OF_WEEK_CACHE_KEY = "community:member-of-week"
CACHE_SECONDS = 300
# actions whose points an admin may set (the admin adjustment, the reversal, and challenge / quiz rewards, which each
# challenge or quiz sets, are not rules)
NOT_RULES = (PointAction.ADMIN, PointAction.REVERSAL, PointAction.CHALLENGE, PointAction.QUIZ)
RULE_ACTIONS = [a for a in PointAction.values if a not in NOT_RULES]
MAX_POINTS = 10_000


def _forget(key: str) -> None:
    """Drops a cached copy now and again after commit (a reader between the two may have cached the old rows)."""
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def _require_admin(actor) -> None:
    if not actor.has_role(Role.ADMIN):
        raise NotAllowed(_("Hanya admin yang dapat mengatur gamifikasi."))


def _int(value, *, field: str, label: str, low: int, high: int) -> int:
    if isinstance(value, str) and value.strip().lstrip("-").isdigit() and len(value.strip()) < 10:
        value = int(value.strip())
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise ServiceError(
            _("%(label)s harus bilangan bulat %(low)s sampai %(high)s.") % {"label": label, "low": low, "high": high},
            errors={field: [_("Tidak valid.")]},
        )
    return value


# --- points per action ---------------------------------------------------------------------------------------------


def _rules_key() -> str:
    # the defaults are part of the key, so a changed setting is never hidden by a cached copy
    defaults = repr((sorted(settings.COMMUNITY_POINTS.items()), sorted(settings.COMMUNITY_POINTS_DAILY_CAP.items())))
    return f"{RULES_CACHE_KEY}:{zlib.crc32(defaults.encode())}"


def point_rules() -> dict[str, tuple[int, int]]:
    """{action: (points, daily cap)} for every rule action: the admin's row, else the settings' default (cached)."""
    rules = cache.get(_rules_key())
    if rules is None:
        rules = {
            action: (
                int(settings.COMMUNITY_POINTS.get(action, 0)),
                int(settings.COMMUNITY_POINTS_DAILY_CAP.get(action, 0)),
            )
            for action in RULE_ACTIONS
        }
        for row in PointRule.objects.all():
            rules[row.action] = (row.points, row.daily_cap)
        cache.set(_rules_key(), rules, CACHE_SECONDS)
    return rules


def rule_points(action: str) -> int:
    return point_rules().get(action, (0, 0))[0]


def rule_cap(action: str) -> int:
    return point_rules().get(action, (0, 0))[1]


@transaction.atomic
def point_rule_save(*, actor, action: str, points, daily_cap=0) -> PointRule:
    _require_admin(actor)
    if action not in RULE_ACTIONS:
        raise ServiceError(_("Aksi poin tidak dikenal."), errors={"action": [_("Pilih aksi.")]})
    points = _int(points, field="points", label=_("Poin"), low=0, high=MAX_POINTS)
    daily_cap = _int(daily_cap or 0, field="daily_cap", label=_("Batas harian"), low=0, high=MAX_POINTS * 10)
    row, _created = PointRule.objects.update_or_create(
        action=action, defaults={"points": points, "daily_cap": daily_cap}
    )
    activity_record(
        action=Action.POINT_RULE_SAVED,
        actor=actor,
        target=row,
        target_label=str(PointAction(action).label),
        data={"points": points, "daily_cap": daily_cap},
    )
    _forget(_rules_key())
    return row


# --- levels ----------------------------------------------------------------------------------------------------------


def _levels_key() -> str:
    return f"{LEVELS_CACHE_KEY}:{zlib.crc32(repr(list(settings.COMMUNITY_LEVELS)).encode())}"


def levels() -> list[tuple[int, str]]:
    """[(threshold, name)] ascending: the admin's levels, else COMMUNITY_LEVELS named "Level 2", "Level 3", ...
    Level 1 ("Pemula") starts at 0 points."""
    rows = cache.get(_levels_key())
    if rows is None:
        rows = list(Level.objects.order_by("threshold").values_list("threshold", "name"))
        if not rows:
            rows = [(t, _("Level %(n)s") % {"n": i + 2}) for i, t in enumerate(sorted(settings.COMMUNITY_LEVELS))]
        cache.set(_levels_key(), rows, CACHE_SECONDS)
    return rows


def level_number(points: int) -> int:
    return 1 + sum(1 for threshold, _name in levels() if points >= threshold)


def level_name(points: int) -> str:
    name = _("Pemula")
    for threshold, label in levels():
        if points >= threshold:
            name = label
    return name


@transaction.atomic
def level_save(*, actor, threshold, name, level: Level | None = None) -> Level:
    _require_admin(actor)
    threshold = _int(threshold, field="threshold", label=_("Ambang poin"), low=1, high=100_000_000)
    name = (name or "").replace("\x00", "").strip() if isinstance(name, str) else ""
    if not name or len(name) > 60:
        raise ServiceError(_("Nama level wajib diisi (maksimal 60 karakter)."), errors={"name": [_("Tidak valid.")]})
    if Level.objects.filter(threshold=threshold).exclude(pk=getattr(level, "pk", None)).exists():
        raise ServiceError(_("Sudah ada level dengan ambang poin itu."), errors={"threshold": [_("Pilih yang lain.")]})
    level = level or Level()
    level.threshold, level.name = threshold, name
    level.save()
    activity_record(
        action=Action.LEVEL_SAVED, actor=actor, target=level, target_label=name, data={"threshold": threshold}
    )
    _forget(_levels_key())
    return level


@transaction.atomic
def level_delete(*, actor, level: Level) -> None:
    _require_admin(actor)
    activity_record(
        action=Action.LEVEL_SAVED,
        actor=actor,
        target=level,
        target_label=level.name,
        data={"threshold": level.threshold, "deleted": True},
    )
    level.delete()
    _forget(_levels_key())


# --- reversal on moderation ------------------------------------------------------------------------------------------


def points_reverse(*, key: str, note: str = "") -> PointEntry | None:
    """Cancels what was awarded under `key` (e.g. "post:12", "comment:7") with one negative row keyed
    "reversal:<key>" (unique: reversing twice adds nothing). Nothing is updated or deleted. None when nothing was
    awarded or it was reversed already."""
    awarded = PointEntry.objects.filter(key=key).values("user_id", "group_id", "points").first()
    if awarded is None or awarded["points"] <= 0:
        return None
    try:
        with transaction.atomic():
            return PointEntry.objects.create(
                user_id=awarded["user_id"],
                action=PointAction.REVERSAL,
                points=-awarded["points"],
                key=f"reversal:{key}"[:120],
                group_id=awarded["group_id"],
                note=(note or _("Konten dihapus moderator"))[:200],
            )
    except IntegrityError:
        return None


# --- member of the week -----------------------------------------------------------------------------------------------


def week_start(day=None):
    """Monday (WIB) of the week holding `day` (today by default)."""
    day = day or timezone.localdate()
    return day - timedelta(days=day.weekday())


def _week_bounds(monday):
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(timezone.datetime.combine(monday, timezone.datetime.min.time()), tz)
    return start, start + timedelta(days=7)


def week_top(monday) -> dict | None:
    start, end = _week_bounds(monday)
    return (
        PointEntry.objects.filter(created_at__gte=start, created_at__lt=end, user__is_active=True)
        .values("user_id")
        .annotate(points=Sum("points"))
        .filter(points__gt=0)
        .order_by("-points", "user_id")
        .first()
    )


def member_of_week_compute(*, monday=None) -> MemberOfWeek | None:
    """The sweep (beat "community-member-of-week", Mondays 00:10 WIB): the finished week's top scorer becomes its
    member of the week and is told. Safe to run twice: an existing row (computed or picked by an admin) stays."""
    monday = monday or week_start() - timedelta(days=7)
    if MemberOfWeek.objects.filter(week_start=monday).exists():
        return None
    top = week_top(monday)
    if top is None:
        return None
    try:
        with transaction.atomic():
            row = MemberOfWeek.objects.create(week_start=monday, user_id=top["user_id"], points=top["points"])
    except IntegrityError:
        return None
    cache.delete(MEMBER_OF_WEEK_CACHE_KEY)
    _member_of_week_tell(row)
    return row


def _member_of_week_tell(row: MemberOfWeek) -> None:
    notify(
        user=row.user,
        kind=Notify.MEMBER_OF_WEEK,
        link=reverse("community:leaderboard"),
        context={"week": row.week_start.strftime("%d-%m-%Y")},
    )


@transaction.atomic
def member_of_week_pick(*, actor, user, monday=None) -> MemberOfWeek:
    """An admin names the member of a week (this week's by default); replaces a computed choice."""
    _require_admin(actor)
    if user is None or not user.is_active:
        raise ServiceError(_("Member tidak ditemukan."), errors={"member": [_("Tidak ditemukan.")]})
    monday = week_start(monday)
    start, end = _week_bounds(monday)
    points = (
        PointEntry.objects.filter(user=user, created_at__gte=start, created_at__lt=end).aggregate(s=Sum("points"))["s"]
        or 0
    )
    row, _created = MemberOfWeek.objects.update_or_create(
        week_start=monday, defaults={"user": user, "points": points, "picked_by": actor}
    )
    activity_record(
        action=Action.MEMBER_OF_WEEK,
        actor=actor,
        target=user,
        target_label=user.full_name,
        data={"week": monday.isoformat()},
    )
    _forget(MEMBER_OF_WEEK_CACHE_KEY)
    _member_of_week_tell(row)
    return row


def member_of_week_current() -> MemberOfWeek | None:
    """The newest member of the week (this week's pick, else last week's result), for the feed sidebar."""
    return (
        MemberOfWeek.objects.select_related("user", "user__community_profile")
        .filter(week_start__lte=week_start())
        .order_by("-week_start")
        .first()
    )
