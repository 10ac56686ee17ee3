/**
 * Decontextualisation (rule 5b of split.ts): making each claim split from one content stand alone,
 * by putting back the subject that a pronoun or an elided subject leaves to the text around it.
 * "The Eiffel Tower is in Berlin. It was completed in 1889." gives "The Eiffel Tower was completed
 * in 1889", which a verifier can check without the first sentence. Consensus code, like split.ts:
 * fixed ASCII word lists, exact string comparisons, character codes compared as integers; no
 * locale, no Intl, no case mapping, no regular expression, no Unicode table, no float, no
 * randomness. The rule is to leave a claim as it is whenever its referent is unknown or ambiguous:
 * a pronoun left alone costs a checkable claim, a wrong referent would certify a false one.
 *
 * Words. A claim (already normalised: single spaces, trimmed) is cut at its spaces into words. A
 * word is CAPITALISED when its first character is A-Z or a Latin-1 capital (U+00C0-U+00D6,
 * U+00D8-U+00DE); it is a NAME WORD when it is capitalised, not in NOT_NAME, and holds only letters
 * (A-Z, a-z, U+00C0-U+00FF but U+00D7 and U+00F7), digits and - ' ’ . &. A LOWER WORD is a-z and
 * "-" only, starting with a-z. A word is a VERB when it is in AUX or IRREGULAR_PAST, or is a lower
 * word of 4 letters or more ending in "ed" (not in NOT_ED), or is an "-s" word (a lower word ending
 * in "s" but not "ss", "us", "is", not in NOT_S_VERB or FUNCTION_WORDS) whose next word is not a
 * verb of the first three kinds ("trials showed": "trials" is a noun); or it is one of ADVERBS
 * followed by such a verb.
 *
 * R1. Subjects. A claim's SUBJECT is, at its start, either
 *     a. a NAME: optionally "The"/"the", then 1 to 8 name words, joined by the CONNECTORS ("of",
 *        "de", "van", "&"...) only between two name words ("The Eiffel Tower", "Dr. Marie Curie",
 *        "Bank of America", "J. R. R. Tolkien"); or
 *     b. a DEFINITE phrase: "The"/"the" then 1 to 4 lower words that are not FUNCTION_WORDS ("The
 *        company", "the new drug");
 *     followed by a verb. Anything else ("A new drug", "In 1990 the firm", "However, it", "Apple,
 *     based in Cupertino,", "Shares of the retailer", "The city of Oslo") has no subject.
 * R2. What is known of a subject; each feature may stay unknown ("?"):
 *     - number: singular before is/was/has/does/remains/becomes/seems/appears or an "-s" verb,
 *       plural before are/were/have/do/remain/become; otherwise from the words: a definite whose
 *       last word is in PLURAL_NOUNS, or ends in "s" (not "ss", "us", "is", not in S_SINGULAR), is
 *       plural, any other definite singular; a person's name is singular, another name ending in
 *       "s" is "?", any other name singular.
 *     - person or thing: a name led by "The" or ending in a THING_HEAD ("Tower", "Inc",
 *       "University") is a thing; else a name led by a title (TITLES_MALE, TITLES_FEMALE, TITLES:
 *       "Dr.", "Mrs", "Sir", "President") or holding an initial ("J.") is a person; a definite is
 *       a person when one of its words is a person noun (PERSON_NOUNS, PERSON_NOUNS_MALE,
 *       PERSON_NOUNS_FEMALE: "The patient"), else a thing; other names ("Marie Curie", "Aspirin",
 *       "Paris") are "?" until R3 or R6 says more.
 *     - gender: from a gendered title or person noun ("Mr", "King", "The man"; "Mrs", "Queen",
 *       "The woman"), or learnt (R6).
 * R3. Verb groups and mentions. From the verb on, auxiliaries are read, then the main verb: the
 *     group is a COPULA (is/was/remains/became... with no participle after it), a PASSIVE (a form
 *     of "be" then a participle: "-ed" or IRREGULAR_PAST) or ACTIVE. The rest of the claim is
 *     scanned for MENTIONS of other things: a determiner (DETERMINERS: "the", "a", "its", "two"...)
 *     and the words it leads; a run of name words (not a month or weekday); the object pronouns
 *     it/him/her/them; a number and the word it counts ("7 million copies": plural); the bare
 *     words right after an active verb or a copula ("discovered polonium", "are organelles"); and
 *     the bare words right after "that" ("found that aspirin works"). A mention's number, person
 *     or thing and gender follow R2 (a bare or "the" phrase: a thing unless it holds a person
 *     noun). A mention is STRONG when it is the direct object (right after an active verb), the
 *     agent of a passive (right after "by"), or the subject of a that-clause. The mention right
 *     after a copula is its PREDICATE: it is the subject itself ("Paris is the capital"), never a
 *     rival. A copula whose predicate starts with a/an/the/one, or is a bare plural noun,
 *     DESCRIBES its subject; when the subject is "?" for person or thing, a describing predicate
 *     holding a person noun makes it a person ("Marie Curie was a physicist"), one holding none a
 *     thing ("Gold is a metal", "Aspirin is a medication"), unless it holds an AMBIGUOUS_ROLE
 *     ("a pioneer", "a member"). A bare adjective ("Gold is dense") says nothing.
 * R4. Pronouns. A claim whose first word is It/He/She/They, or a possessive Its/His/Her/Their (or
 *     their lowercase forms, as a clause cut from a sentence starts), looks for its referent in the
 *     claims before it in the same content, newest first, at most MAX_LOOKBACK (3) of them:
 *     - a claim with no subject (R1), or whose own pronoun or elided subject stayed unresolved,
 *       stops the search: the pronoun stays;
 *     - a subject of the wrong number (They after "Apple is", It after "The Beatles were") or
 *       the wrong kind (It after a person or a "he"/"she", He after a thing, a "she" or an "it")
 *       is passed over, unless its claim holds a mention the pronoun could name (then the search
 *       stops: "The Hobbit was written by Tolkien. He..." stays);
 *     - a subject whose number is "?" stops the search;
 *     - a subject known to fit (number and kind) is the referent, unless its claim holds a STRONG
 *       mention the pronoun could name ("The firm published The Hobbit. It sold well." and
 *       "The drug reduces fever. It..." stay; "The Eiffel Tower is in Berlin. It..." resolves:
 *       "in Berlin" is no strong mention);
 *     - a subject that fits in number but is "?" for person or thing is the referent only when its
 *       claim holds no mention other than its predicate that the pronoun could name, and no claim
 *       older in the window has a subject or mention it could name ("Marie Curie was born in
 *       Warsaw. It..." stays; "Water boils at 100 degrees. It freezes at 0 degrees." resolves).
 *     A mention could name the pronoun unless its number or its kind is known to differ.
 *     The pronoun is replaced by the referent's words, as first written ("It was" becomes "The
 *     Eiffel Tower was"), a possessive by those words plus "'s", or plus "'" when they end in "s"
 *     ("Its height" becomes "The Eiffel Tower's height", "Their album" "The Beatles' album"); a
 *     leading "The"/"the" of the referent takes the case of the word it replaces ("it is tall"
 *     becomes "the Eiffel Tower is tall"); nothing else changes case. For the claims after it, a
 *     resolved claim's subject is its referent, and a possessive's possessed words are a strong
 *     mention ("Its CEO is Tim Cook. He..." stays).
 * R5. Pronouns left alone. "It" is impersonal, and stays, in "It seems/seemed/appears/appeared/
 *     rains/snows...", in "It" + a form of "be" (with "not", auxiliaries or ADVERBS) + a word of
 *     IMPERSONAL_ADJ or a participle + that/whether/if/how/why/what/when/where/who ("It is
 *     believed that"), + a word of IMPERSONAL_ADJ + "to", or + "for" with a later "to" ("It is
 *     important to", "It is important for patients to"), + "decided/agreed/proposed to", in "It is
 *     <IMPERSONAL_ADJ>" at the end, and in the cleft "It was <a name or a CLEFT_START word> ...
 *     that/who/which/when" ("It was Gustave Eiffel who"). This/That (singular) and These/Those
 *     (plural) are pronouns here only in "This is a ...", "These are the ..." (is/was/remains/
 *     remained + a/an/the/one; are/were/remain/remained + the/some/all/both/among; not then an
 *     EVENT_NOUN: "This is the reason") and resolve only to the subject of the claim right before,
 *     when that claim DESCRIBES its subject (R3), with the checks of R4: after an event ("The drug
 *     was withdrawn. This was a blow.") or a measure ("...is 330 metres tall. That is...") they stay.
 * R6. Learning. Once He, She or It resolves to a subject, that subject is a "he", a "she" or an "it"
 *     for the rest of the content: "She" never resolves to what "He" resolved to.
 * R7. Elided subjects. A clause the splitter cut from the clause before it at ", and " or ", but "
 *     (not at "; ": "the amount is empty; expected 10" stays), that starts with a verb of AUX,
 *     IRREGULAR_PAST or "-ed" (after at most one of ADVERBS), or with an "-s" verb followed by a
 *     determiner, gets the subject of its sentence's first clause, when that clause has one (R1,
 *     or a resolved pronoun), with the case rule of R4: "Acme was founded in 1901, and moved to
 *     Oslo in 1950" gives "Acme moved to Oslo in 1950", "The drug reduces fever, but does not cure
 *     infections" "the drug does not cure infections". Without the comma the splitter does not cut
 *     ("Acme was founded in 1901 and moved to Oslo in 1950" is one claim).
 * R8. Limits. A resolved claim over maxClaimBytes (UTF-8) is kept as written (its referent still
 *     counts for the claims after it). Claims a client splits itself (claimsFromList) are never
 *     changed. Only the content is read: no source passage, no other content.
 *
 * Known limits, accepted because they follow the usual reading of such text and keep the rules
 * short: a pronoun that means the object of a preposition in the claim before is read as its
 * subject ("The Eiffel Tower is in Berlin. It is the capital of Germany." gives "The Eiffel Tower
 * is the capital of Germany"); an elided auxiliary is not put back ("X was founded in 1901, and
 * renamed in 1950" gives "X renamed in 1950"); names in other scripts than Latin have no subject.
 */

