"""Deterministic UK police-news copy for the fixture site.

Headlines, standfirsts, paragraphs, bullet lists and reader comments are built from sentence
templates whose slots are filled from varied word lists (forces, places, ranks, offences, sums of
money, quotes...), so that two articles share little beyond function words and a token-level F1
between extracted and expected text is meaningful. Everything is drawn from the `random.Random`
handed in, and every character is encodable in windows-1252 (some pages are served in it).
"""

from __future__ import annotations

import re
from random import Random

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

QUOTES = {
    "Crime": (
        "This was a complex investigation and I’d like to thank the victims for their courage "
        "in coming forward.",
        "We will not tolerate {offence} in our communities and we’ll continue to target those "
        "responsible.",
        "Today’s sentence sends a clear message that those who exploit vulnerable people will "
        "be brought to justice.",
        "I hope the result gives some reassurance to residents of {place} who have had to live "
        "with this for far too long.",
        "The gang thought they were untouchable but painstaking work by detectives has proved "
        "otherwise.",
    ),
    "Operational Policing": (
        "Our officers have worked tirelessly to keep people safe and I’m proud of the way "
        "they’ve responded.",
        "We’ve listened to residents and this change puts more officers back into "
        "neighbourhoods where they’re needed.",
        "Demand has never been higher and we have to make sure every officer’s time is spent "
        "where it matters most.",
        "This is about giving frontline officers the tools they need to do the job.",
    ),
    "Pay and Conditions": (
        "Officers feel undervalued and the goodwill that has kept the service going is running "
        "out.",
        "We’ve been clear that anything less than an inflation-matching rise would be a "
        "real-terms pay cut.",
        "Colleagues are working longer hours with fewer rest days and it’s taking a toll on "
        "their health.",
        "Members have told us they can’t afford to keep subsidising the service out of their "
        "own pockets.",
    ),
    "Misconduct": (
        "The public rightly expect the highest standards of behaviour from police officers and "
        "this officer fell well short.",
        "There is no place in policing for the attitudes displayed in these messages.",
        "Honesty and integrity are at the heart of what we do and this breach of trust cannot "
        "be excused.",
        "The vast majority of our officers and staff would be appalled by this conduct.",
    ),
    "Roads Policing": (
        "Too many people are still being killed or seriously injured on our roads and most of "
        "these collisions are avoidable.",
        "Drink and drug driving ruins lives and we’ll be out in force throughout the summer.",
        "Our thoughts are with the family at this incredibly difficult time.",
        "Drivers who use a mobile phone behind the wheel are putting everyone around them at risk.",
    ),
    "Training": (
        "Policing has changed enormously and our training needs to reflect the complexity of "
        "the job officers do today.",
        "The feedback from the first cohort has been really positive and we’ve made changes "
        "based on what they told us.",
        "Every officer deserves to feel confident that they have been properly prepared for "
        "what they will face.",
        "Investing in our people is the best investment we can make.",
    ),
}

GENERIC = (
    "The force said a review of the incident was under way and that it would be inappropriate "
    "to comment further.",
    "Figures obtained under the Freedom of Information Act show {force} has lost {number} "
    "officers since {year}.",
    "{name}, the Police and Crime Commissioner for {county}, welcomed the announcement.",
    "The findings of {org} are due to be published in {month}.",
    "Local councillors in {place} called for more visible patrols after a spate of incidents "
    "near {landmark}.",
    "It is the {ordinal} time in {small} years that {force} has been criticised over its "
    "handling of {offence}.",
    "Police Oracle understands the proposals will be discussed by chief officers at a meeting "
    "in {place} next month.",
    "A spokesperson for {org} said the organisation would study the findings carefully.",
    "The force’s annual report, published on {weekday}, describes {year} as one of the most "
    "demanding years in its history.",
)

