"""The civil service professions, by the names their heads of profession use.

Module constants let the organisation data name a profession without a typo going
unnoticed: a misspelt constant fails at import, a misspelt string would not.
"""

ACTUARIAL = "Actuarial"
COMMERCIAL = "Commercial"
COMMUNICATIONS = "Communications"
CORPORATE_FINANCE = "Corporate Finance"
COUNTER_FRAUD = "Counter Fraud"
DDAT = "Digital, Data and Technology"
ECONOMICS = "Economics"
FINANCE = "Finance"
HUMAN_RESOURCES = "Human Resources"
INTELLIGENCE_ANALYSIS = "Intelligence Analysis"
INTERNAL_AUDIT = "Internal Audit"
KNOWLEDGE_AND_INFORMATION = "Knowledge and Information Management"
LEGAL = "Legal"
MEDICAL = "Medical"
OCCUPATIONAL_PSYCHOLOGY = "Occupational Psychology"
OPERATIONAL_DELIVERY = "Operational Delivery"
OPERATIONAL_RESEARCH = "Operational Research"
PLANNING = "Planning"
PLANNING_INSPECTORS = "Planning Inspectors"
POLICY = "Policy"
PROJECT_DELIVERY = "Project Delivery"
PROPERTY = "Property"
SCIENCE_AND_ENGINEERING = "Science and Engineering"
SECURITY = "Security"
SOCIAL_RESEARCH = "Social Research"
STATISTICS = "Statistics"
TAX = "Tax"
VETERINARY = "Veterinary"

ALL = (
    ACTUARIAL,
    COMMERCIAL,
    COMMUNICATIONS,
    CORPORATE_FINANCE,
    COUNTER_FRAUD,
    DDAT,
    ECONOMICS,
    FINANCE,
    HUMAN_RESOURCES,
    INTELLIGENCE_ANALYSIS,
    INTERNAL_AUDIT,
    KNOWLEDGE_AND_INFORMATION,
    LEGAL,
    MEDICAL,
    OCCUPATIONAL_PSYCHOLOGY,
    OPERATIONAL_DELIVERY,
    OPERATIONAL_RESEARCH,
    PLANNING,
    PLANNING_INSPECTORS,
    POLICY,
    PROJECT_DELIVERY,
    PROPERTY,
    SCIENCE_AND_ENGINEERING,
    SECURITY,
    SOCIAL_RESEARCH,
    STATISTICS,
    TAX,
    VETERINARY,
)
