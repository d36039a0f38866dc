import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_counters_and_media(settings, tmp_path):
    """Rate-limit counters live in the cache; uploads go to a throwaway folder."""
    cache.clear()
    settings.MEDIA_ROOT = tmp_path / "media"
    yield
    cache.clear()
