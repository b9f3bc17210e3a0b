from django.urls import path

from . import views

app_name = "dashboard"
# Included by `config/urls.py` (discovery), at this place among the apps' URLs.
URL_ORDER = 10
URL_PREFIX = "dashboard/"
urlpatterns = [path("", views.home, name="home")]
