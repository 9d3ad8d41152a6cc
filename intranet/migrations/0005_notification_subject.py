# A notification names its subject, so what it shows can be checked when shown.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("intranet", "0004_account_session"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="subject_type",
            field=models.CharField(blank=True, default="", max_length=100),
        ),
        migrations.AddField(
            model_name="notification",
            name="subject_id",
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.AddConstraint(
            model_name="notification",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("subject_id__isnull", True), ("subject_type", "")),
                    models.Q(
                        models.Q(("subject_type", ""), _negated=True),
                        ("subject_id__isnull", False),
                    ),
                    _connector="OR",
                ),
                name="notification_subject_whole",
            ),
        ),
    ]
