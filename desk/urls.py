from django.urls import path

from . import story_views, views

app_name = "desk"

urlpatterns = [
    path("notices/", views.staff_page(views.notice_list), name="notices"),
    path("notices/read/", views.staff_page(views.notices_read), name="notices_read"),
    path(
        "notices/<int:pk>/read/",
        views.staff_page(views.notice_read),
        name="notice_read",
    ),
    # The story form's autosave, presence and withdraw (JSON; staff only).
    path("stories/new/autosave/", story_views.autosave, name="autosave_new"),
    path("stories/<int:pk>/autosave/", story_views.autosave, name="autosave"),
    path("stories/<int:pk>/presence/", story_views.presence, name="presence"),
    path(
        "stories/<int:pk>/presence/leave/",
        story_views.presence_leave,
        name="presence_leave",
    ),
    path("stories/<int:pk>/withdraw/", story_views.withdraw, name="withdraw"),
    path(
        "stories/<int:pk>/send-back/",
        views.staff_page(views.send_back),
        name="send_back",
    ),
]
