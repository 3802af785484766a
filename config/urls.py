from __future__ import annotations

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

admin.site.site_header = "Claimledger"
admin.site.site_title = "Claimledger"
admin.site.index_title = "Claims, statements and sources"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
    path("admin/", admin.site.urls),
    path("api/v1/", include("api.urls")),
    path("alerts/", include("alerts.urls")),
    path("", include("claims.urls")),
]
