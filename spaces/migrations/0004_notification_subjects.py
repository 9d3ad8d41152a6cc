# Notifications sent before they named a subject get one, so that what they show
# is checked when shown, as it is for new ones. Spaces' notifications name their
# subject in their link; one whose space can no longer be found (its address has
# changed) gets a subject that matches nothing, and is hidden rather than left
# naming a space its recipient may no longer see.

import re

from django.db import migrations
from django.db.models import Q

THREAD = re.compile(r"/spaces/[\w-]+/threads/(\d+)/")
INVITATION = re.compile(r"/spaces/invitations/(\d+)/$")
SPACE = re.compile(r"/spaces/([\w-]+)/(?:manage/access/)?$")
NOWHERE = 0
BATCH = 500


def _subject(kind, url, space_ids):
    if kind in ("thread.mention", "thread.reply"):
        found = THREAD.search(url)
        return "spaces.thread", int(found[1]) if found else NOWHERE
    if kind == "space.invitation":
        found = INVITATION.search(url)
        return "spaces.invitation", int(found[1]) if found else NOWHERE
    if not url:
        # Named "a private space": it names nothing to hide.
        return "", None
    found = SPACE.search(url)
    return "spaces.space", space_ids.get(found[1], NOWHERE) if found else NOWHERE


def name_subjects(apps, schema_editor):
    Notification = apps.get_model("intranet", "Notification")
    Space = apps.get_model("spaces", "Space")
    space_ids = dict(Space.objects.values_list("slug", "pk"))
    old = Notification.objects.filter(
        Q(kind__in=("thread.mention", "thread.reply")) | Q(kind__startswith="space."),
        subject_type="",
    ).order_by("pk")
    batch = []
    for notification in old.iterator(chunk_size=BATCH):
        subject_type, subject_id = _subject(
            notification.kind, notification.url, space_ids
        )
        if not subject_type:
            continue
        notification.subject_type, notification.subject_id = subject_type, subject_id
        batch.append(notification)
        if len(batch) == BATCH:
            Notification.objects.bulk_update(batch, ["subject_type", "subject_id"])
            batch = []
    Notification.objects.bulk_update(batch, ["subject_type", "subject_id"])


class Migration(migrations.Migration):
    dependencies = [
        ("spaces", "0003_thread_changes"),
        ("intranet", "0005_notification_subject"),
    ]

    operations = [
        migrations.RunPython(name_subjects, migrations.RunPython.noop),
    ]