export interface Piece {
  /** The claim text after rule 5 of split.ts (trimmed, trailing punctuation stripped). */
  text: string;
  /** Index of the sentence the piece comes from. */
  sentence: number;
  /** Index of the clause within its sentence (0: the sentence's first clause). */
  clause: number;
  /** Whether the splitter cut it from the clause before at ", and " or ", but " (not "; "). */
  conjoined: boolean;
}

/** How many earlier claims a pronoun looks back over, at most (R4). */
export const MAX_LOOKBACK = 3;

type Num = "sg" | "pl" | "?";
type Kind = "person" | "thing" | "?";
type Gender = "m" | "f" | "n" | "?";
type PronounClass = "it" | "he" | "she" | "they";
type Compat = "yes" | "weak" | "no" | "?";

interface Features {
  number: Num;
  kind: Kind;
  gender: Gender;
}

interface Entity extends Features {
  /** The referent's words as first written ("The Eiffel Tower", "the new drug"). */
  text: string;
}

interface Mention extends Features {
  strong: boolean;
  predicate: boolean;
}

/**
 * For each pronoun class, whether some mention of a claim could be what it names (R4): bit masks
 * over PRONOUN_CLASSES (bit 0: it, 1: he, 2: she, 3: they).
 */
interface Rivals {
  /** Any mention. */
  any: number;
  /** A strong mention (direct object, passive agent, that-clause subject, possessed noun). */
  strong: number;
  /** A mention other than a copula's predicate. */
  other: number;
}

