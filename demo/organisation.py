"""The demo organisation: UK-style departments, agencies and their team trees.

Names follow real government bodies so the demo reads true, but every person in it
is invented. Weights are relative headcounts, roughly in proportion to the real
bodies, so that a large seed has a few very large departments and many small ones.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

from django.utils.text import slugify

from demo import professions as p
from profiles.models import Department

# A team with sub-teams keeps only a small office of its own: most of its people
# sit in the teams below.
GROUP_OFFICE_WEIGHT = 0.25
# A corporate function is smaller than a team doing the body's own business: about
# a fifth of a department works in corporate services.
CORPORATE_SCALE = 0.2


@dataclass(frozen=True)
class TeamSpec:
    name: str
    # What most people in the team do; sub-teams inherit it unless they say.
    professions: tuple[str, ...] = ()
    weight: float = 1.0
    children: tuple[TeamSpec, ...] = ()

    @property
    def slug(self) -> str:
        return slugify(self.name)


@dataclass(frozen=True)
class DepartmentSpec:
    name: str
    acronym: str
    kind: Department.Kind
    domain: str
    weight: float
    head_title: str
    head_grade: str
    professions: tuple[str, ...]
    teams: tuple[TeamSpec, ...]
    parent: str | None = None  # the sponsoring department's acronym

    @property
    def office(self) -> TeamSpec:
        """The small team around the body's head, where the head sits."""
        return TeamSpec(
            f"Office of the {self.head_title}", (p.POLICY,), GROUP_OFFICE_WEIGHT
        )

    @property
    def slug(self) -> str:
        return slugify(self.name)

    @property
    def email_domain(self) -> str:
        # The .example top-level domain is reserved (RFC 2606): demo addresses look
        # like gov.uk ones but can never reach a real inbox.
        return f"{self.domain}.example"

    def walk_teams(self) -> Iterator[tuple[TeamSpec, TeamSpec | None, int]]:
        """Every team as (team, parent, depth), parents before their children."""
        yield self.office, None, 0
        stack = [(team, None, 0) for team in reversed(self.teams)]
        while stack:
            team, parent, depth = stack.pop()
            yield team, parent, depth
            stack.extend((child, team, depth + 1) for child in reversed(team.children))


def team(
    name: str,
    *children: TeamSpec,
    professions: tuple[str, ...] = (),
    weight: float | None = None,
) -> TeamSpec:
    if weight is None:
        weight = GROUP_OFFICE_WEIGHT if children else 1.0
    return TeamSpec(name, professions, weight, children)


def corporate_services(*, small: bool = False, digital: bool = True) -> TeamSpec:
    """The corporate functions every body has; `digital=False` where the body's
    digital work is a group of its own."""
    if small:
        functions = [
            team("Finance", professions=(p.FINANCE,)),
            team("People and Capability", professions=(p.HUMAN_RESOURCES,)),
            team("Communications", professions=(p.COMMUNICATIONS,)),
        ]
        if digital:
            functions.append(team("Digital", professions=(p.DDAT,), weight=1.5))
        return _scaled(team("Corporate Services", *functions), CORPORATE_SCALE)
    functions = [
        team(
            "Finance",
            team("Financial Planning and Analysis"),
            team("Financial Accounting"),
            professions=(p.FINANCE,),
        ),
        team(
            "People and Capability",
            team("HR Business Partners"),
            team("Learning and Development"),
            professions=(p.HUMAN_RESOURCES,),
        ),
        team(
            "Commercial",
            team("Procurement"),
            team("Contract Management"),
            professions=(p.COMMERCIAL,),
        ),
        team(
            "Communications",
            team("Press Office"),
            team("Internal Communications"),
            professions=(p.COMMUNICATIONS,),
        ),
        team("Estates and Security", professions=(p.PROPERTY, p.SECURITY)),
        team("Information Management", professions=(p.KNOWLEDGE_AND_INFORMATION,)),
        team("Governance and Assurance", professions=(p.INTERNAL_AUDIT, p.FINANCE)),
    ]
    if digital:
        functions.insert(
            3,
            team(
                "Digital",
                team("Data Science Hub", professions=(p.DDAT, p.STATISTICS)),
                team("Technology and Platforms"),
                team("User-Centred Design"),
                professions=(p.DDAT,),
            ),
        )
    return _scaled(team("Corporate Services", *functions), CORPORATE_SCALE)


