// Deterministic synthetic claim-verification data for the sidecar's reference models.
// Each example is a short passage about made-up entities plus a claim labelled SUPPORTED (a paraphrase of a
// passage fact), REFUTED (an entity, number or polarity changed) or UNVERIFIABLE (a fact the passage lacks).
// The train and evaluation splits use different seeds, disjoint name syllables and disjoint claim templates,
// so evaluation accuracy measures generalisation rather than memorised strings.

import { Rng } from "./rng";

export const LABELS = ["SUPPORTED", "REFUTED", "UNVERIFIABLE"] as const;
export type Verdict = (typeof LABELS)[number];

export interface Example {
  source: string;
  claim: string;
  label: Verdict;
  /** Index of the label in LABELS, the class id the models are trained on. */
  labelId: number;
}

export type Split = "train" | "eval";

/** The seeded generator every split is drawn from (reproducible bit for bit across machines). */
export { Rng };

/** Disjoint syllable sets keep evaluation entities unseen during training. */
const SYLLABLES: Record<Split, { first: string[]; second: string[] }> = {
  train: {
    first: ["zor", "mel", "kar", "vin", "dra", "tal", "bre", "qua", "lum", "fen", "ost", "yar"],
    second: ["vath", "in", "dor", "ella", "ik", "os", "una", "ek", "ard", "ira", "um", "ette"],
  },
  eval: {
    first: ["pel", "nox", "rhu", "sab", "gim", "wex", "thi", "jor", "cav", "hol", "mir", "ux"],
    second: ["ant", "oria", "ul", "esk", "amo", "yth", "ane", "ob", "ilde", "ace", "orn", "eth"],
  },
};

const PRODUCTS: Record<Split, string[]> = {
  train: ["solar lanterns", "water filters", "bicycle frames", "ceramic tiles", "wool blankets", "drone batteries"],
  eval: ["glass lenses", "rope bridges", "paper lamps", "clay bricks", "steel hinges", "cotton sails"],
};

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function makeName(rng: Rng, split: Split): string {
  const s = SYLLABLES[split];
  return capital(rng.pick(s.first) + rng.pick(s.second));
}

/** Draws n distinct names so a refutation's replacement entity never equals the original. */
function distinctNames(rng: Rng, split: Split, n: number): string[] {
  const out = new Set<string>();
  while (out.size < n) out.add(makeName(rng, split));
  return [...out];
}

interface World {
  person: string;
  org: string;
  city: string;
  birthCity: string;
  year: number;
  staff: number;
  product: string;
}

type FactKind = "founded" | "based" | "staff" | "born" | "makes";
const FACT_KINDS: readonly FactKind[] = ["founded", "based", "staff", "born", "makes"];

/** Passage sentences, shared by both splits: the source text style is the same, only claims differ. */
type ClaimTemplate = (w: World) => string;
const PASSAGES: Record<FactKind, ClaimTemplate[]> = {
  founded: [(w) => `${w.person} founded ${w.org} in ${w.year}.`, (w) => `${w.org} was started by ${w.person} in ${w.year}.`],
  based: [(w) => `${w.org} is based in ${w.city}.`, (w) => `The main office of ${w.org} is in ${w.city}.`],
  staff: [(w) => `${w.org} employs ${w.staff} people.`, (w) => `${w.org} has a staff of ${w.staff}.`],
  born: [(w) => `${w.person} was born in ${w.birthCity}.`, (w) => `${w.person} grew up in ${w.birthCity}.`],
  makes: [(w) => `${w.org} makes ${w.product}.`, (w) => `${w.org} is known for its ${w.product}.`],
};

function passageSentence(kind: FactKind, w: World, rng: Rng): string {
  return rng.pick(PASSAGES[kind])(w);
}

/**
 * Claim templates: paraphrases of each fact kind, in positive and negated form. Disjoint per split, and the
 * evaluation wording uses words the training text never does ("manufactures", "workforce", "comes from",
 * "located"): the features' hand-written lexicons may only use training words (test/sidecar-models.test.ts
 * checks this against evalOnlyVocabulary()), so evaluation measures generalisation to unseen phrasing.
 */
