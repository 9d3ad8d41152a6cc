"""Only `profiles.services.accounts` changes whether an account is active.

Deactivating has to end the account's sessions, close its live sockets, take it
out of its audience groups and go on the audit record. A write elsewhere (a
`QuerySet.update(is_active=False)` in a new offboarding job, a `user.is_active =
False` in a command) would skip all of it in silence, so this reads every module
outside the tests and migrations and fails on any such write.

Making an account is not deactivating one: `User(is_active=False)` and
`create(is_active=…)` (the demo's seeded leavers, who never signed in) are left
alone.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
THE_SERVICE = Path("profiles/services/accounts.py")
SKIPPED_DIRS = {
    ".git",
    ".venv",
    "node_modules",
    "var",
    "static",
    "staticfiles",
    "tests",
    "migrations",
}
FIELD = "is_active"
# Calls that write rows already stored, without their model's save signals.
BULK_WRITES = {
    "update",
    "aupdate",
    "update_or_create",
    "aupdate_or_create",
    "bulk_update",
    "abulk_update",
}
# Raw SQL: "UPDATE profiles_user SET is_active = …".
RAW_UPDATE = re.compile(r"\bupdate\s+\S+\s+set\b[\s\S]*\bis_active\b", re.IGNORECASE)


def writes_of_is_active(source: str) -> list[int]:
    """The line numbers in `source` that change an existing account's
    `is_active`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(_names_field(target) for target in targets):
                found.append(node.lineno)
        elif isinstance(node, ast.Call):
            name = _called(node)
            if name == "setattr" and any(_is_field(arg) for arg in node.args[1:2]):
                found.append(node.lineno)
            elif name in BULK_WRITES and _mentions_field(node):
                found.append(node.lineno)
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and RAW_UPDATE.search(node.value)
        ):
            found.append(node.lineno)
    return sorted(set(found))


def _names_field(target: ast.AST) -> bool:
    if isinstance(target, ast.Attribute):
        return target.attr == FIELD
    if isinstance(target, ast.Tuple | ast.List):
        return any(_names_field(element) for element in target.elts)
    if isinstance(target, ast.Starred):
        return _names_field(target.value)
    return False


def _called(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    if isinstance(call.func, ast.Name):
        return call.func.id
    return None


def _is_field(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and node.value == FIELD


def _mentions_field(call: ast.Call) -> bool:
    """`is_active` as a keyword, a dict key or a field name in the call's
    arguments (`update(is_active=…)`, `update(**{"is_active": …})`,
    `update_or_create(defaults={"is_active": …})`, `bulk_update(users,
    ["is_active"])`)."""
    if any(keyword.arg == FIELD for keyword in call.keywords):
        return True
    arguments = [*call.args, *(keyword.value for keyword in call.keywords)]
    return any(_is_field(node) for argument in arguments for node in ast.walk(argument))


def _modules():
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if SKIPPED_DIRS & set(relative.parts[:-1]) or relative == THE_SERVICE:
            continue
        yield relative


def test_only_the_account_services_write_is_active():
    modules = list(_modules())
    assert Path("profiles/admin.py") in modules  # the scan reaches the apps
    writes = [
        f"{module}:{line}"
        for module in modules
        for line in writes_of_is_active((ROOT / module).read_text())
    ]
    assert writes == [], (
        "Deactivate or reactivate accounts with profiles.services.accounts"
        " (account_deactivate / account_reactivate), which also end sessions,"
        " close live sockets and audit the change: " + ", ".join(writes)
    )


def test_the_account_services_are_where_the_writes_are():
    service = (ROOT / THE_SERVICE).read_text()
    assert len(writes_of_is_active(service)) == 2


@pytest.mark.parametrize(
    "source",
    [
        "User.objects.filter(pk__in=ids).update(is_active=False)",
        "User.objects.filter(pk=1).update(**{'is_active': False})",
        "await users.aupdate(is_active=False)",
        "User.objects.update_or_create(username=u, defaults={'is_active': False})",
        "User.objects.bulk_update(users, ['is_active'])",
        "user.is_active = False",
        "user.is_active = flag",
        "user.first_name, user.is_active = 'A', False",
        "setattr(user, 'is_active', False)",
        "cursor.execute('UPDATE profiles_user SET is_active = 0 WHERE id = %s')",
    ],
)
def test_the_scan_finds_each_way_of_writing_it(source):
    assert writes_of_is_active(source) == [1]


@pytest.mark.parametrize(
    "source",
    [
        "User.objects.filter(is_active=True)",
        "Profile.objects.filter(user__is_active=True).update(bio='')",
        "User(username='leaver', is_active=False)",
        "User.objects.create(username='leaver', is_active=False)",
        "if not user.is_active: pass",
        "active = user.is_active",
    ],
)
def test_the_scan_leaves_reads_and_new_accounts_alone(source):
    assert writes_of_is_active(source) == []