/** What a pronoun may look back at: one earlier claim, summarised once. */
interface Entry {
  /** Its subject, or undefined when it stops a search (R4). */
  entity?: Entity;
  rivals: Rivals;
  /** A copula with a predicate after it: "X is a Y" (R5, This/That). */
  describes: boolean;
}

const PRONOUN_CLASSES: readonly PronounClass[] = ["it", "he", "she", "they"];
const NO_RIVALS: Rivals = { any: 0, strong: 0, other: 0 };
const bit = (p: PronounClass): number => 1 << PRONOUN_CLASSES.indexOf(p);
const STOP: Entry = { rivals: NO_RIVALS, describes: false };

const words = (s: string): ReadonlySet<string> => new Set(s.split(" "));

/** Auxiliaries and copulas: verbs whatever follows them. */
const AUX = words(
  "is was are were be been being has have had will would can could may might must shall should does did do remains remained remain became becomes become seems seemed appears appeared",
);
const BE = words("is was are were be been being");
const COPULA = words("is was are were be been being remains remained remain became becomes become seems seemed appears appeared");
const MODAL = words("will would can could may might must shall should does did do");
const SINGULAR_VERBS = words("is was has does remains becomes seems appears");
const PLURAL_VERBS = words("are were have do remain become");
/** Irregular past tenses and participles. */
const IRREGULAR_PAST = words(
  "won wrote written built made began begun grew grown led held took taken gave given sold bought ran left met saw seen found lost paid said told went gone came kept brought spent fell fallen rose risen struck drew drawn fought set put cut shut bore born borne known knew shown thought taught caught sought sent lent meant felt dealt stood understood sat spoke spoken broke broken chose chosen froze frozen drove driven flew flown wore worn hung sang sung swam forgot forgotten got gotten laid lain shook slept stole stolen threw thrown tore torn woke woken withdrew withdrawn overtook undertook undertaken oversaw overseen became hid hidden rode ridden rang rung shone shot spread split quit bound wound ground fled bred fed read sank sunk sprang sprung stuck dug spun slid clung swung wept crept leapt swore sworn",
);
const NOT_ED = words("hundred indeed speed breed greed seed need feed weed bleed sacred naked wicked kindred shred sled");
const NOT_S_VERB = words(
  "always perhaps its this his hers yours ours theirs thus less across towards afterwards besides whereas as was has does news series species means",
);
const ADVERBS = words(
  "also still later then now first recently currently originally never often only already once subsequently eventually formerly officially initially usually mainly primarily largely widely generally previously finally soon",
);
const FUNCTION_WORDS = words(
  "in on at to from by with without for of into onto over under about after before during since until through throughout across between among against within near along around behind beyond via per as like than up down out off upon toward towards and or but nor so yet because although though while whereas if unless when where whether that which who whom whose what not also still only even just then there here now again already never always often very too more most less least first once twice back away together later earlier soon today yesterday home abroad well the a an this these those its his her their our my your it him them he she they we you",
);
const NUMBER_WORDS = "two three four five six seven eight nine ten eleven twelve dozens hundreds thousands millions";
const DETERMINERS = words(`the a an this that these those its his her their our my your another each every several many both ${NUMBER_WORDS}`);
const SINGULAR_DETERMINERS = words("a an this that another each every");
const PLURAL_DETERMINERS = words(`these those several many both ${NUMBER_WORDS}`);
/** Capitalised words that never start or make a name (R1). */
const NOT_NAME = words(
  "The A An This That These Those It He She They We I You Its His Her Their Our My Your There Here Some Many Most All Both Each Every Several Few No None Any One Other Others Another Such What Which Who Whom Whose Why How When Where If Although Though Because While As In On At For By With From To Of After Before Since Until During However Also Then Today Yesterday Tomorrow Now Later Earlier Recently Currently Initially Finally Meanwhile Nevertheless Moreover Furthermore Thus Therefore Hence Yes Not Only Even Just And But Or So Yet Nor Instead Unlike Like Under Over Between Among Despite Through According Following Since Unless Once Whether Please Note See January February March April May June July August September October November December Monday Tuesday Wednesday Thursday Friday Saturday Sunday",
);
const CONNECTORS = words("of de da di del della van von der den du la le y bin al &");
const TITLES_MALE = words("Mr Mr. Sir Lord King Prince Duke Emperor Pope Father Brother");
const TITLES_FEMALE = words("Mrs Mrs. Ms Ms. Miss Lady Dame Queen Princess Duchess Empress Sister");
const TITLES = words(
  "Dr Dr. Prof Prof. President Senator Sen. Judge Governor Gov. Rep. Gen. Col. Colonel Capt. Lt. Sgt. Rev. Reverend Fr. Chancellor Mayor CEO",
);
const THING_HEADS = words(
  "Inc Inc. Corp Corp. Corporation Ltd Ltd. LLC plc PLC GmbH AG SA S.A. NV N.V. Co. Company Group Holdings University College Institute Foundation Bank Agency Association Council Committee Court Commission Ministry Department Party Tower Bridge River Lake Mountain Mount Island Islands Act Treaty Convention Protocol Library Museum Hospital Airport Station Church Cathedral Palace Castle Park Street Square Building Stadium Canal Dam Railway Highway Street Avenue Road Republic Kingdom Empire Union Federation Organization Organisation Service Services System Systems Project Program Programme Festival Prize Award Award Cup Games League Summit Conference War Revolution Agreement Directive Regulation Code Framework Language Protocol Standard",
);
const PERSON_NOUNS_MALE = words("man men boy boys king kings prince emperor chairman spokesman father son husband brother monk gentleman businessman");
const PERSON_NOUNS_FEMALE = words(
  "woman women girl girls queen princess empress actress chairwoman spokeswoman mother daughter wife sister nun lady businesswoman",
);
const PERSON_NOUNS = words(
  "person people author authors writer writers poet novelist composer painter artist singer actor actors director president minister chancellor senator governor mayor pope bishop priest ceo founder founders chairperson judge judges justice lawyer lawyers attorney defendant defendants plaintiff plaintiffs claimant appellant respondent witness witnesses suspect suspects victim victims patient patients doctor doctors physician physicians surgeon nurse nurses researcher researchers scientist scientists physicist chemist biologist mathematician philosopher historian economist engineer engineers inventor professor teacher student students player players coach athlete spokesperson employee employees worker workers manager owner child children officer officers soldier soldiers pilot politician diplomat journalist reporter banker investor investors entrepreneur explorer astronaut architect musician guitarist drummer pianist dancer chef farmer priest saint prophet",
);
/** Predicates that say nothing of person or thing (R3). */
const AMBIGUOUS_ROLES = words(
  "member members pioneer pioneers leader leaders figure winner winners recipient graduate native citizen resident star icon legend hero giant champion master fan friend partner partners advocate critic supporter candidate nominee laureate part one subject target host founder owner source",
);
const PLURAL_NOUNS = words("people children men women police mice feet teeth geese data criteria phenomena media staff cattle");
const S_SINGULAR = words("series species news means physics economics mathematics politics lens bus gas");
const MONTHS_DAYS = words(
  "January February March April May June July August September October November December Monday Tuesday Wednesday Thursday Friday Saturday Sunday Jan. Feb. Mar. Apr. Jun. Jul. Aug. Sep. Sept. Oct. Nov. Dec.",
);
/** Adjectives and participles of the impersonal "It is ... that/to" (R5). */
const IMPERSONAL_ADJ = words(
  "important necessary possible impossible likely unlikely certain uncertain unclear clear true false known unknown believed thought estimated said reported expected rumoured rumored suspected feared hoped claimed alleged assumed argued suggested recommended advisable essential vital crucial critical difficult hard easy common rare unusual worth obvious evident apparent noteworthy notable interesting surprising understood agreed noted recognised recognized accepted illegal legal unlawful lawful forbidden prohibited permitted time raining snowing sunny cloudy",
);
const IMPERSONAL_NEXT = words("that whether if how why what when where who to");
const IMPERSONAL_TO = words("decided agreed proposed");
const CLEFT_START = words("in at on during after before since only not because then here there this these by through with from under");
const CLEFT_LINK = words("that who which when");
const IMPERSONAL_VERBS = words("seems seemed appears appeared rains rained snows snowed");
const DEMONSTRATIVE_SG_VERBS = words("is was remains remained");
const DEMONSTRATIVE_PL_VERBS = words("are were remain remained");
const DEMONSTRATIVE_SG_NEXT = words("a an the one");
const DEMONSTRATIVE_PL_NEXT = words("the some all both among");
/** A copula's predicate that describes its subject starts with one of these (or is a bare plural noun). */
const DESCRIBING = words("a an the one");
const EVENT_NOUNS = words("reason result consequence cause case effect outcome sign problem issue mistake decision change move first last end beginning start");
const OBJECT_PRONOUNS: ReadonlyMap<string, Features> = new Map<string, Features>([
  ["it", { number: "sg", kind: "thing", gender: "n" }],
  ["him", { number: "sg", kind: "person", gender: "m" }],
  ["her", { number: "sg", kind: "person", gender: "f" }],
  ["them", { number: "pl", kind: "?", gender: "?" }],
]);