TEMPLATES = {
    "Crime": (
        "{force_cap} said {number} people had been arrested in connection with {offence} across "
        "{place} since the operation began in {month}.",
        "Officers executed warrants at {small} addresses in {place} and seized {drug} with an "
        "estimated street value of {money}.",
        "The {age}-year-old man was charged with {offence} and remanded in custody to appear "
        "before {court} on {weekday}.",
        "Detectives believe the gang targeted {victims} across {place} and {place2} over a "
        "period of {small} months.",
        "{person}, who led the investigation, said: “{quote}”",
        "He was jailed for {sentence} at {court} after admitting {offence} and {offence2}.",
        "Neighbourhood officers had received intelligence from residents about suspicious "
        "activity near {landmark} in {place}.",
        "Anyone with information is asked to contact {force} on 101 or Crimestoppers anonymously.",
        "Forensic examination of a {vehicle} recovered on the {road} linked the suspects to at "
        "least {small} further offences.",
        "Recorded {offence} in the force area rose by {percent} in the year to {month}, "
        "according to the latest figures.",
        "The court heard the defendant had {small} previous convictions and had been released "
        "on licence weeks earlier.",
        "Cash totalling {money} was found hidden in a loft space alongside {small} mobile phones "
        "and a set of digital scales.",
        "A second suspect, aged {age}, was released under investigation while enquiries continue.",
        "Judge {name} told the defendants they had shown “a callous disregard” for the people "
        "of {place}.",
    ),
    "Operational Policing": (
        "Response officers in {place} attended {number} emergency calls over the weekend, the "
        "busiest period recorded by the control room this year.",
        "The force has introduced {initiative} after a trial in {place} cut complaints by "
        "{percent}.",
        "Mutual aid officers from {force} and {force2} were deployed to support the policing of "
        "{event}.",
        "{person} said: “{quote}”",
        "Under the new model, neighbourhood teams will be aligned with council wards and each "
        "will have a named sergeant.",
        "The custody suite at {place} will close in {month}, with detainees taken to a new "
        "{small}-cell facility in {place2}.",
        "Average response times to emergency calls in rural areas fell from {small} minutes to "
        "under {small2}, according to the force.",
        "Stop and search was used {number} times during the operation, with a positive outcome "
        "rate of {percent}.",
        "Drones and dog units supported the search, which covered more than {small} square "
        "miles of moorland near {place}.",
        "{org_cap} said the changes would be reviewed after {small} months.",
        "Specialist firearms officers were on standby as the warrant was executed shortly after "
        "dawn.",
        "The operation involved {number} officers and staff, including special constables and "
        "volunteer police cadets.",
        "Calls to the non-emergency 101 number went unanswered for an average of {small} "
        "minutes during the evening peak.",
    ),
    "Pay and Conditions": (
        "{org_cap} said members had been left “{adj_neg}” by the decision to delay the pay "
        "award until {month}.",
        "The Police Remuneration Review Body recommended a {percent} increase for all ranks, "
        "backdated to September.",
        "Officers on the front line have seen their pay fall by {percent} in real terms since "
        "{year}, according to the Federation.",
        "Cancelled rest days must be rescheduled within {small} weeks under the new regulations.",
        "{person}, chair of the {county} Police Federation, said: “{quote}”",
        "The changes to the {pay_item} arrangements will affect around {number} serving officers "
        "who joined after {year}.",
        "A survey of {number} members found {percent} had considered leaving the service in the "
        "past year.",
        "The Home Office said the settlement represented the largest increase for officers in "
        "more than a decade.",
        "Overtime budgets in {force} were cut by {money} in the last financial year.",
        "The {pay_item} payment will rise to {money} a year for constables working regular "
        "night shifts.",
        "Talks between the staff side and the official side of the negotiating board broke down "
        "on {weekday}.",
        "Sergeants in {place} reported working an average of {small} unpaid hours a week to "
        "cover vacancies.",
    ),
    "Misconduct": (
        "A gross misconduct hearing found that PC {name} had breached the standards of "
        "professional behaviour relating to honesty and integrity.",
        "The panel, led by a legally qualified chair, ruled the officer would have been "
        "dismissed had she not already resigned.",
        "The Independent Office for Police Conduct began its investigation after a referral "
        "from {force} in {month}.",
        "{person} said: “{quote}”",
        "The officer was given a final written warning for accessing police systems for a "
        "non-policing purpose on {small} occasions.",
        "He will be placed on the barred list held by the College of Policing, preventing him "
        "from working in policing again.",
        "The hearing was told the sergeant sent {small} messages of a discriminatory nature to a "
        "group chat over several months in {year}.",
        "Vetting procedures at the force have since been strengthened, with all staff re-vetted "
        "every {small} years.",
        "The complaint was made by a member of the public who had been arrested in {place} in "
        "{month}.",
        "The watchdog said there was no indication that any officer had behaved in a manner "
        "that would justify disciplinary proceedings.",
        "The constable, who was based in {place}, denied the allegations throughout the "
        "{small}-day hearing.",
        "A misconduct meeting for a second officer is expected to take place in {month}.",
    ),
    "Roads Policing": (
        "Roads policing officers stopped {number} vehicles on the {road} during the "
        "{small}-day operation.",
        "Of the drivers tested, {small} failed a roadside breath test and {small2} tested "
        "positive for cannabis.",
        "The collision happened on the {road} near {place} at around {time} on {weekday}.",
        "{person} said: “{quote}”",
        "The {vehicle} was seized for having no insurance and the driver was reported for "
        "driving without a licence.",
        "Speed cameras on the stretch recorded {number} offences in the first month after the "
        "limit was reduced to 50mph.",
        "Dashcam footage submitted by members of the public has led to {number} prosecutions "
        "through the force’s online portal.",
        "Killed and seriously injured casualties on roads across {county} fell by {percent} "
        "last year.",
        "The roads policing unit lost {small} officers in the restructure, a cut of almost a "
        "third since {year}.",
        "A man aged {age} from {place} was arrested on suspicion of causing death by dangerous "
        "driving.",
        "The carriageway was closed for {small} hours while collision investigators examined "
        "the scene.",
        "Motorcyclists accounted for {percent} of fatalities on rural roads in {county}.",
    ),
    "Training": (
        "Recruits joining {force} will now complete the constable degree apprenticeship in "
        "partnership with {university}.",
        "The College of Policing said the new curriculum would place greater emphasis on "
        "{training_topic}.",
        "{person} said: “{quote}”",
        "More than {number} officers have completed the {small}-day course since it was "
        "launched in {month}.",
        "Taser training will be extended to {percent} of frontline officers by the end of the "
        "financial year.",
        "Probationers spend {small} weeks at the training centre in {place} before joining a "
        "tutor unit.",
        "The first cohort of detectives recruited directly into investigation graduated on "
        "{weekday}.",
        "Officers will also receive refresher training in first aid, including the use of "
        "defibrillators and tourniquets.",
        "The Federation has raised concerns that abstraction for training is leaving response "
        "shifts short of officers.",
        "Each trainee is assessed against the national competency framework before being "
        "granted independent patrol status.",
        "The e-learning package on {training_topic} takes around {small} hours to complete.",
        "Trainers from {force} have been seconded to help design the {training_topic} module.",
    ),
}

