from __future__ import annotations

from django.urls import path

from alerts import views

app_name = "alerts"

urlpatterns = [
    path("", views.notifications, name="notifications"),
    path("read/", views.mark_read, name="mark_read"),
    path("watches/", views.watches, name="watches"),
    path("watches/add/", views.watch_add, name="watch_add"),
    path("watches/<int:pk>/", views.watch_change, name="watch_change"),
    path("watches/<int:pk>/delete/", views.watch_remove, name="watch_remove"),
    path("language/", views.language, name="language"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
