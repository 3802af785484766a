"""The browsable API documentation: Swagger UI from the installed package's static files
(drf-spectacular-sidecar, no CDN), its script served from this site, so it runs under the
site's Content-Security-Policy (script-src 'self')."""

from __future__ import annotations

from csp.constants import SELF
from csp.decorators import csp_update
from django.utils.decorators import method_decorator
from drf_spectacular.views import SpectacularSwaggerSplitView


# Swagger UI's stylesheet draws its icons as data: SVG images; this page alone allows them.
@method_decorator(csp_update({"img-src": [SELF, "data:"]}), name="dispatch")
class SwaggerView(SpectacularSwaggerSplitView):
    # drf-spectacular's page with its inline <style> carrying the request's CSP nonce.
    template_name = "api/swagger_ui.html"
