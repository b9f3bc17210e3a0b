"""The session engine (`SESSION_ENGINE`): Django's database sessions, with the read of a page's session compiled
once per process (`core.prepared`). Every signed-in page reads its session first; compiling that SELECT on each
request cost more CPU than PostgreSQL spends answering it. Same table, rows and statement: sessions written before
the switch stay valid."""

import logging
from datetime import UTC, datetime

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.core.exceptions import SuspiciousOperation
from django.utils import timezone

from .prepared import Prepared

_SESSION = Prepared(
    lambda session_key, now: Session.objects.filter(session_key=session_key, expire_date__gt=now),
    session_key="\x00session-key",
    now=datetime(1901, 1, 1, 1, 1, 1, tzinfo=UTC),
)


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self):
        if self.get_model_class() is not Session:  # a subclass with its own model: Django's own read
            return super()._get_session_from_db()
        try:
            return _SESSION.get(session_key=self.session_key, now=timezone.now())
        except (Session.DoesNotExist, SuspiciousOperation) as e:
            if isinstance(e, SuspiciousOperation):
                logging.getLogger(f"django.security.{e.__class__.__name__}").warning(str(e))
            self._session_key = None
