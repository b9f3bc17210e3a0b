from django.urls import path

from .views import admin as admin_views
from .views import charges as charge_views
from .views import home as home_views
from .views import invoice as invoice_views
from .views import member as member_views
from .views import public as public_views

app_name = "orders"
# Included by `config/urls.py` (discovery), at this place among the apps' URLs.
URL_ORDER = 70

# Member pages and admin sales (helper "orders").
urlpatterns = [
    path("riwayat-pembelian", member_views.purchases, name="purchases"),
    path("riwayat-pembelian/<slug:invoice_number>.pdf", member_views.invoice_pdf, name="invoice_pdf"),
    path("admin/settings/beranda", home_views.admin_home_settings, name="admin_home_settings"),
    path("admin/settings/pajak-biaya", charge_views.admin_charge_settings, name="admin_charge_settings"),
    path("admin/sales", admin_views.sales, name="admin_sales"),
    path("admin/sales/export.csv", admin_views.sales_export, name="admin_sales_export"),
    path("admin/sales/menunggu-konfirmasi", admin_views.sales_awaiting, name="admin_sales_awaiting"),
    path("admin/sales/<slug:invoice_number>", admin_views.sale_detail, name="admin_sale_detail"),
    path("admin/sales/<slug:invoice_number>/mark-paid", admin_views.sale_mark_paid, name="admin_sale_mark_paid"),
    path("admin/sales/<slug:invoice_number>/refund", admin_views.sale_refund, name="admin_sale_refund"),
    path("admin/sales/<slug:invoice_number>/resend", admin_views.sale_resend, name="admin_sale_resend"),
    path("admin/sales/<slug:invoice_number>/cancel", admin_views.sale_cancel, name="admin_sale_cancel"),
    path("admin/sales/<slug:invoice_number>/review", admin_views.sale_review, name="admin_sale_review"),
]

# Public sales and checkout pages, the buyer's invoice page (helper "checkout"). `checkout/compare` and `checkout/all`
# come before `checkout/<slug>`.
urlpatterns += [
    path("", home_views.home, name="home"),
    path("membership/<slug:slug>", public_views.plan_sales, name="plan_sales"),
    path("checkout/compare", public_views.checkout_compare, name="checkout_compare"),
    path("checkout/all", public_views.checkout_all, name="checkout_all"),
    path("checkout-ringkasan", public_views.checkout_summary, name="checkout_summary"),
    path("checkout/<slug:slug>", public_views.checkout_plan, name="checkout_plan"),
    path("produk", public_views.product_list, name="product_list"),
    path("produk/<slug:slug>", public_views.product_detail, name="product_detail"),
    path("produk/<slug:slug>/checkout", public_views.checkout_product, name="checkout_product"),
    path("invoice/<slug:invoice_number>", invoice_views.invoice, name="invoice"),
    path("invoice/<slug:invoice_number>/status", invoice_views.invoice_status, name="invoice_status"),
    path("invoice/<slug:invoice_number>/bayar", invoice_views.invoice_pay, name="invoice_pay"),
    path("invoice/<slug:invoice_number>/bukti-transfer", invoice_views.invoice_proof_upload, name="invoice_proof"),
    path(
        "invoice/<slug:invoice_number>/bukti-transfer/<int:proof_id>",
        invoice_views.invoice_proof_file,
        name="invoice_proof_file",
    ),
]
