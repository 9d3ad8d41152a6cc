"""Signal receivers, connected in `SpacesConfig.ready()`: a renamed department's
name is in space, thread and message documents, so they are queued again
(`spaces.services.department_renamed`). Access changes reach spaces through
`intranet.access` instead (spaces.groups.access_changed)."""

from spaces.services import department_renamed

# The department's fields that space, thread and message documents show.
RENAMING = {"name", "acronym"}


def department_saved(sender, instance, created, update_fields=None, **kwargs) -> None:
    # A new department is in no document yet; a change to its other fields
    # (kind, parent, slug) is in none at all.
    if created or (update_fields is not None and not RENAMING & set(update_fields)):
        return
    department_renamed(department=instance)
