"""Word lists the fixture copy is built from: forces, places, names, ranks, offences...

Every entry is encodable in windows-1252 (some pages are served in it). See content.py.
"""

CATEGORIES = (
    "Crime",
    "Operational Policing",
    "Pay and Conditions",
    "Misconduct",
    "Roads Policing",
    "Training",
)
CATEGORY_WEIGHTS = (30, 20, 12, 14, 12, 12)

AUTHORS = (
    "Ian Hartley",
    "Cathy O'Neill",
    "Renée Laurent",
    "Seán McAllister",
    "Nicola Barnes",
    "Ravi Chaudhry",
    "Zoë Whitfield",
    "Tom D'Arcy",
    "Fiona MacLeod",
    "Gareth Llewellyn",
    "Amira Haddad",
    "Jonathan Pryce-Evans",
)

COMMENTERS = (
    "BluLight",
    "Sarge1987",
    "Retired DC",
    "O'Brien_Beat",
    "Response Plod",
    "FedRep",
    "Custody Skipper",
    "TrafficWallah",
    "Anonymous",
    "Jaded Inspector",
    "PCSO Kev",
    "Special Constable",
    "NightShiftNed",
    "Hélène_K",
    "ex-Met",
    "Probie2015",
)

# fmt: off
FORCES = (
    "the Metropolitan Police", "Greater Manchester Police", "West Midlands Police",
    "Merseyside Police", "Thames Valley Police", "Avon and Somerset Constabulary",
    "Devon and Cornwall Police", "Kent Police", "Essex Police", "Hampshire Constabulary",
    "Northumbria Police", "South Yorkshire Police", "West Yorkshire Police",
    "Lancashire Constabulary", "Police Scotland", "Dyfed-Powys Police", "Gwent Police",
    "North Wales Police", "Cumbria Constabulary", "Durham Constabulary", "Cleveland Police",
    "Lincolnshire Police", "Norfolk Constabulary", "Suffolk Constabulary", "Sussex Police",
    "Surrey Police", "Wiltshire Police", "Dorset Police", "Staffordshire Police",
    "Warwickshire Police", "West Mercia Police", "Leicestershire Police",
    "Nottinghamshire Police", "Derbyshire Constabulary", "Cheshire Constabulary",
    "Humberside Police", "North Yorkshire Police", "Bedfordshire Police",
    "Hertfordshire Constabulary", "Cambridgeshire Constabulary", "the British Transport Police",
)
COUNTIES = (
    "Merseyside", "Kent", "Essex", "Hampshire", "Northumbria", "Lancashire", "Cumbria", "Durham",
    "Cleveland", "Lincolnshire", "Norfolk", "Suffolk", "Sussex", "Surrey", "Wiltshire", "Dorset",
    "Staffordshire", "Warwickshire", "Leicestershire", "Derbyshire", "Cheshire", "Gwent",
    "Bedfordshire", "Hertfordshire", "Cambridgeshire", "North Yorkshire", "West Mercia",
)
PLACES = (
    "Bolton", "Wigan", "Stockport", "Oldham", "Rochdale", "Salford", "Walsall", "Wolverhampton",
    "Dudley", "Coventry", "Birkenhead", "St Helens", "Reading", "Slough", "Milton Keynes",
    "Oxford", "Bristol", "Taunton", "Bath", "Plymouth", "Exeter", "Truro", "Maidstone", "Medway",
    "Margate", "Chelmsford", "Basildon", "Colchester", "Southampton", "Portsmouth", "Gateshead",
    "Sunderland", "Sheffield", "Rotherham", "Doncaster", "Barnsley", "Leeds", "Bradford",
    "Huddersfield", "Wakefield", "Blackpool", "Preston", "Burnley", "Carlisle", "Barrow-in-Furness",
    "Darlington", "Middlesbrough", "Hartlepool", "Lincoln", "Grimsby", "Norwich", "King's Lynn",
    "Ipswich", "Lowestoft", "Brighton", "Crawley", "Hastings", "Guildford", "Woking", "Swindon",
    "Salisbury", "Bournemouth", "Poole", "Stoke-on-Trent", "Tamworth", "Nuneaton", "Worcester",
    "Hereford", "Telford", "Leicester", "Loughborough", "Nottingham", "Mansfield", "Derby",
    "Chesterfield", "Warrington", "Crewe", "Hull", "Scunthorpe", "Harrogate", "Scarborough",
    "Luton", "Bedford", "Stevenage", "Watford", "Peterborough", "Cambridge", "Newport",
    "Cardiff", "Swansea", "Wrexham", "Aberystwyth", "Llanelli", "Glasgow", "Dundee", "Inverness",
)
FIRST_NAMES = (
    "Karen", "David", "Sarah", "Mark", "Helen", "Paul", "Joanne", "Andrew", "Rachel", "Steve",
    "Claire", "Neil", "Emma", "Gary", "Louise", "Simon", "Rebecca", "Darren", "Nadia", "Imran",
    "Zoé", "André", "Chloé", "José", "Siobhán", "Niamh", "Owain", "Rhys", "Priya", "Marcus",
    "Bethan", "Graham", "Yvonne", "Kwame", "Aisha", "Colin", "Deborah", "Lee", "Tracey", "Martin",
)
SURNAMES = (
    "Holloway", "Pritchard", "Okafor", "Brennan", "Whitehead", "Lomax", "Sutcliffe", "Greaves",
    "Ashworth", "Kaur", "Patel", "Nowak", "Fairclough", "Rowlands", "Cartwright", "Gallagher",
    "Thornton", "Beaumont", "Ellison", "Jarvis", "McIntyre", "Oduya", "Ramsden", "Stokes",
    "Tennant", "Varley", "Wainwright", "Yates", "O'Rourke", "Dunmore", "Hussain", "Kowalski",
    "Lindqvist", "Mensah", "Pemberton", "Quigley", "Sharrock", "Threlfall", "Whitaker", "Crossley",
)
RANKS = (
    "PC", "Sergeant", "Inspector", "Chief Inspector", "Superintendent", "Chief Superintendent",
    "Detective Constable", "Detective Sergeant", "Detective Inspector",
    "Detective Chief Inspector", "Detective Superintendent", "Assistant Chief Constable",
    "Deputy Chief Constable", "Chief Constable", "Commander",
)
ORGS = (
    "the Home Office", "the College of Policing", "the Police Federation",
    "HM Inspectorate of Constabulary", "the Independent Office for Police Conduct",
    "the Crown Prosecution Service", "the National Crime Agency",
    "the National Police Chiefs' Council", "the Police Superintendents' Association",
    "Unison", "the Police Remuneration Review Body", "the Association of Police and Crime "
    "Commissioners", "the Home Affairs Select Committee", "the Local Government Association",
)
OFFENCES = (
    "burglary", "knife crime", "county lines drug dealing", "fraud", "cyber crime",
    "domestic abuse", "anti-social behaviour", "vehicle crime", "modern slavery",
    "child sexual exploitation", "metal theft", "rural crime", "shoplifting", "hate crime",
    "arson", "money laundering", "firearms offences", "robbery", "stalking and harassment",
    "people smuggling", "theft of catalytic converters", "livestock worrying", "online grooming",
)
OFFENCES_SHORT = (
    "burglary", "drugs", "knife crime", "car theft", "fraud", "robbery", "cannabis farm",
    "metal theft", "dog theft", "cash machine",
)
OFFENDERS = ("burglar", "drug dealer", "fraudster", "car thief", "robber", "stalker", "arsonist")
VICTIMS = (
    "elderly residents", "rural businesses", "corner shops", "vulnerable young people",
    "holidaymakers", "farmers", "students", "pensioners living alone", "taxi drivers",
)
DRUGS = ("cocaine", "heroin", "cannabis", "ketamine", "MDMA", "crack cocaine", "amphetamine")
VEHICLES = (
    "silver Vauxhall Astra", "stolen BMW X5", "white Ford Transit van", "black Audi A3",
    "Honda motorcycle", "Range Rover Sport", "Volkswagen Golf", "Mercedes Sprinter van",
)
ROADS = ("M1", "M6", "M62", "A1(M)", "A38", "A303", "M25", "A14", "M4", "A66", "M5", "A55", "A9",
         "M18", "A30", "A5", "M180", "A49")
