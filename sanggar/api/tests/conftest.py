import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters, spent refresh tokens and the cached branding never leak between tests."""
    cache.clear()
    yield
    cache.clear()
