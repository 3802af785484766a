from __future__ import annotations

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from api import docs, views

app_name = "api"

router = DefaultRouter()
router.register("statements", views.StatementViewSet, basename="statement")
router.register("claims", views.ClaimViewSet, basename="claim")
router.register("speakers", views.SpeakerViewSet, basename="speaker")
router.register("sources", views.SourceViewSet, basename="source")
router.register("suggestions", views.SuggestionViewSet, basename="suggestion")

urlpatterns = [
    path("articles/", views.ArticlesView.as_view(), name="articles"),
    path("ingestion-runs/<int:pk>/", views.IngestionRunView.as_view(), name="ingestionrun-detail"),
    path("claimreview/", views.ClaimReviewFeedView.as_view(), name="claimreview-feed"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", docs.SwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("", include(router.urls)),
]
