from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("authors/<slug:slug>/", views.journalist, name="journalist"),
    path("sources/<slug:slug>/", views.source, name="source"),
]