const CLAIMS: Record<Split, Record<FactKind, { pos: ClaimTemplate[]; neg: ClaimTemplate[] }>> = {
  train: {
    founded: {
      pos: [
        (w) => `${w.org} was founded by ${w.person} in ${w.year}.`,
        (w) => `In ${w.year}, ${w.person} established ${w.org}.`,
        (w) => `${w.person} set up ${w.org} in ${w.year}.`,
        (w) => `${w.org} was created by ${w.person} in ${w.year}.`,
      ],
      neg: [
        (w) => `${w.person} did not found ${w.org} in ${w.year}.`,
        (w) => `${w.org} was never founded by ${w.person}.`,
        (w) => `${w.person} did not establish ${w.org}.`,
      ],
    },
    based: {
      pos: [
        (w) => `${w.org} has its headquarters in ${w.city}.`,
        (w) => `${w.org} is headquartered in ${w.city}.`,
        (w) => `${w.org} operates out of ${w.city}.`,
        (w) => `The seat of ${w.org} is in ${w.city}.`,
      ],
      neg: [(w) => `${w.org} is not based in ${w.city}.`, (w) => `${w.org} has no office in ${w.city}.`],
    },
    staff: {
      pos: [
        (w) => `${w.org} has ${w.staff} employees.`,
        (w) => `There are ${w.staff} people working at ${w.org}.`,
        (w) => `${w.org} has a team of ${w.staff} workers.`,
      ],
      neg: [(w) => `${w.org} does not employ ${w.staff} people.`, (w) => `${w.org} does not have ${w.staff} workers.`],
    },
    born: {
      pos: [
        (w) => `${w.person} is a native of ${w.birthCity}.`,
        (w) => `${w.person} was raised in ${w.birthCity}.`,
        (w) => `The hometown of ${w.person} is ${w.birthCity}.`,
      ],
      neg: [(w) => `${w.person} was not born in ${w.birthCity}.`, (w) => `${w.birthCity} is not the hometown of ${w.person}.`],
    },
    makes: {
      pos: [
        (w) => `${w.org} produces ${w.product}.`,
        (w) => `${w.product} are made by ${w.org}.`,
        (w) => `${w.org} builds ${w.product}.`,
        (w) => `${w.org} is a maker of ${w.product}.`,
      ],
      neg: [(w) => `${w.org} does not make ${w.product}.`, (w) => `${w.product} are not made by ${w.org}.`],
    },
  },
  eval: {
    founded: {
      pos: [(w) => `${w.person} started ${w.org} in ${w.year}.`, (w) => `${w.org} dates back to ${w.year}, when ${w.person} founded it.`],
      neg: [(w) => `${w.person} never founded ${w.org}.`],
    },
    based: {
      pos: [(w) => `The head office of ${w.org} is located in ${w.city}.`],
      neg: [(w) => `${w.org} is not headquartered in ${w.city}.`],
    },
    staff: {
      pos: [(w) => `${w.org} employs a workforce of ${w.staff}.`],
      neg: [(w) => `${w.org} has no ${w.staff} employees.`],
    },
    born: {
      pos: [(w) => `${w.person} comes from ${w.birthCity}.`],
      neg: [(w) => `${w.person} is not a native of ${w.birthCity}.`],
    },
    makes: {
      pos: [(w) => `${w.org} manufactures ${w.product}.`],
      neg: [(w) => `${w.org} never produced ${w.product}.`],
    },
  },
};

const ORG_SUFFIXES = ["Labs", "Works", "Group", "Industries"];

function makeWorld(rng: Rng, split: Split): World {
  const [person, org, city, birthCity] = distinctNames(rng, split, 4);
  return {
    person: person!,
    org: `${org} ${rng.pick(ORG_SUFFIXES)}`,
    city: city!,
    birthCity: birthCity!,
    year: rng.between(1900, 2021),
    staff: rng.between(12, 5000),
    product: rng.pick(PRODUCTS[split]),
  };
}

