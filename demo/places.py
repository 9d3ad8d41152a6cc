"""Where demo staff work, and the telephone numbers they can be reached on.

Buildings are real government offices and hubs, so the demo reads true; which body
sits where is close to the real estate but not exact. Each body lists its sites
headquarters first: most of its people work there.

Telephone numbers come only from the ranges Ofcom keeps for drama and fiction, so a
demo number can never ring a real person.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Site:
    name: str
    address: str
    city: str


LONDON = "London"

SITES = (
    Site("1 Horse Guards Road, London", "1 Horse Guards Road, SW1A 2HQ", LONDON),
    Site("70 Whitehall, London", "70 Whitehall, SW1A 2AS", LONDON),
    Site(
        "10 South Colonnade, London",
        "10 South Colonnade, Canary Wharf, E14 4PU",
        LONDON,
    ),
    Site("2 Marsham Street, London", "2 Marsham Street, SW1P 4DF", LONDON),
    Site("102 Petty France, London", "102 Petty France, SW1H 9AJ", LONDON),
    Site("Sanctuary Buildings, London", "20 Great Smith Street, SW1P 3BT", LONDON),
    Site("Caxton House, London", "Tothill Street, SW1H 9NA", LONDON),
    Site("39 Victoria Street, London", "39 Victoria Street, SW1H 0EU", LONDON),
    Site("Great Minster House, London", "33 Horseferry Road, SW1P 4DR", LONDON),
    Site("Seacole Building, London", "2 Marsham Street, SW1P 4DF", LONDON),
    Site("MOD Main Building, London", "Whitehall, SW1A 2HB", LONDON),
    Site("Old Admiralty Building, London", "Admiralty Place, SW1A 2DY", LONDON),
    Site("100 Parliament Street, London", "100 Parliament Street, SW1A 2BQ", LONDON),
    Site("22 Whitehall, London", "22 Whitehall, SW1A 2EG", LONDON),
    Site("Royal Courts of Justice, London", "Strand, WC2A 2LL", LONDON),
    Site("Finlaison House, London", "15-17 Furnival Street, EC4A 1AB", LONDON),
    Site("Lunar House, Croydon", "40 Wellesley Road, CR9 2BY", "Croydon"),
    Site("Trafalgar House, Croydon", "1 Bedford Park, CR0 2AQ", "Croydon"),
    Site("Sheffield Hub", "Vulcan House, 6 Millsands, S3 8NU", "Sheffield"),
    Site("Quarry House, Leeds", "Quarry Hill, LS2 7UA", "Leeds"),
    Site("7 Wellington Place, Leeds", "7 Wellington Place, LS1 4AP", "Leeds"),
    Site("Darlington Economic Campus", "Feethams House, DL1 5AD", "Darlington"),
    Site(
        "23 Stephenson Street, Birmingham", "23 Stephenson Street, B2 4BH", "Birmingham"
    ),
    Site("Three Snowhill, Birmingham", "Snow Hill Queensway, B4 6GA", "Birmingham"),
    Site("i9, Wolverhampton", "Wolverhampton Interchange, WV1 1LD", "Wolverhampton"),
    Site("Piccadilly Place, Manchester", "Piccadilly Place, M1 3BN", "Manchester"),
    Site("Benton Park View, Newcastle", "Longbenton, NE98 1YX", "Newcastle upon Tyne"),
    Site("Temple Quay House, Bristol", "2 The Square, BS1 6PN", "Bristol"),
    Site("MOD Abbey Wood, Bristol", "Filton, BS34 8JH", "Bristol"),
    Site("Horizon House, Bristol", "Deanery Road, BS1 5AH", "Bristol"),
    Site("Foss House, York", "Kings Pool, 1-2 Peasholme Green, YO1 7PX", "York"),
    Site("FitzRoy Road, Exeter", "FitzRoy Road, EX1 3PB", "Exeter"),
    Site("APHA Weybridge", "Woodham Lane, New Haw, KT15 3NB", "Addlestone"),
    Site("Quay House, Cardiff", "Callaghan Square, CF10 5BT", "Cardiff"),
    Site("Ty William Morgan, Cardiff", "6 Central Square, CF10 1EP", "Cardiff"),
    Site("Crown Way, Cardiff", "Crown Way, Maindy, CF14 3UZ", "Cardiff"),
    Site("Government Buildings, Newport", "Cardiff Road, NP10 8XG", "Newport"),
    Site("Longview Road, Swansea", "Longview Road, Morriston, SA6 7JL", "Swansea"),
    Site("Queen Elizabeth House, Edinburgh", "1 Sibbald Walk, EH8 8FT", "Edinburgh"),
    Site("1 Atlantic Quay, Glasgow", "1 Robertson Street, G2 8JB", "Glasgow"),
    Site("Erskine House, Belfast", "20-32 Chichester Street, BT1 4GF", "Belfast"),
)

# Sites by body, headquarters first. Bodies share the regional hubs, as they do.
BY_DEPARTMENT: dict[str, tuple[str, ...]] = {
    "HMT": (
        "1 Horse Guards Road, London",
        "Darlington Economic Campus",
        "1 Atlantic Quay, Glasgow",
    ),
    "CO": (
        "70 Whitehall, London",
        "10 South Colonnade, London",
        "1 Atlantic Quay, Glasgow",
        "Quay House, Cardiff",
        "Foss House, York",
    ),
    "HO": (
        "2 Marsham Street, London",
        "Lunar House, Croydon",
        "Sheffield Hub",
        "Erskine House, Belfast",
    ),
    "MOJ": ("102 Petty France, London", "Sheffield Hub", "Quay House, Cardiff"),
    "DFE": (
        "Sanctuary Buildings, London",
        "Darlington Economic Campus",
        "Sheffield Hub",
        "Piccadilly Place, Manchester",
    ),
    "DWP": (
        "Caxton House, London",
        "Quarry House, Leeds",
        "Benton Park View, Newcastle",
        "Sheffield Hub",
        "Piccadilly Place, Manchester",
        "Quay House, Cardiff",
        "1 Atlantic Quay, Glasgow",
    ),
    "DHSC": ("39 Victoria Street, London", "Quarry House, Leeds"),
    "DFT": (
        "Great Minster House, London",
        "23 Stephenson Street, Birmingham",
        "Longview Road, Swansea",
    ),
    "Defra": (
        "Seacole Building, London",
        "Foss House, York",
        "Horizon House, Bristol",
    ),
    "MOD": (
        "MOD Main Building, London",
        "MOD Abbey Wood, Bristol",
        "Queen Elizabeth House, Edinburgh",
    ),
    "DBT": (
        "Old Admiralty Building, London",
        "Darlington Economic Campus",
        "Piccadilly Place, Manchester",
        "Queen Elizabeth House, Edinburgh",
    ),
    "DSIT": ("22 Whitehall, London", "23 Stephenson Street, Birmingham"),
    "MHCLG": (
        "2 Marsham Street, London",
        "i9, Wolverhampton",
        "23 Stephenson Street, Birmingham",
    ),
    "HMRC": (
        "100 Parliament Street, London",
        "7 Wellington Place, Leeds",
        "Three Snowhill, Birmingham",
        "Ty William Morgan, Cardiff",
        "Queen Elizabeth House, Edinburgh",
        "1 Atlantic Quay, Glasgow",
        "Erskine House, Belfast",
    ),
    "ONS": ("Government Buildings, Newport", "10 South Colonnade, London"),
    "HMLR": ("Trafalgar House, Croydon", "Three Snowhill, Birmingham"),
    "GAD": ("Finlaison House, London", "Queen Elizabeth House, Edinburgh"),
    "DVLA": ("Longview Road, Swansea",),
    "CH": ("Crown Way, Cardiff", "10 South Colonnade, London"),
    "UKMO": ("FitzRoy Road, Exeter",),
    "HMCTS": (
        "102 Petty France, London",
        "Royal Courts of Justice, London",
        "Piccadilly Place, Manchester",
        "Three Snowhill, Birmingham",
    ),
    "APHA": ("APHA Weybridge", "Foss House, York"),
    "PINS": ("Temple Quay House, Bristol", "Quay House, Cardiff"),
    "Acas": ("23 Stephenson Street, Birmingham", "10 South Colonnade, London"),
}

# A body's headquarters holds most of its people; the other sites share the rest.
HEADQUARTERS_SHARE = 0.6

# Ofcom's drama ranges: each gives a thousand numbers, the last three digits free.
# Cities without a range of their own use the one with no area.
_DRAMA_LANDLINES = {
    LONDON: "020 7946 0",
    "Croydon": "020 7946 0",
    "Leeds": "0113 496 0",
    "Sheffield": "0114 496 0",
    "Bristol": "0117 496 0",
    "Birmingham": "0121 496 0",
    "Wolverhampton": "0121 496 0",
    "Edinburgh": "0131 496 0",
    "Glasgow": "0141 496 0",
    "Manchester": "0161 496 0",
    "Newcastle upon Tyne": "0191 498 0",
    "Cardiff": "029 2018 0",
    "Newport": "029 2018 0",
    "Belfast": "028 9018 0",
}
_DRAMA_NO_AREA = "01632 960"
_DRAMA_MOBILE = "07700 900"

BY_NAME = {site.name: site for site in SITES}


def landline(city: str, last_three: int) -> str:
    """A drama-range number in `city`'s area, e.g. 020 7946 0123."""
    return f"{_DRAMA_LANDLINES.get(city, _DRAMA_NO_AREA)}{last_three:03d}"


def mobile(last_three: int) -> str:
    """A drama-range mobile number, e.g. 07700 900123."""
    return f"{_DRAMA_MOBILE}{last_three:03d}"
