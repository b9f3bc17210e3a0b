"""The one NinjaAPI object at /api/v1/. Each app contributes its router from its own api.py."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="Sanggar API",
    version="1",
    description="REST API untuk aplikasi mobile Sanggar.",
    urls_namespace="api-v1",
)
