"""Vocabulary of the synthetic cluster: categories, sectors, towns and name parts.

Everything here is fictional except the NACE Rev. 2 codes and their official
names. Region codes start with ``XA`` (the home region) or ``XB`` (outside
it): no NUTS country uses an ``X`` prefix, so the codes cannot be mistaken for
real regions.
"""

from __future__ import annotations

__all__ = [
    "CATEGORIES",
    "CATEGORY_SECTORS",
    "FIELDS",
    "KIND_OF",
    "LEGAL",
    "NAME_PATTERNS",
    "REGIONS",
    "SECTORS",
    "SECTOR_WORDS",
    "STEM_ENDS",
    "STEM_STARTS",
    "THEMES",
    "TOWNS",
]

#: The eight categories, in node-table order, with their share of actors.
CATEGORIES: tuple[tuple[str, float], ...] = (
    ("OEM", 0.020),
    ("tier 1", 0.120),
    ("tier 2", 0.450),
    ("service", 0.367),
    ("university", 0.013),
    ("research centre", 0.020),
    ("training body", 0.007),
    ("trade association", 0.003),
)

KIND_OF: dict[str, str] = {
    "OEM": "firm",
    "tier 1": "supplier",
    "tier 2": "supplier",
    "service": "supplier",
    "university": "institution",
    "research centre": "institution",
    "training body": "institution",
    "trade association": "institution",
}

#: NACE Rev. 2 classes used by the generator, with their official names.
SECTORS: dict[str, str] = {
    "C13.96": "Manufacture of other technical and industrial textiles",
    "C20.13": "Manufacture of other inorganic basic chemicals",
    "C20.30": "Manufacture of paints, varnishes and similar coatings, printing ink and mastics",
    "C22.21": "Manufacture of plastic plates, sheets, tubes and profiles",
    "C22.29": "Manufacture of other plastic products",
    "C23.14": "Manufacture of glass fibres",
    "C24.42": "Aluminium production",
    "C24.44": "Copper production",
    "C24.51": "Casting of iron",
    "C24.53": "Casting of light metals",
    "C25.50": "Forging, pressing, stamping and roll-forming of metal; powder metallurgy",
    "C25.61": "Treatment and coating of metals",
    "C25.62": "Machining",
    "C25.94": "Manufacture of fasteners and screw machine products",
    "C26.11": "Manufacture of electronic components",
    "C26.12": "Manufacture of loaded electronic boards",
    "C27.11": "Manufacture of electric motors, generators and transformers",
    "C27.20": "Manufacture of batteries and accumulators",
    "C27.32": "Manufacture of other electronic and electric wires and cables",
    "C28.13": "Manufacture of other pumps and compressors",
    "C28.15": "Manufacture of bearings, gears, gearing and driving elements",
    "C28.30": "Manufacture of agricultural and forestry machinery",
    "C29.10": "Manufacture of motor vehicles",
    "C29.20": (
        "Manufacture of bodies (coachwork) for motor vehicles; manufacture of trailers "
        "and semi-trailers"
    ),
    "C29.31": "Manufacture of electrical and electronic equipment for motor vehicles",
    "C29.32": "Manufacture of other parts and accessories for motor vehicles",
    "C33.12": "Repair of machinery",
    "H49.41": "Freight transport by road",
    "H52.10": "Warehousing and storage",
    "J62.01": "Computer programming activities",
    "M70.22": "Business and other management consultancy activities",
    "M71.12": "Engineering activities and related technical consultancy",
    "M71.20": "Technical testing and analysis",
    "M72.19": "Other research and experimental development on natural sciences and engineering",
    "N78.20": "Temporary employment agency activities",
    "P85.32": "Technical and vocational secondary education",
    "P85.42": "Tertiary education",
    "S94.11": "Activities of business and employers membership organisations",
}

#: Sectors of categories that do not depend on the sub-cluster's theme.
CATEGORY_SECTORS: dict[str, tuple[tuple[str, ...], tuple[float, ...]]] = {
    "OEM": (("C29.10", "C29.20", "C28.30"), (0.75, 0.15, 0.10)),
    "service": (
        ("M71.12", "M71.20", "H49.41", "H52.10", "J62.01", "C33.12", "M70.22", "N78.20"),
        (0.22, 0.14, 0.16, 0.08, 0.14, 0.12, 0.08, 0.06),
    ),
    "university": (("P85.42",), (1.0,)),
    "research centre": (("M72.19",), (1.0,)),
    "training body": (("P85.32",), (1.0,)),
    "trade association": (("S94.11",), (1.0,)),
}

