"""Closed word lists the rule-based extractors share: titles, calendar and organisation words."""

from __future__ import annotations

MONTHS = frozenset(
    str.split(
        "january february march april may june july august september october november december "
        "jan feb mar apr jun jul aug sep sept oct nov dec"
    )
)
WEEKDAYS = frozenset(
    str.split(
        "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs "
        "fri sat sun"
    )
)

# Lower-cased words that head a role ("trade analyst", "Attorney General", "vice chair").
ROLE_HEADS = frozenset(
    str.split("""
    president president-elect vice-president minister secretary secretary-general governor judge
    justice commissioner chairman chairwoman chair chairperson director director-general executive
    officer ceo cfo coo cto founder co-founder spokesperson spokesman spokeswoman king queen prince
    princess analyst expert economist strategist attorney general chancellor senator mayor
    ambassador envoy speaker leader head chief contender candidate lawyer professor researcher
    scientist official adviser advisor aide manager coach captain negotiator editor correspondent
    premier governor-general commander inspector superintendent treasurer magistrate prosecutor
    deputy representative congressman congresswoman lawmaker mp pope cardinal bishop archbishop
    sheikh emir sultan chairmen presidents ministers spokesperson director general curator
    teacher student farmer doctor nurse engineer architect author writer artist actor singer
    player striker goalkeeper grandmaster champion driver pilot owner activist campaigner
    organiser organizer historian journalist photographer designer investor trader banker
    lecturer scholar priest imam rabbi consultant partner conservator planner councillor
    councilor hydrologist archaeologist midfielder defender winger goalkeeper batsman
    bowler businessman businesswoman entrepreneur tycoon member epidemiologist meteorologist
    climatologist geologist seismologist volcanologist virologist biologist ecologist chemist
    physicist psychologist sociologist criminologist statistician physician surgeon pharmacist
    technician politician diplomat pollster demographer glaciologist oceanographer astronomer
    astronaut veterinarian paramedic firefighter broadcaster presenter solicitor barrister
    counsel physiotherapist physio therapist midwife referee umpire jockey trainer accountant
    auditor registrar dean provost rector vice-chancellor headteacher headmaster headmistress
    pastor chaplain sergeant constable detective colonel lieutenant corporal admiral marshal
    """)
)
# Lower-cased words that may stand inside a role before its head ("deputy", "energy", "police").
ROLE_MODIFIERS = frozenset(
    str.split("""
    deputy vice former outgoing incoming acting interim chief senior junior assistant associate
    executive managing general national state federal foreign finance defence defense interior
    home health trade energy police competition security justice economy economic digital prime
    crown supreme high first lead principal special top regional local security-policy
    """)
)
# Titles written before a name that belong to the name, not the role ("Lord Coe", "Mr Zuma").
HONORIFICS = frozenset(
    str.split(
        "mr mrs ms miss dr prof sir dame lord lady prince princess king queen sheikh emir sultan "
        "rev father sister brother"
    )
)
# Honorifics that also tell the person's role when the text gives no other.
ROYAL = frozenset(str.split("king queen prince princess sultan emir sheikh"))

# Plural role nouns that introduce examples: "security experts, like X".
ROLE_PLURALS = {
    "experts": "expert",
    "analysts": "analyst",
    "officials": "official",
    "economists": "economist",
    "observers": "observer",
    "critics": "critic",
    "leaders": "leader",
    "lawmakers": "lawmaker",
    "researchers": "researcher",
    "scientists": "scientist",
}

# Capitalised words that never start or make a person's name.
NOT_NAMES = frozenset(
    str.split("""
    the a an in on at by for from with of to and or but if as so this that these those it its he she
    they we you i his her their our my your there here when where what who why how while after
    before since until during both some all many most more much few several each every any no not
    now today yesterday tomorrow last next meanwhile however although though also even still yet
    then than thus asked according under over into about against between among across amid despite
    instead such other another one two three four five six seven eight nine ten first second third
    new old great big good bad high low mid late early breaking update updated published photo
    related read more watch live analysis highlights headline rewritten article scenario reuters
    afp ap bbc cnn via source sources image getty images editor's note home business tech
    sport sports opinion news story stories just only please click subscribe sign cookie cookies
    member members
    internet covid coronavirus olympic olympics games cup summit conference day week month year
    north south east west northern southern eastern western central
    """)
)

