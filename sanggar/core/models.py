from django.db import models


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


def prefetched_set(instance: models.Model, relation: str, objects) -> None:
    """Puts rows the caller already holds (e.g. just created with `bulk_create`) in `instance`'s prefetch cache, as
    `prefetch_related(relation)` would: `instance.<relation>.all()` then answers without a query."""
    queryset = getattr(instance, relation).get_queryset()
    queryset._result_cache = list(objects)
    queryset._prefetch_done = True
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}
    instance._prefetched_objects_cache[relation] = queryset


class CacheGeneration(models.Model):
    """A number bumped whenever what a cached set of pages shows changes (`sanggar.core.public_cache`): the cache
    keys hold it, so every process stops using the old entries the moment the change commits."""

    name = models.CharField(max_length=40, primary_key=True)
    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "generasi cache"
        verbose_name_plural = "generasi cache"

    def __str__(self) -> str:
        return f"{self.name}: {self.value}"