#: Technology themes of sub-clusters: the sectors of their tier-1 and tier-2
#: suppliers and the research field of their research centres.
THEMES: tuple[tuple[str, tuple[str, ...], tuple[str, ...], str], ...] = (
    (
        "powertrain",
        ("C29.32", "C28.15", "C28.13"),
        ("C24.53", "C25.50", "C25.62", "C24.51"),
        "Powertrain Engineering",
    ),
    (
        "vehicle electronics",
        ("C29.31", "C27.11", "C29.32"),
        ("C26.11", "C26.12", "C27.32", "C25.94"),
        "Automotive Electronics",
    ),
    (
        "lightweight body",
        ("C29.20", "C29.32", "C22.21"),
        ("C24.42", "C22.21", "C25.61", "C23.14"),
        "Lightweight Materials",
    ),
    (
        "interiors",
        ("C29.32", "C22.29", "C13.96"),
        ("C22.29", "C13.96", "C20.30", "C25.94"),
        "Polymer Technology",
    ),
    (
        "battery systems",
        ("C27.20", "C27.11", "C29.31"),
        ("C20.13", "C24.44", "C26.11", "C27.32"),
        "Battery Technology",
    ),
)

#: Words that name a firm's trade, by sector.
SECTOR_WORDS: dict[str, tuple[str, ...]] = {
    "C13.96": ("Technical Textiles", "Fabrics", "Nonwovens"),
    "C20.13": ("Chemicals", "Minerals", "Lithium"),
    "C20.30": ("Coatings", "Paints", "Finishes"),
    "C22.21": ("Extrusions", "Profiles", "Polymers"),
    "C22.29": ("Plastics", "Mouldings", "Polymer Parts"),
    "C23.14": ("Composites", "Glass Fibre", "Fibreglass"),
    "C24.42": ("Aluminium", "Alloys", "Light Metals"),
    "C24.44": ("Copper", "Copper Works", "Conductors"),
    "C24.51": ("Foundry", "Iron Castings", "Ironworks"),
    "C24.53": ("Die Casting", "Castings", "Light Alloy Castings"),
    "C25.50": ("Forgings", "Pressings", "Stampings"),
    "C25.61": ("Surface Treatment", "Plating", "Heat Treatment"),
    "C25.62": ("Precision Machining", "Engineering", "CNC"),
    "C25.94": ("Fasteners", "Fixings", "Screws"),
    "C26.11": ("Electronics", "Semiconductors", "Microsystems"),
    "C26.12": ("Circuits", "PCB Assembly", "Electronic Assemblies"),
    "C27.11": ("E-Motors", "Electric Drives", "Motors & Drives"),
    "C27.20": ("Battery Systems", "Cells", "Energy Storage"),
    "C27.32": ("Cables", "Wiring Systems", "Harness"),
    "C28.13": ("Pumps", "Fluid Systems", "Compressors"),
    "C28.15": ("Gears", "Transmissions", "Driveline"),
    "C28.30": ("Tractors", "Agritech", "Farm Machinery"),
    "C29.10": ("Motors", "Automotive", "Vehicles"),
    "C29.20": ("Coachworks", "Trailers", "Bodies"),
    "C29.31": ("Auto Electrics", "Mobility Electronics", "Sensors"),
    "C29.32": ("Components", "Automotive Parts", "Chassis Systems"),
    "C33.12": ("Maintenance", "Machine Services", "Industrial Services"),
    "H49.41": ("Haulage", "Logistics", "Freight"),
    "H52.10": ("Warehousing", "Storage", "Distribution"),
    "J62.01": ("Software", "Digital", "Data Systems"),
    "M70.22": ("Consulting", "Advisory", "Partners"),
    "M71.12": ("Engineering", "Design", "Technical Consultants"),
    "M71.20": ("Testing", "Test Labs", "Metrology"),
    "N78.20": ("Staffing", "Recruitment", "Personnel"),
}

#: Research fields, for the names of research centres.
FIELDS: tuple[str, ...] = (
    "Advanced Manufacturing",
    "Applied Materials",
    "Automotive Electronics",
    "Battery Technology",
    "Connected Mobility",
    "Digital Production",
    "Electric Drives",
    "Industrial Automation",
    "Joining Technology",
    "Lightweight Materials",
    "Manufacturing Systems",
    "Materials Testing",
    "Polymer Technology",
    "Powertrain Engineering",
    "Production Engineering",
    "Sensor Systems",
    "Surface Engineering",
    "Sustainable Mobility",
    "Vehicle Safety",
    "Hydrogen Technology",
)

