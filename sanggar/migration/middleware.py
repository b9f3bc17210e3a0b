"""Tutor LMS verified a certificate at any page of the old site with `?cert_hash=<hash>` (usually the home page or
`/tutor-certificate/`). Imported completions keep that hash as the certificate's code, so such a link redirects to
the certificate's verification page here. No database work: the verification page says whether the code exists."""

import re

from django.http import HttpResponsePermanentRedirect
from django.urls import reverse

PARAM = "cert_hash"
# Tutor's hashes are 16 hex characters; the platform's codes are at most 20 letters and digits.
CODE_RE = re.compile(r"^[A-Za-z0-9]{1,20}$")


class LegacyCertificateMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and PARAM + "=" in request.META.get("QUERY_STRING", ""):
            code = request.GET.get(PARAM, "").strip()
            if CODE_RE.match(code):
                return HttpResponsePermanentRedirect(reverse("learning:certificate", args=[code]))
        return self.get_response(request)
