"""Lexical cue patterns of involvement, matched with spaCy's Matcher.

Each cue is a named group of token patterns (on the lower-cased token text, so that a
capitalised word at the start of a sentence matches too). The classifier counts the cues found
in a sentence as features beside its words, and explanations name them, so a reader can see that
a sentence was called co-production because "people decide" and "co-chair" were found, not
because of the word "co-production". Cues describe evidence; the model learns their weight.
"""

from __future__ import annotations

from functools import lru_cache

from spacy.language import Language
from spacy.matcher import Matcher


def _forms(*words: str) -> list[str]:
    """Regular inflections of each word: noun plurals and verb forms (decide -> decides, decided...)."""
    out: set[str] = set()
    for w in words:
        out.add(w)
        if w.endswith("e"):
            out.update({w + "s", w + "d", w[:-1] + "ing"})
        elif w.endswith("y") and w[-2:-1] not in "aeiou":
            out.update({w[:-1] + "ies", w[:-1] + "ied", w + "ing"})
        elif w.endswith(("s", "sh", "ch", "x")):
            out.update({w + "es", w + "ed", w + "ing"})
        else:
            out.update({w + "s", w + "ed", w + "ing"})
    return sorted(out)


def _words(*words: str) -> dict:
    return {"LOWER": {"IN": _forms(*words)}}


def _exact(*words: str) -> dict:
    return {"LOWER": {"IN": list(words)}}


def _phrase(text: str) -> list[dict]:
    return [{"LOWER": w} for w in text.lower().split()]


OPT = {"OP": "?"}
ANY = {"IS_PUNCT": False, "OP": "?"}

PEOPLE = _exact(
    "patient", "patients", "carer", "carers", "resident", "residents", "tenant", "tenants",
    "user", "users", "families", "family", "parents", "parent", "pupils", "pupil", "students",
    "student", "citizens", "communities", "community", "public", "people", "consumers", "consumer",
    "whānau", "whanau", "passengers", "customers", "members", "member", "experts", "expert",
    "participants", "advisors", "advisers", "partners", "representatives", "survivors", "youth",
    "leaseholders", "clients", "veterans", "learners", "children", "carers'", "women", "men")
ORG = _exact("we", "trust", "council", "board", "icb", "ccg", "organisation", "organization",
             "practice", "service", "team", "staff", "hospital", "authority", "association",
             "partnership", "charity", "department", "officers", "managers", "commissioners", "system",
             "district", "agency", "government", "nhs", "provider", "force", "school", "college",
             "university", "company", "operator", "centre", "center")
POWER_VERBS = _words("decide", "choose", "lead", "chair", "co-chair", "vote", "run", "control",
                     "commission", "allocate", "approve", "veto", "own", "govern", "hold", "set",
                     "manage", "direct", "determine", "select", "appoint", "recruit", "interview",
                     "scrutinise", "scrutinize", "inspect", "evaluate", "co-evaluate", "deliver",
                     "co-deliver", "design", "co-design", "write", "agree", "sign", "stop", "fund")
ASK_VERBS = _words("consult", "ask", "survey", "seek", "listen", "gather", "invite", "engage",
                   "involve", "hear", "poll", "canvass", "collect")
TELL_VERBS = _words("inform", "tell", "update", "notify", "publish", "share", "write", "explain",
                    "remind", "encourage", "advise", "publicise", "circulate", "send")
TENSE_PAST = _exact("was", "were", "had", "did", "held", "ran", "met", "took", "attended", "agreed",
                    "decided", "chose", "led", "received", "reviewed", "completed", "recruited",
                    "appointed", "established", "launched", "worked", "co-designed", "co-produced",
                    "designed", "delivered", "paid", "funded", "trained", "voted", "approved")
MONTHS = _exact("january", "february", "march", "april", "may", "june", "july", "august",
                "september", "october", "november", "december", "jan", "feb", "mar", "apr", "jun",
                "jul", "aug", "sep", "sept", "oct", "nov", "dec", "quarter", "q1", "q2", "q3", "q4")

