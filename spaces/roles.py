"""Which guardian object permissions on a space each role carries."""

from spaces.models import GrantRole, Role

VIEW = "view_space"
POST = "post_in_space"
START_THREAD = "start_thread"
MODERATE = "moderate_space"
MANAGE = "manage_space"

ALL_PERMISSIONS = (VIEW, POST, START_THREAD, MODERATE, MANAGE)

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.OWNER: frozenset(ALL_PERMISSIONS),
    Role.MODERATOR: frozenset({VIEW, POST, START_THREAD, MODERATE}),
    Role.MEMBER: frozenset({VIEW, POST, START_THREAD}),
    Role.GUEST: frozenset({VIEW, POST}),
}

# A grant gives a department or team the same permissions as the one-person role.
GRANT_PERMISSIONS: dict[str, frozenset[str]] = {
    GrantRole.MEMBER: ROLE_PERMISSIONS[Role.MEMBER],
    GrantRole.GUEST: ROLE_PERMISSIONS[Role.GUEST],
}


def permissions_for(role: str) -> frozenset[str]:
    """The permission codenames of a membership role or a grant role."""
    return ROLE_PERMISSIONS[role]