def _scaled(spec: TeamSpec, factor: float) -> TeamSpec:
    return replace(
        spec,
        weight=spec.weight * factor,
        children=tuple(_scaled(child, factor) for child in spec.children),
    )


MINISTERIAL = Department.Kind.MINISTERIAL
NON_MINISTERIAL = Department.Kind.NON_MINISTERIAL
AGENCY = Department.Kind.AGENCY
PUBLIC_BODY = Department.Kind.PUBLIC_BODY

PERMANENT_SECRETARY = "Permanent Secretary"
CHIEF_EXECUTIVE = "Chief Executive"

DEPARTMENTS = (
    DepartmentSpec(
        name="HM Treasury",
        acronym="HMT",
        kind=MINISTERIAL,
        domain="hmtreasury.gov.uk",
        weight=1.2,
        head_title=PERMANENT_SECRETARY,
        head_grade="PermSec",
        professions=(p.POLICY, p.ECONOMICS, p.FINANCE),
        teams=(
            team(
                "Public Spending",
                team("Spending Review"),
                team("Public Services Spending"),
                team("Defence and Security Spending"),
                professions=(p.POLICY, p.FINANCE),
            ),
            team(
                "Tax and Welfare",
                team("Personal Tax Policy"),
                team("Business Tax Policy"),
                team("Welfare Reform"),
                professions=(p.POLICY, p.TAX),
            ),
            team(
                "Economics",
                team("Fiscal Policy"),
                team("Macroeconomic Forecasting"),
                team("Economic Risk", professions=(p.ECONOMICS, p.ACTUARIAL)),
                professions=(p.ECONOMICS,),
            ),
            team(
                "Financial Services",
                team("Banking and Credit"),
                team("Financial Stability"),
                team("Corporate Finance Unit", professions=(p.CORPORATE_FINANCE,)),
                professions=(p.POLICY, p.ECONOMICS),
            ),
            corporate_services(),
        ),
    ),
    DepartmentSpec(
        name="Cabinet Office",
        acronym="CO",
        kind=MINISTERIAL,
        domain="cabinetoffice.gov.uk",
        weight=4,
        head_title=PERMANENT_SECRETARY,
        head_grade="PermSec",
        professions=(p.POLICY, p.PROJECT_DELIVERY, p.OPERATIONAL_DELIVERY),
        teams=(
            # The demo login's team: the heaviest group, so that even a small seed
            # staffs it and the demo user has a manager and colleagues.
            team(
                "Digital",
                team(
                    "Data Science Hub", weight=1.5, professions=(p.DDAT, p.STATISTICS)
                ),
                team("Technology and Platforms", weight=1.5),
                team("User-Centred Design", weight=1.5),
                professions=(p.DDAT,),
            ),
            team(
                "Economic and Domestic Secretariat",
                team("Domestic Policy Unit"),
                team("Economic Policy Unit"),
                team("Implementation Unit", professions=(p.PROJECT_DELIVERY,)),
                professions=(p.POLICY,),
            ),
            team(
                "Government People Group",
                team("Civil Service HR Policy"),
                team("Civil Service Learning"),
                team(
                    "Assessment and Recruitment",
                    professions=(p.OCCUPATIONAL_PSYCHOLOGY, p.HUMAN_RESOURCES),
                ),
                professions=(p.HUMAN_RESOURCES,),
            ),
            team(
                "Government Commercial Function",
                team("Procurement Policy"),
                team("Commercial Capability"),
                team("Markets and Suppliers"),
                professions=(p.COMMERCIAL,),
            ),
            team(
                "Government Security Group",
                team("Protective Security"),
                team("Cyber Security Policy", professions=(p.SECURITY, p.DDAT)),
                team(
                    "Joint Intelligence Organisation",
                    professions=(p.INTELLIGENCE_ANALYSIS,),
                ),
                professions=(p.SECURITY,),
            ),
            team(
                "Public Sector Fraud Authority",
                team("Fraud Risk Assessment"),
                team("Counter Fraud Data and Analytics"),
                professions=(p.COUNTER_FRAUD,),
            ),
            corporate_services(digital=False),
        ),
    ),
    DepartmentSpec(
        name="Home Office",
        acronym="HO",
        kind=MINISTERIAL,
        domain="homeoffice.gov.uk",
        weight=8,
        head_title=PERMANENT_SECRETARY,
        head_grade="PermSec",
        professions=(p.OPERATIONAL_DELIVERY, p.POLICY, p.SECURITY),
        teams=(
            team(
                "Border Force",
                team("Heathrow Operations", weight=4),
                team("Maritime Command", weight=2),
                team("Central Region Operations", weight=3),
                professions=(p.OPERATIONAL_DELIVERY,),
            ),
            team(
                "UK Visas and Immigration",
                team("Visa Casework", weight=4),
                team("Asylum Casework", weight=4),
                team("Customer Contact Centre", weight=3),
                professions=(p.OPERATIONAL_DELIVERY,),
            ),
            team(
                "Homeland Security Group",
                team("Counter-Terrorism Policy"),
                team("Economic Crime Policy"),
                team("Intelligence Hub", professions=(p.INTELLIGENCE_ANALYSIS,)),
                professions=(p.POLICY, p.SECURITY),
            ),
            team(
                "Crime, Policing and Fire Group",
                team("Policing Policy"),
                team("Fire and Resilience"),
                team("Crime Analysis", professions=(p.STATISTICS, p.SOCIAL_RESEARCH)),
                professions=(p.POLICY,),
            ),
            corporate_services(),
        ),
    ),
    DepartmentSpec(
        name="Ministry of Justice",
        acronym="MOJ",
        kind=MINISTERIAL,
        domain="justice.gov.uk",
        weight=5,
        head_title=PERMANENT_SECRETARY,
        head_grade="PermSec",
        professions=(p.POLICY, p.LEGAL, p.OPERATIONAL_DELIVERY),
        teams=(
            team(
                "Policy Group",
                team("Criminal Justice Policy"),
                team("Family and Civil Justice Policy"),
                team("Sentencing Policy"),
                professions=(p.POLICY, p.LEGAL),
            ),
            team(
                "Analytical Services",
                team("Justice Statistics", professions=(p.STATISTICS,)),
                team("Evidence and Research", professions=(p.SOCIAL_RESEARCH,)),
                team(
                    "Justice Data Lab",
                    professions=(p.OPERATIONAL_RESEARCH, p.DDAT),
                ),
                professions=(p.STATISTICS, p.ECONOMICS),
            ),
            team(
                "Legal Directorate",
                team("Legal Advisory"),
                team("Litigation"),
                professions=(p.LEGAL,),
            ),
            team(
                "Electronic Monitoring Programme",
                professions=(p.PROJECT_DELIVERY, p.DDAT),
            ),
            corporate_services(),
        ),
    ),
    DepartmentSpec(
        name="Department for Education",
        acronym="DFE",
        kind=MINISTERIAL,
        domain="education.gov.uk",
        weight=3,
        head_title=PERMANENT_SECRETARY,
        head_grade="PermSec",
        professions=(p.POLICY, p.OPERATIONAL_DELIVERY, p.SOCIAL_RESEARCH),
        teams=(
            team(
                "Schools Group",
                team("School Funding"),
                team("Curriculum and Qualifications"),
                team("Teacher Workforce"),
                professions=(p.POLICY,),
            ),
            team(
                "Families Group",
                team("Children's Social Care"),
                team("Early Years"),
                team("Special Educational Needs"),
                professions=(p.POLICY, p.SOCIAL_RESEARCH),
            ),
            team(
                "Skills Group",
                team("Apprenticeships"),
                team("Further Education Funding"),
                professions=(p.POLICY,),
            ),
            team(
                "Operations and Infrastructure Group",
                team("School Capital Programmes", professions=(p.PROPERTY,)),
                team(
                    "Payments and Assurance",
                    professions=(p.FINANCE, p.INTERNAL_AUDIT),
                ),
                professions=(p.OPERATIONAL_DELIVERY, p.PROJECT_DELIVERY),
            ),
            corporate_services(),
        ),
    ),
    DepartmentSpec(
        name="Department for Work and Pensions",
        acronym="DWP",
        kind=MINISTERIAL,
        domain="dwp.gov.uk",
        weight=14,
        head_title=PERMANENT_SECRETARY,
        head_grade="PermSec",
        professions=(p.OPERATIONAL_DELIVERY, p.POLICY, p.COUNTER_FRAUD),
        teams=(
            team(
                "Working Age Operations",
                team("Jobcentres North", weight=6),
                team("Jobcentres Central", weight=6),
                team("Jobcentres South", weight=6),
                team("Universal Credit Service Centres", weight=6),
                professions=(p.OPERATIONAL_DELIVERY,),
            ),
            team(
                "Pensions and Disability Operations",
                team("State Pension Service", weight=5),
                team("Disability Benefits Processing", weight=5),
                professions=(p.OPERATIONAL_DELIVERY,),
            ),
            team(
                "Counter Fraud, Compliance and Debt",
                team("Fraud Investigation Service", weight=3),
                team("Debt Management", professions=(p.OPERATIONAL_DELIVERY,)),
                team("Fraud and Error Statistics", professions=(p.STATISTICS,)),
                professions=(p.COUNTER_FRAUD,),
            ),
            team(
                "Policy Group",
                team("Labour Market Policy"),
                team("Pensions Policy"),
                team("Disability and Health Policy"),
                professions=(p.POLICY, p.ECONOMICS, p.SOCIAL_RESEARCH),
            ),
            team(
                "DWP Digital",
                team("Universal Credit Digital", weight=2),
                team("Digital Platforms"),
                team("Data and Analytics", professions=(p.DDAT, p.STATISTICS)),
                professions=(p.DDAT,),
            ),
            corporate_services(digital=False),
        ),
    ),
    DepartmentSpec(
        name="Department of Health and Social Care",
        acronym="DHSC",
        kind=MINISTERIAL,
        domain="dhsc.gov.uk",
        weight=1.5,
        head_title=PERMANENT_SECRETARY,
        head_grade="PermSec",
        professions=(p.POLICY, p.ECONOMICS, p.MEDICAL),
        teams=(
            team(
                "Global and Public Health",
                team("Health Protection Policy"),
                team("Healthy Behaviours"),
                professions=(p.POLICY, p.MEDICAL),
            ),
            team(
                "NHS Policy and Performance",
                team("NHS Workforce"),
                team("Elective Recovery"),
                team("NHS Finance and Performance", professions=(p.FINANCE,)),
                professions=(p.POLICY, p.ECONOMICS),
            ),
            team(
                "Social Care Group",
                team("Adult Social Care Policy"),
                team("Care Workforce"),
                professions=(p.POLICY,),
            ),
            team("Office of the Chief Medical Officer", professions=(p.MEDICAL,)),
            corporate_services(),
        ),
    ),
    DepartmentSpec(
        name="Department for Transport",
        acronym="DFT",
        kind=MINISTERIAL,
        domain="dft.gov.uk",
        weight=1.5,
        head_title=PERMANENT_SECRETARY,
        head_grade="PermSec",
        professions=(p.POLICY, p.PROJECT_DELIVERY, p.ECONOMICS),
        teams=(
            team(
                "Rail Group",
                team("Rail Strategy"),
                team("Rail Contracts", professions=(p.COMMERCIAL,)),
                team("HS2 Sponsorship", professions=(p.PROJECT_DELIVERY,)),
                professions=(p.POLICY, p.PROJECT_DELIVERY),
            ),
            team(
                "Roads, Places and Environment",
                team("Roads Policy"),
                team("Transport Decarbonisation"),
                team("Local Transport", professions=(p.PLANNING, p.POLICY)),
                professions=(p.POLICY,),
            ),
            team(
                "Aviation, Maritime and Security",
                team("Aviation Policy"),
                team("Maritime Policy"),
                team("Transport Security", professions=(p.SECURITY,)),
                professions=(p.POLICY,),
            ),
            team(
                "Analysis and Science",
                team("Transport Statistics", professions=(p.STATISTICS,)),
                team(
                    "Transport Appraisal and Modelling",
                    professions=(p.ECONOMICS, p.OPERATIONAL_RESEARCH),
                ),
                professions=(p.ECONOMICS, p.SCIENCE_AND_ENGINEERING),
            ),
            corporate_services(),
        ),
    ),
    DepartmentSpec(
        name="Department for Environment, Food and Rural Affairs",
        acronym="Defra",
        kind=MINISTERIAL,
        domain="defra.gov.uk",
        weight=2.5,
        head_title=PERMANENT_SECRETARY,
        head_grade="PermSec",
        professions=(p.POLICY, p.SCIENCE_AND_ENGINEERING, p.ECONOMICS),
        teams=(
            team(
                "Food, Farming and Biosecurity",
                team("Farming Policy"),
                team("Animal Health and Welfare", professions=(p.VETERINARY,)),
                team("Plant Health", professions=(p.SCIENCE_AND_ENGINEERING,)),
                professions=(p.POLICY,),
            ),
            team(
                "Environment",
                team("Water Quality"),
                team("Nature Recovery"),
                team("Waste and Recycling"),
                professions=(p.POLICY,),
            ),
            team(
                "Marine and Fisheries",
                team("Fisheries Policy"),
                team("Marine Planning", professions=(p.PLANNING,)),
                professions=(p.POLICY,),
            ),
            team(
                "Science, Evidence and Analysis",
                team("Environmental Statistics", professions=(p.STATISTICS,)),
                team("Chief Scientist's Group"),
                professions=(p.SCIENCE_AND_ENGINEERING, p.ECONOMICS),
            ),
            corporate_services(),
        ),
    ),
    DepartmentSpec(
        name="Ministry of Defence",
        acronym="MOD",
        kind=MINISTERIAL,
        domain="mod.gov.uk",
        weight=10,
        head_title=PERMANENT_SECRETARY,
        head_grade="PermSec",
        professions=(p.PROJECT_DELIVERY, p.COMMERCIAL, p.POLICY),
        teams=(
            team(
                "Defence Equipment and Support",
                team("Land Equipment", weight=3),
                team("Ships Acquisition", weight=3),
                team("Air Support Contracts", weight=2, professions=(p.COMMERCIAL,)),
                professions=(p.PROJECT_DELIVERY, p.SCIENCE_AND_ENGINEERING),
            ),
            team(
                "Defence Intelligence",
                team("Intelligence Assessments"),
                team("Geospatial Intelligence"),
                professions=(p.INTELLIGENCE_ANALYSIS,),
            ),
            team(
                "Defence Infrastructure Organisation",
                team("Estates Planning", professions=(p.PLANNING, p.PROPERTY)),
                team(
                    "Service Family Accommodation",
                    weight=2,
                    professions=(p.PROPERTY, p.OPERATIONAL_DELIVERY),
                ),
                professions=(p.PROPERTY,),
            ),
            team(
                "Strategy and Policy",
                team("Defence Policy"),
                team("International Security Policy"),
                professions=(p.POLICY,),
            ),
            team(
                "Defence Business Services",
                team("Veterans UK", weight=3, professions=(p.OPERATIONAL_DELIVERY,)),
                team(
                    "Civilian HR Services", weight=2, professions=(p.HUMAN_RESOURCES,)
                ),
                team("Pay and Pensions", weight=2, professions=(p.FINANCE,)),
                professions=(p.OPERATIONAL_DELIVERY,),
            ),
            corporate_services(),
        ),
    ),
    DepartmentSpec(
        name="Department for Business and Trade",
        acronym="DBT",
        kind=MINISTERIAL,
        domain="businessandtrade.gov.uk",
        weight=2,
        head_title=PERMANENT_SECRETARY,
        head_grade="PermSec",
        professions=(p.POLICY, p.ECONOMICS, p.OPERATIONAL_DELIVERY),
        teams=(
            team(
                "Trade Negotiations",
                team("Free Trade Agreements"),
                team("Trade Remedies Policy"),
                professions=(p.POLICY, p.LEGAL, p.ECONOMICS),
            ),
            team(
                "Business Group",
                team("Business Growth"),
                team("Small Business Policy"),
                team("Employment Rights", professions=(p.POLICY, p.LEGAL)),
                professions=(p.POLICY,),
            ),
            team(
                "Exports and Investment",
                team("Export Support Service", professions=(p.OPERATIONAL_DELIVERY,)),
                team("Investment Services"),
                professions=(p.POLICY, p.OPERATIONAL_DELIVERY),
            ),
            team("Analysis Group", professions=(p.ECONOMICS, p.STATISTICS)),
            corporate_services(),
        ),
    ),
    DepartmentSpec(
        name="Department for Science, Innovation and Technology",
        acronym="DSIT",
        kind=MINISTERIAL,
        domain="dsit.gov.uk",
        weight=1.5,
        head_title=PERMANENT_SECRETARY,
        head_grade="PermSec",
        professions=(p.POLICY, p.DDAT, p.SCIENCE_AND_ENGINEERING),
        teams=(
            team(
                "Science, Innovation and Growth",
                team("Research and Innovation Policy"),
                team("Quantum and Emerging Technologies"),
                professions=(p.SCIENCE_AND_ENGINEERING, p.POLICY),
            ),
            team(
                "Digital Technology and Telecoms",
                team("Online Safety"),
                team("Telecoms Security", professions=(p.SECURITY,)),
                team("Digital Infrastructure"),
                professions=(p.POLICY,),
            ),
            team(
                "Government Digital Service",
                team("GOV.UK", weight=2),
                team("GOV.UK One Login", weight=2),
                team(
                    "Data Standards Authority",
                    professions=(p.KNOWLEDGE_AND_INFORMATION,),
                ),
                professions=(p.DDAT,),
            ),
            corporate_services(digital=False),
        ),
    ),
    DepartmentSpec(
        name="Ministry of Housing, Communities and Local Government",
        acronym="MHCLG",
        kind=MINISTERIAL,
        domain="communities.gov.uk",
        weight=1.2,
        head_title=PERMANENT_SECRETARY,
        head_grade="PermSec",
        professions=(p.POLICY, p.PLANNING, p.STATISTICS),
        teams=(
            team(
                "Housing and Planning",
                team("Planning Policy", professions=(p.PLANNING,)),
                team("Housing Supply"),
                team("Building Safety"),
                professions=(p.POLICY,),
            ),
            team(
                "Local Government",
                team("Local Government Finance", professions=(p.FINANCE,)),
                team("Local Growth"),
                professions=(p.POLICY,),
            ),
            team(
                "Communities",
                team("Integration and Communities"),
                team("Homelessness and Rough Sleeping"),
                professions=(p.POLICY, p.SOCIAL_RESEARCH),
            ),
            team("Analysis and Data", professions=(p.STATISTICS, p.ECONOMICS)),
            corporate_services(small=True),
        ),
    ),
    DepartmentSpec(
        name="HM Revenue and Customs",
        acronym="HMRC",
        kind=NON_MINISTERIAL,
        domain="hmrc.gov.uk",
        weight=12,
        head_title="First Permanent Secretary and Chief Executive",
        head_grade="PermSec",
        professions=(p.TAX, p.OPERATIONAL_DELIVERY),
        teams=(
            team(
                "Customer Services Group",
                team("PAYE and Self Assessment", weight=6),
                team("Customer Contact", weight=6),
                team("Debt Management", weight=3),
                professions=(p.OPERATIONAL_DELIVERY, p.TAX),
            ),
            team(
                "Customer Compliance Group",
                team("Large Business", weight=3),
                team("Wealthy and Mid-sized Business Compliance", weight=3),
                team(
                    "Fraud Investigation Service",
                    weight=3,
                    professions=(p.COUNTER_FRAUD,),
                ),
                professions=(p.TAX,),
            ),
            team(
                "Customer Strategy and Tax Design",
                team("Personal Tax"),
                team("Business Tax"),
                team("Indirect Taxes"),
                professions=(p.TAX, p.POLICY),
            ),
            team(
                "Chief Digital and Information Officer Group",
                team("Tax Platforms", weight=2),
                team("Data Services"),
                team("Cyber Security", professions=(p.SECURITY, p.DDAT)),
                professions=(p.DDAT,),
            ),
            team(
                "Knowledge, Analysis and Intelligence",
                team("Tax Statistics", professions=(p.STATISTICS,)),
                team(
                    "Risk and Intelligence Service",
                    professions=(p.INTELLIGENCE_ANALYSIS,),
                ),
                professions=(p.STATISTICS, p.ECONOMICS),
            ),
            corporate_services(digital=False),
        ),
    ),
    DepartmentSpec(
        name="Office for National Statistics",
        acronym="ONS",
        kind=NON_MINISTERIAL,
        domain="ons.gov.uk",
        weight=2,
        head_title="National Statistician",
        head_grade="PermSec",
        professions=(p.STATISTICS, p.SOCIAL_RESEARCH, p.DDAT),
        teams=(
            team(
                "Economic Statistics",
                team("National Accounts"),
                team("Prices"),
                team("Labour Market Statistics"),
                professions=(p.STATISTICS, p.ECONOMICS),
            ),
            team(
                "Population and Public Policy",
                team("Census", weight=2),
                team("Health and Life Events"),
                team(
                    "Social Survey Operations",
                    weight=3,
                    professions=(p.OPERATIONAL_DELIVERY,),
                ),
                professions=(p.STATISTICS, p.SOCIAL_RESEARCH),
            ),
            team("Data Science Campus", professions=(p.DDAT, p.STATISTICS)),
            team(
                "Methodology and Quality",
                professions=(p.STATISTICS, p.OPERATIONAL_RESEARCH),
            ),
            corporate_services(small=True),
        ),
    ),
    DepartmentSpec(
        name="HM Land Registry",
        acronym="HMLR",
        kind=NON_MINISTERIAL,
        domain="landregistry.gov.uk",
        weight=2.5,
        head_title="Chief Executive and Chief Land Registrar",
        head_grade="SCS3",
        professions=(p.OPERATIONAL_DELIVERY, p.LEGAL),
        teams=(
            team(
                "Operations",
                team("Registration Services", weight=6),
                team("Customer Support", weight=2),
                team("Local Land Charges", weight=1.5),
                professions=(p.OPERATIONAL_DELIVERY,),
            ),
            team("Legal Services", professions=(p.LEGAL,)),
            team(
                "Data and Geospatial",
                professions=(p.KNOWLEDGE_AND_INFORMATION, p.DDAT),
            ),
            corporate_services(small=True),
        ),
    ),
    DepartmentSpec(
        name="Government Actuary's Department",
        acronym="GAD",
        kind=NON_MINISTERIAL,
        domain="gad.gov.uk",
        weight=0.4,
        head_title="Government Actuary",
        head_grade="SCS3",
        professions=(p.ACTUARIAL,),
        teams=(
            team("Pensions Consulting", weight=2, professions=(p.ACTUARIAL,)),
            team("Insurance and Investment", professions=(p.ACTUARIAL,)),
            team(
                "Social Security and Modelling",
                professions=(p.ACTUARIAL, p.OPERATIONAL_RESEARCH),
            ),
            corporate_services(small=True),
        ),
    ),
    DepartmentSpec(
        name="Driver and Vehicle Licensing Agency",
        acronym="DVLA",
        kind=AGENCY,
        parent="DFT",
        domain="dvla.gov.uk",
        weight=3,
        head_title=CHIEF_EXECUTIVE,
        head_grade="SCS3",
        professions=(p.OPERATIONAL_DELIVERY,),
        teams=(
            team(
                "Operations",
                team("Driver Licensing", weight=4),
                team("Vehicle Registration", weight=4),
                team("Drivers Medical", weight=2, professions=(p.MEDICAL,)),
                team("Contact Centre", weight=3),
                professions=(p.OPERATIONAL_DELIVERY,),
            ),
            team(
                "Vehicle Enforcement",
                professions=(p.COUNTER_FRAUD, p.OPERATIONAL_DELIVERY),
            ),
            corporate_services(small=True),
        ),
    ),
    DepartmentSpec(
        name="Companies House",
        acronym="CH",
        kind=AGENCY,
        parent="DBT",
        domain="companieshouse.gov.uk",
        weight=1.2,
        head_title="Registrar of Companies and Chief Executive",
        head_grade="SCS2",
        professions=(p.OPERATIONAL_DELIVERY, p.DDAT),
        teams=(
            team(
                "Registrar's Operations",
                team("Registration and Customer Services", weight=3),
                team("Insolvency and Dissolution"),
                professions=(p.OPERATIONAL_DELIVERY,),
            ),
            team(
                "Intelligence and Enforcement",
                professions=(p.COUNTER_FRAUD, p.INTELLIGENCE_ANALYSIS),
            ),
            corporate_services(small=True),
        ),
    ),
    DepartmentSpec(
        name="Met Office",
        acronym="UKMO",
        kind=AGENCY,
        parent="DSIT",
        domain="metoffice.gov.uk",
        weight=1.5,
        head_title=CHIEF_EXECUTIVE,
        head_grade="SCS3",
        professions=(p.SCIENCE_AND_ENGINEERING, p.DDAT),
        teams=(
            team(
                "Science",
                team("Weather Science"),
                team("Met Office Hadley Centre"),
                team("Observations"),
                professions=(p.SCIENCE_AND_ENGINEERING,),
            ),
            team(
                "Services",
                team("Operational Meteorology", weight=2),
                team("Defence Weather Services"),
                team("Public Weather Service"),
                professions=(p.SCIENCE_AND_ENGINEERING, p.OPERATIONAL_DELIVERY),
            ),
            team(
                "Technology",
                team("Supercomputing"),
                team("Science Software Engineering"),
                professions=(p.DDAT,),
            ),
            corporate_services(small=True, digital=False),
        ),
    ),
    DepartmentSpec(
        name="HM Courts and Tribunals Service",
        acronym="HMCTS",
        kind=AGENCY,
        parent="MOJ",
        domain="hmcts.gov.uk",
        weight=6,
        head_title=CHIEF_EXECUTIVE,
        head_grade="SCS3",
        professions=(p.OPERATIONAL_DELIVERY, p.LEGAL),
        teams=(
            team(
                "Courts and Tribunals Operations",
                team("Crown Courts", weight=4),
                team("Magistrates' Courts", weight=4),
                team("Civil and Family Courts", weight=4),
                team("Tribunals", weight=3),
                professions=(p.OPERATIONAL_DELIVERY,),
            ),
            team(
                "Court and Tribunal Reform",
                team("Reform Programme", professions=(p.PROJECT_DELIVERY,)),
                team("Digital Services", weight=2, professions=(p.DDAT,)),
                professions=(p.PROJECT_DELIVERY,),
            ),
            corporate_services(small=True, digital=False),
        ),
    ),
    DepartmentSpec(
        name="Animal and Plant Health Agency",
        acronym="APHA",
        kind=AGENCY,
        parent="Defra",
        domain="apha.gov.uk",
        weight=1.5,
        head_title=CHIEF_EXECUTIVE,
        head_grade="SCS2",
        professions=(p.VETERINARY, p.SCIENCE_AND_ENGINEERING),
        teams=(
            team(
                "Science",
                team("Bacteriology"),
                team("Virology"),
                team("Pathology", professions=(p.VETERINARY,)),
                professions=(p.SCIENCE_AND_ENGINEERING,),
            ),
            team(
                "Field Services",
                team("Animal Health Field Services", weight=2),
                team("Bovine TB Programme"),
                team("Exports and Imports Certification"),
                professions=(p.VETERINARY, p.OPERATIONAL_DELIVERY),
            ),
            corporate_services(small=True),
        ),
    ),
    DepartmentSpec(
        name="Planning Inspectorate",
        acronym="PINS",
        kind=AGENCY,
        parent="MHCLG",
        domain="planninginspectorate.gov.uk",
        weight=0.6,
        head_title=CHIEF_EXECUTIVE,
        head_grade="SCS2",
        professions=(p.PLANNING_INSPECTORS, p.OPERATIONAL_DELIVERY),
        teams=(
            team(
                "Operations",
                team(
                    "Appeals Casework", weight=2, professions=(p.OPERATIONAL_DELIVERY,)
                ),
                team("Inspector Group", weight=3),
                team(
                    "National Infrastructure",
                    professions=(p.PLANNING_INSPECTORS, p.PLANNING),
                ),
                professions=(p.PLANNING_INSPECTORS,),
            ),
            corporate_services(small=True),
        ),
    ),
    DepartmentSpec(
        name="Advisory, Conciliation and Arbitration Service",
        acronym="Acas",
        kind=PUBLIC_BODY,
        parent="DBT",
        domain="acas.org.uk",
        weight=0.8,
        head_title=CHIEF_EXECUTIVE,
        head_grade="SCS2",
        professions=(p.OPERATIONAL_DELIVERY, p.HUMAN_RESOURCES),
        teams=(
            team(
                "Advisory Services",
                team("Helpline", weight=3),
                team("Early Conciliation", weight=3),
                team("Collective Conciliation"),
                team(
                    "Training and Advice",
                    professions=(p.HUMAN_RESOURCES, p.OCCUPATIONAL_PSYCHOLOGY),
                ),
                professions=(p.OPERATIONAL_DELIVERY,),
            ),
            corporate_services(small=True),
        ),
    ),
)

BY_ACRONYM = {department.acronym: department for department in DEPARTMENTS}