TITLES = {
    "Crime": (
        "{number} arrested in {place} {offence_short} crackdown",
        "{place} {offender} jailed for {sentence}",
        "Gang behind {offence} across {place} brought to justice",
        "Detectives seize {money} of {drug} in {place} raids",
        "Appeal launched after {offence_short} spree in {place}",
        "{offender_cap} who targeted {victims} in {place} is jailed",
    ),
    "Operational Policing": (
        "{force_cap} to trial {initiative} in {place}",
        "Mutual aid deployed for {event}",
        "Custody suite in {place} to close in {month}",
        "Neighbourhood policing model overhauled in {place}",
        "Response times improve after {place} control room merger",
        "{number} officers deployed in {place} {offence_short} operation",
    ),
    "Pay and Conditions": (
        "Federation warns over {pay_item} changes in {county}",
        "Officers handed {percent} pay award",
        "{force_cap} cuts overtime budget by {money}",
        "{pay_item_cap} ruling affects {number} officers",
        "Survey finds {percent} of {county} officers considering quitting",
        "Rest day cancellations soar in {place}",
    ),
    "Misconduct": (
        "PC dismissed after {place} misconduct hearing",
        "{place} sergeant would have been sacked over messages",
        "Watchdog investigates {force} over {place} arrest",
        "Officer given final written warning for {place} data breach",
        "{force_cap} detective barred from policing",
        "Inspector cleared of gross misconduct in {place}",
    ),
    "Roads Policing": (
        "{number} drivers caught in {road} crackdown",
        "Man arrested after fatal collision on the {road} near {place}",
        "Dashcam portal leads to {number} prosecutions in {county}",
        "Speed limit cut on the {road} near {place}",
        "Roads policing unit shrinks by a third in {county}",
        "Drink-drive arrests up {percent} in {county} summer campaign",
    ),
    "Training": (
        "{force_cap} recruits begin degree apprenticeship",
        "Taser training extended for {county} officers",
        "Direct entry detectives graduate in {place}",
        "New {training_topic} course for {county} officers",
        "Training abstraction leaving {place} shifts short",
        "{number} officers complete {training_topic} training",
    ),
}

