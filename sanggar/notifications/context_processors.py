from .selectors import unread_count


def unread(request):
    """`unread_notifications` for the bell in the app shell (one query per page)."""
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    return {"unread_notifications": unread_count(user=user)}
