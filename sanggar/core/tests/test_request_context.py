from django.test import RequestFactory, override_settings

from sanggar.core.request_context import client_ip


def _request(forwarded=None):
    meta = {"REMOTE_ADDR": "10.0.0.5"}
    if forwarded:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


@override_settings(TRUSTED_PROXY_COUNT=0)
def test_forwarded_header_is_ignored_without_trusted_proxies():
    assert client_ip(_request("1.2.3.4")) == "10.0.0.5"


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_one_trusted_proxy_takes_the_address_it_appended():
    # The client sent a forged "6.6.6.6"; our proxy appended the real address it saw.
    assert client_ip(_request("6.6.6.6, 203.0.113.9")) == "203.0.113.9"
