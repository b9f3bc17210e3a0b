class Action:
    """Codes of the account, sign-in and settings actions that several apps write (accounts, api, branding, catalog,
    finance, notifications). Their labels are registered by the app that owns each one (`<app>/audit.py`); every
    other app keeps its own action codes (`OrderAction`, `PaymentAction`, …). `ActivityLog.action` is a plain string
    checked against `sanggar.audit.registry`, so adding an action needs no migration here."""

    LOGIN = "auth.login"
    LOGIN_FAILED = "auth.login_failed"
    LOGOUT = "auth.logout"
    USER_REGISTERED = "user.registered"
    USER_UPDATED = "user.updated"
    USER_DEACTIVATED = "user.deactivated"
    USER_REACTIVATED = "user.reactivated"
    ROLE_GRANTED = "role.granted"
    ROLE_REVOKED = "role.revoked"
    AFFILIATE_APPLIED = "affiliate.applied"
    AFFILIATE_APPROVED = "affiliate.approved"
    AFFILIATE_REJECTED = "affiliate.rejected"
    API_KEY_CREATED = "api_key.created"
    API_KEY_REVOKED = "api_key.revoked"
    SETTINGS_CHANGED = "settings.changed"
    TEMPLATE_CHANGED = "template.changed"