/** The claim's fact with one detail changed: a number, a named entity, or the product. */
function perturb(kind: FactKind, w: World, rng: Rng, split: Split): World {
  const fresh = distinctNames(rng, split, 6).filter((n) => ![w.person, w.city, w.birthCity, w.org.split(" ")[0]].includes(n));
  const other = fresh[0]!;
  switch (kind) {
    case "founded":
      return rng.next() < 0.5 ? { ...w, year: w.year + rng.pick([-9, -3, -1, 1, 2, 7, 12]) } : { ...w, person: other };
    case "based":
      // Half the time the wrong city is one the passage mentions in another role, so overlap alone cannot decide.
      return { ...w, city: rng.next() < 0.5 ? w.birthCity : other };
    case "staff":
      return { ...w, staff: w.staff + rng.pick([-100, -37, -5, 8, 50, 210]) };
    case "born":
      return { ...w, birthCity: rng.next() < 0.5 ? w.city : other };
    case "makes":
      return { ...w, product: rng.pick(PRODUCTS[split].filter((p) => p !== w.product)) };
  }
}

/** One example of the given label, drawn from rng. */
function makeExample(rng: Rng, split: Split, labelId: number): Example {
  const w = makeWorld(rng, split);
  const kinds = rng.shuffle([...FACT_KINDS]);
  const shown = kinds.slice(0, rng.between(2, 4));
  const hidden = kinds.slice(shown.length);
  const source = shown.map((k) => passageSentence(k, w, rng)).join(" ");
  const label = LABELS[labelId]!;
  const templates = CLAIMS[split];
  let claim: string;
  if (label === "SUPPORTED") {
    claim = rng.pick(templates[rng.pick(shown)].pos)(w);
  } else if (label === "REFUTED") {
    const kind = rng.pick(shown);
    // Negating a true fact and asserting a changed fact are the two ways a claim contradicts the passage.
    claim = rng.next() < 0.3 ? rng.pick(templates[kind].neg)(w) : rng.pick(templates[kind].pos)(perturb(kind, w, rng, split));
  } else if (rng.next() < 0.6) {
    // A fact kind the passage omits, about an entity it does mention.
    claim = rng.pick(templates[rng.pick(hidden)].pos)(w);
  } else {
    // A fact about an entity the passage never mentions.
    const stranger = makeWorld(rng, split);
    claim = rng.pick(templates[rng.pick(FACT_KINDS)].pos)(stranger);
  }
  return { source, claim, label, labelId };
}

/** Seeds for each split; evaluation never shares a seed with training. */
export const SPLIT_SEEDS: Record<Split, number> = { train: 0x5eed_0001, eval: 0x5eed_e7a1 };

/** Balanced examples (labels cycle 0,1,2) so accuracy's chance level is one third. */
export function generateExamples(split: Split, count: number, seed: number = SPLIT_SEEDS[split]): Example[] {
  const rng = new Rng(seed);
  const out: Example[] = [];
  for (let i = 0; i < count; i++) out.push(makeExample(rng, split, i % LABELS.length));
  return out;
}

/** Lower-cased words of a text, numbers and punctuation dropped (the placeholders below render as "@"). */
function words(text: string): string[] {
  return text
    .split(/[^A-Za-z']+/)
    .filter((w) => w.length > 0)
    .map((w) => w.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32)));
}

/**
 * Every word a split's text can contain apart from the generated names and numbers: its claim templates
 * (positive and negated), the shared passage templates, its products and the organisation suffixes.
 */
export function templateVocabulary(split: Split): Set<string> {
  const w: World = { person: "@", org: "@", city: "@", birthCity: "@", year: 0, staff: 0, product: "@" };
  const out = new Set<string>();
  const add = (text: string): void => words(text).forEach((x) => out.add(x));
  for (const kind of FACT_KINDS) {
    PASSAGES[kind].forEach((t) => add(t(w)));
    CLAIMS[split][kind].pos.forEach((t) => add(t(w)));
    CLAIMS[split][kind].neg.forEach((t) => add(t(w)));
  }
  PRODUCTS[split].forEach(add);
  ORG_SUFFIXES.forEach(add);
  return out;
}

/** Words only the evaluation split uses: no hand-written lexicon of the feature extractor may contain one. */
export function evalOnlyVocabulary(): Set<string> {
  const train = templateVocabulary("train");
  return new Set([...templateVocabulary("eval")].filter((w) => !train.has(w)));
}
