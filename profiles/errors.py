class ProfileError(Exception):
    """A change to people or the organisation that is refused, with a reason to show.

    `field` names the form field the message belongs next to, when there is one.
    Services raise it before writing anything, or inside their transaction, so a
    refused change saves nothing half-way.
    """

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class ProfileForbidden(ProfileError):
    """A refusal because the change is not the actor's to make (a view answers 403),
    not because of what was entered."""