interface PronounInfo {
  cls: PronounClass;
  possessive: boolean;
  demonstrative: boolean;
}
const PRONOUNS: ReadonlyMap<string, PronounInfo> = (() => {
  const m = new Map<string, PronounInfo>();
  const add = (w: string, cls: PronounClass, possessive: boolean, demonstrative: boolean): void => {
    m.set(w, { cls, possessive, demonstrative });
    m.set(String.fromCharCode(w.charCodeAt(0) - 0x20) + w.slice(1), { cls, possessive, demonstrative }); // a-z to A-Z
  };
  add("it", "it", false, false);
  add("he", "he", false, false);
  add("she", "she", false, false);
  add("they", "they", false, false);
  add("its", "it", true, false);
  add("his", "he", true, false);
  add("her", "she", true, false);
  add("their", "they", true, false);
  add("this", "it", false, true);
  add("that", "it", false, true);
  add("these", "they", false, true);
  add("those", "they", false, true);
  return m;
})();

// ------------------------------------------------------------------------------------------------
// Words
// ------------------------------------------------------------------------------------------------

function isCapital(ch: string | undefined): boolean {
  if (ch === undefined) return false;
  const c = ch.charCodeAt(0);
  return (c >= 0x41 && c <= 0x5a) || (c >= 0xc0 && c <= 0xd6) || (c >= 0xd8 && c <= 0xde);
}

