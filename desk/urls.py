from django.urls import path

from . import views

app_name = "desk"

urlpatterns = [
    path("stories/new/autosave/", views.autosave, name="autosave_new"),
    path("stories/<int:pk>/autosave/", views.autosave, name="autosave"),
    path("stories/<int:pk>/presence/", views.presence, name="presence"),
    path(
        "stories/<int:pk>/presence/leave/",
        views.presence_leave,
        name="presence_leave",
    ),
    path("stories/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
]