# Words that make a capitalised sequence an organisation ("US Justice Department").
ORG_WORDS = frozenset(
    str.split("""
    department ministry bank commission committee council court organization organisation assembly
    agency union party association federation institute university college corporation company
    inc ltd llc plc group authority board office service services fund forum parliament senate
    congress police army navy force forces movement foundation network bureau cabinet tribunal
    administration government club league society trust alliance coalition centre center
    hospital school academy exchange reserve athletics airlines airways motors industries
    holdings partners capital times post journal herald tribune guardian telegraph press
    house station channel broadcasting television radio magazine bloc secretariat treasury
    chamber hawks museum gallery library theatre theater zoo stadium airport cathedral church
    corp homes project
    estates properties developments ventures technologies systems labs logistics investments
    securities solutions pharmaceuticals survey inspectorate regulator directorate observatory
    """)
)
# Lower-case nouns that say the name beside them is a body: "Cosmetics Europe, the industry
# association,", "developer Marlow Estates", "the website VoteWatch".
ORG_NOUNS = frozenset(
    str.split("""
    association group company firm organisation organization charity party lobby agency regulator
    developer club website newspaper broadcaster network alliance coalition federation carrier
    airline bank insurer lender retailer supermarket chain manufacturer maker startup start-up
    consultancy publisher broker operator utility watchdog thinktank think-tank institute union
    """)
)
# Words that end the name of a building or site ("City Hall", "Union Square"). They are not
# organisation words, since some are also surnames ("Stuart Hall"): a run ending in one is a
# person only when the text gives other evidence.
FACILITY_WORDS = frozenset(
    str.split("""
    hall square tower palace bridge street road avenue plaza gardens terminal highway motorway
    """)
)
# Words that make a capitalised sequence a place ("Port Halden", "Lake Volta").
PLACE_WORDS = frozenset(
    str.split(
        "port lake mount mountains river cape fort bay island islands county province district "
        "valley gulf sea ocean peninsula"
    )
)
# Family ties that are not roles ("a son of King Salman").
KIN = frozenset(str.split("son daughter wife husband father mother brother sister cousin friend"))
# Laws and events: capitalised, but neither people nor organisations.
EVENT_WORDS = frozenset(
    str.split(
        "act bill law treaty accord agreement games championship championships cup olympics war "
        "summit convention protocol festival awards prize award"
    )
)

# Words that name a storm before its name ("Typhoon Kajiki", "Hurricane Milton").
STORM_WORDS = frozenset(str.split("typhoon hurricane cyclone storm"))
# Lower-case nouns that say the name before them is a place ("Ha Tinh provinces", "Sindh region").
PLACE_NOUNS = frozenset(
    str.split(
        "province provinces region regions district districts county counties state states city "
        "town village municipality prefecture governorate oblast"
    )
)

# Well-known organisations named by a single word or acronym.
KNOWN_ORGS = frozenset(
    str.split("""
    UN EU WHO NATO OPEC OPEC+ IMF IOC FIFA UEFA WTO ASEAN OECD UNESCO UNICEF UNHCR ICC ICJ FBI CIA
    NASA Apple Meta Google Alphabet Microsoft Amazon Twitter Facebook Tesla Reuters AFP AP BBC CNN
    Pentagon Kremlin Hamas Hezbollah Taliban Nvidia Samsung Toyota Boeing Airbus OpenAI Politico
    """)
)

# Adjectives of nationality mapped to the country, for roles like "Saudi Energy Minister".
DEMONYMS = {
    "american": "US",
    "us": "US",
    "u.s.": "US",
    "british": "UK",
    "uk": "UK",
    "russian": "Russia",
    "saudi": "Saudi Arabia",
    "chinese": "China",
    "french": "France",
    "german": "Germany",
    "indian": "India",
    "mexican": "Mexico",
    "kenyan": "Kenya",
    "japanese": "Japan",
    "italian": "Italy",
    "spanish": "Spain",
    "canadian": "Canada",
    "brazilian": "Brazil",
    "ukrainian": "Ukraine",
    "israeli": "Israel",
    "iranian": "Iran",
    "turkish": "Turkey",
    "egyptian": "Egypt",
    "nigerian": "Nigeria",
    "australian": "Australia",
    "pakistani": "Pakistan",
    "south african": "South Africa",
    "korean": "South Korea",
    "polish": "Poland",
    "dutch": "Netherlands",
    "swedish": "Sweden",
    "irish": "Ireland",
    "european": "EU",
    "asian": "Asia",
    "african": "Africa",
}

# Verbs that attribute speech ("X said", "said X").
SPEECH_VERBS = frozenset(
    str.split("""
    said says say told tells added adds wrote writes stated states noted notes warned warns argued
    argues explained explains insisted insists declared declares announced announces asked asks
    replied replies continued continues tweeted posted commented comments claimed claims cautioned
    cautions urged urges stressed stresses emphasized emphasised emphasizes emphasises remarked
    recalled acknowledged admitted admits concluded predicted predicts responded answered called
    """)
)
PRONOUNS = {"he": "m", "she": "f", "they": "p", "him": "m", "her": "f"}
# Plural nouns that open sentences ("Critics say …", "Residents said …"): never names.
PLURAL_NOUNS = frozenset(
    str.split("""
    critics officials analysts experts residents farmers workers investors economists observers
    leaders lawmakers researchers scientists authorities police protesters voters citizens
    commuters traders students parents teachers doctors nurses locals villagers supporters
    opponents activists diplomats sources witnesses
    """)
)
