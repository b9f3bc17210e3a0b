"""Who is on the other end of a websocket: the browser's session (Channels' AuthMiddlewareStack put it in the scope)
or, for the mobile apps, a JWT access token in `?token=` or an `Authorization: Bearer` header. Every realtime
consumer (the bell here, chat above) signs its clients in through `socket_user`."""

from urllib.parse import parse_qs

from channels.db import database_sync_to_async

from sanggar.api.tokens import ACCESS, TokenInvalid, token_user


def scope_token(scope) -> str:
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    if query.get("token"):
        return query["token"][0].strip()
    for name, value in scope.get("headers", []):
        if name == b"authorization":
            scheme, _sep, token = value.decode("latin-1").strip().partition(" ")
            if scheme.lower() == "bearer":
                return token.strip()
    return ""


@database_sync_to_async
def _user_from_token(token: str):
    try:
        return token_user(token, token_type=ACCESS)
    except TokenInvalid:
        return None


async def socket_user(scope):
    """The active user behind the connection, or None (a token given but invalid is None, never the session)."""
    token = scope_token(scope)
    user = await _user_from_token(token) if token else scope.get("user")
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    return user
