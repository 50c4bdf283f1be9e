"""Contexts that turn a rule's match into something harmless: play, hyperbole, a topic, a game.

A rule reads a few words ("brother hit me", "mum would kill me", "county lines"); these read the
words around them. When a veto's words overlap a rule's match, that match is set aside: the rule no
longer flags the message, the statistical model still judges all of it, and the message goes to
the review queue for a person to glance at. So a veto can quieten an alarm, never hide a message.

Written in the rules' pattern language (flows/safeguarding/lexicon.py). Each veto is narrow on
purpose: "hit me with a pillow" is play, "hit me" with nothing after it is not; "would kill me if I
was late" is hyperbole, "would kill me if I told anyone" is a threat (`unless_next`).
"""

from __future__ import annotations

from flows.safeguarding.lexicon import Rule

_TOYS = (
    "(pilow*|cushion*|foam|nerf|snowbal*|water|balon*|pool nodle*|nodle*|sock*|ted*|toy*|"
    "towel*|bubbles|lightsaber*|sword*|sponge*|marshmal*|pea|peas|grape*|crisp*)"
)
_GAMES = (
    "(the game|a game|games|among us|fortnite|minecraft|roblox|warzone|apex|zelda|cod|"
    "call of duty|gta|fifa|mario kart|mario|valorant|overwatch|smash bros|pokemon|fall guys|"
    "the match|paintbal*|laser quest|laser tag)"
)
_FIGHTS = "(pilow|water|snowbal|play|food|nerf|foam|tickle|wrestling|pretend) (fight*|fighting)"
# Words that make "would kill me if ..." a threat about telling, leaving or reporting.
_TELLING = (
    "((i|we|you) [ever] (tel*|told|say|said|speak|spoke|talk*|report*|leave|left|go|went|"
    "cal*|ring|rang|show*|grass*|snitch*|run|ran)|anyone|any one|someone|somebody|the police|"
    "police|social|(he|she|they|school) (finds|find|found) out|"
    "(he|they) (knew|know|knows|catch*|caught|find*|found))"
)
_TOPIC_NOUN = (
    "(talk|talks|session|sessions|training|trained|workshop|webinar|lesson|lessons|course|"
    "assembly|leaflet|leaflets|module|presentation|film|documentary|book|project|policy|seminar|"
    "campaign|poster|article|programme|program|play|inset|conference|lecture|essay|"
    "dissertation|assignment|news|episode|podcast|drop in|inset day)"
)

# Set aside a match of any category: the words are a topic ("self-harm awareness training").
TOPICS: tuple[Rule, ...] = (
    Rule(
        _TOPIC_NOUN + " (on|about|around|re|regarding|covering|covered|called) ...4",
        "a topic, not an event",
    ),
    Rule(
        "(learn*|learnt|taught|teach*|reading|watched|watching|discussed|discussing|covered|"
        "covering|trained) (about|on) ...4",
        "a topic, not an event",
    ),
)
# Set aside a match of any category but self-harm and suicide, which are flagged even when joked
# about ("kill myself in the game lol" is still for a person to read).
VETOES: tuple[Rule, ...] = (
    Rule(
        "<hurts> [me|us|him|her|my <child>] ...3 (with|w) [a|an|the|his|her|my|some] ...1 " + _TOYS,
        "play",
    ),
    Rule(
        "(threw|throws|throwing|chucked|chucks|lobbed) [a|an|the|some] ...1 " + _TOYS + " at",
        "play",
    ),
    Rule(
        "<hurts> ...6 (for winning|under the table|in the pool|into the pool|on the trampoline|"
        "(we|were) (playing|messing|mucking)|messing about|mucking about|game we play)",
        "play",
    ),
    Rule(_FIGHTS, "play"),
    Rule("<hurts> ...6 (by accident|accidentaly|accidently|by mistake)", "an accident"),
    Rule(
        "(black eye|bruise*|graze*|bump|nosebleed|cut|broken) ...4 (from|after) [when] ...3 "
        "(trip*|fell|fall*|slip*|ball|football|rugby|pe|trampoline|park|scooter|bike|match)",
        "an accident",
    ),
    Rule(
        "<hurts> me ...5 ((his|her|their) (meltdown*|shutdown*|sensory)|not (his|her|their) "
        "fault|(he|she|they) (was|were|is|are|gets|get) (overloaded|overwhelmed|dysregulated))",
        "a child's care need",
    ),
    Rule(
        "(abuse|exploitation|grooming|county lines|knife crime|neglect|violence|coercive control) "
        "(case|cases|trial|trials|inquiry|scandal|story|stories|awareness|training|course|workshop|"
        "talk|module|webinar|policy|policies|charity|campaign|documentary|prevention|unit)",
        "a topic, not an event",
    ),
    Rule("(stab*|shot|shoot*|kil*|murder*|<hurts>) ...5 (in|on|at|playing) " + _GAMES, "a game"),
    Rule(
        "(kil|kils|murder|murders|strangle|skin|ground) (me|us) [alive|dead] "
        "(if|when|for|cos|because|coz|cause)",
        "hyperbole",
        unless_next=_TELLING,
        unless_before="(partner|ex|boyfriend|husband|bf|fiance|stepdad|they|them|lads|boys|gang|"
        "men|man) ...3",
    ),
    Rule(
        "(talked|talking|spoke|chatted|learned|learnt|heard) (about|on) ...6 (at|in|during|on) "
        "(the|a|an|our|their|his|her|my|this|last) [weeks|weekly|parents|school|staff] "
        + _TOPIC_NOUN,
        "a topic, not an event",
    ),
    Rule(
        "(no one|nobody|no body|noone) (is|was|has been|ever is) ...2 (mean|nasty|horrible|unkind)",
        "denied",
    ),
)
