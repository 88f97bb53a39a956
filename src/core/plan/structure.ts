/**
 * Phase 1 of the plan workflow: the user's input (a title, a short sentence, a detailed text or a
 * requirements file) structured into GOAL / SCOPE / CONTEXT by deterministic rules:
 *
 * - a `## Goal` section or `Goal:` line, else the first heading that is not a known section
 *   name, else the first sentence of the first paragraph, else the title, is the goal;
 * - a known section name (Goal, Scope, In scope, Out of scope, Non-goals, Requirements, Tasks,
 *   Context, Constraints, Background, Notes…) as a heading or as a `Label:` line starts that
 *   section and ends the one before, so a list never runs on into the next section; a label
 *   line's own text belongs to its section (`In scope: a, b` is split on commas and semicolons);
 * - bullet and numbered list items (checkboxes and requirement ids included) are scope items,
 *   out of scope under an out-of-scope heading or label; items under Context or Constraints are
 *   context, except requirement ids (`REQ-1: …`), which are in scope wherever they stand outside
 *   an out-of-scope section;
 * - every other paragraph is context.
 */

export interface PlanStructure {
  goal: string;
  scope: { in: string[]; out: string[] };
  context: string;
  /** What the input looked like: a title only, free text, or numbered requirements. */
  source: "title" | "text" | "requirements";
}

type Bucket = "goal" | "in" | "out" | "context";