STANDFIRSTS = {
    "Crime": (
        "{force_cap} says the operation has disrupted one of the most active {offence_short} "
        "networks in {place}.",
        "Detectives spent {small} months building the case against the gang, which targeted "
        "{victims}.",
        "The sentencing at {court} brings to an end an investigation lasting more than {small} "
        "years.",
    ),
    "Operational Policing": (
        "Chief officers say the change will free up {number} hours of officer time a year.",
        "The force hopes the move will improve response times across {county}.",
        "More than {number} officers were involved in the operation, which ran for {small} days.",
    ),
    "Pay and Conditions": (
        "Federation representatives say morale in {county} has reached a new low.",
        "The decision affects every rank from constable to chief superintendent.",
        "Officers will see the changes reflected in their pay from {month}.",
    ),
    "Misconduct": (
        "The panel heard the officer had served with {force} for {small} years.",
        "The watchdog’s report criticises the supervision of the team in {place}.",
        "The hearing was held in public at the force headquarters.",
    ),
    "Roads Policing": (
        "Officers say the operation shows that the message is still not getting through.",
        "The force is appealing for witnesses and dashcam footage.",
        "Casualty figures in {county} have fallen for the {ordinal} year running.",
    ),
    "Training": (
        "The programme will run alongside the existing entry routes for at least {small} years.",
        "Trainers say recruits are arriving with a wider range of skills than ever.",
        "The course was designed with input from frontline officers in {place}.",
    ),
}

BULLETS = {
    "Crime": (
        "{number} arrests for {offence}",
        "{money} in cash seized",
        "{small} firearms and {number} rounds of ammunition recovered",
        "{number} safeguarding referrals made",
        "{small} vehicles seized",
        "{number} victims identified and supported",
    ),
    "Operational Policing": (
        "{number} additional neighbourhood officers",
        "a new control room in {place}",
        "{small} custody suites closed",
        "body-worn video for every response officer",
        "{percent} fewer calls abandoned",
    ),
    "Pay and Conditions": (
        "a {percent} rise for all ranks",
        "{pay_item} payments frozen until {month}",
        "{small} rest days cancelled per officer on average",
        "{money} cut from the overtime budget",
    ),
    "Misconduct": (
        "{small} officers dismissed",
        "{number} complaints recorded",
        "{small} final written warnings issued",
        "{number} staff re-vetted",
    ),
    "Roads Policing": (
        "{number} drivers stopped",
        "{small} arrested for drink driving",
        "{number} mobile phone offences",
        "{small} uninsured vehicles seized",
    ),
    "Training": (
        "{number} recruits trained",
        "{small} new trainers appointed",
        "a {small}-week foundation course",
        "{percent} of officers Taser-trained",
    ),
}