#: Legal-form endings by category ("" for none).
LEGAL: dict[str, tuple[str, ...]] = {
    "OEM": ("plc", "Group", "plc", "Holdings"),
    "tier 1": ("Ltd", "Ltd", "Group", "Limited", "plc"),
    "tier 2": ("Ltd", "Ltd", "Ltd", "& Co.", "Limited", "& Sons"),
    "service": ("Ltd", "Ltd", "LLP", "Limited"),
}

#: Name patterns by category: (pattern, probability). Placeholders: {s} and
#: {s2} stems, {t} town, {r} region name, {w} sector word, {f} research field,
#: {l} legal form. The last pattern of each category has a huge space of
#: combinations and is used when a name has to be drawn again to stay unique.
NAME_PATTERNS: dict[str, tuple[tuple[str, float], ...]] = {
    "OEM": (("{s} {w} {l}", 0.8), ("{t} {w} {l}", 0.2), ("{s}-{s2} {w} {l}", 0.0)),
    "tier 1": (("{s} {w} {l}", 0.85), ("{t} {w} {l}", 0.15), ("{s} & {s2} {w} Ltd", 0.0)),
    "tier 2": (("{s} {w} {l}", 0.8), ("{t} {w} {l}", 0.1), ("{s} & {s2} {w} Ltd", 0.1)),
    "service": (("{s} {w} {l}", 0.75), ("{t} {w} {l}", 0.15), ("{s} & {s2} {w} Ltd", 0.1)),
    "university": (
        ("University of {s}", 0.35),
        ("{t} University of Technology", 0.15),
        ("{s} University", 0.3),
        ("{s} Institute of Technology", 0.2),
        ("{s} University, {s2} Campus", 0.0),
    ),
    "research centre": (
        ("{s} Institute for {f}", 0.4),
        ("{t} Centre for {f}", 0.2),
        ("{f} Research Centre {s}", 0.4),
        ("{s}-{s2} Institute for {f}", 0.0),
    ),
    "training body": (
        ("{t} Skills Academy", 0.3),
        ("{s} Technical College", 0.4),
        ("{s} Training Centre", 0.3),
        ("{s} & {s2} Training Centre", 0.0),
    ),
    "trade association": (
        ("{r} Automotive Suppliers' Association", 0.3),
        ("{s} Manufacturers' Association", 0.3),
        ("{t} Chamber of Industry", 0.2),
        ("{r} Mobility Cluster", 0.2),
        ("{s}-{s2} Industry Association", 0.0),
    ),
}

#: Two halves of fictional place-like stems ("Ash" + "ford" = "Ashford").
STEM_STARTS: tuple[str, ...] = (
    "Ald", "Ash", "Bar", "Bel", "Birch", "Black", "Brad", "Bram", "Brom", "Cal",
    "Carr", "Chel", "Clay", "Dal", "Dun", "Elm", "Ever", "Fair", "Fen", "Glen",
    "Gran", "Hal", "Hart", "Hol", "Ing", "Kel", "Kings", "Lang", "Lind", "Marl",
    "Mill", "New", "Nor", "Oak", "Pen", "Pres", "Red", "Ros", "Salt", "Sand",
    "Stan", "Thorn", "Wal", "West", "Whit", "Wood", "Wyn", "Ayl", "Cran", "Hex",
)  # fmt: skip
STEM_ENDS: tuple[str, ...] = (
    "ford", "ley", "ton", "wick", "field", "bury", "dale", "wood", "more", "stead",
    "well", "combe", "ham", "by", "worth", "gate", "brook", "bridge", "croft", "mere",
    "hurst", "shaw", "cott", "den", "vale", "holm", "thorpe", "haven", "low", "marsh",
)  # fmt: skip

#: Regions: (code, name). Codes ``XA..`` are the home region, ``XB..`` outside it.
REGIONS: tuple[tuple[str, str], ...] = (
    ("XA11", "Northvale"),
    ("XA12", "Calder Valley"),
    ("XA13", "Eastmoor"),
    ("XA21", "Southmere"),
    ("XA22", "Westholm"),
    ("XB11", "Harbour Coast"),
    ("XB12", "Lowfield"),
)

#: Towns: (name, region index, lat, lon, share of actors).
TOWNS: tuple[tuple[str, int, float, float, float], ...] = (
    ("Ashbridge", 0, 52.62, -1.95, 0.22),
    ("Calderton", 1, 52.45, -1.60, 0.18),
    ("Eastmoor", 2, 52.55, -1.10, 0.13),
    ("Kingsford", 3, 52.20, -1.75, 0.14),
    ("Millbury", 3, 52.10, -1.30, 0.07),
    ("Westholm", 4, 52.35, -2.30, 0.10),
    ("Harwick Port", 5, 51.50, -2.60, 0.09),
    ("Lowfield", 6, 53.00, -1.00, 0.07),
)
