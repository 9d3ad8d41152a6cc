from django.urls import path

from spaces.views import directory, history, manage, members, space, threads

app_name = "spaces"
urlpatterns = [
    path("", directory.directory, name="directory"),
    path("new/", directory.create, name="create"),
    path(
        "invitations/<int:invitation_id>/",
        directory.invitation_answer,
        name="invitation_answer",
    ),
    path("<slug:slug>/", space.home, name="home"),
    path("<slug:slug>/join/", space.join, name="join"),
    path("<slug:slug>/read/", space.mark_read, name="mark_read"),
    path("<slug:slug>/leave/", space.leave, name="leave"),
    path("<slug:slug>/members/", members.members, name="members"),
    path("<slug:slug>/history/", history.history, name="history"),
    path("<slug:slug>/manage/", manage.settings, name="manage"),
    path("<slug:slug>/manage/archive/", manage.archive, name="archive"),
    path("<slug:slug>/manage/access/", manage.access, name="access"),
    path(
        "<slug:slug>/manage/members/<int:membership_id>/role/",
        manage.member_role,
        name="member_role",
    ),
    path(
        "<slug:slug>/manage/members/<int:membership_id>/remove/",
        manage.member_remove,
        name="member_remove",
    ),
    path("<slug:slug>/manage/transfer/", manage.transfer, name="transfer"),
    path("<slug:slug>/manage/grants/", manage.grant_add, name="grant_add"),
    path(
        "<slug:slug>/manage/grants/<int:grant_id>/revoke/",
        manage.grant_revoke,
        name="grant_revoke",
    ),
    path(
        "<slug:slug>/manage/requests/<int:request_id>/",
        manage.request_decide,
        name="request_decide",
    ),
    path("<slug:slug>/manage/invite/", manage.invite, name="invite"),
    path("<slug:slug>/threads/new/", threads.new, name="thread_new"),
    path("<slug:slug>/threads/<int:thread_id>/", threads.thread, name="thread"),
    path(
        "<slug:slug>/threads/<int:thread_id>/messages/",
        threads.messages,
        name="thread_messages",
    ),
    path(
        "<slug:slug>/threads/<int:thread_id>/messages/<int:seq>/edit/",
        threads.message_edit,
        name="message_edit",
    ),
    path(
        "<slug:slug>/threads/<int:thread_id>/messages/<int:seq>/delete/",
        threads.message_delete,
        name="message_delete",
    ),
    path(
        "<slug:slug>/threads/<int:thread_id>/messages/<int:seq>/react/",
        threads.react,
        name="message_react",
    ),
    path(
        "<slug:slug>/threads/<int:thread_id>/moderate/",
        threads.moderate,
        name="thread_moderate",
    ),
    path(
        "<slug:slug>/threads/<int:thread_id>/follow/",
        threads.follow,
        name="thread_follow",
    ),
]