#: Cue name -> token patterns. Names are what explanations show.
CUES: dict[str, list[list[dict]]] = {
    "coproduction_word": [[_exact("co-production", "coproduction", "co-produce", "co-produced",
                                  "co-producing", "coproduce", "coproduced", "co-produces",
                                  "co-productive", "co-production's")],
                          [{"LOWER": "co"}, {"LOWER": "-", "OP": "?"}, _words("produce", "production")]],
    "codesign_word": [[_exact("co-design", "co-designed", "co-designing", "codesign", "codesigned",
                              "co-create", "co-created", "co-creation", "co-creating", "ebcd")],
                      _phrase("experience-based co-design"), _phrase("experience based co-design")],
    "lived_experience": [_phrase("lived experience"), _phrase("lived-experience"),
                         [_exact("expert", "experts"), {"LOWER": "by"}, {"LOWER": "experience"}],
                         _phrase("people who use services"), _phrase("people who use our services"),
                         _phrase("people who draw on care"), _phrase("people with lived experience")],
    "survey_consult": [[_words("survey", "questionnaire", "poll")], [_words("consult", "consultation")],
                       _phrase("friends and family test"), [_exact("fft", "pals", "complaint", "complaints")],
                       _phrase("focus group"), _phrase("focus groups"), _phrase("listening event"),
                       _phrase("listening events"), _phrase("have your say"), _phrase("comment card"),
                       _phrase("comment cards"), [_exact("feedback", "views", "opinions", "responses",
                                                         "respondents")]],
    "informing": [[_words("newsletter", "leaflet", "bulletin", "poster", "briefing", "update",
                          "website", "webpage", "podcast", "letter", "e-newsletter")],
                  _phrase("keep you informed"), _phrase("keep people informed"),
                  [_words("inform", "publish", "notify", "publicise", "announce", "circulate")],
                  _phrase("let you know"), _phrase("social media"), _phrase("find out more"),
                  _phrase("read more"), _phrase("press release")],
    "educating": [[_words("awareness", "campaign", "educate", "education", "self-management",
                          "self-manage", "course", "workshop")],
                  _phrase("choose well"), _phrase("how to use"), _phrase("only use"), _phrase("please use"),
                  _phrase("please only"), _phrase("think before"), [_words("encourage", "remind", "urge")],
                  _phrase("the right service"), _phrase("the right place"), _phrase("manage their"),
                  _phrase("manage your")],
    "coercion": [[_exact("despite", "regardless", "imposed", "overruled", "overrode", "ignored",
                         "disregarded", "closure", "closing", "close", "withdrawn", "withdraw",
                         "evicted", "eviction", "sanction", "sanctions", "removed", "excluded",
                         "decommissioned", "decommission")],
                 _phrase("go ahead"), _phrase("went ahead"), _phrase("goes ahead"),
                 _phrase("without consulting"), _phrase("without asking"), _phrase("were not asked"),
                 _phrase("was not asked"), _phrase("not consulted"), _phrase("before patients were"),
                 _phrase("before carers were"), _phrase("before residents were"), _phrase("already been decided"),
                 _phrase("already decided"), _phrase("no choice")],
    "panel_group": [[_words("panel", "forum", "network", "council", "assembly", "committee", "board",
                            "group", "jury", "collective")],
                    [_exact("advisory", "reference", "participation", "steering", "scrutiny", "user",
                            "carer", "carers", "patient", "tenant", "resident", "youth", "citizens",
                            "citizens'", "consumer", "family"), _words("group", "panel", "council",
                                                                         "forum", "board", "network")],
                    [_exact("ppg", "pfac", "iag", "mir", "lay")], _phrase("lay member"),
                    [_words("representative", "governor", "ambassador", "champion")]],
    "design": [[_words("design", "redesign", "shape", "develop", "draft", "prototype", "mock-up",
                       "co-write", "test")],
               [_exact("workshop", "workshops", "hackathon", "sprint", "sprints")],
               _phrase("worked with"), _phrase("working with"), _phrase("together with"),
               _phrase("alongside staff"), _phrase("with staff"), _phrase("jointly")],
    "power": [[_words("vote", "veto", "co-chair", "cochair")], _phrase("voting rights"),
              _phrase("voting members"), _phrase("voting member"), _phrase("voting places"),
              [_words("decide", "decision", "decision-making")], _phrase("equal partners"),
              _phrase("equal partnership"), _phrase("equal say"), _phrase("equal power"),
              _phrase("shared power"), _phrase("share power"), _phrase("hold the budget"),
              _phrase("holds the budget"), _phrase("devolved budget"), _phrase("participatory budgeting"),
              _phrase("shared budget"), _phrase("joint decision"), _phrase("joint decisions"),
              _phrase("sign off"), _phrase("signed off"), [_exact("majority", "quorate", "quorum")],
              [{"LOWER": {"IN": ["co-chaired", "chaired", "led", "run", "owned", "controlled"]}},
               {"LOWER": "by"}]],
    "community_control": [[_exact("user-led", "peer-led", "community-led", "resident-led",
                                  "member-led", "youth-led", "carer-led", "parent-led", "citizen-led",
                                  "tenant-led", "co-operative", "cooperative", "mutual",
                                  "community-controlled", "community-run", "self-governing")],
                          [_exact("led", "run"), {"LOWER": "by"}, OPT, PEOPLE]],
    "delivery_role": [_phrase("peer support worker"), _phrase("peer support workers"),
                      [_exact("peer"), _words("worker", "mentor", "specialist", "navigator", "trainer",
                                             "facilitator", "researcher", "leader", "tutor")],
                      _phrase("recovery college"), [_words("co-deliver", "co-facilitate", "co-train",
                                                           "co-evaluate", "co-author", "co-research")],
                      _phrase("interview panel"), _phrase("interview panels"), _phrase("quality checker"),
                      _phrase("quality checkers"), _phrase("young inspectors"), _phrase("mystery shopper"),
                      _phrase("mystery shoppers"), [_words("employ", "recruit")], _phrase("paid role"),
                      _phrase("paid roles"), _phrase("job description"), _phrase("person specification")],
    "payment": [[_words("pay", "payment", "voucher", "reimburse", "reimbursement", "honorarium",
                        "honoraria", "reward", "remunerate", "remuneration", "stipend", "salary")],
                [_exact("paid", "expenses", "£", "$")], _phrase("time credits"), _phrase("time credit"),
                _phrase("an hour"), _phrase("per hour"), _phrase("per session"), _phrase("per meeting"),
                _phrase("involvement payment")],
    "feedback_loop": [_phrase("you said , we did"), _phrase("you said we did"), _phrase("you said, we did"),
                      _phrase("what changed"), _phrase("what difference"), _phrase("as a result"),
                      _phrase("because of your"), _phrase("in response"), _phrase("feed back"),
                      _phrase("fed back"), _phrase("told us"), _phrase("acted on"), _phrase("what we did")],
    "peer": [[_words("peer", "mutual", "self-help")], _phrase("support group"), _phrase("support groups"),
             _phrase("peer support"), _phrase("mutual aid"), _phrase("carers' network"),
             _phrase("carers network"), [_words("befriend", "buddy")], _phrase("each other"),
             _phrase("one another")],
    "capacity": [[_words("training", "train", "skill", "confidence", "mentor", "mentoring", "coach",
                         "coaching", "induction", "capacity", "upskill", "accredited", "qualification")],
                 _phrase("strengths-based"), _phrase("strengths based"), _phrase("leadership programme"),
                 _phrase("leadership program"), _phrase("build confidence"), _phrase("support to take part")],
    "facilitating": [[_words("grant", "fund", "funding", "micro-grant", "seed")], _phrase("small grants"),
                     _phrase("asset transfer"), _phrase("hand over"), _phrase("handed over"),
                     _phrase("enable communities"), _phrase("enabling communities"),
                     _phrase("communities to"), _phrase("community groups"), _phrase("community organisations"),
                     [_words("empower", "enable")]],
    "assets_value": [_phrase("experts in their own"), _phrase("expert in their own"),
                     _phrase("equal partners"), [_words("knowledge", "expertise", "insight", "strength",
                                                         "asset", "wisdom")],
                     _phrase("lived experience is"), [_exact("valued", "value", "valuable", "invaluable")],
                     _phrase("best placed"), _phrase("know best")],
    "individual": [_phrase("care plan"), _phrase("support plan"), _phrase("care and support plan"),
                   _phrase("personal budget"), _phrase("personal budgets"), _phrase("direct payment"),
                   _phrase("direct payments"), _phrase("personal health budget"),
                   _phrase("personal health budgets"), _phrase("shared decision-making"),
                   _phrase("shared decision making"), [_exact("my", "your", "their", "his", "her"),
                                                       _words("care", "support", "treatment", "plan",
                                                              "goal", "recovery", "medication", "budget")],
                   [_exact("individual", "individuals", "person-centred", "person-centered",
                           "personalised", "personalized", "self-directed")]],
    "strategic": [[_exact("board", "committee", "governance", "strategy", "strategic", "commissioning",
                          "budget", "recruitment", "trust-wide", "organisation-wide", "policy",
                          "policies", "cabinet", "executive", "constitution", "governing", "trustees",
                          "directors", "priorities", "culture", "ethos", "dna")],
                   _phrase("terms of reference"), _phrase("everything we do"), _phrase("at every level"),
                   _phrase("across the organisation"), _phrase("our organisation")],
    "service_scope": [[_exact("service", "services", "ward", "wards", "pathway", "pathways", "programme",
                              "program", "project", "clinic", "app", "scheme", "pilot", "leaflet",
                              "course", "unit", "centre", "center", "website", "route", "estate")]],
    "people": [[PEOPLE]],
    "partners_only": [[_exact("stakeholders", "stakeholder", "partners", "partner", "providers",
                              "colleagues", "clinicians", "regulators", "cqc", "vcse", "mps",
                              "councillors", "commissioners", "ics", "icp", "nhse")],
                      _phrase("system partners"), _phrase("partner organisations"), _phrase("nhs england")],
    "people_act": [[PEOPLE, ANY, ANY, ANY, ANY, POWER_VERBS], [PEOPLE, _exact("will", "can", "now", "also", "to"),
                                                     OPT, POWER_VERBS]],
    "org_asks_people": [[ORG, OPT, OPT, ASK_VERBS, OPT, OPT, PEOPLE], [PEOPLE, _exact("were", "was", "are",
                                                                                     "will", "be", "been"),
                                                                     OPT, ASK_VERBS]],
    "org_tells_people": [[ORG, OPT, OPT, TELL_VERBS, OPT, OPT, PEOPLE]],
    "second_person": [[_exact("you", "your", "yours", "yourself", "you'll", "you're", "you've")]],
    "first_person": [[_exact("we", "our", "us", "we'll", "we're", "we've", "ourselves")]],
    "future": [[_exact("will", "shall", "going", "plan", "plans", "intend", "aim", "aims", "propose",
                       "proposed", "proposes")], _phrase("from april"), _phrase("next year"),
               _phrase("going forward"), _phrase("over the next")],
    "aspiration": [[_exact("we", "our"), _words("value", "believe", "commit", "aspire", "strive",
                                                  "want", "aim", "recognise", "recognize", "pledge",
                                                  "promise")],
                   _phrase("committed to"), _phrase("commitment to"), _phrase("at the heart"),
                   _phrase("at the centre"), _phrase("at the center"), _phrase("our vision"),
                   _phrase("our values"), _phrase("our ambition"), _phrase("our approach"),
                   [_exact("should", "must", "ensure", "embed", "embedding", "embedded", "ethos",
                           "principle", "principles", "passionate", "meaningful", "meaningfully",
                           "genuine", "genuinely", "truly", "always", "every")]],
    "concrete": [[{"LIKE_NUM": True}], [MONTHS], [_exact("£", "$", "%", "per", "cent")],
                 [TENSE_PAST], [{"IS_TITLE": True}, _exact("group", "panel", "board", "forum", "committee",
                                                              "council", "network", "partnership")]],
    "negation": [[_exact("not", "no", "never", "n't", "without", "none", "nobody", "neither", "nor",
                         "failed", "lack", "lacked", "lacking", "unable", "yet", "only")],
                 _phrase("too late"), _phrase("only after"), _phrase("fell short")],
}

CUE_NAMES: tuple[str, ...] = tuple(CUES)


@lru_cache(maxsize=4)
def cue_matcher(vocab_id: int, nlp: Language) -> Matcher:
    """A Matcher holding every cue (cached per vocabulary)."""
    matcher = Matcher(nlp.vocab, validate=True)
    for name, patterns in CUES.items():
        matcher.add(name, patterns)
    return matcher


def find_cues(doc, nlp: Language) -> dict[str, list[str]]:
    """Return ``{cue name: [matched text, ...]}`` for a spaCy Doc or Span."""
    matcher = cue_matcher(id(nlp.vocab), nlp)
    found: dict[str, list[str]] = {}
    for match_id, start, end in matcher(doc):
        found.setdefault(nlp.vocab.strings[match_id], []).append(doc[start:end].text)
    return found