function isLetterOrDigit(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || (c >= 0xc0 && c <= 0xff && c !== 0xd7 && c !== 0xf7);
}

function isNameToken(tok: string | undefined): boolean {
  if (tok === undefined || !isCapital(tok[0]) || NOT_NAME.has(tok)) return false;
  for (let i = 0; i < tok.length; i++) {
    const c = tok.charCodeAt(i);
    if (!isLetterOrDigit(c) && c !== 0x2d && c !== 0x27 && c !== 0x2019 && c !== 0x2e && c !== 0x26) return false;
  }
  return true;
}

function isLowerWord(tok: string | undefined): boolean {
  if (tok === undefined || tok === "") return false;
  const first = tok.charCodeAt(0);
  if (first < 0x61 || first > 0x7a) return false;
  for (let i = 1; i < tok.length; i++) {
    const c = tok.charCodeAt(i);
    if (!((c >= 0x61 && c <= 0x7a) || c === 0x2d)) return false;
  }
  return true;
}

function isDigitStart(tok: string): boolean {
  return tok.length > 0 && tok.charCodeAt(0) >= 0x30 && tok.charCodeAt(0) <= 0x39;
}

function endsWithPluralS(w: string): boolean {
  return w.length > 2 && w.endsWith("s") && !w.endsWith("ss") && !w.endsWith("us") && !w.endsWith("is");
}

function isEdVerb(tok: string | undefined): boolean {
  return tok !== undefined && tok.length >= 4 && tok.endsWith("ed") && isLowerWord(tok) && !NOT_ED.has(tok);
}

/** A verb whatever follows it: AUX, IRREGULAR_PAST or "-ed". */
function isStrongVerb(tok: string | undefined): boolean {
  return tok !== undefined && (AUX.has(tok) || IRREGULAR_PAST.has(tok) || isEdVerb(tok));
}

/** An "-s" verb: "-s" word that the next word does not show to be a noun. */
function isSVerb(tok: string | undefined, next: string | undefined): boolean {
  if (tok === undefined || !isLowerWord(tok) || !endsWithPluralS(tok) || NOT_S_VERB.has(tok) || FUNCTION_WORDS.has(tok)) return false;
  return !isStrongVerb(next);
}

/** The position of the verb at j (after at most one adverb), or -1 when there is none. */
function verbAt(t: readonly string[], j: number): number {
  if (isStrongVerb(t[j]) || isSVerb(t[j], t[j + 1])) return j;
  if (t[j] !== undefined && ADVERBS.has(t[j]!) && (isStrongVerb(t[j + 1]) || isSVerb(t[j + 1], t[j + 2]))) return j + 1;
  return -1;
}

/** Strips the punctuation around a word for the mention scan: opening and closing quotes, brackets, , ; : . */
function clean(tok: string): { word: string; endsPhrase: boolean } {
  let s = 0;
  let e = tok.length;
  while (s < e && "\"'([{\u201c\u2018\u00ab".includes(tok[s]!)) s++;
  let endsPhrase = false;
  while (e > s && ",;:\"')]}\u201d\u2019\u00bb!?".includes(tok[e - 1]!)) {
    e--;
    endsPhrase = true;
  }
  return { word: tok.slice(s, e), endsPhrase };
}

function stripDot(w: string): string {
  return w.endsWith(".") ? w.slice(0, -1) : w;
}

// ------------------------------------------------------------------------------------------------
// Subjects (R1, R2) and verb groups, mentions (R3)
// ------------------------------------------------------------------------------------------------

function personGender(ws: readonly string[]): { kind: Kind; gender: Gender } | undefined {
  for (const w of ws) {
    if (PERSON_NOUNS_MALE.has(w)) return { kind: "person", gender: "m" };
    if (PERSON_NOUNS_FEMALE.has(w)) return { kind: "person", gender: "f" };
  }
  for (const w of ws) if (PERSON_NOUNS.has(w)) return { kind: "person", gender: "?" };
  return undefined;
}

/** Features of a name made of `toks` (led by "The" when `withThe`). */
function nameFeatures(toks: readonly string[], withThe: boolean): Features {
  const first = toks[0]!;
  const last = toks[toks.length - 1]!;
  let kind: Kind = "?";
  let gender: Gender = "?";
  if (withThe || THING_HEADS.has(last)) {
    kind = "thing";
  } else if (TITLES_MALE.has(first)) {
    kind = "person";
    gender = "m";
  } else if (TITLES_FEMALE.has(first)) {
    kind = "person";
    gender = "f";
  } else if (TITLES.has(first) || toks.some((x) => x.length === 2 && isCapital(x[0]) && x[1] === ".")) {
    kind = "person";
  }
  const number: Num = kind !== "person" && stripDot(last).endsWith("s") && !THING_HEADS.has(last) ? "?" : "sg";
  return { number, kind, gender };
}

function definiteFeatures(ws: readonly string[]): Features {
  const head = ws[ws.length - 1]!;
  let number: Num = "sg";
  if (PLURAL_NOUNS.has(head)) number = "pl";
  else if (S_SINGULAR.has(head)) number = "?";
  else if (endsWithPluralS(head)) number = "pl";
  const pg = personGender(ws);
  return { number, kind: pg?.kind ?? "thing", gender: pg?.gender ?? "?" };
}

/** Reads a name run starting at i: the index after it, or i when there is none. */
function nameRun(t: readonly string[], i: number): number {
  if (!isNameToken(t[i])) return i;
  let j = i + 1;
  while (j - i < 8) {
    if (isNameToken(t[j])) j++;
    else if (t[j] !== undefined && CONNECTORS.has(t[j]!) && isNameToken(t[j + 1])) j += 2;
    else break;
  }
  return j;
}

