from django.urls import path

from . import views

app_name = "example_tickets"
URL_ORDER = 500

urlpatterns = [path("tiket-contoh", views.ticket_list, name="list")]
