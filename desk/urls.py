from django.urls import path

from . import views

app_name = "desk"

urlpatterns = [
    path("notices/", views.staff_page(views.notice_list), name="notices"),
    path("notices/read/", views.staff_page(views.notices_read), name="notices_read"),
    path(
        "notices/<int:pk>/read/",
        views.staff_page(views.notice_read),
        name="notice_read",
    ),
    path(
        "stories/<int:pk>/send-back/",
        views.staff_page(views.send_back),
        name="send_back",
    ),
]