interface Subject {
  entity: Entity;
  /** Index of the verb. */
  verb: number;
}

/** R1: the subject at the start of the tokens, if any. */
function parseSubject(t: readonly string[]): Subject | undefined {
  const the = t[0] === "The" || t[0] === "the";
  if (the && isNameToken(t[1])) {
    const end = nameRun(t, 1);
    const verb = verbAt(t, end);
    if (verb < 0) return undefined;
    return withVerbNumber(t, { text: t.slice(0, end).join(" "), ...nameFeatures(t.slice(1, end), true) }, verb);
  }
  if (the) {
    for (let j = 2; j <= 5 && j < t.length; j++) {
      const w = t[j - 1]!;
      if (!isLowerWord(w) || FUNCTION_WORDS.has(w)) return undefined;
      const verb = verbAt(t, j);
      if (verb >= 0) return withVerbNumber(t, { text: t.slice(0, j).join(" "), ...definiteFeatures(t.slice(1, j)) }, verb);
    }
    return undefined;
  }
  const end = nameRun(t, 0);
  if (end === 0) return undefined;
  const verb = verbAt(t, end);
  if (verb < 0) return undefined;
  return withVerbNumber(t, { text: t.slice(0, end).join(" "), ...nameFeatures(t.slice(0, end), false) }, verb);
}

/** R2: the verb's agreement decides the number when it shows one. */
function withVerbNumber(t: readonly string[], entity: Entity, verb: number): Subject {
  const v = t[verb]!;
  if (SINGULAR_VERBS.has(v) || isSVerb(v, t[verb + 1])) entity.number = "sg";
  else if (PLURAL_VERBS.has(v)) entity.number = "pl";
  return { entity, verb };
}

interface VerbGroup {
  kind: "copula" | "passive" | "active";
  /** Index of the first word after the group. */
  rest: number;
}

/** R3: the verb group starting at index v (a verb by verbAt). */
function readVerbGroup(t: readonly string[], v: number): VerbGroup {
  let i = v;
  let last = "";
  let sawBe = false;
  let sawModal = false;
  for (;;) {
    const w = t[i];
    if (w === undefined) break;
    if (w === "not" || ADVERBS.has(w)) {
      i++;
      continue;
    }
    if (AUX.has(w)) {
      last = w;
      if (BE.has(w)) sawBe = true;
      if (MODAL.has(w)) sawModal = true;
      i++;
      continue;
    }
    break;
  }
  if (last === "") return { kind: "active", rest: v + 1 }; // a non-auxiliary main verb
  const next = t[i];
  if (isEdVerb(next) || (next !== undefined && IRREGULAR_PAST.has(next))) return { kind: sawBe ? "passive" : "active", rest: i + 1 };
  if (COPULA.has(last)) return { kind: "copula", rest: i };
  if (sawModal && isLowerWord(next) && !FUNCTION_WORDS.has(next!)) return { kind: "active", rest: i + 1 };
  return { kind: "active", rest: i };
}

/** R3: the mentions in t[from..], given the verb group kind. */
function scanMentions(t: readonly string[], from: number, kind: VerbGroup["kind"]): { mentions: Mention[]; predicate?: Features & { ambiguous: boolean } } {
  const mentions: Mention[] = [];
  let predicate: (Features & { ambiguous: boolean }) | undefined;
  let i = from;
  while (i < t.length) {
    const start = i;
    const { word, endsPhrase } = clean(t[i]!);
    const prev = start > 0 ? clean(t[start - 1]!).word : "";
    const afterThat = prev === "that";
    const strongPos = (kind === "active" && start === from) || (kind === "passive" && prev === "by") || afterThat;
    const isPredicate = kind === "copula" && start === from;
    let m: Features | undefined;
    let ambiguous = false;
    const after = i + 1 < t.length ? clean(t[i + 1]!).word : "";
    if (DETERMINERS.has(word) && !endsPhrase && ((isLowerWord(after) && !FUNCTION_WORDS.has(after)) || isNameToken(after))) {
      // a determiner and the words it leads (up to four, stopping at a function word or punctuation)
      const ws: string[] = [];
      let j = i + 1;
      let capital = false;
      while (j < t.length && j - i <= 4) {
        const c = clean(t[j]!);
        if (afterThat && ws.length > 0 && (isStrongVerb(c.word) || isSVerb(c.word, t[j + 1]))) break; // "that the drug works"
        if (isLowerWord(c.word) && !FUNCTION_WORDS.has(c.word)) ws.push(c.word);
        else if (isNameToken(c.word)) capital = true;
        else break;
        j++;
        if (c.endsPhrase) break;
      }
      i = Math.max(j, i + 1);
      if (ws.length === 0 && !capital) continue;
      let number: Num = "?";
      if (SINGULAR_DETERMINERS.has(word)) number = "sg";
      else if (PLURAL_DETERMINERS.has(word)) number = "pl";
      else if (ws.length > 0) number = definiteFeatures(ws).number;
      else if (capital) number = "sg";
      const pg = personGender(ws);
      ambiguous = ws.some((w) => AMBIGUOUS_ROLES.has(w));
      m = { number, kind: pg?.kind ?? (ws.length > 0 || word === "the" ? "thing" : "?"), gender: pg?.gender ?? "?" };
    } else if ((isNameToken(word) && !MONTHS_DAYS.has(word)) || (word === "The" && !endsPhrase && isNameToken(after))) {
      // a run of name words, or "The" and one inside a claim ("published The Hobbit")
      const toks: string[] = [];
      let j = word === "The" ? i + 1 : i;
      while (j < t.length) {
        const c = clean(t[j]!);
        if (isNameToken(c.word) || (toks.length > 0 && CONNECTORS.has(c.word) && j + 1 < t.length && isNameToken(clean(t[j + 1]!).word))) toks.push(c.word);
        else break;
        j++;
        if (c.endsPhrase) break;
      }
      i = j;
      while (toks.length > 0 && CONNECTORS.has(toks[toks.length - 1]!)) toks.pop();
      m = nameFeatures(toks, word === "The" || prev === "the");
    } else if (OBJECT_PRONOUNS.has(word)) {
      i++;
      m = OBJECT_PRONOUNS.get(word)!;
    } else if (
      ((start === from && kind !== "passive") || (afterThat && !isStrongVerb(word) && !isSVerb(word, t[i + 1]))) &&
      isLowerWord(word) &&
      !FUNCTION_WORDS.has(word) &&
      !word.endsWith("ly")
    ) {
      // a bare noun: an object ("discovered polonium", "designs consumer electronics"), a predicate
      // ("are organelles") or the subject of a that-clause ("found that aspirin works"); head: the last word
      const ws: string[] = [];
      let j = i;
      while (j < t.length && ws.length < 4) {
        const c = clean(t[j]!);
        if (!isLowerWord(c.word) || FUNCTION_WORDS.has(c.word)) break;
        if (afterThat && ws.length > 0 && (isStrongVerb(c.word) || isSVerb(c.word, t[j + 1]))) break;
        ws.push(c.word);
        j++;
        if (c.endsPhrase) break;
      }
      i = j;
      m = definiteFeatures(ws);
    } else if (isDigitStart(word) && i + 1 < t.length && isLowerWord(clean(t[i + 1]!).word) && !FUNCTION_WORDS.has(clean(t[i + 1]!).word)) {
      // a number and what it counts: "sold 5 million copies" (plural)
      i++;
      const pg = personGender([clean(t[i]!).word]);
      m = { number: "pl", kind: pg?.kind ?? "?", gender: "?" };
    } else {
      i++;
      continue;
    }
    if (isPredicate) predicate = { number: m.number, kind: m.kind, gender: m.gender, ambiguous };
    mentions.push({ number: m.number, kind: m.kind, gender: m.gender, strong: strongPos, predicate: isPredicate });
  }
  return predicate === undefined ? { mentions } : { mentions, predicate };
}

