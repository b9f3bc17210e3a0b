"""What other apps tell chat about people, without chat importing them (they may sit above it in the stack).

- `connection_register(fn)`: `fn(user, other) -> bool`, True when the two are connected (share a group, follow each
  other). Community registers it; a member may start a direct chat only with a connected member.
- `supplier_premium_register(fn)`: `fn(user) -> bool`, True for a premium supplier. Until the supplier module
  registers it, every supplier counts as free: members cannot open a chat with them and the attempt is counted.
"""

_connections: list = []
_supplier_premium: list = []


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
