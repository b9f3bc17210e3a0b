"""Marketing on the public pages: the global tracking pixels (per plan and product they are catalog fields),
testimonials on sales pages, and the daily count of sales-page visits (for the conversion per plan)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

SINGLETON_ID = 1


class PixelSettings(models.Model):
    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON_ID, editable=False)
    pixel_meta_id = models.CharField(max_length=30, blank=True, default="")
    pixel_google_id = models.CharField(max_length=30, blank=True, default="")
    pixel_tiktok_id = models.CharField(max_length=40, blank=True, default="")
    consent_required = models.BooleanField(default=True)  # load pixels only after the visitor agrees
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("pengaturan pixel")
        verbose_name_plural = _("pengaturan pixel")

    def __str__(self):
        return str(_("Pengaturan pixel"))


class Testimonial(models.Model):
    """A buyer's word on a sales page: for one plan, one product, or every sales page (neither)."""

    name = models.CharField(_("nama"), max_length=100)
    role_city = models.CharField(_("peran / kota"), max_length=120, blank=True)
    text = models.TextField(_("testimoni"), max_length=1000)
    rating = models.PositiveSmallIntegerField(
        _("rating"), default=5, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    photo = models.ImageField(_("foto"), upload_to="testimonials/", blank=True)
    plan = models.ForeignKey(
        "catalog.MembershipPlan", null=True, blank=True, on_delete=models.CASCADE, related_name="testimonials"
    )
    product = models.ForeignKey(
        "catalog.Product", null=True, blank=True, on_delete=models.CASCADE, related_name="testimonials"
    )
    sort_order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["sort_order", "-id"]
        verbose_name = _("testimoni")
        verbose_name_plural = _("testimoni")
        constraints = [
            models.CheckConstraint(condition=Q(rating__gte=1) & Q(rating__lte=5), name="testimonial_rating_1_5"),
            models.CheckConstraint(
                condition=Q(plan__isnull=True) | Q(product__isnull=True), name="testimonial_one_target"
            ),
        ]

    def __str__(self):
        return self.name


class SalesPageVisit(models.Model):
    """Visits of one sales page on one day (one row per page and day, counted with an upsert)."""

    day = models.DateField()
    page = models.CharField(max_length=40)  # "plan:<id>" or "product:<id>"
    plan = models.ForeignKey("catalog.MembershipPlan", null=True, blank=True, on_delete=models.CASCADE)
    product = models.ForeignKey("catalog.Product", null=True, blank=True, on_delete=models.CASCADE)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "page"], name="sales_page_visit_day_page")]
        indexes = [models.Index(fields=["plan", "day"]), models.Index(fields=["product", "day"])]

    def __str__(self):
        return f"{self.page} {self.day}: {self.count}"
