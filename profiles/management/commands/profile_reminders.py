"""List, or send, the reminders that keep the people directory current."""

from django.core.management.base import BaseCommand

from profiles.services.freshness import reminders_due, reminders_send


class Command(BaseCommand):
    help = (
        "List the profile reminders due: staff who never signed in, profiles not "
        "confirmed for a year, teams without a description (to their heads). "
        "With --send, send them as notifications. Nobody gets the same reminder "
        "twice within 30 days, so the command is safe to run daily."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--send", action="store_true", help="Send the reminders listed."
        )

    def handle(self, *args, send: bool, **options):
        reminders = reminders_due()
        for reminder in reminders:
            self.stdout.write(
                f"{reminder.kind}\t{reminder.recipient.get_username()}\t{reminder.text}"
            )
        if send:
            sent = reminders_send(reminders)
            self.stdout.write(self.style.SUCCESS(f"Sent {sent} reminders."))
        else:
            self.stdout.write(
                f"{len(reminders)} reminders due. Run with --send to send them."
            )
