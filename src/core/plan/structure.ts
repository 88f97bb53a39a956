/**
 * Phase 1 of the plan workflow: the user's input (a title, a short sentence, a detailed text or a
 * requirements file) structured into GOAL / SCOPE / CONTEXT by deterministic rules:
 *
 * - a `## Goal` section, else the first heading that is not a known section name, else the
 *   first sentence of the first paragraph, else the title, is the goal;
 * - bullet and numbered list items (checkboxes and requirement ids included) are scope items;
 *   those under an "out of scope" / "non-goals" heading or line are out of scope;
 *   "In scope: a, b" and "Out of scope: c" lines are split on commas and semicolons;
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
const SCOPE_LINE = /^\s*\**(in scope|out of scope|non-goals?|not in scope|scope)\**\s*:\s*(.*)$/i;

function bucketForHeading(text: string): Bucket | null {
  const t = text
    .toLowerCase()
    .replace(/[*_`:]/g, "")
    .trim();
  if (/^(out of scope|not in scope|non-goals?|out-of-scope|exclusions?)\b/.test(t)) return "out";
  if (/^(goals?|objective|intent|purpose)\b/.test(t)) return "goal";
  if (/^(in scope|scope|requirements?|user stories|features?|tasks|deliverables)\b/.test(t))
    return "in";
  if (/^(context|background|notes?|constraints?|approach|details|motivation)\b/.test(t))
    return "context";
  return null;
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
  let bucket: Bucket | null = null;
  let numbered = 0;
  let inFence = false;
  const flush = () => {
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
      const known = bucketForHeading(name);
      bucket = known;
      if (!known && headingGoal === null && paragraphs.length === 0 && goalLines.length === 0) {
        // A document's own title (`# OAuth rollout`) is its goal unless a Goal section says more.
        headingGoal = name.trim();
      }
      continue;
    }
    const scopeLine = SCOPE_LINE.exec(line);
    if (scopeLine) {
      flush();
      const kind = (scopeLine[1] as string).toLowerCase();
      const target = kind === "in scope" || kind === "scope" ? scope.in : scope.out;
      for (const item of splitList(scopeLine[2] as string)) pushUnique(target, item);
      bucket = target === scope.in ? "in" : "out";
      continue;
    }
    const req = REQ_ID.exec(line);
    const num = req ? null : NUMBERED.exec(line);
    const bullet = req || num ? null : BULLET.exec(line);
    if (req || num || bullet) {
      flush();
      let item: string;
      if (req) {
        item = `${(req[1] as string).toUpperCase()}: ${req[2] as string}`;
        numbered++;
      } else if (num) {
        item = num[1] as string;
        numbered++;
      } else {
        item = (bullet as RegExpExecArray)[1] as string;
      }
      pushUnique(bucket === "out" ? scope.out : scope.in, item);
      continue;
    }
    if (line.trim() === "") flush();
    else current.push(line.trim());
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
