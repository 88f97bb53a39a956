/**
 * Requirement references in task files: Kiro writes `_Requirements: 1.1, 2.3_` under a task, its
 * property-test tasks write `**Validates: Requirements 1.2, 1.3**`, in other languages
 * `_需求：1.1、1.2_` or `**验证需求：2.1**` (`vocabulary.ts`), and people write ranges
 * (`1.1-1.7`, `1.1–1.7`). Callers want a flat list of ids they can look up, so ranges are expanded
 * wherever that is unambiguous and anything else is kept verbatim with a problem to report.
 */
import { REFERENCE_LINE, withoutReferenceWord } from "./vocabulary.ts";

export interface RefProblem {
  code: "TASK_REQ_REF_NOT_ID" | "TASK_REQ_RANGE_UNEXPANDED";
  message: string;
  hint: string;
}

export interface ParsedRefs {
  refs: string[];
  problems: RefProblem[];
}

/** `1`, `1.1`, `2A.1`, `FR-001`, `REQ-3.2`, `R1`: optional letter prefix, dotted numeric parts. */
const ID = String.raw`(?:[A-Za-z]+-?)?\d+[A-Za-z]?(?:\.\d+[A-Za-z]?)*`;
const ID_ONLY = new RegExp(`^${ID}$`);
const ID_AT_START = new RegExp(`^(${ID})(?![\\w.])`);
/** En dash, em dash and tildes are unambiguous range separators; a hyphen is checked separately. */
const RANGE_DASH = /^(.+?)\s*[–—~〜～]\s*(.+)$/;
const RANGE_HYPHEN = new RegExp(`^(${ID})\\s*-\\s*(${ID})$`);
/** Beyond this a "range" is more likely a typo than 500 real requirements. */
const MAX_RANGE = 500;

/**
 * When `text` (a detail line or the tail of a title, bullet and emphasis already allowed) is a
 * requirement reference line, returns the list part after the label; otherwise null. A colon is
 * required after the label unless a number follows directly, so prose such as
 * "Requirements are documented in X" is not mistaken for a reference.
 */
export function requirementListOf(text: string): string | null {
  const bare = text
    .trim()
    .replace(/^(?:[-*+]|\d+[.)])\s+/, "")
    .replace(/^[_*\s]+/, "")
    .replace(/[_*\s]+$/, "");
  const match = REFERENCE_LINE.exec(bare);
  if (!match) return null;
  return (match[1] ?? match[2] ?? match[3] ?? "").replace(/[_*\s]+$/, "");
}

/** Parses `1.1, 2.3-2.5, FR-001–FR-003` into ids, expanding ranges. Order is kept, duplicates go. */
export function parseRequirementRefs(list: string): ParsedRefs {
  const refs: string[] = [];
  const problems: RefProblem[] = [];
  const add = (ref: string): void => {
    if (!refs.includes(ref)) refs.push(ref);
  };
  // A list written as an array (`[1.1, 2.3]`) means the same as the bare list.
  const bare = list.trim().replace(/^\[(.*)\]$/s, "$1");
  for (const raw of bare.split(/[,;，、；]|\s+and\s+/)) {
    const token = withoutReferenceWord(raw.trim())
      .replace(/[.。]$/, "")
      .trim();
    if (token === "") continue;
    const range = splitRange(token);
    if (range) {
      const expanded = expandRange(range[0], range[1]);
      if (expanded) expanded.forEach(add);
      else {
        add(range[0]);
        add(range[1]);
        problems.push({
          code: "TASK_REQ_RANGE_UNEXPANDED",
          message: `requirement range "${token}" was not expanded: its ends do not share a prefix`,
          hint: `list the ids one by one, or use a range within one requirement such as 1.1-1.7`,
        });
      }
      continue;
    }
    const id = ID_AT_START.exec(token);
    if (id) {
      // A note after the id ("1.1 (partial)") is the author's comment, not another reference.
      add(id[1] as string);
      continue;
    }
    add(token);
    problems.push({
      code: "TASK_REQ_REF_NOT_ID",
      message: `requirement reference "${token}" is not a requirement id`,
      hint: `refer to acceptance criteria by id (e.g. 1.2) so the reference can be checked`,
    });
  }
  return { refs, problems };
}

function splitRange(token: string): [string, string] | null {
  const hyphen = RANGE_HYPHEN.exec(token);
  if (hyphen) {
    // Both ends must carry digits, so a single `FR-001` never reads as the range `FR`..`001`.
    return [hyphen[1] as string, hyphen[2] as string];
  }
  const dash = RANGE_DASH.exec(token);
  if (dash) {
    const [a, b] = [(dash[1] as string).trim(), (dash[2] as string).trim()];
    if (ID_ONLY.test(a) && ID_ONLY.test(b)) return [a, b];
  }
  return null;
}

/** `1.1`..`1.7` → every id between; `FR-001`..`FR-003` keeps the zero padding; else null. */
function expandRange(from: string, to: string): string[] | null {
  const a = /^(.*?)(\d+)$/.exec(from);
  const b = /^(.*?)(\d+)$/.exec(to);
  if (!a || !b || a[1] !== b[1]) return null;
  const prefix = a[1] as string;
  const startText = a[2] as string;
  const start = Number(startText);
  const end = Number(b[2]);
  if (end < start || end - start > MAX_RANGE) return null;
  const width = startText.startsWith("0") ? startText.length : 0;
  const ids: string[] = [];
  for (let n = start; n <= end; n++) ids.push(prefix + String(n).padStart(width, "0"));
  return ids;
}

/** `FR-001`, `NFR-2`, and ranges of them (`FR-001–FR-008`) in running text. */
const MENTION =
  /\b(N?FR-\d+[A-Za-z]?)(?:\s*(?:[–—~〜～]|\.\.|-(?=\s*N?FR-))\s*(N?FR-\d+[A-Za-z]?))?\b/gi;

/**
 * The functional requirement ids a task's text names (Spec Kit tasks say "per FR-003" rather
 * than writing a reference line), ranges expanded, upper-cased, in order.
 */
export function mentionedIds(text: string): string[] {
  const ids: string[] = [];
  for (const match of text.matchAll(MENTION)) {
    const from = (match[1] as string).toUpperCase();
    const to = match[2]?.toUpperCase();
    const found = to ? parseRequirementRefs(`${from}–${to}`).refs : [from];
    for (const id of found) if (!ids.includes(id)) ids.push(id);
  }
  return ids;
}