const HEADING = /^#{1,6}\s+(.+?)\s*#*\s*$/;
const BULLET = /^\s*[-*+]\s+(?:\[[ xX]\]\s+)?(.+?)\s*$/;
const NUMBERED = /^\s*(?:\d+(?:\.\d+)*[.)]|\(\d+\))\s+(.+?)\s*$/;
const REQ_ID = /^\s*\**((?:REQ|FR|NFR|R)-?\d+(?:\.\d+)*)\**\s*[:.)-]\s*(.+?)\s*$/i;
/** `Label: text`, the label optionally bold (`**Goal:** …`, `**Goal**: …`). */
const LABEL_LINE =
  /^\s*(?:\*\*|__)?([A-Za-z][A-Za-z -]{1,30}?)(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*(.*?)\s*$/;

const SECTION_NAMES: [Bucket, string][] = [
  ["out", "out of scope|not in scope|non-goals?|out-of-scope|exclusions?"],
  ["goal", "goals?|objectives?|intent|purpose"],
  ["in", "in scope|scope|requirements?|user stories|features?|tasks|deliverables"],
  ["context", "context|background|notes?|constraints?|approach|details|motivation"],
];
/** A heading starting with a section name (`## Requirements for login`). */
const HEADING_SECTIONS = SECTION_NAMES.map(
  ([bucket, names]) => [bucket, new RegExp(`^(${names})\\b`)] as const,
);
/** A label line's label must be a section name exactly (`Notes about X:` is text). */
const LABEL_SECTIONS = SECTION_NAMES.map(
  ([bucket, names]) => [bucket, new RegExp(`^(${names})$`)] as const,
);

function sectionOf(text: string, names: typeof HEADING_SECTIONS): Bucket | null {
  const t = text
    .toLowerCase()
    .replace(/[*_`:]/g, "")
    .trim();
  for (const [bucket, re] of names) if (re.test(t)) return bucket;
  return null;
}

/** A known section named by a `Label:` line, its label and the text after the colon. */
function labelLine(line: string): { bucket: Bucket; label: string; rest: string } | null {
  const match = LABEL_LINE.exec(line);
  if (!match) return null;
  const label = (match[1] as string).trim();
  const bucket = sectionOf(label, LABEL_SECTIONS);
  return bucket ? { bucket, label, rest: match[2] as string } : null;
}

function firstSentence(paragraph: string): { sentence: string; rest: string } {
  const match = /^(.+?[.!?])(\s+|$)([\s\S]*)$/.exec(paragraph);
  if (!match) return { sentence: paragraph.trim(), rest: "" };
  return { sentence: (match[1] as string).trim(), rest: (match[3] as string).trim() };
}

function splitList(text: string): string[] {
  return text
    .split(/[;,]/)
    .map((s) => s.trim().replace(/\.$/, ""))
    .filter((s) => s !== "");
}

function pushUnique(list: string[], item: string): void {
  if (item !== "" && !list.includes(item)) list.push(item);
}

/** GOAL / SCOPE / CONTEXT of a plan from its title and optional text. Pure and deterministic. */
export function structureInput(title: string, text?: string): PlanStructure {
  const body = (text ?? "").replace(/\r\n?/g, "\n");
  const scope = { in: [] as string[], out: [] as string[] };
  if (body.trim() === "") {
    return { goal: title.trim(), scope, context: "", source: "title" };
  }
  const goalLines: string[] = [];
  let headingGoal: string | null = null;
  const paragraphs: string[] = [];
  let current: string[] = [];
  /** List items of a context section, kept as one paragraph of `- item` lines. */
  let contextItems: string[] = [];
  /** The section a heading opened; a label line opens one within it until its list ends. */
  let section: Bucket | null = null;
  let bucket: Bucket | null = null;
  let fromLabel = false;
  let numbered = 0;
  let inFence = false;
  const flush = () => {
    if (contextItems.length > 0) {
      paragraphs.push(contextItems.join("\n"));
      contextItems = [];
    }
    const paragraph = current.join(" ").trim();
    current = [];
    if (paragraph === "") return;
    if (bucket === "goal") goalLines.push(paragraph);
    else paragraphs.push(paragraph);
  };
  for (const line of body.split("\n")) {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    if (inFence) {
      current.push(line);
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      flush();
      const name = heading[1] as string;
      const known = sectionOf(name, HEADING_SECTIONS);
      section = known;
      bucket = known;
      fromLabel = false;
      if (!known && headingGoal === null && paragraphs.length === 0 && goalLines.length === 0) {
        // A document's own title (`# OAuth rollout`) is its goal unless a Goal section says more.
        headingGoal = name.trim();
      }
      continue;
    }
    const label = labelLine(line);
    if (label) {
      flush();
      bucket = label.bucket;
      fromLabel = true;
      if (label.rest === "") continue;
      if (bucket === "in" || bucket === "out") {
        const target = bucket === "in" ? scope.in : scope.out;
        for (const item of splitList(label.rest)) pushUnique(target, item);
      } else if (bucket === "context" && !/^context$/i.test(label.label)) {
        // `Constraints: offline first` says what kind of context it is: the label stays.
        current.push(`${label.label}: ${label.rest}`);
      } else {
        current.push(label.rest);
      }
      continue;
    }
    const bare = REQ_ID.exec(line);
    const num = bare ? null : NUMBERED.exec(line);
    const bullet = bare || num ? null : BULLET.exec(line);
    if (bare || num || bullet) {
      if (current.length > 0) flush();
      // A bullet or numbered item may carry a requirement id too: `- REQ-1: …`.
      const req = bare ?? REQ_ID.exec(((num ?? bullet) as RegExpExecArray)[1] as string);
      let item: string;
      if (req) {
        item = `${(req[1] as string).toUpperCase()}: ${req[2] as string}`;
      } else {
        item = ((num ?? bullet) as RegExpExecArray)[1] as string;
      }
      if (req || num) numbered++;
      if (bucket === "out") pushUnique(scope.out, item);
      else if (bucket === "context" && !req) contextItems.push(`- ${item}`);
      else pushUnique(scope.in, item);
      continue;
    }
    if (line.trim() === "") {
      flush();
      continue;
    }
    if (fromLabel && (bucket === "in" || bucket === "out") && current.length === 0) {
      // Text after a labelled list ends it: the section the last heading opened goes on.
      flush();
      bucket = section;
      fromLabel = false;
    }
    if (contextItems.length > 0) flush();
    current.push(line.trim());
  }
  flush();
  let goal: string;
  if (goalLines.length > 0) {
    const first = firstSentence(goalLines[0] as string);
    goal = first.sentence;
    const rest = [first.rest, ...goalLines.slice(1)].filter((p) => p !== "");
    paragraphs.unshift(...rest);
  } else if (headingGoal !== null) {
    goal = headingGoal;
  } else if (paragraphs.length > 0) {
    const first = firstSentence(paragraphs.shift() as string);
    goal = first.sentence;
    if (first.rest !== "") paragraphs.unshift(first.rest);
  } else {
    goal = title.trim();
  }
  return {
    goal,
    scope,
    context: paragraphs.join("\n\n"),
    source: numbered > 0 ? "requirements" : "text",
  };
}

/** The User Intent section of planning-notes.md for a structured input. */
export function renderIntent(s: PlanStructure): string {
  const list = (items: string[]) =>
    items.length === 0 ? ["- (none stated)"] : items.map((i) => `- ${i}`);
  return [
    `**Goal:** ${s.goal}`,
    "",
    "**Scope (in):**",
    "",
    ...list(s.scope.in),
    "",
    "**Scope (out):**",
    "",
    ...list(s.scope.out),
    "",
    "**Context:**",
    "",
    s.context === "" ? "(none given)" : s.context,
    "",
    `_Structured from: ${s.source}._`,
  ].join("\n");
}
