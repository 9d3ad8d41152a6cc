"""Turn the organisation data and a seed into people, without touching the database.

The same seed and options give the same people, byte for byte: every random choice
comes from one `random.Random(seed)` in a fixed order, and nothing iterates a set.

How an organisation is staffed, department by department:

1. People are shared out between departments by headcount weight (every department
   gets at least one once there are enough people), then between teams.
2. The first person in a department is its head (a Permanent Secretary or Chief
   Executive). The first person in a team is the team's head, as senior as the
   number of people below them warrants but junior to the head above them.
3. Everyone else in a team gets a grade from the civil service pyramid, below the
   team's head and thinned so that each grade can be line managed by the grades
   above it. They report to the nearest grade above them in the team, filling one
   manager's span of control before the next manager's, as real teams do.

A manager therefore always holds a higher grade than their reports and works in
the same department, so the management relation can have no cycles.
"""

from __future__ import annotations

import functools
import random
import unicodedata
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import accumulate

from demo import grades, job_titles, names
from demo.organisation import DEPARTMENTS, DepartmentSpec, TeamSpec

# Join dates spread over the seven financial years before the demo's own.
JOINED_FROM = datetime(2019, 4, 1, tzinfo=UTC)
JOINED_SPAN_SECONDS = int(timedelta(days=7 * 365).total_seconds())

# Most people do the work their team is for; the rest bring another profession.
TEAM_PROFESSION_SHARE = 0.8
SECOND_PROFESSION_SHARE = 0.25

_TOP_RANK = max(grade.rank for grade in grades.GRADES)
_LOWEST_RANK = min(grade.rank for grade in grades.GRADES)
_TRANSLITERATE = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss"})


@dataclass(frozen=True, slots=True)
class FixedPerson:
    """Someone placed by hand, such as a demo login; `team` is a team slug."""

    username: str
    first_name: str
    last_name: str
    department: str
    team: str
    grade: str
    professions: tuple[str, ...]
    job_title: str


@dataclass(frozen=True, slots=True)
class Person:
    username: str
    first_name: str
    last_name: str
    email: str
    department: str  # acronym
    team: str  # slug, unique within the department
    grade: str  # code
    professions: tuple[str, ...]
    job_title: str
    joined: datetime
    manager: int | None  # index of the line manager in the same list
    is_head: bool  # heads their team (the department's head: its office)


def generate_people(
    *,
    count: int,
    seed: int,
    fixed: Sequence[FixedPerson] = (),
    taken: Collection[str] = (),
) -> list[Person]:
    """`count` invented people plus the `fixed` ones, most senior grade first.

    Every line manager comes before their reports in the list, so a loader can
    insert in list order and always know the manager's id. Usernames avoid `taken`
    (those already in the database) and the fixed people's own.
    """
    if count < 0:
        raise ValueError("count must not be negative")
    rng = random.Random(seed)  # noqa: S311 - invented demo data, not a secret
    usernames = _Usernames([*taken, *(person.username for person in fixed)])
    staff: list[_Draft] = []
    for department, share in zip(DEPARTMENTS, _department_shares(count), strict=True):
        here = [person for person in fixed if person.department == department.acronym]
        builder = _DepartmentBuilder(department, rng, usernames, first_order=len(staff))
        staff.extend(builder.staff(share, here))
    staff.sort(key=lambda draft: (-draft.rank, draft.order))
    index = {draft: position for position, draft in enumerate(staff)}
    return [
        Person(
            username=draft.username,
            first_name=draft.first_name,
            last_name=draft.last_name,
            email=f"{draft.username}@{draft.department.email_domain}",
            department=draft.department.acronym,
            team=draft.team.slug,
            grade=grades.CODE[draft.rank],
            professions=draft.professions,
            job_title=draft.job_title,
            joined=draft.joined,
            manager=None if draft.manager is None else index[draft.manager],
            is_head=draft.team.head is draft,
        )
        for draft in staff
    ]


def apportion(total: int, weights: Sequence[float]) -> list[int]:
    """Whole shares of `total` in proportion to `weights` (largest remainder)."""
    weight_sum = sum(weights)
    quotas = [total * weight / weight_sum for weight in weights]
    shares = [int(quota) for quota in quotas]
    by_remainder = sorted(range(len(weights)), key=lambda i: (shares[i] - quotas[i], i))
    for i in by_remainder[: total - sum(shares)]:
        shares[i] += 1
    return shares


