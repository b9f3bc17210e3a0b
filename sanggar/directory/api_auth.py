"""Auth of the directory's read endpoints: the member's JWT (the apps) or their personal API key (their own systems),
sent as `X-API-Key: sgm_…` or `Authorization: Bearer sgm_…`. The API-key guard has already checked the key
(`request.personal_api_key`); here each request counts against the key's rate limit and the member's API access."""

from sanggar.api.auth import JWTAuth

from . import key_services


class MemberKeyOrJWT(JWTAuth):
    def __call__(self, request):
        key = getattr(request, "personal_api_key", None)
        if key is not None:
            key_services.member_key_use(key=key)
            request.user = key.user
            return key.user
        return super().__call__(request)


member_read_auth = MemberKeyOrJWT()
