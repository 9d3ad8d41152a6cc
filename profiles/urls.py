from django.urls import path

from profiles import views

app_name = "profiles"
# The fixed paths come before /<username>/, so they win over a username like "me".
urlpatterns = [
    path("", views.directory, name="directory"),
    path("me/", views.me, name="me"),
    path("me/edit/", views.me_edit, name="me_edit"),
    path("me/confirm/", views.confirm, name="confirm"),
    path("skills/merge/", views.skill_merge, name="skill_merge"),
    path("team-requests/<int:pk>/", views.team_request, name="team_request"),
    path("departments/<slug:slug>/", views.department, name="department"),
    path(
        "departments/<slug:slug>/add-team/",
        views.department_team_add,
        name="department_team_add",
    ),
    path(
        "teams/<slug:department_slug>/<slug:team_slug>/",
        views.team,
        name="team",
    ),
    path(
        "teams/<slug:department_slug>/<slug:team_slug>/edit/",
        views.team_edit,
        name="team_edit",
    ),
    path(
        "teams/<slug:department_slug>/<slug:team_slug>/add/",
        views.team_add,
        name="team_add",
    ),
    path(
        "teams/<slug:department_slug>/<slug:team_slug>/move/",
        views.team_move,
        name="team_move",
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