COMMENT_SENTENCES = (
    "Been saying this for years and nobody at headquarters listens.",
    "Another example of the front line being left to pick up the pieces.",
    "Good result for the team, well done to all involved.",
    "Spot on, this is exactly what happens in my area every weekend.",
    "The problem is there simply aren’t enough officers to go round.",
    "I retired after thirty years and I don’t recognise the job any more.",
    "Funny how the senior ranks never seem to be affected by any of this.",
    "Credit where it’s due, that was a proper piece of police work.",
    "Where exactly are the extra officers supposed to come from?",
    "Nothing will change until the courts start handing out proper sentences.",
    "Morale on my shift is the lowest I’ve ever seen it.",
    "Shame the article doesn’t mention how many officers were taken off response to do this.",
    "Sounds great on paper but wait until the budget runs out.",
    "Let’s see if the same standards are applied to chief officers.",
    "The custody backlog alone makes this impossible on a late shift.",
    "My thoughts are with the family and with the colleagues who attended.",
    "Typical, announce it on a Friday and hope nobody notices.",
    "Some of us were doing this twenty years ago without a fancy name for it.",
    "The Federation needs to get a lot tougher on this.",
    "Training days keep getting cancelled because there’s nobody to cover.",
)

# The characters a windows-1252 page is guaranteed to contain: ’ “ ” £ é –
CP1252_SENTENCE = (
    "“We’re investing £{thousands},000 in the scheme for {year}–{yy},” said Superintendent "
    "{accented} {surname}."
)
CP1252_MARKERS = ("’", "“", "”", "£", "é", "–")

_SLOT = re.compile(r"\{(\w+)\}")


