"""The safeguarding rules: phrases written so that a council officer can read and change them.

How a rule reads (see flows/safeguarding/text.py for how messages are tidied first):
  - words match whole words, in ordinary spelling; repeated letters don't count ("kill" = "kil");
  - (a|b c|d)   one of these; [a|b]  optionally one of these;
  - <person>    any phrase of the word list of that name (WORDS below);
  - word*       any word beginning "word";  #  any number;  $  the end of the message;
  - ...         up to 4 other words in between;  ...8  up to 8.
A rule may name words that cancel it when they come straight after (`unless_next`), straight
before (`unless_before`) or anywhere inside (`unless_within`) what it matched: "cutting" is
self-harm, "cutting down" is not.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    pattern: str
    about: str
    unless_next: str = ""
    unless_before: str = ""
    unless_within: str = ""


WORDS: dict[str, str] = {
    # Someone who might hurt a child: family, partners, staff, strangers, pronouns.
    "person": "(dad|daddy|father|da|papa|mum|mummy|mam|mammy|mom|mommy|mother|ma|stepdad|"
    "stepmum|stepfather|stepmother|brother|bro|sister|sis|stepbrother|stepsister|uncle|auntie|"
    "aunty|aunt|grandad|grandpa|grandma|gran|nan|nana|nanny|grandmother|grandfather|cousin|"
    "boyfriend|girlfriend|partner|husband|wife|ex|he|she|they|them|teacher|sir|miss|ta|carer|"
    "carers|staff|driver|escort|man|men|boy|boys|girl|girls|lad|lads|guy|guys|someone|somebody|"
    "people|kids|children|friend|friends|mate|mates|neighbour|coach|babysitter|childminder|pa|"
    "parents|parent|family|fella|bloke|geezer|adult|adults)",
    # The same without the plural, generic "people"/"kids": "when people touch me" is sensory.
    "someone": "(dad|daddy|father|mum|mummy|mam|mom|mother|stepdad|stepmum|brother|sister|"
    "stepbrother|stepsister|uncle|auntie|aunty|aunt|grandad|grandpa|grandma|nan|cousin|"
    "boyfriend|girlfriend|partner|ex|he|she|they|teacher|sir|ta|carer|staff|driver|escort|man|"
    "men|boy|lad|guy|someone|somebody|friend|mate|neighbour|coach|babysitter|childminder|pa)",
    "child": "(son|daughter|child|kid|kids|children|boy|girl|brother|sister|little brother|"
    "little sister|baby|sibling|siblings|family|mum|mam|mom)",
    "body": "(arm|arms|neck|hair|face|head|throat|wrist|wrists|leg|legs|back|stomach|ear|ears)",
    "victim": "(me|us|my <child>|my <body>|our <child>|mum|mam|mom|mummy|my mum)",
    "target": "(me|us|you|my <child>|my <body>|my <person>|our <child>|him|her|them)",
    "hurts": "(hit|hits|hitting|hitz|punch|punches|punched|punching|kick|kicks|kicked|kicking|"
    "slap|slaps|slapped|slapping|smack|smacks|smacked|smacking|whack|whacks|whacked|beat|beats|"
    "beaten|beating|batter|batters|battered|hurt|hurts|hurting|hurtz|push|pushes|pushed|shove|"
    "shoves|shoved|choke|chokes|choked|choking|strangle|strangles|strangled|throttle|throttles|"
    "throttled|grab|grabs|grabbed|burn|burns|burnt|burned|bite|bites|bit|pinch|pinches|pinched|"
    "drag|drags|dragged|twist|twists|twisted|belt|belts|belted|headbutt|headbutts|headbutted|"
    "thump|thumps|thumped|bash|bashes|bashed|attack|attacks|attacked|abuse|abuses|abused|whip|"
    "whips|whipped|"
    "scratch|scratches|scratched|claw|claws|clawed|scald|scalds|scalded|"
    "abusing|restrain|restrains|restrained|restraining|strangle|stamp on|stamps on|stamped on)",
    "hurt_done": "(hit|beaten|beat|punched|kicked|slapped|smacked|whacked|battered|"
    "thumped|strangled|choked|attacked|abused|burnt|burned|restrained|dragged|pushed|hurt)",
    "touches": "(touch|touches|touched|touching|touchs|touchin|feel|feels|felt|fondle|fondles|"
    "fondled|grope|gropes|groped|rub|rubs|rubbed|rubbing)",
    "private": "(private*|privates|bum|bottom|boobs|breasts|chest|willy|penis|vagina|fanny|body|"
    "leg|legs|thigh|thighs|bits)",
    "intends": "(will|would|going to|want to|wants to|wanted to|threaten to|threatens to|"
    "threatened to|threatening to|trying to|tried to|said|says|saying|keeps saying)",
    "violence": "(kill|stab|shoot|batter|beat|jump|hurt|attack|smash|bash|burn|knife|punch|hit|"
    "kick|slash|glass|shank|murder|strangle|rape)",
    "game": "(at (chess|fifa|football|games|cards|sports|the game|everything|anything|minecraft|"
    "fortnite|mario|pool|snooker|darts)|in a game|in the game)",
    "future": "(will|would|going to|want to|wants to|threat*|if)",
    "often": "(every day|everyday|all the time|always|constantly|daily|every night|again)",
    "laughing": "(laughing|with laughter|laughin|lol)",
    "number": "(#|a|an|one|two|three|four|five|six|seven|few|couple of|several|many)",
    "meds": "(tablets|pills|paracetamol|meds|medication|medicine|painkillers|ibuprofen|aspirin|"
    "sleeping pills|antidepressants|sertraline|fluoxetine|citalopram|melatonin|codeine|insulin)",
    "suicide": "(suicide|suicidal)",
    "topic": "(prevention|awareness|training|talk|talks|workshop|session|course|policy|"
    "policies|helpline|leaflet|charity|training)",
    "scared": "(scared|frightened|terrified|afraid|petrified|fear|feared)",
    "weapon": "(knife|knives|blade|blades|machete|gun|guns|shank|zombie knife|weapon|weapons)",
    "online": "(online|snapchat|snap|tiktok|instagram|insta|discord|roblox|fortnite|whatsapp|"
    "facebook|internet|app|game|xbox|playstation|ps5)",
    "groomer": "(older|man|men|guy|guys|lad|lads|someone|they|these|them|he|boy|boys|stranger|adult|"
    "strangers|people)",
    "gifts": "(money|cash|weed|drugs|vapes|vape|cigarettes|fags|phone|trainers|stuff|presents|"
    "gifts|gift cards|lifts|alcohol|drink|clothes|food)",
    "errand": "(carry|carrying|carries|take|taking|takes|drop|dropping|drops|deliver|delivering|"
    "delivers|hold|holding|holds|sell|selling|sells|move|moving|run|running|stash|hide)",
    "goods": "(packages|parcels|bags|drugs|stuff|things|something|weed|gear|sim cards|phones)",
}

SELF_HARM: tuple[Rule, ...] = (
    Rule("(kill|killing|killed) (myself|meself)", "killing myself", unless_next="<laughing>"),
    Rule(
        "(kill|killing) (himself|herself|themselves|themself)",
        "killing themselves",
        unless_next="<laughing>",
    ),
    Rule("kill (yourself|urself)", "told to kill yourself"),
    Rule("kms", "'kms' (kill myself)", unless_before="<number>"),
    Rule("unalive*", "'unalive' (suicide)"),
    Rule("<suicide>", "suicide", unless_next="<topic>", unless_before="(anti|about)"),
    Rule(
        "self (harm|harming|harmed|harms|injury|injure|injuring|injures)",
        "self-harm",
        unless_next="<topic>",
    ),
    Rule("selfharm*", "self-harm", unless_next="<topic>"),
    Rule(
        "(hurt|hurting|harm|harming|cut|cutting|burn|burning|burnt|scratch|scratching|starve|"
        "starving|punch|punching) (myself|me self)",
        "hurting myself",
        unless_next="...3 (pe|football|rugby|netball|games|sport|training|gym|practice|fell|"
        "falling|twisted|sprained|broke|accident|trampoline)",
    ),
    Rule(
        "(cutting|harming|hurting|burning|starving|hanging|hang|hanged) "
        "(himself|herself|themselves|themself)",
        "hurting themselves",
    ),
    Rule(
        "(cut|cuts|cutting) (my|his|her|their) (arm|arms|wrist|wrists|leg|legs|thigh|thighs|skin|"
        "stomach|tummy)",
        "cutting arms, wrists or legs",
    ),
    Rule(
        "(been|started|start|keep|keeps|still|stop|stopped|am) cutting",
        "cutting",
        unless_next="(down|back|out|up|off|his|her|the|my|it|corners|costs|them|things|class|"
        "lessons|school|in|across|through|a|some)",
    ),
    Rule(
        "(started|been|doing|do|did|keep|still|stop|stopped|urge to|urges to|want to|relapsed|"
        "relapse|to) (sh|shing)",
        "'sh' (self-harm)",
    ),
    Rule("sh (again|scars|scar|urges|cuts|marks|relapse|wounds)", "'sh' (self-harm)"),
    Rule(
        "(want|wants|wanted|wanting|wish|wishing|going|ready|deserve|deserves|should|just) to "
        "(die|be dead|disappear)",
        "wanting to die",
        unless_next="(into|in to|off|for a (bit|while)|to (his|her|my) room|(my|his|her|their|"
        "it) (hair|fringe|clothes|top|shoes))",
    ),
    Rule("i (should|could|might) just die", "wanting to die"),
    Rule("(wish|wishing) i (was|were|wasnt|was not) (dead|alive|here|born)", "wishing to be dead"),
    Rule("(wish|wishing) i (was|were|had) never (been|born)", "wishing I was never born"),
    Rule("(better|easier|happier) [off] (dead|without me)", "better off without me"),
    Rule(
        "(better|easier) ...3 if i (wasnt|was not|werent|was dead|died|was gone|wasnt here|"
        "wasnt alive|wasnt around|disappeared)",
        "better if I wasn't here",
    ),
    Rule(
        "(dont|do not|didnt|dont really) want to (live|be alive|exist|wake up|be here anymore|"
        "be here any longer|be here no more|go on)",
        "not wanting to live",
    ),
    Rule("(end|ending|take|taking) my [own] life", "ending my life"),
    Rule(
        "(i am|i will|going to|want to|might|gonna|will|just) (end|ending) (it|it all|everything)",
        "ending it",
    ),
    Rule("end it all", "ending it"),
    Rule(
        "(took|take|taken|taking|swallowed|swallow|had) (too many|loads of|a load of|a lot of|"
        "all my|all the|all of my|a bunch of|a handful of|a whole packet of|a whole box of|"
        "extra) <meds>",
        "taking too many tablets",
    ),
    Rule("overdose*", "overdose"),
    Rule(
        "(jump|jumping|jumped) (off|in front of) (a|the) (bridge|roof|building|train|car|cliff|"
        "bus|lorry|balcony)",
        "jumping off a bridge or in front of a train",
    ),
    Rule("(hang|hanging) myself", "hanging myself"),
    Rule(
        "(nobody|no one|noone) (would|will|is going to|wouldnt|would even) (miss|care|notice) "
        "(me|if i)",
        "nobody would miss me",
    ),
    Rule("(nobody|no one) (would|will) care if i", "nobody would miss me"),
    Rule(
        "(no|whats the|what is the|dont see the|cant see the|cannot see the|dont see any) point "
        "(in|of) (living|being alive|life|me|going on|anything|carrying on|being here)",
        "no point in living",
    ),
    Rule("(want|wants) (it|everything) [all] to (stop|end)", "wanting it all to stop"),
    Rule("(sleep|asleep) and (never|not) wake up", "not waking up"),
    Rule("(when|after|once) (i am|im) (gone|dead|not here)", "when I'm gone"),
    Rule("(i|i just) hate myself", "hating myself"),
    Rule(
        "(i am|i feel|feel like) [(such|just|only)] (a burden|worthless|a waste of space)",
        "feeling worthless",
        unless_before="(says|said|say|told|tells me|telling me|calls me|saying|that)",
    ),
    Rule(
        "(scratching|scratches|scratched|picking|picks|picked|cutting) (his|her|my|their) "
        "(arm|arms|skin|legs|leg|wrists|wrist|face) ...4 (bleed|bleeds|bled|bleeding|blood)",
        "scratching until bleeding",
    ),
    Rule("(i|i just) cant (go on|do this anymore|take it anymore|take anymore)", "can't go on"),
    Rule("(rather|prefer to) (be dead|die|not be alive|not exist|not be here)", "rather be dead"),
    Rule(
        "(cuts|scars|cut|cutting) (on|all over|up) (my|her|his|their) (arm|arms|wrist|"
        "wrists|leg|legs|thigh|thighs|stomach|skin)",
        "cuts or scars on arms or legs",
    ),
    Rule("covered in (cuts|scars)", "cuts or scars on arms or legs"),
    Rule(
        "(saved|saving|save|stockpil*|hoard*|hiding|hidden|collecting) [up] <meds>",
        "saving up tablets",
    ),
    Rule("<meds> (saved|saving|stashed|hidden|hoarded|collected) [up]", "saving up tablets"),
    Rule(
        "how many <meds> (it takes|to die|would|does it take|to take|kill)", "researching overdose"
    ),
    Rule(
        "(how to|ways to|best way to|easiest way to|quickest way to) (die|kill myself|end it|end "
        "my life|hang myself|overdose)",
        "researching how to die",
    ),
    Rule(
        "(happier|better|easier|better off) ...3 if i ...2 (disappeared|died|was dead|was gone|"
        "wasnt here|wasnt around|wasnt alive|didnt exist|was not here|wasnt born|never existed)",
        "better if I wasn't here",
    ),
    Rule(
        "(done with|sick of|tired of|fed up of|fed up with) (life|living|being alive|existing)",
        "done with life",
    ),
    Rule(
        "(strangle|strangling|choke|choking|suffocate|suffocating|drown|drowning|poison|poisoning|"
        "stab|stabbing|shoot|hit|hitting|bash|bashing|bang|banging|bite|biting) (myself|me self)",
        "hurting myself",
        unless_next="...3 (pe|football|rugby|netball|games|sport|training|gym|practice|fell|"
        "falling|twisted|sprained|broke|accident|trampoline)",
    ),
    Rule("(end|ending|ended) (it all|everything)", "ending it"),
    Rule(
        "(feel like|thinking of|thinking about|think about|want to|going to|will|might|should|"
        "could|just) ...1 (end|ending) (it|things|my life|it all)",
        "ending it",
    ),
    Rule(
        "(goodbye|suicide|farewell|last) (letter|note|notes|letters|message|video)",
        "a goodbye note",
    ),
    Rule(
        "(think|thinking|thought|thoughts|dream|dreaming|dreams) (about|of) (dying|death|being "
        "dead|not being here|ending it|killing myself|my funeral|not waking up|not existing|not "
        "being alive|not living|ending my life|suicide|hurting myself|self harm)",
        "thinking about dying",
    ),
    Rule(
        "(dont|do not|dont really) want to (be here|exist|be alive|live) [(anymore|no more)]",
        "not wanting to live",
    ),
    Rule("(sleep|sleeping) forever|never wake up|not wake up", "not waking up"),
    Rule(
        "(whats|what is) [even] the point [(anymore|any more|of anything|of me|in anything|of "
        "living|of life)] $",
        "no point in anything",
    ),
    Rule(
        "i [(have|had|just|keep|still|always)] (cut|cuts|cutting|harmed|burnt|burned|scratched|"
        "sh) (again|last night|tonight|today|yesterday|this morning|every night|deep|deeper|$)",
        "self-harm",
    ),
    Rule(
        "(scratch|scratching|scratched|carve|carving|carved|slice|slicing|sliced|cut|cutting|burn|"
        "burning|pick|picking|stab|stabbing) (my|his|her|their) (arm|arms|wrist|wrists|leg|legs|"
        "thigh|thighs|skin|stomach|hips|hip)",
        "self-harm",
    ),
    Rule(
        "(with|using) (a|my|the) (compass|razor|blade|sharpener|pencil sharpener|lighter|"
        "scissors|glass|pin|needle) ...4 (my|myself|me)",
        "self-harm with an object",
    ),
    Rule(
        "(my|me) ...4 (with|using) (a|my|the) (compass|razor|blade|sharpener|pencil sharpener|"
        "lighter|scissors|broken glass|pin|needle)",
        "self-harm with an object",
    ),
    Rule("(razor|razors|blades) [(to|on)] (my|myself|cut|cutting)", "self-harm with an object"),
    Rule(
        "(relapsed|relapse|relapsing) ...6 (clean|sh|self harm|cutting)|(days|weeks|months|year|"
        "years) clean (from|of) (sh|self harm|cutting)",
        "self-harm relapse",
    ),
    Rule("i relapsed", "self-harm relapse"),
    Rule("(hope|hoping|wish|want) i (dont|never|do not|wont|will not) wake up", "not waking up"),
    Rule(
        "(took|swallowed|taken|had|take) (#|loads|lots|all|a load|a bunch|a handful|a packet|a "
        "box|a strip|the whole|a whole) [of] ...2 <meds>",
        "taking too many tablets",
    ),
    Rule("swallowed ...3 <meds>", "taking too many tablets"),
    Rule(
        "(stand|stood|standing|go|went|going|sit|sat|sitting) (on|to|at|by|near) (the|a) (bridge|"
        "edge|roof|cliff|railway|train tracks|tracks|motorway bridge)",
        "at a bridge or edge",
    ),
    Rule(
        "((life|living) (isnt|is not|aint|not|is never) worth|not worth living|life is "
        "(pointless|meaningless|not worth it))",
        "life not worth living",
    ),
    Rule(
        "(cant|cannot|can not|dont think i can|cant really) (keep going|go on|carry on|do this "
        "anymore|cope anymore|keep doing this)",
        "can't go on",
    ),
    Rule(
        "(planning|planned|plan|made a plan|got a plan) (how|it|my death|to do it|when|the date)",
        "making a plan",
        unless_before="(we are|were|we have been|the school is)",
    ),
    Rule("(be with|join|see) ...2 in heaven|go to heaven", "wanting to be in heaven"),
    Rule(
        "(rope|noose) [(in|under|hidden|ready)] ...2 (my|me|myself|room|wardrobe|bed)|a noose",
        "a rope or noose",
        unless_before="(skipping|climbing|tow)",
    ),
    Rule(
        "i [(keep|always|sometimes|just|often|have been|ve been)] (bang|banging|hit|hitting|punch|"
        "punching|scratch|scratching|bite|biting|claw|clawing) my (head|face|arms|arm|legs|leg|"
        "wrists|skin|hands|stomach)",
        "hurting myself",
        unless_next="(on|against|with) (the|a) (cupboard|door|doorframe|door frame|shelf|car|"
        "ceiling|table|bunk|ball)",
    ),
    Rule(
        "(bang|banging|hit|hitting|punch|punching) my head ...4 (bleed|bleeds|bled|bleeding|blood)",
        "hurting myself",
    ),
    Rule(
        "(want|wants|wish|need) (it|this|everything|it all|life|things) [all] to (be over|end|"
        "stop|finish)",
        "wanting it all to end",
    ),
    Rule(
        "(carved|carve|carving|scratched|etched|cut) ...3 (into|on|in) my (arm|arms|leg|legs|"
        "wrist|wrists|thigh|thighs|skin|stomach|hand)",
        "self-harm",
    ),
    Rule(
        "how (high|tall|far down|deep) ...4 (car park|bridge|building|roof|cliff|drop|block of "
        "flats|tower)",
        "researching a fall",
    ),
    Rule(
        "(the night|the day|tonight is the night) i (do it|end it|go through with it)|go through "
        "with it",
        "a plan to act",
    ),
)

PHYSICAL: tuple[Rule, ...] = (
    # A threat ("they'll beat me", "said he would hit me") is violence, below.
    Rule(
        "<person> ...6 <hurts> <victim>",
        "someone hurting me",
        unless_next="(out|off|at)",
        unless_within="<future>",
    ),
    Rule(
        "<person> ... <hurts> (him|her)",
        "someone hurting a child",
        unless_within="<future>",
        unless_next="(out|off|at|head|hand|hands|own|knee|foot|toe|finger|feelings|chances|"
        "way|stuff|things|toys|phone|work|name|ball|nails|self|lip|tongue)",
    ),
    Rule(
        "(i|we|he|she|they|son|daughter|child|sister|brother) ((am|is|are|was|were) [(being|"
        "getting)]|[(am|is|are|was|were|keep|keeps|have|has)] (being|been|getting|get|gets|got)) "
        "<hurt_done>",
        "being hit or hurt",
        unless_next="(by [(a|an|the)] (ball|balls|door|car|bike|swing|football|bus|van|dog|wave|"
        "branch|red tape|paperwork)|in the (final|race|match|semi|semis|game|quiz|competition)|"
        "<game>|at (pe|football|rugby|school sport)|in (pe|football|rugby)|"
        "playing|on the|off|back|out|in the (playground|park|game))",
    ),
    Rule(
        "(gave|give|gives|giving|left|leaves|leave|leaving) (me|him|her|us|my <child>) "
        "(bruises|a bruise|marks|a mark|a black eye|black eyes|burns|a burn)",
        "left with bruises or marks",
    ),
    Rule("(left|leaves|leave|leaving) (marks|bruises|a mark|a bruise) on", "left marks"),
    Rule("(bruises|bruised|marks|burns) (on|all over) (my|me)", "bruises on me"),
    Rule(
        "(came|come|comes|coming) home with (bruises|marks|a black eye|cuts|burns|a bruise)",
        "came home with bruises",
    ),
    Rule("covered in bruises", "covered in bruises"),
    Rule("black (eye|eyes) (from|off) [(my|his|her|their)] <person>", "black eye from someone"),
    Rule("(throws|threw|throw|throwing|chucks|chucked) ...2 at (me|us)", "things thrown at me"),
    Rule("(pulls|pulled|pull|pulling) (my|his|her) hair", "hair pulled"),
    Rule("(hold|holds|held|pin|pins|pinned) (me|him|her|us) down", "held down"),
    Rule("by (my|the) (neck|throat)", "grabbed by the neck"),
    Rule(
        "(abuse|abuses|abused|abusing|abusive)",
        "abuse",
        unless_before="(sexual|sexually|emotional|emotionally|verbal|verbally|psychological|"
        "psychologically|mental|mentally|drug|drugs|alcohol|substance|racist|racial|"
        "homophobic|anti)",
        unless_next="(of [(the|this|a|their|his|her|our)] (process|system|procedure|procedures|"
        "policy|rules|power|position|law)|<topic>)",
    ),
    Rule(
        "(leather|leathers|leathered|lamp|lamps|lamped|deck|decks|decked|wallop|wallops|walloped|"
        "thrash|thrashes|thrashed|spank|spanks|spanked|clout|clouts|clouted|kick|kicks) "
        "(me|us|him|her|my <child>)",
        "someone hurting me",
        unless_next="(out|off|at|under the table)",
    ),
    Rule(
        "(belt|belts|stick|slipper|wooden spoon|cane|hanger|cable|lead) (to|on) (me|us|my <child>)",
        "beaten with an object",
    ),
    Rule(
        "(hits|hit|beats|beat|whacks|whacked|smacks) (me|us|him|her|my <child>) with",
        "beaten with an object",
    ),
    Rule(
        "(split lip|black eye|black eyes|bust lip|fat lip|broken nose|burn marks|bite marks|"
        "finger marks|handprint|hand print|hand marks|belt marks|welts|bald patch)",
        "injuries",
    ),
    Rule(
        "<person> ...3 (boot|boots|booted|stamp|stamps|stamped|stomp|stomps|stomped|yank|yanks|"
        "yanked|shake|shakes|shook|squeeze|squeezes|squeezed|scald|scalds|scalded|sit on|sits "
        "on|sat on|tie|ties|tied|kneed|knees|elbow|elbows|elbowed|trip|trips|tripped|spit on|"
        "spits on|spat on) <victim>",
        "someone hurting me",
        unless_next="(out|off|at|up with|in the (game|match))",
        unless_within="<future>",
    ),
    Rule(
        "(pulled|pulls|dragged|drags|grabbed|grabs|threw|throws|pushed|pushes|shoved|shoves|"
        "yanked|yanks|slammed|slams|flung|kicked|kicks|chucked) (me|him|her|us|my <child>) (by|"
        "across|down|into|against|onto|off|up against|to the (floor|ground)|on the "
        "(floor|ground))",
        "thrown or dragged",
        unless_next="(the (rules|queue|list)|way)",
    ),
    Rule(
        "(got|get|gets|getting|had) the (belt|slipper|cane|stick|strap|wooden spoon)",
        "beaten with an object",
    ),
    Rule(
        "<person> ...3 <hurts> (my|our) (little|baby|younger|older|big|step) ...1 (<child>|"
        "cousin|cousins|nephew|niece|friends|friend)",
        "someone hurting a child",
        unless_within="<future>",
    ),
    Rule(
        "<person> ... <hurts> <target> [and] [(then|sometimes|also)] (me|us)",
        "someone hurting me and others",
    ),
    Rule(
        "(bloody nose|busted nose|nosebleed|broken rib|broken ribs|cracked rib|broken tooth)",
        "injuries",
    ),
    Rule(
        "(burn|burns|burnt|bruise|bruises|cut|cuts|marks|mark|scar|scars|lump) (on|across) my "
        "<body> ...2 (from|where|because|after) ...3 <person>",
        "injuries from someone",
        unless_next="...3 (football|rugby|pe|falling|fell|trampoline|bike|scooter)",
    ),
    Rule(
        "(held|put|pressed|stubbed|holds|puts) (a|the|his|her|their) (lighter|cigarette|iron|fag|"
        "match|hot spoon) (to|on|against|onto)",
        "burned on purpose",
    ),
    Rule(
        "<person> ... <hurts> ...3 (and then|then|and also|and sometimes|and) (me|us)",
        "someone hurting me",
        unless_within="<future>",
    ),
    Rule(
        "(got|get|gets|getting|give|gave|gives|giving) [(me|us|him|her)] a [good] (hiding|beating|"
        "battering|kicking|thrashing|clip round the ear|leathering|belting)",
        "a beating",
    ),
)

SEXUAL: tuple[Rule, ...] = (
    Rule("<someone> ... <touches> (me|my <private>)", "touching me", unless_next="(up|out)"),
    Rule(
        "<touches> (him|her|me) (<private>|there|down there|inappropriately|under|where)",
        "touching a child's body",
    ),
    Rule(
        "(show|shows|showed|showing|flash|flashes|flashed) (me|us|him|her) (his|her|their) "
        "(privates|private parts|willy|penis|dick|bits|thing|body)",
        "showing private parts",
    ),
    Rule(
        "(made|makes|make|making|forced|forces|force|forcing) (me|him|her) [to] (do|doing) "
        "(things|stuff|sexual|something)",
        "made to do things",
    ),
    Rule(
        "(made|makes|make|making|forced|forces|force|forcing) (me|him|her) [to] (touch|kiss|suck|"
        "undress|strip|have sex|watch (videos|porn|films|things|rude|him|them)|take (my|off my|"
        "off her|off his|her|his) clothes)",
        "made to do sexual things",
    ),
    Rule(
        "(rape|raped|rapes|raping|rapist|molest*|grope|groped|groping|paedo*|pedo|pedophile)",
        "rape or sexual assault",
    ),
    Rule(
        "(sexually (abused|assaulted|abusing|touched|harassed|abuse|abusive)|sexual (abuse|"
        "assault|harassment))",
        "sexual abuse",
        unless_next="<topic>",
    ),
    Rule("(nudes|nude|porn|naked (pictures|pics|photos|videos|selfies|photo|pic))", "nude images"),
    Rule(
        "(gets|got|get|getting|comes|came|climbs|climbed|creeps|crept) (into|in) [my] bed with "
        "(me|her|him)",
        "getting into bed with me",
    ),
    Rule(
        "(comes|came|come|coming|creeps|crept) (in|into) my (room|bedroom) (at night|when|and)",
        "coming into my room at night",
    ),
    Rule("(rubs|rubbed|rubbing) (himself|herself|his|it) ...2 (on|against) me", "rubbing on me"),
    Rule(
        "(kiss|kisses|kissed|kissing) me ...6 (not to tell|dont tell|secret|didnt want|dont want|"
        "i didnt like|made me)",
        "kissing me and secrecy",
    ),
    Rule(
        "(sends|sent|send|sending|shows|showed) me (pictures|pics|photos|videos|images|messages) "
        "...8 (not to tell|dont tell|secret|naked|rude|dirty|no clothes|of himself|of his body)",
        "sending pictures and secrecy",
    ),
    Rule(
        "(pictures|pics|photos|videos|selfies|photo|pic) ...4 (underwear|naked|nude|no clothes|"
        "bra|topless|rude)",
        "asking for indecent pictures",
    ),
    Rule(
        "(sex|sexual)",
        "sex",
        unless_next="(education|ed|lessons|lesson|and relationships|"
        "and relationship|health|of the baby|offender register)",
        unless_before="(same|relationships and|rse and)",
    ),
    Rule(
        "(rude|dirty|naughty|sexy|explicit|inappropriate) (pictures|pics|photos|videos|messages|"
        "selfies|images|snaps|things|texts|photo|pic|picture|video)",
        "indecent pictures or messages",
    ),
    Rule(
        "(picture|pictures|pic|pics|photo|photos|video|videos|selfie|selfies|snap|snaps) ...4 "
        "(top off|clothes off|shirt off|pants off|knickers|boxers|without (my|a|any) (top|clothes))",
        "asking for indecent pictures",
    ),
    Rule(
        "(hand|hands|fingers|finger) ...2 (down|in|inside|up|under|into) (my|her|his) (pants|"
        "knickers|trousers|skirt|top|shirt|bra|underwear|dress|pyjamas|nightie|shorts)",
        "hands in clothing",
    ),
    Rule(
        "(makes|made|make|making) (me|him|her) sit on (his|her) (lap|knee|knees)",
        "made to sit on a lap",
    ),
    Rule(
        "(asks|asking|asked|ask|messaging|messages|messaged|texts|texting|wants to know|wanted to "
        "know|keeps asking) ...4 (underwear|bra|knickers|boxers|what i wear|my body|my size|"
        "virgin|naked|undressed|what i look like without)",
        "asking about underwear or body",
    ),
    Rule(
        "(watches|watched|watching|looks at|looking at|peeps at|peeping at|films|filmed|filming|"
        "photographs|photographed|takes pictures of|took pictures of|spies on|spying on) (me|her|"
        "him) (in the (shower|bath|toilet|bathroom)|on the toilet|getting changed|changing|"
        "undress|undressing|naked|in bed|sleeping|when i sleep|while i sleep|getting dressed)",
        "watching me undressed",
    ),
    Rule(
        "(photo|photos|picture|pictures|pic|pics|video|videos) of (my|your|her|his) (body|bum|"
        "chest|boobs|privates|private*)",
        "asking for indecent pictures",
    ),
    Rule(
        "<online> ...6 (wants|asked for|asking for|asks for|keeps asking for|want) [(my|some|"
        "more)] (photos|pics|pictures|videos|selfies|nudes)",
        "someone online asking for photos",
    ),
    Rule(
        "(its|it is|thats|that is) normal (for|to) ...4 (touch|kiss|bath|sleep|bed|cuddle)",
        "told touching is normal",
    ),
    Rule(
        "<someone> ...4 (get|gets|got|getting|come|comes|came|climb|climbs|climbed) (in|into) "
        "(my|her|his) bed",
        "getting into my bed",
    ),
    Rule(
        "((doing|touching|playing with) (stuff|things|it) (to|with) himself|touching himself|"
        "playing with himself)",
        "indecent images or exposure",
    ),
    Rule(
        "(do|doing|show|showing|take|undress|undressing|strip|stripping) ...3 on (camera|webcam|"
        "cam|video call|facetime|live)",
        "sexual acts on camera",
    ),
    Rule(
        "(asks|asked|wants|wanted|makes|made|tells|told|says) me [to] (sit|sitting) on (his|her) "
        "(lap|knee|knees)",
        "made to sit on a lap",
    ),
    Rule(
        "(picture|pictures|pic|pics|photo|photos|video|videos|selfie|selfies|snap|snaps) ...4 "
        "(bikini|swimsuit|swimming costume|pyjamas|nightie|my bed|bed|bath|shower)",
        "asking for indecent pictures",
    ),
    Rule(
        "(comes|coming|came|come|walks|walking|walked|barges|barged) in (when|while) (i am|im|i "
        "was|she is|he is) (in the (bath|shower|toilet)|getting changed|changing|getting dressed|"
        "undressed|asleep|in bed)",
        "coming in when I'm undressed",
    ),
    Rule(
        "(show|showing|showed) (him|her|them|someone|you) (my|me) (body|bum|chest|boobs|privates|"
        "private*|naked)",
        "asked to show my body",
    ),
    Rule(
        "(puts|put|putting|has|had|keeps putting) (his|her|their) hands (on|all over|under) "
        "(me|her|him|my)",
        "hands on me",
    ),
    Rule(
        "(see|seeing|watch|look at|looking at) (me|you) (without (clothes|my clothes|your clothes|"
        "anything on)|naked|undressed|in (my|your) underwear)",
        "wanting to see me undressed",
    ),
    Rule("(forced|forces|forcing) (himself|herself) (on|onto) (me|her|him)", "sexual assault"),
    Rule(
        "(comes|came|coming|come|walks|walked|barges|barged) (in|into) (the|my) (bathroom|bedroom|"
        "room|shower) (when|while) (i am|im|i was|she is|he is) (showering|in the (bath|shower|"
        "toilet)|getting changed|changing|getting dressed|undressed|asleep|in bed|washing|having "
        "a (bath|shower|wash))",
        "coming in when I'm undressed",
    ),
    Rule(
        "(does|did|doing|do) (things|stuff|something|sexual things) to (me|her|him)",
        "doing things to me",
    ),
)

EMOTIONAL: tuple[Rule, ...] = (
    Rule("(lock|locks|locked|locking) (me|us|him|her) (in|out|up|away)", "locked in or out"),
    Rule(
        "locked (in|into|out of) (my|the|our|his|her) (room|bedroom|shed|cupboard|bathroom|"
        "garden|house|home|flat)",
        "locked in or out",
    ),
    Rule(
        "(says|said|say|tells|told|tell|calls|called|call|calling|telling|saying|keeps saying) "
        "[(me|him|her)] [<often>] [that] [(i am|im|i|me|you are|your|you|he is|she is|him|her|i was)] "
        "[(a|an|such a)] (worthless|useless|stupid|thick|waste of space|mistake|burden|freak|"
        "retard|ugly|fat|disgusting|pathetic|nothing|disgrace|idiot|failure|embarrassment|"
        "monster|evil|good for nothing)",
        "being called worthless",
    ),
    Rule(
        "(you are|your) [(a|such a)] (worthless|useless|waste of space|mistake|burden|freak|"
        "retard|pathetic|disgusting)",
        "being called worthless",
    ),
    Rule(
        "(screams|shouts|yells|swears|screaming|shouting|yelling|swearing|screamed|shouted|"
        "yelled|swore|shout|scream|yell|swear) at (me|us) ...4 (all the time|every day|everyday|"
        "every night|constantly|always|scared|frightened|terrified|afraid|cry|crying)",
        "shouted at all the time",
    ),
    Rule(
        "(always|constantly|keeps|keep) (screaming|shouting|yelling|swearing) at (me|us)",
        "shouted at all the time",
    ),
    Rule(
        "(threat*|says|said|say) ...4 (send|sends|put|puts) me (away|in care|into care)",
        "threatened with being sent away",
    ),
    Rule(
        "if (i|you) (tell|told|say|said) (anyone|anybody|mum|my mum|dad|my dad|my parents|"
        "your mum|your dad|your parents|the teacher|a teacher|someone|no one|the police)",
        "threatened to keep quiet",
    ),
    Rule(
        "(nobody|no one) (will ever|would ever|will|would|could ever|could|ever) (love|want) "
        "(me|you)",
        "told no one will love me",
    ),
    Rule("(nobody|no one) (loves|wants|cares about|likes) me", "nobody loves me"),
    Rule("(pretend|pretends|act like|acts like) (i|i am) (dont|do not|not|invisible)", "ignored"),
    Rule("(nobody|no one) [at home] (talks|speaks|talk|speak) to me", "ignored"),
    Rule(
        "(ignore|ignores|ignored|ignoring) (me|us) (for (days|weeks|hours)|all (day|week|the time))",
        "ignored for days",
    ),
    Rule(
        "(make|makes|made|making) (me|us|him|her) (stand|kneel|sit|stay|sleep) ...5 (hours|"
        "all night|all day|the floor|the corner|outside|punishment)",
        "harsh punishment",
    ),
    Rule(
        "(not allowed|never allowed|isnt allowed|arent allowed) to (eat|sit|have dinner|have tea) "
        "with",
        "excluded from the family",
    ),
    Rule(
        "(emotionally|verbally|psychologically|mentally) (abusive|abused|abusing|abuse)",
        "emotional abuse",
    ),
    Rule("(emotional|verbal|psychological|mental) abuse", "emotional abuse"),
    Rule("coercive control*", "coercive control"),
    Rule("(ashamed|embarrassed) of me", "a parent ashamed of me"),
    Rule(
        "(wishes|wished|says|said|tells me|told me) ...3 (i|he|she|you) (was|were|had) never "
        "(been|born)",
        "told they wish I was never born",
    ),
    Rule(
        "(put|puts|send|sends|sending|putting) (me|him|her|us) [back] (in|into|to) (a home|care|foster "
        "care|a childrens home|a kids home)",
        "threatened with care",
    ),
    Rule("(give|gives|giving) (me|us) away", "threatened with being given away"),
    Rule(
        "(says|said|tells|told|calls|called|call|telling|saying|keeps saying) [(me|him|her|us|"
        "everyone|people|others|everybody)] [<often>] [that] [(i am|im|i|me|you are|your|you|he "
        "is|she is|him|her|i was)] [(a|an|such a|just a|all|the)] ...1 (liar|waste of (space|"
        "oxygen|air)|psycho|problem child|loser|dumb|pig|unwanted|unlovable|nuisance|burden|"
        "weirdo|a joke|my fault|not wanted|spastic|"
        "mental|crazy|nutter)",
        "being called names at home",
    ),
    Rule("(everything|it) (is|was|s) [all] my fault", "blamed for everything"),
    Rule(
        "(blames|blamed|blame) me for (everything|it all|all of it|him|her|them)",
        "blamed for everything",
    ),
    Rule(
        "(never|dont|doesnt|wont|not) (let|lets|allowed|allow) [me] (out of|leave) (my|the) "
        "(room|bedroom|house)",
        "kept in my room",
    ),
    Rule("(kept|keep|keeps|stuck) ...2 in my (room|bedroom) (all|for)", "kept in my room"),
    Rule(
        "(hate|hates|hated) me",
        "hated at home",
        unless_before="(teachers|teacher|kids|everyone|people|friends|they all)",
    ),
    Rule(
        "(i am|im|i was|its me|it was me|it is me|its) the reason (mum|dad|my <person>|they|he|"
        "she|everyone|why|for)",
        "blamed for the family's troubles",
    ),
    Rule(
        "(going to|will|threaten*|says|said|gonna) ...3 (leave|dump|abandon|get rid of|give "
        "away|send) (me|us) (at|in|on|to|away)",
        "threatened with abandonment",
    ),
    Rule(
        "(humiliates|humiliate|humiliated|humiliating|belittles|belittle|belittled|degrades|"
        "degraded|torments|tormented) (me|us|him|her)",
        "humiliated",
    ),
    Rule("(make|makes|made|making) fun of (me|my) ...3 at home", "humiliated at home"),
    Rule(
        "(not allowed|cant|mustnt|told not|not supposed|cannot|can not) to (talk|tell|speak|say) "
        "...4 (what happens|what goes on|about home|at home|anything)",
        "told not to tell",
    ),
    Rule(
        "(regrets|regretted|regret) (having|adopting|fostering|keeping) (me|us)",
        "told they are regretted",
    ),
    Rule(
        "(tells|told|says|said|calls|called) me ...3 (disappointment|let down|regret)",
        "being called a disappointment",
    ),
    Rule(
        "(lock|locks|locked|hide|hides|hid|hiding|locking) [away] [all] the food", "food withheld"
    ),
    Rule(
        "(screamed|shouted|yelled|sworn|swore) at ...2 (every day|every single day|all the time|"
        "constantly|every night|daily|always)",
        "shouted at all the time",
    ),
    Rule(
        "(nobody|no one) (believes|believed|listens to) (me|anything i say|a word)",
        "nobody believes me",
    ),
    Rule(
        "(wont|dont|doesnt|not|never) (let|allow|allowed) [me] (eat|to eat|have food|have dinner|"
        "have tea|have breakfast)",
        "food withheld",
    ),
    Rule(
        "(make|makes|made) (me|us) (eat|sit|stay|sleep) (on my own|on our own|alone|by myself|"
        "in the kitchen|in my room|outside|in the garden)",
        "kept apart from the family",
    ),
    Rule(
        "(rips up|ripped up|rip up|breaks|broke|smashes|smashed|destroys|destroyed|throws away|"
        "threw away|bins|binned) my (drawings|things|stuff|toys|work|phone|books|clothes|pictures)",
        "my things destroyed",
    ),
    Rule(
        "(i|you) (ruined|ruin|ruins|wrecked|ruining) (her|his|their|my|our|everyones|your) "
        "(life|lives)",
        "blamed for ruining a life",
    ),
    Rule(
        "(makes|made|make|making) (me|us) (sleep|stay|sit|stand) (in|outside) (the|a) (garage|"
        "shed|garden|cupboard|car|hallway|bathroom|cold)",
        "harsh punishment",
    ),
)

NEGLECT: tuple[Rule, ...] = (
    Rule(
        "no food (at home|in the house|in the flat|at all|in the cupboards|left|for|since)",
        "no food at home",
    ),
    Rule(
        "(theres|there is|there was|we have|we got|weve got|got|have|had) no food",
        "no food at home",
        unless_next="(allowed|or drink allowed|at the|in the (hall|meeting|class|classroom|room))",
    ),
    Rule("nothing to eat", "nothing to eat"),
    Rule("(cupboards|cupboard|fridge) (is|are|were|was) (empty|bare)", "nothing to eat"),
    Rule(
        "(havent|have not|hasnt|has not|not|didnt|did not|aint|havent really) (eaten|ate|had "
        "[(any|a|a proper|a hot|proper)] (food|anything to eat|meal|dinner|breakfast|lunch|tea)) "
        "(for|in|since)",
        "not eaten for days",
    ),
    Rule("(go|goes|went|going|gone) to (bed|school|sleep) hungry", "going hungry"),
    Rule(
        "(hungry|starving) (all the time|every day|every night|at home|most days)", "going hungry"
    ),
    Rule(
        "(always|constantly) (hungry|starving) (at home|because|cos|and theres|and there is|and no)",
        "going hungry",
    ),
    Rule(
        "(forget|forgets|forgot) to (feed|give me food|give us food)|(dont|doesnt|never|wont) "
        "feed (me|us)|(nobody|no one) (feeds|feed) (me|us)",
        "not fed",
    ),
    Rule(
        "(nobody|no one) (picks|picked|pick|collects|collected|collect|comes to get|came to get|"
        "came for|comes for|comes to collect|came to collect) me",
        "nobody picks me up",
    ),
    Rule(
        "((nobody|no one) (is|was)|nobodys|no ones) (home|in|at home|there) (when|after|to)",
        "nobody at home",
    ),
    Rule(
        "(left|leave|leaves|leaving) [(me|us)] (on my own|on our own|alone|home alone|by myself|"
        "by ourselves) (for (days|ages|the weekend|weekends|hours|the night|nights|a week|"
        "<number> (days|nights|weeks))|all (day|night|weekend)|overnight|at night)",
        "left alone for days",
    ),
    Rule(
        "(i am|im|get|got|been|was|are|were|is) left (alone|on my own|home alone|by myself) "
        "(overnight|for|all|at night|a lot|every)",
        "left alone for days",
    ),
    Rule("home alone (all|for days|for the weekend|overnight|at night|every night)", "home alone"),
    Rule(
        "(we have|weve got|we got|weve|theres|there is|got|have|with|and) no (heating|electric|"
        "electricity|gas|hot water|power|beds|bed)",
        "no heating or power at home",
    ),
    Rule(
        "no (heating|electric|electricity|gas|hot water|power) (and|since|for|at home|in the "
        "house|or)",
        "no heating or power at home",
    ),
    Rule("(dont|do not|dont even) have (beds|a bed|any food|food|heating)", "no beds or food"),
    Rule("(sleep|sleeping|slept) on the floor", "sleeping on the floor"),
    Rule(
        "(cant|can not|cannot|couldnt) afford (to feed|food|to eat|the electric|the gas|to heat|"
        "the heating|dinner|meals)",
        "can't afford food or heating",
    ),
    Rule(
        "(nobody|no one) (looks after|cares for|takes care of|look after|care for) (me|us)",
        "nobody looks after me",
    ),
    Rule("have to look after myself", "nobody looks after me"),
    Rule(
        "(mum|dad|mam|mom|parents|they|she|he|mother|father) (is|are|gets|get|got|always|is "
        "always|are always|was|were|s) (drunk|high|stoned|wasted|off (her|his|their) face|passed "
        "out|out of it|unconscious|asleep all day|in bed all day|always asleep)",
        "parents drunk or high",
    ),
    Rule(
        "(spends|spend|spent) [all] (the|our|my) money on (drink|drugs|alcohol|booze|weed)",
        "money spent on drink or drugs",
    ),
    Rule(
        "(forgets|forgot|forget|doesnt give|dont give|never gives) [me] my (medication|meds|"
        "tablets|medicine|inhaler|insulin)",
        "medication withheld",
    ),
    Rule("(homeless|sleeping rough|sofa surfing|nowhere to (live|sleep|stay|go))", "homelessness"),
    Rule("(house|flat|home) is (freezing|so cold|really cold|filthy)", "cold or filthy home"),
    Rule(
        "(wait|waited|waiting|have to wait|stand|stay) outside (until|till|for hours|in the "
        "(dark|cold|rain)|all)",
        "left outside",
    ),
    Rule(
        "(no|never any|not enough|never enough|hardly any|barely any|never no) (food|meals|dinner|"
        "tea)",
        "not enough food",
        unless_next="(allowed|or drink allowed|at the|in the (hall|meeting|class|classroom|room|"
        "session|workshop)|for the (event|meeting|session)|was provided)",
    ),
    Rule(
        "(go|goes|going|went|gone|gona) without (food|meals|dinner|eating|tea|breakfast|a meal|"
        "meals|heating)",
        "going without food",
    ),
    Rule(
        "(left|leave|leaves|leaving) (me|us) ...4 (on my own|on our own|alone|home alone|by "
        "myself|by ourselves) ...2 (night|nights|days|weekend|weekends|overnight|hours|ages)",
        "left alone for days",
    ),
    Rule(
        "(same|dirty|smelly|unwashed) (clothes|uniform|school uniform) ...3 (all week|for days|"
        "every day|smell|smells|dirty|not washed|isnt washed)",
        "clothes not washed",
    ),
    Rule(
        "(doesnt|dont|never|wont) wash (my|our|me|us|the) [(clothes|uniform)]", "clothes not washed"
    ),
    Rule(
        "(nobody|no one) ...3 (pick|picks|picked|collect|collects|collected|fetch|fetches|"
        "fetched|get|gets) me",
        "nobody picks me up",
    ),
    Rule(
        "(cant|cannot|couldnt|can not) afford (gas|electric|heating|nappies|clothes|shoes|"
        "uniform|rent|the rent|to live|anything|bread|milk)",
        "can't afford essentials",
    ),
    Rule(
        "(benefits|money|universal credit) (stopped|sanctioned|cut off) ...6 (food|eat|meals|kids)",
        "no money for food",
    ),
    Rule(
        "(dont|do not|never|rarely|hardly ever|hardly) (get|have|eat|got) (dinner|tea|breakfast|"
        "lunch|food|meals|a meal|anything to eat|fed)",
        "not fed",
    ),
    Rule(
        "(mum|dad|mam|mom|parents|mother|father|she|he|they) (hasnt|havent|has not|have not|not|"
        "never|didnt) (been|come|came) (home|back) (since|for|all|in|last)",
        "parent not home",
    ),
    Rule(
        "(mum|dad|mam|mom|parents|mother|father) (is|are|s) (always|never|hardly ever|hardly) "
        "(out|home|in|around|there)",
        "parent never home",
    ),
    Rule(
        "(nobody|no one|never|dont|doesnt|wont|not) (takes|take|took|taken) me to the (dentist|"
        "doctor|doctors|hospital|gp|optician|opticians|appointments)",
        "medical needs neglected",
    ),
    Rule("(sleep|sleeping|slept) in (our|their|my|his|her) (coats|clothes|coat)", "cold home"),
    Rule(
        "(have to|has to|got to|i) (feed|look after|care for|bath|dress|get) my [(little|baby|"
        "younger|small)] ...1 (brother|sister|siblings|brothers|sisters) ...4 (because|cos|as|"
        "mum|dad|nobody|no one|when)",
        "caring for siblings alone",
    ),
    Rule(
        "(havent got|have not got|havent|dont have|got no|aint got|dont have any|not got) any "
        "(food|money|electric|gas|heating)",
        "no food or power",
    ),
    Rule(
        "(doesnt|dont|never|wont|didnt) (make|cook|give|buy) (us|me) (food|dinner|tea|meals|"
        "breakfast|anything to eat|lunch)",
        "not fed",
    ),
    Rule(
        "(nobody|no one|never) (washes|wash|washed|cleans) (my|our) (clothes|uniform)",
        "clothes not washed",
    ),
    Rule(
        "(leave|leaves|left|leaving) (me|us) for (days|weeks|the weekend|ages|# days|<number> "
        "(days|nights|weeks))",
        "left alone for days",
    ),
    Rule(
        "(run out of|ran out of|no) (money|food) (for|since) (days|a week|# days|<number> days|"
        "ages)",
        "no money for food",
    ),
    Rule("(mattress on the floor|no (covers|bedding|duvet|blankets|sheets|bed))", "no proper bed"),
    Rule("(nobody|no one|nobodys|no ones) ...1 been (home|in|back)", "nobody at home"),
    Rule(
        "(havent|hasnt|not|didnt|have not|has not) (eaten|had [any] (food|breakfast|lunch|dinner|"
        "tea|anything to eat|anything)) ...3 (today|all day|since|for|in)",
        "not eaten",
    ),
    Rule("nothing (for|in for) (tea|dinner|breakfast|lunch|us to eat|me to eat)", "nothing to eat"),
    Rule(
        "(nobody|no one) (helps|gives|reminds) me ...2 (medication|meds|tablets|medicine|insulin|"
        "inhaler)",
        "medication neglected",
    ),
    Rule(
        "(keep|keeps|kept) missing (my|his|her) (medication|meds|tablets|doses|insulin|"
        "appointments)",
        "medication neglected",
    ),
    Rule(
        "(no|without) (working toilet|running water|working (heating|boiler|cooker|fridge))",
        "no basic amenities at home",
    ),
    Rule("(living|live|sleeping|sleep|lives) in one room", "overcrowded home"),
    Rule(
        "(no|without) [working] (toilet|running water|cooker|fridge|washing machine|oven|kitchen|"
        "cooking facilities)",
        "no basic amenities at home",
        unless_next="(at the|in the (hall|venue|meeting|session|church|centre))",
    ),
    Rule(
        "(hasnt got|havent got|has no|have no|dont have|doesnt have|not got) [(a|any)] (coat|"
        "coats|shoes|warm clothes|winter coat|bed|school shoes) ...3 (fit|fits|cant|because|and)",
        "child without essentials",
    ),
    Rule(
        "(left|leave|leaves|leaving) (me|us) ...4 (on my own|on our own|alone|home alone|by "
        "myself|by ourselves) ...6 (night|nights|days|weekend|weekends|overnight|work)",
        "left alone for days",
    ),
    Rule(
        "(steal|stealing|stole|nick|nicking|nicked) (food|something to eat|snacks|bread)",
        "stealing food",
    ),
)

VIOLENCE: tuple[Rule, ...] = (
    Rule(
        "<person> ...4 <intends> ...3 <violence> <target>",
        "threats to hurt or kill",
        # "mum would kill me if I was late" is a scolding foretold, not a threat; "if I told" is one.
        unless_next="(<game>|out|off|if (i|we) (was|were|am|m) (late|rude|cheeky|naughty)|"
        "if (i|we) (forgot|lost|broke|missed|spilt|spilled|ate|failed))",
    ),
    Rule(
        "(i|i am|we|ill) ...2 (will|going to|want to|would like to|am going to) ...2 (kill|stab|"
        "shoot|hurt|batter|beat up|attack|smash|bash|burn|punch) (him|her|them|you|someone|"
        "anyone|people|everyone|everybody|anybody|my <person>|(the|those|these|that) ...1 "
        "(boy|boys|girl|girls|kids|lads|teacher|teachers|people|person|man|kid))",
        "wanting to hurt someone",
        unless_next="<game>",
    ),
    Rule(
        "threat* (to|me|us|him|her|my) ...3 (kill|stab|hurt|beat|batter|shoot|jump|burn|knife|"
        "beat up|attack)",
        "threatened with violence",
    ),
    Rule("threat* [(me|him|her|us)] with a <weapon>", "threatened with a weapon"),
    Rule(
        "(stab|stabs|stabbed|stabbing)",
        "stabbing",
        unless_before="(a|another|first|the first)",
        unless_next="(at|in the dark)",
    ),
    Rule(
        "(carry|carries|carrying|brought|bring|brings|bringing|had|has|have|got|pulled|pulls|"
        "pull|took|takes|take) [out] (a|his|her|their|a big|my) <weapon>",
        "carrying a weapon",
        unless_next="(and fork|and a fork|fork)",
    ),
    Rule("<weapon> (to|in|into|at) (school|college|class|my bag|his bag|her bag)", "weapon"),
    Rule("(shoot|shooting|shot) up (the|my|a) (school|college|class)", "shooting"),
    Rule("(shoot|shot|shooting) (me|him|her|them|us|people|everyone)", "shooting"),
    Rule("((got|get|getting|been|was) jumped|jumped me|jump me)", "jumped"),
    Rule(
        "(set fire|set alight|petrol) (to|through|on) (our|my|the) (door|house|flat|letterbox|car)",
        "arson",
    ),
    Rule(
        "(gang|gangs) ...4 (waits for|wait for|waiting for|after|chase|chased|chasing|threat*|"
        "jumped|beat|hurt|follow*) (me|us|him|her)",
        "a gang after me",
    ),
    Rule("(want|wants|going) to fight me", "threatened with a fight"),
    Rule("beat (me|him|her|us) up", "beaten up"),
    Rule(
        "<person> ...4 <intends> ...2 (slash|cut|glass|glassed|shank|murder|strangle|do|sort|"
        "break|smash|hit|kick|rape|burn|batter) (me|us|you|my <child>|my <body>|him|her|them|"
        "our <child>|my (face|head|legs|arms|neck|jaw|house))",
        "threats to hurt or kill",
        unless_next="(<game>|out|off)",
    ),
    Rule("threat* ...4 with (a|an|his|her|their) <weapon>", "threatened with a weapon"),
    Rule(
        "(machete|machetes|zombie knife|zombie knives|knuckle duster|knuckle dusters|shank|shanks|"
        "flick knife|flick knives)",
        "weapon",
    ),
    Rule("(slashed|slash|glassed|shanked|bottled)", "stabbed or slashed"),
    Rule(
        "(bring|brings|bringing|brought|get|getting|got|has|have|carry|carries|carrying|buy|"
        "bought|hide|hides|hid) ...2 <weapon>",
        "carrying a weapon",
        unless_next="(and fork|and a fork|fork|skills|crime)",
    ),
    Rule("(run|ran|running|runs) (me|him|her|us) over", "run over on purpose"),
    Rule("tried to run (me|him|her|us) over", "run over on purpose"),
    Rule(
        "(gun|guns)",
        "gun",
        unless_before="(nerf|toy|water|glue|bb|cap|laser|staple|starting|spud|foam|top)",
        unless_next="(in [video] games|games|game|on [the] (xbox|"
        "fortnite|playstation|minecraft|roblox)|shop|show)",
    ),
    Rule("(threatening|threaten|threatens|threatened) (me|us|my <person>)", "threatened"),
    Rule(
        "(bring|brought|bringing|take|took|taking|carry|carrying) ...3 (hammer|bat|baseball bat|"
        "crowbar|axe|screwdriver|weapon|weapons) (to|into|in) (school|college|class)",
        "a weapon to school",
    ),
    Rule(
        "(think|thinking|thought|thoughts|dream|dreaming|fantasi*) (about|of) (hurting|killing|"
        "stabbing|shooting|attacking|beating up|getting back at) (the|them|him|her|people|someone|"
        "everyone|kids|those|my)",
        "thinking about hurting someone",
    ),
    Rule(
        "set (his|her|their|our|my|the|your) (house|flat|car|door|home) on fire|(burn|burning) "
        "(his|her|their|our|the|your) (house|flat|car|home) down",
        "arson",
    ),
)

EXPLOITATION: tuple[Rule, ...] = (
    Rule(
        "(county lines|county line|going country|go country|went country|cuckoo*|trap house|"
        "trapping|drug debt|drug runner|drug running|run drugs|running drugs)",
        "county lines",
    ),
    Rule("(money|paid|pays|pay|pound|pounds|#) [me] to <errand>", "paid to carry things"),
    Rule("<errand> (packages|parcels|drugs|weed|gear|sim cards)", "carrying packages"),
    Rule(
        "<errand> <goods> [off] (for|to) (them|him|her|someone|a man|these|people|older)",
        "carrying things for others",
    ),
    Rule(
        "(drop|dropping|drops) (stuff|bags|packages|parcels|things|something) off",
        "dropping things off",
    ),
    Rule("(sell|selling|sells|deal|dealing) (for them|for him|drugs|weed|gear)", "selling drugs"),
    Rule(
        "owe (them|him|her|these people|those people|the|some) ...2 (money|now|for|a debt)",
        "owing money to someone",
    ),
    Rule(
        "<groomer> ...4 (gives|gave|give|giving|buys|bought|buying|pays|paid|sends|sent) me ...2 "
        "<gifts>",
        "gifts from an older person",
    ),
    Rule(
        "<online> ...8 (wants|want|wanted|asked|asks|asking|keeps asking|said|says) [me] to "
        "(meet|come|video call|call|send|visit)",
        "someone online wanting to meet",
    ),
    Rule(
        "<online> ...12 (meet up|meet me|wants my address|asked for my address|wants my "
        "location|wants to know where i live)",
        "someone online wanting to meet",
    ),
    Rule(
        "(not to|dont|do not|never|not) tell (anyone|anybody|my mum|my dad|my parents|mum|dad|"
        "your mum|your dad|your parents|no one|nobody)",
        "told to keep it secret",
        unless_before="(i|i will|i would|please|pls)",
    ),
    Rule("keep (it|this|things) [a] secret", "told to keep it secret"),
    Rule("our [little] secret", "told to keep it secret"),
    Rule("(being|been|getting|get|got|was|is) groomed|groom* (me|him|her)", "grooming"),
    Rule("(keeps|kept|keep|has been|been|started) (going|goes|went|gone) missing", "going missing"),
    Rule("(he|she|son|daughter|child) (goes|went|has gone|keeps going) missing", "going missing"),
    Rule("older (boyfriend|girlfriend|man|men|guy|guys)", "older boyfriend or man"),
    Rule("(joined|join|in|part of|involved with|involved in) a gang", "gang involvement"),
    Rule(
        "(sent|send|sends|taken|take|takes) to (different|other) (towns|cities|places|areas)",
        "sent to other towns",
    ),
    Rule(
        "(coming|came|comes|come) (back|home) with (new|money|cash|expensive|loads of)",
        "unexplained money or gifts",
    ),
    Rule("(earn|earning|make|making) (easy|quick|fast|some) (money|cash|pounds)", "easy money"),
    Rule(
        "(gave|give|gives|given) me a [new] phone ...6 (answer|when they|whenever|favours|for "
        "them)",
        "a phone given to use for them",
    ),
    Rule("(do|doing) (him|them|her) (favours|a favour)", "owing favours"),
    Rule(
        "(said|says|told me|claims|claimed) (he is|she is|they are|he was|she was) # ...6 (older|"
        "lying|not really|actually)",
        "someone lying about their age",
    ),
    Rule("(use|uses|using|used) our (flat|house|home) (to|for)", "cuckooing"),
    Rule(
        "(look after|looking after|keep|keeping|hide|hiding|mind|minding|store|storing|stash|"
        "stashing) (stuff|things|something|bags|packages|drugs|weed|gear|a bag|a package) ...4 "
        "(for (them|him|her|some|these|a man|older)|at my house|in my room)",
        "holding things for others",
    ),
    Rule(
        "(do|doing|did|run|running|ran) (jobs|errands|runs|work|a job|jobs) for (him|them|her|"
        "some|these|a man|older|this)",
        "doing jobs for someone",
    ),
    Rule(
        "(work|working|worked) for (them|him|these people|those people|these lads|those lads)",
        "working for someone",
    ),
    Rule(
        "(have to|has to|made to|make me|makes me|forced to|got to|gotta) (go|travel|get the "
        "train|get a train|go out|get on the train) ...6 for (them|him|these|those)",
        "sent on journeys for someone",
    ),
    Rule(
        "(i|he|she|son|daughter|child|we) ...2 (went|go|goes|gone|going|been|was|keep going|"
        "keeps going) missing",
        "going missing",
    ),
    Rule("(second|burner|secret|extra) (phone|phones|sim|sim card)", "a second phone"),
    Rule(
        "(cash|money|phone|gifts|trainers|clothes|presents) ...3 (cant|cannot|wont|wouldnt|"
        "doesnt|wont say|refuses to) (explain|say where)",
        "unexplained money or gifts",
    ),
    Rule(
        "(work|works|working|worked|jobs|runs) for ...2 (older|them|these|those|a gang|dealers|"
        "a man|some men|some lads)",
        "working for older people",
    ),
    Rule(
        "(comes|came|come|coming|get|gets|got|getting) (home|back|in) at (#|one|two|three|four|"
        "five) (am|in the morning)",
        "out late at night",
    ),
    Rule(
        "(out|stays out|staying out|stayed out) (all night|till (#|one|two|three|four|five))",
        "out late at night",
    ),
    Rule(
        "(make|earn|making|earning|made|earned) (loads of|lots of|easy|quick|good|some|big|fast) "
        "(money|cash|pounds|dosh|p)",
        "easy money",
    ),
    Rule(
        "(made to|make me|makes me|forced to|have to|told to|force me to|forces me to|forcing me "
        "to) (steal|shoplift|sell|deliver|carry|hide|hold|nick|rob|run)",
        "made to commit crime",
        unless_next="(food|something to eat)",
    ),
    Rule(
        "(adult|grown up|grown man|older man|old man) ...8 <online>|<online> ...8 (adult|grown up|"
        "grown man|older man|old man)",
        "an adult online",
    ),
    Rule(
        "(drugs|cocaine|coke|ket|ketamine|cannabis|spice|mdma|crack|heroin|weed|pills)",
        "drugs",
        unless_before="(adhd|prescription|prescribed|epilepsy|his|her|the|anti|on|about|around)",
        unless_next="(trial|trials|for (his|her|adhd|epilepsy)|from the (doctor|gp|pharmacy)|"
        "awareness|education|talk|workshop)",
    ),
    Rule(
        "exploit*",
        "exploitation",
        unless_next="<topic>",
        unless_before="(about|on|around|of|child|criminal|sexual)",
    ),
    Rule("(child|criminal|sexual) exploitation", "exploitation", unless_next="<topic>"),
    Rule(
        "(take|takes|took|taking) (me|us|her|him) to (parties|a party|their flat|his flat|houses|"
        "hotels|a hotel)",
        "taken to parties",
    ),
    Rule("(different|strange|older|mens|random) (cars|car)", "picked up in cars"),
    Rule(
        "((pay|paying|paid|work|working) (back|off) (the|a|my|his|her) debt|drug debt|owe (them|"
        "him) a debt)",
        "a debt to pay off",
    ),
    Rule("(doing|do|did|done) (runs|a run|drops)", "doing runs"),
    Rule(
        "(makes|made|tells|told|asks|asked|wants|make) (me|us|him|her) ...1 keep ...1 (secrets|"
        "secret)",
        "told to keep secrets",
    ),
    Rule(
        "(arrested|picked up by [the] police|stopped by [the] police) (in|at|miles) ...2 (town|"
        "city|place|away|from home)",
        "found far from home",
    ),
    Rule("(says|said|told me|tells me|say) i owe (him|them|her)", "owing someone"),
    Rule(
        "(pays|paid|pay|paying) (my|for my) (phone|bills|phone bill|top up|credit|contract)",
        "someone paying my bills",
    ),
    Rule(
        "(send|sends|sent|take|takes|took) me to (a|their|his|some|this) (flat|house|address|"
        "place) ...3 (collect|drop|pick up|deliver|sell|money|stuff)",
        "sent to addresses",
    ),
    Rule("collect (money|debts|cash|debt) for (them|him|her)", "collecting money for others"),
    Rule(
        "(pay|pays|paid|buy|buys|bought|booked|book) [for] my (train|bus|taxi|uber|coach|travel) "
        "...2 (ticket|tickets|fare|fares)",
        "someone paying for my travel",
    ),
    Rule(
        "(have|got|has) to do (whatever|what|everything) (they|he|she) (say|says|tell me|tells "
        "me|want|wants)",
        "made to do what they say",
    ),
    Rule("(part of|in|join|joined) (their|the|a) (crew|gang|squad|ends) [now]", "part of a crew"),
    Rule("(his|her|my|our) special (girl|boy|friend|secret|one)", "special friend (grooming)"),
    Rule(
        "(asked|asks|asking) me for my (address|location|postcode|school|number)",
        "asking for my address",
    ),
    Rule(
        "(send|sends|sent|book|books|booked|pay for|paid for) (a|an|me a) (taxi|uber|cab|car) "
        "[(for me|to get me|to pick me up)]",
        "sending a taxi for me",
    ),
)

UNSAFE: tuple[Rule, ...] = (
    Rule(
        "<scared> (to|of) (go|going) (home|back home|to school|back to school|back|in)",
        "scared to go home or to school",
    ),
    Rule("<scared> of (him|her|them|[(my|the|his|her|our)] ...2 <person>)", "scared of someone"),
    Rule(
        "<scared> (what|of what) (he|she|they|my <person>) ...2 (will|would|might|going to|is going "
        "to) do",
        "scared of what someone will do",
    ),
    Rule(
        "(dont|do not|never|dont really|dont even|didnt|not) feel safe",
        "not feeling safe",
        unless_next="(leaving|to leave|sending|letting)",
    ),
    Rule(
        "(not|never|isnt|arent) safe (at|in) (home|school|my house|the house|my room)",
        "not safe at home or school",
    ),
    Rule("(i am|im) not safe", "not safe"),
    Rule(
        "(feel|feeling) unsafe", "feeling unsafe", unless_next="(on the road|on the roads|crossing)"
    ),
    Rule("unsafe (at|in) (home|school|my house)", "unsafe at home or school"),
    Rule(
        "(being|getting|get|gets|got|am|is|are|keep getting|been|feel|still) bullied",
        "being bullied",
        unless_next="into",
    ),
    Rule(
        "bullied (every|all the time|daily|constantly|everyday|online|at school|on the bus)",
        "being bullied",
    ),
    Rule("(bully|bullies|bullying|bullys) (me|him|her|us)", "being bullied"),
    Rule(
        "(want|wanna|going|gonna|will|thinking|think about|planning|plan|try|tried|trying) [to] "
        "(run away|running away)",
        "running away",
    ),
    Rule(
        "(kicked|threw|thrown|throw|chucked|kick) me out",
        "thrown out of home",
        unless_next="of (class|the class|lesson|the lesson|lessons|school|the room|the club|"
        "the group|the game|the chat|the team|the shop|the library|the hall)",
    ),
    Rule("(kicked|thrown) out of (home|the house|my house)", "thrown out of home"),
    Rule(
        "(please|please please) [(can|could)] (someone|somebody|anyone|any one|you) help",
        "asking for help",
    ),
    Rule("(please|help me) help", "asking for help"),
    Rule("help me (please|im scared|i am scared)", "asking for help"),
    Rule("please help me", "asking for help"),
    Rule(
        "i need help",
        "asking for help",
        unless_next="(with|to|filling|finding|getting|understanding|applying|completing|on|about|"
        "for|from the|choosing|sorting)",
    ),
    Rule(
        "something (bad|wrong|horrible|scary) (is happening|happens|happened|is going on|going "
        "on) [(at home|to me)]",
        "something bad happening",
    ),
    Rule("(cant|can not|cannot|dont want to|not going) (go|to go) home", "can't go home"),
    Rule("(dont|do not) want to go home", "can't go home"),
    Rule("(nobody|no one) believes me", "nobody believes me"),
    Rule("(corner|cornered|corners) me", "cornered by others"),
    Rule(
        "(take|took|takes|taking|steal|steals|stole|stealing) my (money|dinner money|lunch money)",
        "money taken from me",
    ),
    Rule("(call|calls|calling|called) me names", "called names"),
    Rule("posted (photos|pictures|videos|pics) of me", "pictures of me posted"),
    Rule("(racist|racial|homophobic) abuse", "abuse at school or in the street"),
    Rule(
        "((i am|im|i feel|feel|we are|were) in danger|danger at home|dangerous at home)",
        "in danger",
    ),
    Rule("(its|it is|not|isnt|never) safe (there|here|for me)", "not safe"),
    Rule("(its|it is|im|i am) not safe [(there|here|for me|anymore|at all)] $", "not safe"),
    Rule("nowhere [safe] to (live|sleep|stay|go)", "nowhere safe to go"),
    Rule(
        "(following|followed|follows|stalking|stalks|stalked) (me|us) [(home|from|to|everywhere|"
        "around|after)]",
        "followed",
    ),
    Rule(
        "(is|are|were|was|been) (horrible|nasty|mean|vile|cruel|awful) to (me|him|her)",
        "treated cruelly",
    ),
    Rule("(i have|ive got|i got|i have got) (no one|nobody|no friends|noone)", "alone"),
    Rule(
        "(cant|cannot|dont know how to|scared to|too scared to|dont know who to|can not) tell (my "
        "<person>|anyone|mum|dad|anybody|you|the teacher|someone|them)",
        "can't tell anyone",
    ),
    Rule(
        "(need|want) (someone|somebody) to talk to",
        "needing someone to talk to",
        unless_next="(about|regarding) (his|her|the|my son|my daughter|ehcp|our)",
    ),
    Rule(
        "something (happened|has happened|bad happened|happened to me)",
        "something happened",
        unless_next="(at the|in the|with the|to the) (meeting|review|panel|bus|form|school run)",
    ),
    Rule(
        "(dont|do not) want to be (at home|home|in the house|in my house)", "not wanting to be home"
    ),
    Rule("(im|i am|i was|were|we are) hiding (in|from|under|upstairs)", "hiding"),
    Rule(
        "(they are|theyre|parents are|mum and dad are|they keep|always) (fighting|screaming at each "
        "other|hitting each other)",
        "violence at home",
    ),
    Rule(
        "(too scared|scared|afraid|frightened|terrified) to (tell|say|speak)", "too scared to tell"
    ),
    Rule(
        "<scared> to (go|be|stay|sleep) (home|at home|in the house|in my house|back home|there|in "
        "my room)",
        "scared at home",
    ),
    Rule(
        "(ran|run|running|runaway) away (from home|last night|yesterday|again|and i|and slept)",
        "ran away",
    ),
    Rule(
        "(slept|sleeping|sleep) (in the park|outside|rough|on the street|on the streets|in a car|"
        "in a stairwell|on a bench)",
        "sleeping rough",
    ),
    Rule(
        "(make|makes|made|making) fun of (me|my)|(laugh|laughs|laughing) at me|(mock|mocks|"
        "mocking|mocked) me",
        "made fun of",
    ),
    Rule("<scared> (at|in|of) (home|my house|the house|our house|my room)", "scared at home"),
    Rule(
        "(hate|dread|dreading|hates|scared of|afraid of) (going|being) (home|at home|back home)",
        "scared to go home",
    ),
    Rule(
        "(i am|im|i feel|feeling|i get) [(so|really|very|too|really really)] <scared> [(now|right "
        "now|please|pls|at night|all the time)] $",
        "saying I'm scared",
    ),
    Rule(
        "(i am|im) [(so|really|very)] <scared> (please|help|pls|and alone|and i|of what|what)",
        "saying I'm scared",
    ),
    Rule(
        "<scared> (he|she|they|my <person>|dad|mum) ...3 (come back|find me|find out|hurt|hit|"
        "kill|get me|do something|find us|kick off|get angry|get drunk)",
        "scared of someone",
    ),
    Rule(
        "(send|get) (someone|somebody|help|the police|police) (please|now|pls|to my|here|to help)",
        "asking for someone to come",
    ),
    Rule("can you send (someone|somebody|help|the police)", "asking for someone to come"),
    Rule(
        "((being|getting|get|gets|got|been|keep getting) picked on|(pick|picks|picking) on "
        "(me|him|her|us))",
        "being picked on",
    ),
)

RULES: dict[str, tuple[Rule, ...]] = {
    "self_harm_suicide": SELF_HARM,
    "abuse_physical": PHYSICAL,
    "abuse_sexual": SEXUAL,
    "abuse_emotional": EMOTIONAL,
    "neglect": NEGLECT,
    "violence": VIOLENCE,
    "exploitation": EXPLOITATION,
    "unsafe": UNSAFE,
}
