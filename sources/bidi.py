"""Right-to-left text in the admin: Urdu, Persian and Arabic sit beside English everywhere.

Each text is rendered with dir="auto", so the browser takes its direction from its first
strong character; lists and forms never assume left-to-right.
"""

from __future__ import annotations

from django import forms
from django.contrib.admin.widgets import AdminURLFieldWidget
from django.db import models
from django.utils.html import format_html
from django.utils.safestring import SafeString


def bidi(text: str | None, *, limit: int | None = 120, lang: str = "") -> SafeString:
    """Render `text` (shortened to `limit` characters) as a direction-isolated span."""
    text = text or ""
    if limit is not None and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    if lang:
        return format_html('<span dir="auto" lang="{}">{}</span>', lang, text)
    return format_html('<span dir="auto">{}</span>', text)


class BidiAdminMixin:
    """Admin form defaults: text fields take their direction from what is typed into them."""

    formfield_overrides = {
        models.CharField: {"widget": forms.TextInput(attrs={"dir": "auto", "class": "vTextField"})},
        models.TextField: {
            "widget": forms.Textarea(attrs={"dir": "auto", "class": "vLargeTextField"})
        },
        # Outlets are served over HTTPS; a bare "mehrnews.com" typed in should become https.
        models.URLField: {"widget": AdminURLFieldWidget, "assume_scheme": "https"},
    }
