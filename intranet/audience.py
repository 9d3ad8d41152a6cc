"""Audience tokens: who may see a search document (see DESIGN.md, Search).

Every indexed document carries the tokens of the people allowed to see it, and
every query is filtered to the asker's tokens. The tokens are spelled here and
nowhere else, so the indexes that write them and the selector that asks for them
cannot drift apart.
"""

# Everything every member of staff may see.
ALL_STAFF = "org"


def space_members(space_id: int) -> str:
    """What only the people who may read a space may see (its members, and
    everyone let in by a grant)."""
    return f"space.{space_id}"


def space_sensitive(space_id: int) -> str:
    """A space's OFFICIAL-SENSITIVE items: its own owners, moderators and members
    only (`spaces.selectors.can_view_sensitive`)."""
    return f"space.{space_id}.members"