class Writer:
    """Fills templates from the word lists with one `random.Random`."""

    def __init__(self, rng: Random, year: int = 2020):
        self.rng = rng
        self.year = year  # the article's year: years in its text are earlier
        r = rng
        self.slots = {
            "force": lambda: r.choice(FORCES),
            "force2": lambda: r.choice(FORCES),
            "force_cap": lambda: _cap(r.choice(FORCES)),
            "county": lambda: r.choice(COUNTIES),
            "place": lambda: r.choice(PLACES),
            "place2": lambda: r.choice(PLACES),
            "name": lambda: f"{r.choice(FIRST_NAMES)} {r.choice(SURNAMES)}",
            "surname": lambda: r.choice(SURNAMES),
            "person": lambda: f"{r.choice(RANKS)} {r.choice(FIRST_NAMES)} {r.choice(SURNAMES)}",
            "org": lambda: r.choice(ORGS),
            "org_cap": lambda: _cap(r.choice(ORGS)),
            "offence": lambda: r.choice(OFFENCES),
            "offence2": lambda: r.choice(OFFENCES),
            "offence_short": lambda: r.choice(OFFENCES_SHORT),
            "offender": lambda: r.choice(OFFENDERS),
            "offender_cap": lambda: _cap(r.choice(OFFENDERS)),
            "victims": lambda: r.choice(VICTIMS),
            "drug": lambda: r.choice(DRUGS),
            "vehicle": lambda: r.choice(VEHICLES),
            "road": lambda: r.choice(ROADS),
            "court": lambda: r.choice(COURTS),
            "sentence": lambda: r.choice(SENTENCES),
            "landmark": lambda: r.choice(LANDMARKS),
            "event": lambda: r.choice(EVENTS),
            "initiative": lambda: r.choice(INITIATIVES),
            "pay_item": lambda: r.choice(PAY_ITEMS),
            "pay_item_cap": lambda: _cap(r.choice(PAY_ITEMS)),
            "training_topic": lambda: r.choice(TRAINING_TOPICS),
            "university": lambda: r.choice(UNIVERSITIES),
            "month": lambda: r.choice(MONTHS),
            "weekday": lambda: r.choice(WEEKDAYS),
            "small": lambda: r.choice(SMALL),
            "small2": lambda: r.choice(SMALL),
            "ordinal": lambda: r.choice(ORDINALS),
            "adj_neg": lambda: r.choice(ADJ_NEG),
            "number": lambda: str(r.randint(12, 480)),
            "age": lambda: str(r.randint(17, 64)),
            "year": lambda: str(r.randint(self.year - 9, self.year - 1)),
            "year2": lambda: str(r.randint(self.year - 9, self.year - 1)),
            "percent": lambda: f"{r.randint(3, 48)} per cent",
            "money": self._money,
            "time": lambda: (
                f"{r.randint(1, 11)}.{r.choice(('05', '15', '30', '40', '50'))}"
                f"{r.choice(('am', 'pm'))}"
            ),
        }

    def _money(self) -> str:
        if self.rng.random() < 0.5:
            return f"£{self.rng.randint(2, 950)},000"
        return f"£{self.rng.randint(11, 99) / 10:.1f}m"

    def fill(self, template: str, **extra: str) -> str:
        def one(m: re.Match[str]) -> str:
            key = m.group(1)
            if key in extra:
                return extra[key]
            return self.slots[key]()

        return _SLOT.sub(one, template)

    # --- pieces of an article ------------------------------------------------------------------

    def category(self) -> str:
        return self.rng.choices(CATEGORIES, weights=CATEGORY_WEIGHTS)[0]

    def title(self, category: str) -> str:
        return _cap(self.fill(self.rng.choice(TITLES[category])))

    def standfirst(self, category: str) -> str:
        return _cap(self.fill(self.rng.choice(STANDFIRSTS[category])))

    def sentence(self, category: str, used: set[str]) -> str:
        pool = [t for t in TEMPLATES[category] + GENERIC if t not in used]
        if not pool:
            used.clear()
            pool = list(TEMPLATES[category] + GENERIC)
        # three in four sentences come from the category's own templates
        own = [t for t in pool if t not in GENERIC]
        template = self.rng.choice(own if own and self.rng.random() < 0.75 else pool)
        used.add(template)
        quote = self.fill(self.rng.choice(QUOTES[category]))
        return _cap(self.fill(template, quote=quote))

    def paragraph(self, category: str, used: set[str], lead: str = "") -> str:
        """25 to 60 words of whole sentences (starting with `lead`, if given)."""
        for _ in range(100):
            target = self.rng.randint(25, 60)
            sentences: list[str] = [lead] if lead else []
            words = len(lead.split())
            for _ in range(30):
                if words >= target:
                    break
                s = self.sentence(category, used)
                n = len(s.split())
                if words + n > 60:
                    continue
                sentences.append(s)
                words += n
            if 25 <= words <= 60:
                return " ".join(sentences)
        raise RuntimeError("could not build a paragraph")  # pragma: no cover

    def paragraphs(self, category: str, *, lead: str = "") -> list[str]:
        """4 to 9 paragraphs; `lead` (a sentence) opens the first one."""
        used: set[str] = set()
        out = [self.paragraph(category, used) for _ in range(self.rng.randint(4, 9))]
        if lead:
            out[0] = self.paragraph(category, used, lead=lead)
        return out

    def bullets(self, category: str) -> list[str]:
        items = self.rng.sample(BULLETS[category], k=min(len(BULLETS[category]), 3))
        extra = self.rng.randint(0, 2)
        items += self.rng.sample(BULLETS[category], k=extra)
        seen: list[str] = []
        for item in items:
            text = _cap(self.fill(item))
            if text not in seen:
                seen.append(text)
        return seen

    def cp1252_sentence(self) -> str:
        year = self.year
        return CP1252_SENTENCE.format(
            thousands=self.rng.randint(20, 900),
            year=year,
            yy=f"{(year + 1) % 100:02d}",
            accented=self.rng.choice(("Renée", "André", "Zoé", "Chloé", "José")),
            surname=self.rng.choice(SURNAMES),
        )

    def comment_text(self) -> str:
        k = self.rng.randint(1, 3)
        return " ".join(self.rng.sample(COMMENT_SENTENCES, k=k))

    def commenter(self) -> str:
        return self.rng.choice(COMMENTERS)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text
