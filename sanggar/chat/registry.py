"""What other apps tell chat about people, without chat importing them (they may sit above it in the stack).

- `connection_register(fn)`: `fn(user, other) -> bool`, True when the two are connected (share a group, follow each
  other). Community registers it; a member may start a direct chat only with a connected member.
- `supplier_premium_register(fn)`: `fn(user) -> bool`, True for a supplier whose package lets it chat (Premium; Free
  only when the admins give Free a weekly allowance). Until the supplier module registers it, every supplier counts
  as free: members cannot open a chat with them and the attempt is counted.
- `supplier_chat_gate_register(fn)`: `fn(supplier_user, conversation_id, *, by_supplier) -> str`, the package's
  weekly allowance of active chats. Chat calls it inside the transaction that opens a supplier conversation (the
  member's side) or stores a supplier's reply; the app charges the conversation once per week there (locking its
  own row, so two requests cannot both take the last unit) and returns "" to allow or the refusal to show.
- `group_member_register(fn)`: `fn(user, group_key) -> bool | None`, whether `user` is still a member of the group
  behind a group conversation (None: not a key this app owns). Community registers it: a member whose access lapsed
  (expiry, ban) can no longer read or write the group chat; chat marks them as left.
- `supplier_auto_reply_register(fn)`: `fn(supplier_user) -> str`, the auto-reply a premium supplier set (empty: none).
  When a member opens a supplier conversation, chat posts it as the supplier's first message, marked as automatic.
- `group_chat_opener_register(fn)`: `fn(user, ref: str) -> Conversation`, opens the group chat a client asks for by
  the group's public reference (the API's `{"group": slug}`), checking the group's permission; raises the usual
  service errors.
- `usernames_register(fn)`: `fn(user_ids) -> {user_id: username}`, the public @usernames of people (one query for
  all); community registers it, so the API's participants carry `username`.
- `group_muted_until_register(fn)`: `fn(user, group_key) -> datetime | None`, until when the group's moderators
  muted `user` in the group itself (community's `GroupMember.muted_until`); chat refuses their group-chat messages
  until then, like its own group-chat mute.
- `username_resolver_register(fn)`: `fn(username: str) -> User | None`, the active user behind a public @username
  (the API's `{"user": "dinda"}`). Community registers it (its profiles own the @username).
"""

_connections: list = []
_supplier_premium: list = []
_group_members: list = []
_group_openers: list = []
_supplier_auto_replies: list = []
_supplier_chat_gates: list = []
_group_moderators: list = []
_username_resolvers: list = []
_group_mutes: list = []
_usernames: list = []


def usernames_register(fn) -> None:
    if fn not in _usernames:
        _usernames.append(fn)


def usernames(user_ids) -> dict[int, str]:
    ids = {int(i) for i in user_ids}
    found: dict[int, str] = {}
    for fn in _usernames:
        if not ids - set(found):
            break
        found.update({k: v for k, v in fn(ids - set(found)).items() if v})
    return found


def group_muted_until_register(fn) -> None:
    if fn not in _group_mutes:
        _group_mutes.append(fn)


def group_muted_until(user, group_key: str):
    """Until when the group behind `group_key` muted `user` (None: not muted, or no app owns the key)."""
    for fn in _group_mutes:
        answer = fn(user, group_key)
        if answer is not None:
            return answer
    return None


def username_resolver_register(fn) -> None:
    if fn not in _username_resolvers:
        _username_resolvers.append(fn)


def user_by_username(username: str):
    for fn in _username_resolvers:
        user = fn(username)
        if user is not None:
            return user
    return None


def group_moderator_register(fn) -> None:
    """`fn(user, group_key) -> bool | None`: whether `user` moderates (or owns) the group behind a group chat (None:
    not a key this app owns). Community registers it; moderators mute members in the group chat."""
    if fn not in _group_moderators:
        _group_moderators.append(fn)


def group_moderator(user, group_key: str) -> bool:
    for fn in _group_moderators:
        answer = fn(user, group_key)
        if answer is not None:
            return bool(answer)
    return False


def connection_register(fn) -> None:
    if fn not in _connections:
        _connections.append(fn)


def supplier_premium_register(fn) -> None:
    if fn not in _supplier_premium:
        _supplier_premium.append(fn)


def connected(user, other) -> bool:
    return any(fn(user, other) for fn in _connections)


def supplier_is_premium(user) -> bool:
    return any(fn(user) for fn in _supplier_premium)


def group_member_register(fn) -> None:
    if fn not in _group_members:
        _group_members.append(fn)


def group_member(user, group_key: str) -> bool:
    """Whether `user` may be in the group chat of `group_key` now (False when no app answers for the key)."""
    for fn in _group_members:
        answer = fn(user, group_key)
        if answer is not None:
            return bool(answer)
    return False


def group_chat_opener_register(fn) -> None:
    if fn not in _group_openers:
        _group_openers.append(fn)


def group_chat_open(user, ref: str):
    """The group chat `ref` names, opened by the app owning groups; None when no app owns groups."""
    for fn in _group_openers:
        return fn(user, ref)
    return None


def supplier_auto_reply_register(fn) -> None:
    if fn not in _supplier_auto_replies:
        _supplier_auto_replies.append(fn)


def supplier_auto_reply(user) -> str:
    for fn in _supplier_auto_replies:
        text = fn(user)
        if isinstance(text, str) and text.strip():
            return text.strip()
    return ""


def supplier_chat_gate_register(fn) -> None:
    if fn not in _supplier_chat_gates:
        _supplier_chat_gates.append(fn)


def supplier_chat_gate(supplier_user, conversation_id: int, *, by_supplier: bool) -> str:
    """ "" when the supplier's weekly allowance admits this conversation (charging it), else the refusal text. Call
    inside a transaction."""
    for fn in _supplier_chat_gates:
        message = fn(supplier_user, conversation_id, by_supplier=by_supplier)
        if message:
            return str(message)
    return ""