/** The history entry for a claim whose subject (or referent) is `entity`, its verb at `verb`. */
function entryFor(t: readonly string[], entity: Entity | undefined, verb: number, extra: Mention[] = []): Entry {
  if (entity === undefined || verb < 0) return STOP;
  const group = readVerbGroup(t, verb);
  const { mentions, predicate } = scanMentions(t, group.rest, group.kind);
  const describes = group.kind === "copula" && (DESCRIBING.has(t[group.rest] ?? "") || (predicate !== undefined && endsWithPluralS(t[group.rest]!)));
  if (predicate !== undefined && describes && entity.kind === "?" && !predicate.ambiguous) {
    if (predicate.kind === "person") {
      entity.kind = "person";
      if (entity.gender === "?") entity.gender = predicate.gender;
    } else if (predicate.kind === "thing") {
      entity.kind = "thing";
    }
  }
  const rivals = { any: 0, strong: 0, other: 0 };
  for (const m of extra.concat(mentions)) {
    for (const p of PRONOUN_CLASSES) {
      if (!couldName(p, m)) continue;
      rivals.any |= bit(p);
      if (m.strong) rivals.strong |= bit(p);
      if (!m.predicate) rivals.other |= bit(p);
    }
  }
  return { entity, rivals, describes };
}

// ------------------------------------------------------------------------------------------------
// Resolution (R4-R8)
// ------------------------------------------------------------------------------------------------

/** Whether features fit a pronoun class: yes, weak (person/thing unknown), no, or ? (number unknown). */
function compat(p: PronounClass, f: Features, gender: Gender): Compat {
  if (p === "they") {
    if (f.number === "sg") return "no";
    return f.number === "pl" ? "yes" : "?";
  }
  if (f.number === "pl") return "no";
  if (p === "it") {
    if (f.kind === "person" || gender === "m" || gender === "f") return "no";
  } else {
    if (f.kind === "thing" || gender === "n" || gender === (p === "he" ? "f" : "m")) return "no";
  }
  if (f.number === "?") return "?";
  if (f.kind === "?" && gender === "?") return "weak";
  return "yes";
}

function couldName(p: PronounClass, m: Mention): boolean {
  return compat(p, m, m.gender) !== "no";
}

/** Case rule of R4: a leading The/the follows the case of the word it replaces. */
function adaptCase(np: string, lowerFirst: boolean): string {
  if (lowerFirst && np.startsWith("The ")) return "the " + np.slice(4);
  if (!lowerFirst && np.startsWith("the ")) return "The " + np.slice(4);
  return np;
}

function possessive(np: string): string {
  return np.endsWith("s") ? np + "'" : np + "'s";
}

/** R5: an impersonal "It". */
function impersonalIt(t: readonly string[]): boolean {
  if (IMPERSONAL_VERBS.has(t[1]!)) return true;
  let i = 1;
  let sawBe = false;
  while (i < t.length && (AUX.has(t[i]!) || t[i] === "not" || ADVERBS.has(t[i]!))) {
    if (BE.has(t[i]!)) sawBe = true;
    i++;
  }
  if (!sawBe) return false;
  const w = clean(t[i] ?? "").word;
  const next = t[i + 1];
  if (IMPERSONAL_ADJ.has(w) || isEdVerb(w) || IRREGULAR_PAST.has(w)) {
    if (next === undefined) return IMPERSONAL_ADJ.has(w);
    if (IMPERSONAL_NEXT.has(next) && (next !== "to" || IMPERSONAL_ADJ.has(w) || IMPERSONAL_TO.has(w))) return true;
    if (next === "for" && IMPERSONAL_ADJ.has(w) && t.slice(i + 2).includes("to")) return true;
  }
  if (CLEFT_START.has(w) || isNameToken(w)) {
    for (let j = i + 1; j < t.length; j++) if (CLEFT_LINK.has(t[j]!)) return true;
  }
  return false;
}

