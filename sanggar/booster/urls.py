from django.urls import path

from . import views, views_admin, views_public

app_name = "booster"
URL_ORDER = 115

urlpatterns = [
    # public
    path("bio/<str:username>", views_public.bio, name="bio"),
    path("bio/<str:username>/go/<int:pk>", views_public.bio_go, name="bio_go"),
    path("optin/<slug:slug>", views_public.optin, name="optin"),
    path("optin/<slug:slug>/file", views_public.optin_magnet, name="optin_magnet"),
    path("t/o/<str:token>", views_public.track_open, name="track_open"),
    path("t/c/<str:token>", views_public.track_click, name="track_click"),
    path("berhenti/<str:token>", views_public.unsubscribe, name="unsubscribe"),
    path("kredit/<slug:slug>/checkout", views_public.credit_checkout, name="credit_checkout"),
    # affiliate
    path("affiliate/bio", views.bio_edit, name="bio_edit"),
    path("affiliate/bio/tombol", views.bio_button_add, name="bio_button_add"),
    path("affiliate/bio/tombol/<int:pk>", views.bio_button_action, name="bio_button_action"),
    path("affiliate/bio/tombol/urutan", views.bio_buttons_reorder, name="bio_buttons_reorder"),
    path("affiliate/optin", views.optin_list, name="optin_list"),
    path("affiliate/optin/baru", views.optin_edit, name="optin_create"),
    path("affiliate/optin/<int:pk>", views.optin_edit, name="optin_edit"),
    path("affiliate/leads", views.lead_list, name="leads"),
    path("affiliate/leads/export.csv", views.lead_export, name="leads_export"),
    path("affiliate/leads/baru", views.lead_edit, name="lead_create"),
    path("affiliate/leads/impor", views.lead_import, name="leads_import"),
    path("affiliate/leads/<int:pk>", views.lead_edit, name="lead_edit"),
    path("affiliate/credits", views.credit_page, name="credits"),
    path("affiliate/broadcast", views.broadcast_list, name="broadcasts"),
    path("affiliate/broadcast/baru", views.broadcast_edit, name="broadcast_create"),
    path("affiliate/broadcast/<int:pk>", views.broadcast_edit, name="broadcast_edit"),
    path("affiliate/broadcast/<int:pk>/aksi", views.broadcast_action, name="broadcast_action"),
    path("affiliate/broadcast/<int:pk>/log.csv", views.broadcast_log_export, name="broadcast_log_export"),
    path("affiliate/automation", views.automation_list, name="automations"),
    path("affiliate/automation/baru", views.automation_edit, name="automation_create"),
    path("affiliate/automation/<int:pk>", views.automation_edit, name="automation_edit"),
    # admin
    path("admin/affiliate/credits", views_admin.usage, name="admin_usage"),
    path("admin/affiliate/credits/<int:pk>", views_admin.affiliate_credits, name="admin_affiliate"),
    path("admin/affiliate/credits/paket", views_admin.packages, name="admin_packages"),
    path("admin/affiliate/credits/paket/<int:pk>", views_admin.packages, name="admin_package_edit"),
    path("admin/affiliate/templates", views_admin.templates, name="admin_templates"),
    path("admin/affiliate/templates/email/baru", views_admin.email_template_edit, name="admin_email_template_create"),
    path("admin/affiliate/templates/email/<int:pk>", views_admin.email_template_edit, name="admin_email_template_edit"),
    path("admin/affiliate/templates/bio/baru", views_admin.bio_template_edit, name="admin_bio_template_create"),
    path("admin/affiliate/templates/bio/<int:pk>", views_admin.bio_template_edit, name="admin_bio_template_edit"),
    path("admin/affiliate/automation", views_admin.default_sequences, name="admin_sequences"),
    path("admin/affiliate/automation/<int:pk>", views_admin.default_sequences, name="admin_sequence_edit"),
    path("admin/affiliate/suppression", views_admin.suppression, name="admin_suppression"),
]
