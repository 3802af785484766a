"""The browsable API documentation: Swagger UI from the installed package's static files
(drf-spectacular-sidecar, no CDN), its script served from this site, so it runs under the
site's Content-Security-Policy (script-src 'self')."""

from __future__ import annotations

from drf_spectacular.views import SpectacularSwaggerSplitView


class SwaggerView(SpectacularSwaggerSplitView):
    # drf-spectacular's page with its inline <style> carrying the request's CSP nonce.
    template_name = "api/swagger_ui.html"
