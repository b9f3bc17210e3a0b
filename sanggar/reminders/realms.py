"""Realms: apps above reminders that run their own sequences on this one engine (one scheduler, one exactly-once log,
one tracking and analytics path). A realm registers, at app-ready, its trigger sources, its stop rule and its sender;
its sequences are `ReminderSequence` rows with `realm` set (owned by `owner_id`), which the admins' pages never show.

- `sources[trigger](sequence, *, now, lo, hi)` yields `engine.Candidate`s whose anchor is in [lo, hi] (like the
  engine's own sources). A recipient that is not a user has `user=None`, the recipient object in `recipient`, and
  an `object_key` that names it (unique per step: the log's partial unique rule on step + key).
- `stops(sequence, candidates)` → the indexes that must not be sent (read again just before each batch).
- `send_batch(sequence=, step=, items=, now=, log_insert=)` sends one step to a batch (`items`: (candidate, step,
  slot)) and returns (sent, held): `log_insert(items, status)` inserts the log rows first (the unique row is the
  guard; it returns the rows inserted, each with `.candidate`), and held items are neither logged nor lost: they
  stay due for the next sweeps (within `catch_up()`).
- `quiet_hours()` → an object with `quiet_start` / `quiet_end` (the realm's own, instead of the sequence's), and
  `catch_up()` → how long a due step stays due (instead of `REMINDERS_CATCH_UP_HOURS`); `chained`: one step per
  recipient and run (see the field).

Reminders imports no realm: the realm's app (above) calls `realm_register` in its `AppConfig.ready`."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class Realm:
    name: str
    sources: dict[str, Callable]
    send_batch: Callable
    stops: Callable | None = None
    quiet_hours: Callable | None = None
    catch_up: Callable[[], timedelta] | None = None
    # Each step waits for the previous one: a run sends a recipient at most its first due step (the realm's sender
    # then moves the recipient's anchor, so the next step's delay counts from this send).
    chained: bool = False


REALMS: dict[str, Realm] = {}


def realm_register(realm: Realm) -> None:
    REALMS[realm.name] = realm


def realm_of(sequence) -> Realm | None:
    return REALMS.get(sequence.realm) if sequence.realm else None
