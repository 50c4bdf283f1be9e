"""More words people use in replies (see vocabulary.py): what wraps an answer without changing it,
how people judge a quality, times of day, and everyday words for common options.

Compared after the same clean-up as vocabulary.py (lower case, accents and apostrophes ignored).
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# fmt: off

# A greeting before the answer: "Hi, 4", "hiya skip", "Shwmae naddo". Only the first word(s), and
# only when something follows ("hi" alone is not an answer to strip down to nothing).
GREETINGS = (
    "hi there", "hello there", "hi", "hiya", "hello", "helo", "hey", "heya",
    "shwmae", "shw mae", "sumae", "su mae", "smae", "haia", "bore da", "noswaith dda",
)
# A sign-off after the answer: "4 thanks", "no x", "1,3 cheers". "ta" is left alone: it is an
# option ("teaching assistant") as often as it is thanks.
SIGN_OFFS = (
    "thank you", "thanks", "thx", "thnx", "thanx", "cheers", "please", "pls", "plz", "x", "xx",
    "xxx", "lol", "haha", "diolch", "diolch yn fawr", "plis",
)
# A reply that starts with one of these asks something back: "what is a senco", "who is this".
QUESTIONS_BACK = (
    "what", "whats", "what's", "who", "whos", "who's", "why", "how", "which", "where", "wot", "wat",
    "beth", "pwy", "pam", "sut", "pa", "lle", "ble", "is this", "is it", "are you", "do you",
    "can i", "can you", "could you",
)
# ... except these, which answer: "why not" is yes, "how about 3" names 3.
NOT_QUESTIONS = ("why not", "how about", "what about")

# Judging a quality, for a yes/no question about one ("Was the meeting helpful?", "Is the plan up
# to date?"): "really helpful" and "great" are yes, "not great" and "useless" are no, "it was ok"
# is neither. A question is about a quality when its words hold one of GOOD or BAD.
GOOD = (
    "helpful", "useful", "good", "great", "brilliant", "brill", "amazing", "excellent",
    "fantastic", "fab", "fabulous", "lovely", "superb", "perfect", "wonderful", "valuable",
    "worthwhile", "worth it", "clear", "easy", "happy", "up to date", "current", "informative",
    "gwych", "wych", "da", "dda", "defnyddiol", "ddefnyddiol", "arbennig", "ardderchog", "hapus", "cyfredol",
    "gyfredol", "grêt", "gret", "handi", "llesol",
)
BAD = (
    "unhelpful", "useless", "pointless", "awful", "terrible", "rubbish", "crap", "poor", "bad",
    "horrible", "dreadful", "hopeless", "waste of time", "a waste of time", "a waste", "out of date",
    "unclear", "confusing", "hard", "difficult", "ofnadwy", "gwael", "diwerth", "di-werth",
    "dibwrpas", "gwastraff amser", "anodd", "wedi dyddio", "hen",
)
# Neither yes nor no to a question about a quality.
LUKEWARM = (
    "ok", "okay", "okey", "alright", "all right", "fine", "so so", "average", "meh", "not bad",
    "kind of", "kinda", "sort of", "sorta", "a bit", "a little", "in parts", "some of it", "partly",
    "mixed", "somewhat", "oce", "go lew", "weddol", "gweddol",
    "not too bad", "could be better", "average really",
)
# Words that wrap a judgement without changing it: "it was really helpful", "roedd yn wych iawn".
JUDGEMENT_FILLER = _words(
    "it its was is were the meeting plan very really so realy rly soo sooo v super extremely "
    "totally quite pretty that particularly all at incredibly truly genuinely actually honestly "
    "yn roedd mae oedd e o hi fe gwbl wir iawn hynod reit eithaf it's"
)
# "not great", "wasn't helpful", "ddim yn dda": the judgement turned round.
JUDGEMENT_NEGATIONS = _words(
    "not isnt wasnt never ddim dim nid nac nag aint werent arent"
)

# Yes and no said with the question's own verb, beside vocabulary.YES and vocabulary.NO.
MORE_YES = (
    "it is", "yes it is", "it is yes", "yes it was", "they are", "they were", "it has", "yes it has",
)
MORE_NO = (
    "it isn't", "it's not", "its not", "isn't", "is not", "it is not", "it wasn't", "wasn't",
    "was not", "it was not", "they aren't", "they weren't", "it hasn't", "hasn't", "has not",
    "no it isn't", "no it's not", "no it wasn't", "not yet", "no not yet",
)

# Times of day, for options such as Morning / Afternoon / Evening: which word a reply means.
# Keys are the words an option's label would use; a reply is read only if one option has it.
TIMES_OF_DAY: dict[str, tuple[str, ...]] = {
    "morning": (
        "morning", "mornings", "am", "a.m", "before lunch", "before lunchtime", "early",
        "first thing", "bore", "yn y bore", "boreau",
    ),
    "afternoon": (
        "afternoon", "afternoons", "arvo", "after lunch", "after lunchtime", "prynhawn", "pnawn",
        "p nawn", "yn y prynhawn", "prynhawniau",
    ),
    "evening": (
        "evening", "evenings", "eve", "after work", "after tea", "after dinner", "teatime",
        "tea time", "after the kids are in bed", "after bedtime", "gyda'r nos", "gyda'r hwyr",
        "min nos", "nos",
    ),
}
# Welsh labels for the same times, so "pnawn" finds an option labelled only "Prynhawn".
TIME_LABELS: dict[str, tuple[str, ...]] = {
    "morning": ("morning", "bore"),
    "afternoon": ("afternoon", "prynhawn"),
    "evening": ("evening", "gyda'r nos", "nos"),
}
# "No preference" said in other words: the option labelled "Any time", "Either", "Unrhyw bryd".
INDIFFERENT = (
    "any", "anytime", "any time", "whenever", "whenever suits", "whenever is fine",
    "whenever's fine", "dont mind", "i dont mind", "don't mind", "i don't mind", "not fussed",
    "im not fussed", "doesnt matter", "doesn't matter", "it doesnt matter", "it doesn't matter",
    "all day", "any time is fine", "any time is good", "anytime is fine", "either", "either is fine",
    "unrhyw bryd", "unrhyw amser", "dim ots", "dim ots gen i", "does dim ots", "unrhyw adeg",
)
# Labels that offer no preference.
INDIFFERENT_LABELS = ("any", "anytime", "either", "no preference", "unrhyw", "dim ots")

# Everyday words for an option's label word, used only where an option's label has that word:
# "post" finds "Letter", "ring me" finds "Phone call", "money" finds "Cost".
OPTION_WORDS: dict[str, tuple[str, ...]] = {
    "text": ("txt", "txts", "txt me", "sms", "texting", "texts", "tecst", "tecstio"),
    "call": ("ring", "ring me", "calls", "phone me", "call me", "a call", "ffonio", "ffoniwch"),
    "letter": ("post", "by post", "in the post", "letters", "trwy'r post", "drwy'r post"),
    "email": ("e mail", "emails", "ebost", "e-bost", "mail me"),
    "cost": ("money", "the money", "price", "expense", "costs", "afford", "couldn't afford"),
    "travel": ("transport", "getting there", "bus", "buses", "the bus", "no car", "driving"),
    "other": ("something else", "somewhere else", "elsewhere", "another", "rhywbeth arall",
              "rhywle arall", "arall"),
}
# "None" said as having no trouble, beside vocabulary.NONE: the exclusive option, if there is one.
MORE_NONE = (
    "no problems", "no problem", "no issues", "no barriers", "nothing stopped me",
    "nothing stopped us", "none of them really", "nothing made it hard", "dim problem",
    "dim problemau",
)
# A reason after an answer: "2 as I can't read well", "3 because she's home schooled now".
REASON_WORDS = (
    "as", "because", "becuase", "becouse", "cos", "coz", "cause", "cuz", "bc", "since", "but",
    "so", "achos", "oherwydd", "gan", "am fod", "ond",
)
# fmt: on
