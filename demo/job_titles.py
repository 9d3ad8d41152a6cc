"""Job titles that fit a person's grade and profession, as the professions use them."""

from demo import professions as p
from demo.grades import RANK

# Titles by band: AA and AO, EO, HEO, SEO, Grade 7, Grade 6, senior civil service.
BANDS = ("admin", "eo", "heo", "seo", "g7", "g6", "scs")

_TITLES: dict[str, tuple[str | tuple[str, ...], ...]] = {
    p.ACTUARIAL: (
        "Actuarial Support Assistant",
        "Actuarial Assistant",
        "Actuarial Trainee",
        "Actuarial Analyst",
        "Actuary",
        "Senior Actuary",
        "Chief Actuary",
    ),
    p.COMMERCIAL: (
        "Procurement Assistant",
        "Procurement Officer",
        "Associate Commercial Specialist",
        "Commercial Manager",
        "Commercial Specialist",
        "Senior Commercial Specialist",
        "Commercial Lead",
    ),
    p.COMMUNICATIONS: (
        "Communications Assistant",
        "Communications Officer",
        ("Press Officer", "Internal Communications Officer"),
        ("Senior Press Officer", "Communications Manager"),
        "Senior Communications Manager",
        "Head of Communications",
        "Director of Communications",
    ),
    p.CORPORATE_FINANCE: (
        "Corporate Finance Assistant",
        "Corporate Finance Officer",
        "Corporate Finance Analyst",
        "Corporate Finance Associate",
        "Corporate Finance Manager",
        "Senior Corporate Finance Manager",
        "Corporate Finance Director",
    ),
    p.COUNTER_FRAUD: (
        "Fraud Support Officer",
        "Fraud Investigator",
        "Counter Fraud Specialist",
        "Senior Fraud Investigator",
        "Counter Fraud Manager",
        "Head of Counter Fraud",
        "Director of Counter Fraud",
    ),
    p.DDAT: (
        "IT Service Desk Analyst",
        ("IT Support Analyst", "Junior Developer", "Associate Data Analyst"),
        ("Developer", "Data Analyst", "Content Designer", "User Researcher"),
        ("Senior Developer", "Delivery Manager", "Data Scientist", "Product Manager"),
        ("Lead Developer", "Technical Architect", "Senior Product Manager"),
        ("Head of Engineering", "Head of Data Science", "Head of Product"),
        "Deputy Director, Digital",
    ),
    p.ECONOMICS: (
        "Analytical Support Assistant",
        "Analytical Support Officer",
        "Assistant Economist",
        "Economist",
        "Economic Adviser",
        "Senior Economic Adviser",
        "Chief Economist",
    ),
    p.FINANCE: (
        "Finance Assistant",
        "Finance Officer",
        ("Management Accountant", "Financial Accountant"),
        "Finance Business Partner",
        "Senior Finance Business Partner",
        "Head of Financial Planning",
        "Deputy Director, Finance",
    ),
    p.HUMAN_RESOURCES: (
        "HR Assistant",
        "HR Officer",
        "HR Adviser",
        "HR Business Partner",
        "Senior HR Business Partner",
        "Head of People Services",
        "HR Director",
    ),
    p.INTELLIGENCE_ANALYSIS: (
        "Intelligence Support Officer",
        "Intelligence Officer",
        "Intelligence Analyst",
        "Senior Intelligence Analyst",
        "Principal Intelligence Analyst",
        "Head of Intelligence Analysis",
        "Director of Intelligence",
    ),
    p.INTERNAL_AUDIT: (
        "Audit Assistant",
        "Trainee Auditor",
        "Internal Auditor",
        "Senior Internal Auditor",
        "Audit Manager",
        "Head of Internal Audit",
        "Director of Internal Audit",
    ),
    p.KNOWLEDGE_AND_INFORMATION: (
        "Records Assistant",
        "Information Officer",
        "Information Manager",
        "Senior Information Manager",
        "Knowledge and Information Management Lead",
        "Head of Information Management",
        "Deputy Director, Knowledge and Information",
    ),
    p.LEGAL: (
        "Legal Support Assistant",
        "Paralegal Officer",
        "Trainee Solicitor",
        "Lawyer",
        ("Lawyer", "Legal Adviser"),
        "Senior Lawyer",
        "Deputy Director, Legal Advisers",
    ),
    p.MEDICAL: (
        "Clinical Support Assistant",
        "Clinical Support Officer",
        "Health Protection Practitioner",
        "Senior Health Protection Practitioner",
        "Medical Adviser",
        "Consultant in Health Protection",
        "Deputy Chief Medical Officer",
    ),
    p.OCCUPATIONAL_PSYCHOLOGY: (
        "Assessment Support Officer",
        "Assessment Officer",
        "Trainee Occupational Psychologist",
        "Occupational Psychologist",
        "Senior Occupational Psychologist",
        "Principal Occupational Psychologist",
        "Chief Psychologist",
    ),
    p.OPERATIONAL_DELIVERY: (
        ("Administrative Officer", "Customer Service Adviser"),
        ("Caseworker", "Operational Delivery Officer", "Team Leader"),
        ("Operations Manager", "Senior Caseworker"),
        "Senior Operations Manager",
        "Operational Delivery Lead",
        "Head of Operations",
        "Deputy Director, Operations",
    ),
    p.OPERATIONAL_RESEARCH: (
        "Analytical Support Assistant",
        "Analytical Support Officer",
        "Operational Researcher",
        "Senior Operational Researcher",
        "Principal Operational Researcher",
        "Senior Principal Operational Researcher",
        "Chief Analyst",
    ),
    p.PLANNING: (
        "Planning Support Assistant",
        "Planning Technician",
        "Planning Officer",
        "Senior Planning Officer",
        "Principal Planner",
        "Head of Planning",
        "Chief Planner",
    ),
    p.PLANNING_INSPECTORS: (
        "Appeals Administrator",
        "Case Officer",
        "Senior Case Officer",
        "Planning Inspector",
        "Senior Planning Inspector",
        "Inspector Manager",
        "Deputy Chief Planning Inspector",
    ),
    p.POLICY: (
        "Policy Support Officer",
        "Policy Officer",
        "Policy Adviser",
        "Senior Policy Adviser",
        ("Policy Lead", "Team Leader"),
        "Head of Policy",
        "Deputy Director, Policy",
    ),
    p.PROJECT_DELIVERY: (
        "Project Support Officer",
        "Project Officer",
        "Project Manager",
        "Senior Project Manager",
        "Programme Manager",
        "Senior Programme Manager",
        "Programme Director",
    ),
    p.PROPERTY: (
        "Estates Assistant",
        "Estates Officer",
        "Property Manager",
        "Chartered Surveyor",
        "Senior Chartered Surveyor",
        "Head of Estates",
        "Director of Property",
    ),
    p.SCIENCE_AND_ENGINEERING: (
        "Laboratory Assistant",
        ("Laboratory Technician", "Assistant Scientist"),
        ("Scientist", "Engineer"),
        ("Senior Scientist", "Senior Engineer"),
        ("Principal Scientist", "Principal Engineer"),
        ("Senior Principal Scientist", "Chief Engineer"),
        "Chief Scientific Adviser",
    ),
    p.SECURITY: (
        "Security Assistant",
        "Security Officer",
        "Security Adviser",
        "Senior Security Adviser",
        ("Security Lead", "Cyber Security Lead"),
        "Head of Security",
        "Director of Security",
    ),
    p.SOCIAL_RESEARCH: (
        "Research Support Assistant",
        "Assistant Research Officer",
        "Research Officer",
        "Senior Research Officer",
        "Principal Research Officer",
        "Senior Principal Research Officer",
        "Chief Social Researcher",
    ),
    p.STATISTICS: (
        "Statistical Support Assistant",
        "Statistical Officer",
        "Assistant Statistician",
        "Statistician",
        "Principal Statistician",
        "Head of Statistical Analysis",
        "Deputy Director, Statistics",
    ),
    p.TAX: (
        "Tax Administrative Officer",
        "Compliance Caseworker",
        "Tax Professional",
        "Senior Tax Professional",
        "Tax Specialist",
        "Senior Tax Specialist",
        "Deputy Director, Tax",
    ),
    p.VETERINARY: (
        "Veterinary Support Assistant",
        "Animal Health Officer",
        "Senior Animal Health Officer",
        "Veterinary Officer",
        "Senior Veterinary Officer",
        "Veterinary Lead",
        "Deputy Chief Veterinary Officer",
    ),
}

# Every cell as a tuple of choices, keyed by profession then band.
TITLES: dict[str, dict[str, tuple[str, ...]]] = {
    profession: {
        band: cell if isinstance(cell, tuple) else (cell,)
        for band, cell in zip(BANDS, cells, strict=True)
    }
    for profession, cells in _TITLES.items()
}

# The title a team's head carries, by their grade.
_HEAD_TITLES = {
    "SCS3": "Director General, {team}",
    "SCS2": "Director, {team}",
    "SCS1": "Deputy Director, {team}",
    "G6": "Head of {team}",
    "G7": "Head of {team}",
}
_TEAM_LEADER = "{team} Team Leader"


def band(grade: str) -> str:
    """The title band of a grade: AA and AO share one, all SCS grades another."""
    return BANDS[min(max(RANK[grade] - 2, 0), len(BANDS) - 1)]


def head_title(grade: str, team: str) -> str:
    return _HEAD_TITLES.get(grade, _TEAM_LEADER).format(team=team)
