from django.urls import path

from . import views

app_name = "trainings"
URL_ORDER = 79

urlpatterns = [
    path("order", views.order, name="order"),
    path("register/<slug:batch>/<slug:tier>", views.register, name="register"),
    path("training", views.mine, name="mine"),
    path("training/<slug:batch>", views.workspace, name="workspace"),
    path("admin/trainings", views.admin_batches, name="admin_batches"),
    path("admin/trainings/<slug:slug>", views.admin_batch, name="admin_batch"),
]
