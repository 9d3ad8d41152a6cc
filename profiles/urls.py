from django.urls import path

from profiles import views

app_name = "profiles"
# The fixed paths come before /<username>/, so they win over a username like "me".
urlpatterns = [
    path("", views.directory, name="directory"),
    path("me/", views.me, name="me"),
    path("me/edit/", views.me_edit, name="me_edit"),
    path("me/confirm/", views.confirm, name="confirm"),
    path("departments/<slug:slug>/", views.department, name="department"),
    path(
        "teams/<slug:department_slug>/<slug:team_slug>/",
        views.team,
        name="team",
    ),
    path("<str:username>.json", views.person_json, name="person_json"),
    path("<str:username>/", views.person, name="person"),
    path("<str:username>/edit/", views.edit, name="edit"),
    path("<str:username>/photo/", views.photo, name="photo"),
    path("<str:username>/photo/image/", views.person_photo, name="photo_image"),
    path("<str:username>/suggest/", views.suggest, name="suggest"),
    path(
        "me/suggestions/<int:pk>/done/",
        views.suggestion_done,
        name="suggestion_done",
    ),
    path("<str:username>/org-chart/", views.org_chart, name="org_chart"),
]
