from django.urls import path

from .views import admin, mentor, wallet

app_name = "finance"
# Included by `config/urls.py` (discovery), at this place among the apps' URLs.
URL_ORDER = 120
urlpatterns = [
    path("dompet", wallet.wallet, name="wallet"),
    path("dompet/tarik", wallet.payout_request, name="payout_request"),
    path("dompet/penarikan/<int:pk>/bukti", wallet.payout_proof, name="payout_proof"),
    path("penjualan-saya", mentor.mentor_sales_page, name="mentor_sales"),
    path("admin/finance", admin.report, name="admin_report"),
    path("admin/finance/penjualan/<slug:invoice_number>", admin.order_split_page, name="admin_order_split"),
    path("admin/finance/export.csv", admin.report_export, name="admin_report_export"),
    path("admin/settings/revenue", admin.revenue_settings, name="admin_revenue_settings"),
    path("admin/payouts", admin.payouts, name="admin_payouts"),
    path("admin/payouts/batch", admin.payout_batch, name="admin_payout_batch_create"),
    path("admin/payouts/batch/<int:pk>", admin.payout_batch_detail, name="admin_payout_batch"),
    path("admin/payouts/batch/<int:pk>.csv", admin.payout_batch_csv, name="admin_payout_batch_csv"),
    path("admin/payouts/<int:pk>", admin.payout_detail, name="admin_payout_detail"),
    path("admin/payouts/<int:pk>/approve", admin.payout_approve, name="admin_payout_approve"),
    path("admin/payouts/<int:pk>/reject", admin.payout_reject, name="admin_payout_reject"),
]