/** R7: a clause that starts with a verb (an "-s" verb only when a determiner follows it). */
function startsWithVerb(t: readonly string[]): boolean {
  const v = verbAt(t, 0);
  return v >= 0 && (isStrongVerb(t[v]) || (t[v + 1] !== undefined && DETERMINERS.has(t[v + 1]!)));
}

export function resolveReferences(pieces: readonly Piece[], maxClaimBytes: number): string[] {
  const history: Entry[] = [];
  const learnt = new Map<string, Gender>();
  const genderOf = (e: Entity): Gender => learnt.get(adaptCase(e.text, false)) ?? e.gender;
  const sentenceSubject = new Map<number, Entity>();
  const out: string[] = [];

  const fits = (text: string): boolean => Buffer.byteLength(text, "utf8") <= maxClaimBytes;

  /** R4: the referent of a pronoun of class p, or undefined. */
  const search = (p: PronounClass, demonstrative: boolean): Entity | undefined => {
    const stop = Math.max(0, history.length - (demonstrative ? 1 : MAX_LOOKBACK));
    for (let k = history.length - 1; k >= stop; k--) {
      const e = history[k]!;
      if (e.entity === undefined) return undefined;
      if (demonstrative && !e.describes) return undefined;
      const c = compat(p, e.entity, genderOf(e.entity));
      if (c === "?") return undefined;
      if (c === "no") {
        if ((e.rivals.any & bit(p)) !== 0) return undefined;
        continue;
      }
      if (((c === "yes" ? e.rivals.strong : e.rivals.other) & bit(p)) !== 0) return undefined;
      if (c === "weak") {
        // a subject not known to be a person or a thing is taken only when nothing older in the window could be meant
        for (let o = k - 1; o >= Math.max(0, history.length - MAX_LOOKBACK); o--) {
          const older = history[o]!;
          if (older.entity !== undefined && compat(p, older.entity, genderOf(older.entity)) !== "no") return undefined;
          if ((older.rivals.any & bit(p)) !== 0) return undefined;
        }
      }
      return e.entity;
    }
    return undefined;
  };

  for (const piece of pieces) {
    const t = piece.text.split(" ");
    let text = piece.text;
    let entry: Entry;
    const pron = t.length >= 2 ? PRONOUNS.get(t[0]!) : undefined;
    const subject = pron === undefined ? parseSubject(t) : undefined;
    if (pron !== undefined) {
      entry = STOP;
      let eligible = true;
      if (pron.demonstrative) {
        const sg = pron.cls === "it";
        eligible =
          (sg ? DEMONSTRATIVE_SG_VERBS : DEMONSTRATIVE_PL_VERBS).has(t[1]!) &&
          t[2] !== undefined &&
          (sg ? DEMONSTRATIVE_SG_NEXT : DEMONSTRATIVE_PL_NEXT).has(t[2]) &&
          !(t[3] !== undefined && EVENT_NOUNS.has(clean(t[3]).word));
      } else if (!pron.possessive && (t[0] === "It" || t[0] === "it")) {
        eligible = !impersonalIt(t);
      }
      const ref = eligible ? search(pron.cls, pron.demonstrative) : undefined;
      if (ref !== undefined) {
        const lower = t[0]!.charCodeAt(0) >= 0x61;
        const np = adaptCase(ref.text, lower);
        const resolved = (pron.possessive ? possessive(np) : np) + " " + t.slice(1).join(" ");
        if (fits(resolved)) text = resolved;
        if (pron.cls !== "they") learnt.set(adaptCase(ref.text, false), pron.cls === "he" ? "m" : pron.cls === "she" ? "f" : "n");
        if (pron.possessive) {
          // "Its height is...": the possessed words are a rival the next pronoun could mean (R4).
          let j = 1;
          while (j < t.length && j <= 4 && isLowerWord(t[j]) && !FUNCTION_WORDS.has(t[j]!) && verbAt(t, j) < 0) j++;
          const verb = j > 1 ? verbAt(t, j) : -1;
          if (verb >= 0) {
            const head: Mention = { ...definiteFeatures(t.slice(1, j)), strong: true, predicate: false };
            entry = entryFor(t, ref, verb, [head]);
          }
        } else {
          entry = entryFor(t, ref, verbAt(t, 1));
        }
      }
    } else if (subject !== undefined) {
      entry = entryFor(t, subject.entity, subject.verb);
    } else if (piece.conjoined && startsWithVerb(t)) {
      // R7: a clause that starts with its verb gets its sentence's subject back.
      const ref = sentenceSubject.get(piece.sentence);
      entry = STOP;
      if (ref !== undefined) {
        const resolved = adaptCase(ref.text, true) + " " + piece.text;
        if (fits(resolved)) text = resolved;
        entry = entryFor(t, ref, verbAt(t, 0));
      }
    } else {
      entry = STOP;
    }
    if (piece.clause === 0 && entry.entity !== undefined) sentenceSubject.set(piece.sentence, entry.entity);
    history.push(entry);
    out.push(text);
  }
  return out;
}
