from django.apps import AppConfig


class MembershipsConfig(AppConfig):
    name = "sanggar.memberships"
    label = "memberships"
