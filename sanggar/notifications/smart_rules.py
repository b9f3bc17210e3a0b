"""Smart rules (PRD v7.3 part 10): automatic notifications an admin switches on or off and tunes at
/admin/settings/smart-rules. Each app registers the rules it applies, in its own `notifications.py`, the way it
registers notification kinds:

    register_rule(RuleDef(key="learning.inactive", label=_("Belum belajar"), unit=Unit.DAYS, default=7, ...))

and its hook or sweep asks `rule_state(key)` (cached; on, and the threshold) and claims each subject once with
`rule_fire(key, subject)` (a unique `SmartRuleFiring` row) before acting. The notifications app never names the
apps above it."""

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanggar.audit.services import activity_record
from sanggar.core.exceptions import NotAllowed, ServiceError
from sanggar.core.roles import Role

from .audit import SMART_RULES_CHANGED
from .models import SmartRule, SmartRuleFiring


class Unit:
    NONE = ""  # on / off only
    DAYS = "days"
    COUNT = "count"
    MINUTES = "minutes"  # a list of minutes (before an event)


UNIT_LABELS = {
    Unit.DAYS: gettext_lazy("hari"),
    Unit.COUNT: gettext_lazy("komentar"),
    Unit.MINUTES: gettext_lazy("menit sebelum mulai, pisahkan dengan koma"),
}
MINUTES_MAX = 60 * 24 * 30
VALUE_MAX = 1000
LIST_MAX = 6


@dataclass(frozen=True)
class RuleDef:
    key: str
    label: str
    description: str
    unit: str = Unit.NONE
    default: object = None  # int, or a tuple of minutes for Unit.MINUTES
    default_enabled: bool = True
    order: int = 100


@dataclass(frozen=True)
class RuleState:
    enabled: bool
    value: object  # int, or a tuple of ints (minutes), or None


_RULES: dict[str, RuleDef] = {}
CACHE_KEY = "notifications:smart-rules"


def register_rule(rule: RuleDef) -> RuleDef:
    existing = _RULES.get(rule.key)
    if existing is not None and existing != rule:
        raise ValueError(f"smart rule {rule.key!r} is already registered")
    _RULES[rule.key] = rule
    return rule


def rules() -> list[RuleDef]:
    return sorted(_RULES.values(), key=lambda r: (r.order, r.key))


def rule_def(key: str) -> RuleDef:
    rule = _RULES.get(key)
    if rule is None:
        raise ValueError(f"Unknown smart rule: {key!r} (register it in the owning app's notifications.py)")
    return rule


def _saved() -> dict[str, tuple[bool, object]]:
    cached = cache.get(CACHE_KEY)
    if isinstance(cached, dict):
        return cached
    saved = {key: (enabled, value) for key, enabled, value in SmartRule.objects.values_list("key", "enabled", "value")}
    cache.set(CACHE_KEY, saved, settings.MESSAGE_TEMPLATE_CACHE_SECONDS)
    return saved


def cache_clear() -> None:
    cache.delete(CACHE_KEY)


def rule_state(key: str) -> RuleState:
    """Whether the rule is on and its threshold: the admin's saved setting, else the rule's defaults (cached, no
    query on the hot path)."""
    rule = rule_def(key)
    enabled, value = _saved().get(key, (rule.default_enabled, None))
    if value is None:
        value = rule.default
    if rule.unit == Unit.MINUTES:
        value = tuple(int(v) for v in (value or ()))
    return RuleState(enabled=bool(enabled), value=value)


def rule_fire(key: str, subject: str) -> bool:
    """Claims the rule's firing for `subject`: True the first time (the caller acts), False ever after. Safe under
    concurrency: the unique row is the guard (a savepoint keeps the caller's transaction usable)."""
    rule_def(key)
    try:
        with transaction.atomic():
            SmartRuleFiring.objects.create(rule=key, subject=str(subject)[:120])
    except IntegrityError:
        return False
    return True


def rule_fired(key: str, subject: str) -> bool:
    return SmartRuleFiring.objects.filter(rule=key, subject=str(subject)[:120]).exists()


def _clean_value(rule: RuleDef, raw, errors: dict):
    if rule.unit == Unit.NONE:
        return None
    if rule.unit == Unit.MINUTES:
        parts = [p.strip() for p in str(raw or "").replace(";", ",").split(",") if p.strip()]
        if not parts or len(parts) > LIST_MAX or not all(p.isdigit() and 1 <= int(p) <= MINUTES_MAX for p in parts):
            errors[rule.key] = [
                _("Isi 1–%(n)s angka menit (1–%(max)s), pisahkan dengan koma.") % {"n": LIST_MAX, "max": MINUTES_MAX}
            ]
            return None
        return sorted({int(p) for p in parts}, reverse=True)
    text = str(raw if raw is not None else "").strip()
    if not text.isdigit() or not 1 <= int(text) <= VALUE_MAX:
        errors[rule.key] = [_("Isi angka 1–%(max)s.") % {"max": VALUE_MAX}]
        return None
    return int(text)


@transaction.atomic
def smart_rules_save(*, actor, values: dict) -> int:
    """Saves the admin's settings: `values[key] = {"enabled": bool, "value": raw}` for registered rules (others
    ignored; a rule left out is unchanged). Every value is checked first (ServiceError with the field errors, nothing
    saved). Audited; returns how many rules changed."""
    if not (actor and actor.is_authenticated and actor.has_role(Role.ADMIN)):
        raise NotAllowed(_("Hanya admin yang dapat mengubah aturan otomatis."))
    errors: dict[str, list[str]] = {}
    wanted = {}
    for rule in rules():
        if rule.key not in values:
            continue
        entry = values[rule.key] or {}
        value = _clean_value(rule, entry.get("value"), errors)
        wanted[rule.key] = (bool(entry.get("enabled")), value)
    if errors:
        raise ServiceError(_("Periksa kembali aturan otomatis."), errors=errors)
    current = {r.key: r for r in SmartRule.objects.select_for_update().filter(key__in=list(wanted))}
    changed = {}
    for key, (enabled, value) in wanted.items():
        before = rule_state(key)
        compare = tuple(value) if isinstance(value, list) else value
        if before.enabled == enabled and (value is None or before.value == compare):
            continue
        row = current.get(key) or SmartRule(key=key)
        row.enabled, row.value, row.updated_by = enabled, value, actor
        row.save()
        changed[key] = {"enabled": enabled, "value": value}
    if changed:
        activity_record(
            action=SMART_RULES_CHANGED, actor=actor, target_label=str(_("Aturan otomatis")), data={"rules": changed}
        )
        cache_clear()
        transaction.on_commit(cache_clear)
    return len(changed)
