from __future__ import annotations

from django.urls import path

from claims import views
from claims.models import ExportRun

app_name = "claims"

urlpatterns = [
    path("search/", views.search, name="search"),
    path("search/speakers.json", views.speaker_names, name="speaker_names"),
    path("search/claims.json", views.claim_names, name="claim_names"),
    path("speakers/<int:pk>/", views.speaker_page, name="speaker"),
    path("claims/", views.claims_report, name="claims"),
    path("claims/<int:pk>/", views.claim_page, name="claim"),
    path(
        "export/statements.csv",
        views.export_csv,
        {"kind": ExportRun.Kind.STATEMENTS},
        name="export_statements",
    ),
    path(
        "export/claims.csv", views.export_csv, {"kind": ExportRun.Kind.CLAIMS}, name="export_claims"
    ),
    path(
        "export/suggestions.csv",
        views.export_csv,
        {"kind": ExportRun.Kind.SUGGESTIONS},
        name="export_suggestions",
    ),
]
