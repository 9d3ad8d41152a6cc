from django.core.management.base import BaseCommand, CommandError

from intranet.audit import audit_verify
from intranet.models import AuditEvent


class Command(BaseCommand):
    help = (
        "Check the audit log's hash chain from the first event to the last. "
        "Exits non-zero and lists each break if any event was changed, removed "
        "or inserted outside the application."
    )

    def handle(self, *args, **options):
        problems = [str(problem) for problem in audit_verify()]
        if problems:
            for problem in problems:
                self.stderr.write(self.style.ERROR(problem))
            raise CommandError(
                f"Audit log failed verification: {len(problems)} problem(s) found."
            )
        count = AuditEvent.objects.count()
        self.stdout.write(
            self.style.SUCCESS(f"Audit log verified: {count} events, chain intact.")
        )
