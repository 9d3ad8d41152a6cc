"""Civil service grades, and how a realistic pyramid of them is drawn."""

from dataclasses import dataclass


@dataclass(frozen=True)
class GradeSpec:
    code: str
    name: str
    rank: int


GRADES = (
    GradeSpec("AA", "Administrative Assistant", 1),
    GradeSpec("AO", "Administrative Officer", 2),
    GradeSpec("EO", "Executive Officer", 3),
    GradeSpec("HEO", "Higher Executive Officer", 4),
    GradeSpec("SEO", "Senior Executive Officer", 5),
    GradeSpec("G7", "Grade 7", 6),
    GradeSpec("G6", "Grade 6", 7),
    GradeSpec("SCS1", "Senior Civil Service Pay Band 1", 8),
    GradeSpec("SCS2", "Senior Civil Service Pay Band 2", 9),
    GradeSpec("SCS3", "Senior Civil Service Pay Band 3", 10),
    GradeSpec("SCS4", "Senior Civil Service Pay Band 4", 11),
    GradeSpec("PermSec", "Permanent Secretary", 12),
)
RANK = {grade.code: grade.rank for grade in GRADES}
CODE = {grade.rank: grade.code for grade in GRADES}

# Relative numbers of team members (not heads) at each grade, close to the civil
# service's published headcount by responsibility level: most staff are EO to SEO,
# very few are senior civil servants. Heads of teams are placed separately.
MEMBER_WEIGHTS = {
    "AA": 3,
    "AO": 15,
    "EO": 24,
    "HEO": 20,
    "SEO": 14,
    "G7": 12,
    "G6": 6,
    "SCS1": 1,
    "SCS2": 0.3,
}

# A team's head is as senior as the number of people below them warrants: a
# directorate of hundreds has a Director, a team of six a Grade 7.
HEAD_GRADE_BY_SIZE = (
    (1200, "SCS3"),
    (300, "SCS2"),
    (60, "SCS1"),
    (15, "G6"),
    (5, "G7"),
    (1, "SEO"),
)

# ...but no more senior than the level of the team allows: groups, then
# directorates, then teams.
HEAD_GRADE_CAP_BY_DEPTH = ("SCS3", "SCS2", "SCS1")

# Fewer people than this are not worth a team of their own: they stay in the
# team above, so small demo seeds give a few real teams rather than many of one.
SMALLEST_TEAM = 4

# Line managers take on reports up to this span before the next grade up helps out.
SPAN_OF_CONTROL = 8
