from django.urls import path

from . import views

app_name = "memberships"
urlpatterns = [
    path("membership-saya", views.mine, name="mine"),
]
