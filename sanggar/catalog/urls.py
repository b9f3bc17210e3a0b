from django.urls import path

from .views import categories, coupons, plans, products

app_name = "catalog"
# Included by `config/urls.py` (discovery), at this place among the apps' URLs.
URL_ORDER = 60
urlpatterns = [
    # Membership plans
    path("admin/membership", plans.plan_list, name="admin_plans"),
    path("admin/membership/baru", plans.plan_create, name="admin_plan_create"),
    path("admin/membership/<int:pk>", plans.plan_edit, name="admin_plan_edit"),
    path("admin/membership/<int:pk>/harga", plans.plan_prices, name="admin_plan_prices"),
    path("admin/membership/<int:pk>/konten", plans.plan_content, name="admin_plan_content"),
    path("admin/membership/<int:pk>/marketing", plans.plan_marketing, name="admin_plan_marketing"),
    path("admin/membership/<int:pk>/follow-up", plans.plan_follow_ups, name="admin_plan_follow_ups"),
    path("admin/katalog/sumber-akses", plans.resource_create, name="admin_resource_create"),
    # Products
    path("admin/produk", products.product_list, name="admin_products"),
    path("admin/produk/baru", products.product_create, name="admin_product_create"),
    path("admin/produk/<int:pk>", products.product_edit, name="admin_product_edit"),
    path("admin/produk/<int:pk>/harga", products.product_pricing, name="admin_product_pricing"),
    path("admin/produk/<int:pk>/akses", products.product_access, name="admin_product_access"),
    path("admin/produk/<int:pk>/file", products.product_files, name="admin_product_files"),
    path("admin/produk/<int:pk>/file/cover", products.product_cover, name="admin_product_cover"),
    path("admin/produk/<int:pk>/file/galeri", products.product_gallery_add, name="admin_product_gallery_add"),
    path(
        "admin/produk/<int:pk>/file/galeri/<int:image_id>/hapus",
        products.product_gallery_remove,
        name="admin_product_gallery_remove",
    ),
    path("admin/produk/<int:pk>/file/unggah", products.product_file_add, name="admin_product_file_add"),
    path(
        "admin/produk/<int:pk>/file/<int:file_id>/hapus",
        products.product_file_remove,
        name="admin_product_file_remove",
    ),
    path("admin/produk/<int:pk>/konten", products.product_content, name="admin_product_content"),
    path("admin/produk/<int:pk>/seo", products.product_seo, name="admin_product_seo"),
    path("admin/produk/<int:pk>/follow-up", products.product_follow_ups, name="admin_product_follow_ups"),
    # Categories
    path("admin/produk/kategori", categories.category_list, name="admin_categories"),
    path("admin/produk/kategori/<int:pk>", categories.category_edit, name="admin_category_edit"),
    path("admin/produk/kategori/<int:pk>/hapus", categories.category_delete, name="admin_category_delete"),
    # Coupons
    path("admin/kupon", coupons.coupon_list, name="admin_coupons"),
    path("admin/kupon/baru", coupons.coupon_create, name="admin_coupon_create"),
    path("admin/kupon/<int:pk>", coupons.coupon_edit, name="admin_coupon_edit"),
]