def apportion_teams(
    total: int, own_weight: float, team_weights: Sequence[float], smallest: int
) -> list[int]:
    """Share `total` between a parent (first share) and its teams (the rest).

    A team is staffed only with at least `smallest` people; with too few to go
    round, the heaviest teams are staffed and the rest stay empty, so a small seed
    gives a few real teams instead of many teams of one.
    """
    by_weight = sorted(range(len(team_weights)), key=lambda i: (-team_weights[i], i))
    staffed = sorted(by_weight[: total // smallest])
    while True:
        shares = apportion(total, [own_weight, *(team_weights[i] for i in staffed)])
        short = [
            i for i, share in zip(staffed, shares[1:], strict=True) if share < smallest
        ]
        if not short:
            break
        staffed.remove(min(short, key=lambda i: (team_weights[i], -i)))
    result = [shares[0]] + [0] * len(team_weights)
    for i, share in zip(staffed, shares[1:], strict=True):
        result[i + 1] = share
    return result


def _department_shares(count: int) -> list[int]:
    floor = 1 if count >= len(DEPARTMENTS) else 0
    rest = apportion(
        count - floor * len(DEPARTMENTS), [dept.weight for dept in DEPARTMENTS]
    )
    return [floor + share for share in rest]


@dataclass(eq=False, slots=True)
class _Draft:
    """A person while the organisation is being staffed."""

    order: int
    department: DepartmentSpec
    team: _Node
    rank: int
    username: str
    first_name: str
    last_name: str
    professions: tuple[str, ...]
    job_title: str
    joined: datetime
    manager: _Draft | None = None
    reports: int = 0


@dataclass(eq=False, slots=True)
class _Node:
    """A team while it is being staffed."""

    spec: TeamSpec
    parent: _Node | None
    depth: int
    professions: tuple[str, ...]
    children: list[_Node] = field(default_factory=list)
    weight_below: float = 0  # the team's weight and all its sub-teams'
    head: _Draft | None = None
    members: list[_Draft] = field(default_factory=list)
    size: int = 0  # people in the team and all the teams below it
    pools: dict[int, _Pool] = field(default_factory=dict)  # possible managers by rank

    @property
    def slug(self) -> str:
        return self.spec.slug

    @property
    def everyone(self) -> list[_Draft]:
        return self.members if self.head is None else [self.head, *self.members]

    def take_manager(self, rank: int) -> _Draft | None:
        """Who in this team should manage someone of `rank`: the nearest grade above
        with room in a span, else the least busy at the nearest grade above."""
        nearest = None
        for above in range(rank + 1, _TOP_RANK + 1):
            pool = self.pools.get(above)
            if pool is None:
                continue
            nearest = nearest or pool
            manager = pool.with_room()
            if manager is not None:
                break
        else:
            if nearest is None:
                return None
            manager = nearest.least_busy()
        manager.reports += 1
        return manager


class _Pool:
    """People of one grade in one team who can take reports.

    Reports fill one manager's span before the next one starts, as in a real team:
    a few line managers with several reports each, not everyone managing one.
    """

    __slots__ = ("people", "current")

    def __init__(self) -> None:
        self.people: list[_Draft] = []
        self.current = 0

    def with_room(self) -> _Draft | None:
        while self.current < len(self.people):
            person = self.people[self.current]
            if person.reports < grades.SPAN_OF_CONTROL:
                return person
            self.current += 1
        return None

    def least_busy(self) -> _Draft:
        return min(self.people, key=lambda person: (person.reports, person.order))


class _DepartmentBuilder:
    def __init__(
        self,
        department: DepartmentSpec,
        rng: random.Random,
        usernames: _Usernames,
        first_order: int,
    ) -> None:
        self.department = department
        self.rng = rng
        self.usernames = usernames
        self.next_order = first_order
        self.nodes: list[_Node] = []
        self.by_slug: dict[str, _Node] = {}
        for spec, parent, depth in department.walk_teams():
            parent_node = None if parent is None else self.by_slug[parent.slug]
            inherited = parent_node.professions if parent_node else ()
            node = _Node(spec, parent_node, depth, spec.professions or inherited)
            if parent_node is not None:
                parent_node.children.append(node)
            self.by_slug[node.slug] = node
            self.nodes.append(node)
        # Children come after their parents, so one pass backwards adds them up.
        for node in reversed(self.nodes):
            node.weight_below += node.spec.weight
            if node.parent is not None:
                node.parent.weight_below += node.weight_below
        self.office, *self.top_teams = (n for n in self.nodes if n.parent is None)
        self.head: _Draft | None = None

    def staff(self, share: int, fixed: Iterable[FixedPerson]) -> list[_Draft]:
        for person in fixed:
            node = self.by_slug[person.team]
            node.members.append(self._place(node, person))
            while node is not None:
                node.size += 1
                node = node.parent
        if share:
            self.head = self._invent(
                self.office,
                grades.RANK[self.department.head_grade],
                self.department.head_title,
            )
            self.office.head = self.head
            # The department's office stands in for its parent: top-level teams
            # report to the department's head.
            self._share_out(self.office, share - 1, self.top_teams)
        self._assign_managers()
        return [person for node in self.nodes for person in node.everyone]

    def _share_out(self, node: _Node, count: int, children: Sequence[_Node]) -> None:
        """Split `count` people between `node` itself and the teams below it."""
        shares = apportion_teams(
            count,
            node.spec.weight,
            [child.weight_below for child in children],
            grades.SMALLEST_TEAM,
        )
        node.members.extend(
            self._invent(node, rank) for rank in self._member_ranks(node, shares[0])
        )
        for child, share in zip(children, shares[1:], strict=True):
            if share:
                self._staff_team(child, share)

    def _staff_team(self, node: _Node, count: int) -> None:
        node.size += count
        rank = self._head_rank(node)
        title = job_titles.head_title(grades.CODE[rank], node.spec.name)
        node.head = self._invent(node, rank, title)
        self._share_out(node, count - 1, node.children)

    def _head_rank(self, node: _Node) -> int:
        rank = next(
            grades.RANK[code]
            for threshold, code in grades.HEAD_GRADE_BY_SIZE
            if node.size >= threshold
        )
        # Before a team is staffed its only members are people placed by hand,
        # such as the demo login: their head should outrank them.
        if node.members:
            rank = max(rank, max(person.rank for person in node.members) + 1)
        caps = grades.HEAD_GRADE_CAP_BY_DEPTH
        rank = min(rank, grades.RANK[caps[min(node.depth, len(caps) - 1)]])
        boss = _boss_above(node, self.head)
        if boss is not None:
            rank = min(rank, boss.rank - 1)
        return max(rank, _LOWEST_RANK)

    def _member_ranks(self, node: _Node, count: int) -> list[int]:
        """Grades for `count` new members of `node`, most senior first.

        Drawn from the pyramid below the team's head, then thinned from the top
        down: a grade gets no more people than those above it can line manage, and
        the rest move one grade down, so a very large team stays a pyramid and
        nobody ends up with dozens of direct reports.
        """
        if not count:
            return []
        population, cum_weights = _member_pyramid(node.head.rank)
        drawn = Counter(self.rng.choices(population, cum_weights=cum_weights, k=count))
        present = Counter(person.rank for person in node.everyone)
        above = sum(n for rank, n in present.items() if rank > population[-1])
        ranks: list[int] = []
        for rank in reversed(population):
            room = (grades.SPAN_OF_CONTROL - 1) * above + 1
            placed = drawn[rank]
            if placed > room and rank > population[0]:
                drawn[rank - 1] += placed - room
                placed = room
            ranks.extend([rank] * placed)
            above += placed + present[rank]
        return ranks

    def _assign_managers(self) -> None:
        department_head = self.head
        for node in self.nodes:
            if node.head is not None and node.head is not department_head:
                node.head.manager = _boss_above(node, department_head, node.head.rank)
                if node.head.manager is not None:
                    node.head.manager.reports += 1
        for node in self.nodes:
            for person in node.everyone:
                node.pools.setdefault(person.rank, _Pool()).people.append(person)
        for node in self.nodes:
            # Seniors first, so each grade's managers are settled before their
            # own reports look for room.
            for person in sorted(node.members, key=lambda p: (-p.rank, p.order)):
                person.manager = _manager_for(person, node, department_head)

    def _invent(self, node: _Node, rank: int, job_title: str | None = None) -> _Draft:
        rng = self.rng
        first_name = rng.choice(names.FIRST_NAMES)
        last_name = rng.choice(names.LAST_NAMES)
        professions = self._professions(node)
        if job_title is None:
            band = job_titles.band(grades.CODE[rank])
            job_title = rng.choice(job_titles.TITLES[professions[0]][band])
        return self._draft(
            node,
            rank,
            username=self.usernames.make(first_name, last_name),
            first_name=first_name,
            last_name=last_name,
            professions=professions,
            job_title=job_title,
        )

    def _place(self, node: _Node, person: FixedPerson) -> _Draft:
        return self._draft(
            node,
            grades.RANK[person.grade],
            username=person.username,
            first_name=person.first_name,
            last_name=person.last_name,
            professions=person.professions,
            job_title=person.job_title,
        )

    def _draft(self, node: _Node, rank: int, **fields) -> _Draft:
        joined = JOINED_FROM + timedelta(
            seconds=self.rng.randrange(JOINED_SPAN_SECONDS)
        )
        draft = _Draft(
            order=self.next_order,
            department=self.department,
            team=node,
            rank=rank,
            joined=joined,
            **fields,
        )
        self.next_order += 1
        return draft

    def _professions(self, node: _Node) -> tuple[str, ...]:
        rng = self.rng
        team, department = node.professions, self.department.professions
        from_team = bool(team) and rng.random() < TEAM_PROFESSION_SHARE
        primary = rng.choice(team if from_team else department)
        if rng.random() < SECOND_PROFESSION_SHARE:
            others = [
                name for name in dict.fromkeys(team + department) if name != primary
            ]
            if others:
                return (primary, rng.choice(others))
        return (primary,)


def _boss_above(
    node: _Node, department_head: _Draft | None, rank: int = _LOWEST_RANK - 1
) -> _Draft | None:
    """The nearest head above `node` who outranks `rank`, else the department head."""
    ancestor = node.parent
    while ancestor is not None:
        if ancestor.head is not None and ancestor.head.rank > rank:
            return ancestor.head
        ancestor = ancestor.parent
    if department_head is not None and department_head.rank > rank:
        return department_head
    return None


def _manager_for(
    person: _Draft, node: _Node, department_head: _Draft | None
) -> _Draft | None:
    """Someone senior in the person's own team, else in a team above, else the
    department's head; None only for the most senior person in the department."""
    team: _Node | None = node
    while team is not None:
        manager = team.take_manager(person.rank)
        if manager is not None:
            return manager
        team = team.parent
    if department_head is not None and department_head.rank > person.rank:
        department_head.reports += 1
        return department_head
    return None


@functools.cache
def _member_pyramid(below: int) -> tuple[tuple[int, ...], tuple[float, ...]]:
    """The member grades below rank `below` and their cumulative weights; a team
    whose head is already the most junior grade gets that grade."""
    weighted = [
        (grades.RANK[code], weight)
        for code, weight in grades.MEMBER_WEIGHTS.items()
        if grades.RANK[code] < below
    ] or [(_LOWEST_RANK, 1)]
    population = tuple(rank for rank, _ in weighted)
    return population, tuple(accumulate(weight for _, weight in weighted))


class _Usernames:
    """firstname.lastname in plain ASCII; a number from 2 upwards on a clash."""

    def __init__(self, taken: Iterable[str]) -> None:
        self.taken = set(taken)
        self.next_suffix: dict[str, int] = {}

    def make(self, first_name: str, last_name: str) -> str:
        base = f"{_plain(first_name)}.{_plain(last_name)}"
        suffix = self.next_suffix.get(base, 1)
        username = base if suffix == 1 else f"{base}{suffix}"
        while username in self.taken:
            suffix += 1
            username = f"{base}{suffix}"
        self.next_suffix[base] = suffix + 1
        self.taken.add(username)
        return username


@functools.cache
def _plain(name: str) -> str:
    """Lower-case ASCII letters, digits and hyphens: Siobhán → siobhan, O'Brien →
    obrien. Letters that do not decompose (Ł) are mapped first."""
    decomposed = unicodedata.normalize("NFKD", name.translate(_TRANSLITERATE))
    ascii_only = decomposed.encode("ascii", "ignore").decode().lower()
    return "".join(char for char in ascii_only if char.isalnum() or char == "-")
