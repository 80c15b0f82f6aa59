"""Sentence templates of the fixture copy: quotes, paragraphs, headlines, standfirsts, bullets.

``{slot}`` names are filled by `content.Writer` from the word lists in words.py.
"""

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
