"""Which models carry their own pixel fields (`pixel_meta_id`, `pixel_google_id`, `pixel_tiktok_id`): the catalog's
plans and products, and models of the apps above (e.g. learning's Course) that register themselves by label from
their AppConfig.ready. A pixel on any of them makes the pixel pages load the providers' hosts. Model-free, so higher
apps import it at module level."""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

PIXEL_CACHE_KEY = "marketing:pixels:v1"
_LABELS: list[str] = []


def pixel_cache_clear(*args, **kwargs) -> None:
    cache.delete(PIXEL_CACHE_KEY)


def pixel_model_register(label: str) -> None:
    """Counts the model's pixel fields in "is any pixel configured" and clears the cache when one of its rows
    changes. `label` is "app_label.ModelName"; signals resolve it lazily, so this may run before models load."""
    if label not in _LABELS:
        _LABELS.append(label)
    post_save.connect(pixel_cache_clear, sender=label, dispatch_uid=f"marketing.pixels_{label}")
    post_delete.connect(pixel_cache_clear, sender=label, dispatch_uid=f"marketing.pixels_d_{label}")


def pixel_model_labels() -> tuple[str, ...]:
    return tuple(_LABELS)
