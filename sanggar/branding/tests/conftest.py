import pytest

from sanggar.branding.selectors import branding_cache_clear


@pytest.fixture(autouse=True)
def _branding_isolation(settings, tmp_path):
    """Uploads go to a temporary media folder; the cached branding never leaks between tests."""
    settings.MEDIA_ROOT = tmp_path / "media"
    branding_cache_clear()
    yield
    branding_cache_clear()
