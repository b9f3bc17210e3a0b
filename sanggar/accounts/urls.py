from django.urls import path

from .views import admin_users, api_keys, profile

app_name = "accounts"
# Included by `config/urls.py` (discovery), at this place among the apps' URLs.
URL_ORDER = 20
urlpatterns = [
    # The signed-in user's own profile (tabs).
    path("profil/", profile.profile, name="profile"),
    path("profil/notifikasi", profile.profile_notifications, name="profile_notifications"),
    path("profil/keamanan", profile.profile_security, name="profile_security"),
    path("profil/affiliate", profile.profile_affiliate, name="profile_affiliate"),
    # Admin: users and roles.
    path("admin/users", admin_users.user_list, name="admin_users"),
    path("admin/users/export.csv", admin_users.user_export, name="admin_users_export"),
    path("admin/users/<int:pk>", admin_users.user_detail, name="admin_user_detail"),
    path("admin/users/<int:pk>/edit", admin_users.user_edit, name="admin_user_edit"),
    path("admin/users/<int:pk>/roles", admin_users.user_roles, name="admin_user_roles"),
    path("admin/users/<int:pk>/deactivate", admin_users.user_deactivate, name="admin_user_deactivate"),
    path("admin/users/<int:pk>/reactivate", admin_users.user_reactivate, name="admin_user_reactivate"),
    path("admin/affiliate-applications", admin_users.affiliate_applications, name="admin_affiliate_applications"),
    path(
        "admin/affiliate-applications/<int:pk>",
        admin_users.affiliate_application_detail,
        name="admin_affiliate_application_detail",
    ),
    # Admin: API keys for the client apps.
    path("admin/settings/api-keys", api_keys.key_list, name="admin_api_keys"),
    path("admin/settings/api-keys/<int:pk>/revoke", api_keys.key_revoke, name="admin_api_key_revoke"),
]
