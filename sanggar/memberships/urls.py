from django.urls import path

from . import views

app_name = "memberships"
# Included by `config/urls.py` (discovery), at this place among the apps' URLs.
URL_ORDER = 100
urlpatterns = [
    path("membership-saya", views.mine, name="mine"),
]