COURTS = (
    "Manchester Crown Court", "Liverpool Crown Court", "Bristol Crown Court",
    "Leeds Crown Court", "the Old Bailey", "Snaresbrook Crown Court", "Cardiff Crown Court",
    "Birmingham Crown Court", "Newcastle Crown Court", "Maidstone Crown Court",
    "Sheffield Crown Court", "Preston Crown Court", "Norwich Crown Court",
    "Teesside Crown Court", "Exeter Crown Court", "the High Court in Glasgow",
)
SENTENCES = (
    "six years", "18 months", "four years and eight months", "nine years", "two years",
    "life with a minimum term of 22 years", "three and a half years", "28 months", "12 years",
    "an extended sentence of 11 years",
)
LANDMARKS = (
    "the railway station", "the retail park", "the high street", "a primary school",
    "the leisure centre", "the canal towpath", "the bus station", "the town hall",
    "the hospital car park", "a shopping centre", "the seafront", "the university campus",
)
EVENTS = (
    "the Notting Hill Carnival", "the G8 summit", "the party conference",
    "a Premier League derby", "the Glastonbury Festival", "the Commonwealth Games",
    "Remembrance Sunday commemorations", "the royal wedding", "the Open golf championship",
    "a series of climate protests", "the Grand National", "the European Championship final",
)
INITIATIVES = (
    "a single online crime reporting system", "drones for missing person searches",
    "mobile fingerprint scanners", "a mental health triage car", "spit and bite guards",
    "community speedwatch", "live facial recognition", "a rural crime team",
    "body-worn video for special constables", "a dedicated burglary unit",
)
PAY_ITEMS = (
    "overtime", "rest day", "pension", "allowance", "shift pattern", "on-call payment",
    "housing allowance", "competence-related threshold payment", "unsocial hours",
)
TRAINING_TOPICS = (
    "mental health awareness", "domestic abuse", "digital investigation",
    "evidence-based policing", "de-escalation", "stop and search", "leadership",
    "first aid", "public order", "roads policing", "interviewing",
)
UNIVERSITIES = (
    "the University of Derby", "the University of Central Lancashire", "the University of "
    "Cumbria", "the University of South Wales", "the University of Portsmouth",
    "Staffordshire University", "Canterbury Christ Church University", "Teesside University",
)
MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
SMALL = ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "12")
ORDINALS = ("second", "third", "fourth", "fifth")
ADJ_NEG = ("angry and demoralised", "deeply disappointed", "betrayed", "frustrated", "insulted")

# fmt: on
