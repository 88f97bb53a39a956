import { sameData } from "./equal.ts";
import { quotedEnd, stripJsonc } from "./jsonc.ts";

/**
 * One entry, `doc[key][name]`, kept in a JSON config file shared with the user (`.mcp.json`,
 * `.vscode/mcp.json`, …). Only the entry's own bytes are replaced, or inserted next to its
 * siblings in the file's own style: every other byte (the user's servers and keys, their
 * formatting, number spellings, key order) is kept. Nothing changes when the entry already holds
 * the value, compared as data, not as text.
 */

/** Why an entry could not be kept: the caller turns these into errors naming the file. */
export type JsonEntryRefusal =
  | "not-json"
  | "not-object"
  | "section-not-object"
  /** A JSONC file (comments or trailing commas) whose entry must change. */
  | "jsonc-change";

export type JsonEntryResult = { ok: true; text: string } | { ok: false; refusal: JsonEntryRefusal };

export interface JsonEntry {
  key: string;
  name: string;
  value: unknown;
}

/**
 * `before` (null: no file) with `entry` in place. With `jsonc`, comments and trailing commas are
 * accepted; such a file is returned unchanged when the entry is already right and refused when
 * it is not, since editing around comments could lose or misplace them.
 */
export function upsertJsonEntry(
  before: string | null,
  entry: JsonEntry,
  options: { jsonc?: boolean } = {},
): JsonEntryResult {
  if (before === null || before.trim() === "") {
    const doc = { [entry.key]: { [entry.name]: entry.value } };
    return { ok: true, text: `${JSON.stringify(doc, null, 2)}\n` };
  }
  const plain = options.jsonc === true ? stripJsonc(before) : before;
  let doc: unknown;
  try {
    doc = JSON.parse(plain);
  } catch {
    return { ok: false, refusal: "not-json" };
  }
  if (!isObject(doc)) return { ok: false, refusal: "not-object" };
  const section = Object.hasOwn(doc, entry.key) ? doc[entry.key] : undefined;
  if (section !== undefined && !isObject(section))
    return { ok: false, refusal: "section-not-object" };
  if (
    section !== undefined &&
    Object.hasOwn(section, entry.name) &&
    sameData(section[entry.name], entry.value)
  )
    return { ok: true, text: before };
  if (plain !== before) return { ok: false, refusal: "jsonc-change" };
  return { ok: true, text: new Editor(before).upsert(entry) };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

interface Member {
  key: string;
  keyStart: number;
  keyEnd: number;
  valueStart: number;
  valueEnd: number;
}

interface ObjectSpan {
  open: number;
  close: number;
  members: Member[];
}

/** Edits a text already known to be valid JSON whose top level is an object. */
class Editor {
  private readonly text: string;
  private readonly eol: string;
  /** One level of indentation, as the file writes it. */
  private readonly unit: string;
  private readonly top: ObjectSpan;

  constructor(text: string) {
    this.text = text;
    this.eol = text.includes("\r\n") ? "\r\n" : "\n";
    this.top = this.objectAt(skipWs(text, 0));
    const first = this.top.members[0];
    const indent = first ? this.lineIndent(first.keyStart) : null;
    this.unit = indent !== null && indent !== "" ? indent : "  ";
  }

  upsert(entry: JsonEntry): string {
    const section = lastMember(this.top, entry.key);
    if (!section) return this.insert(this.top, entry.key, { [entry.name]: entry.value });
    const inner = this.objectAt(section.valueStart);
    const existing = lastMember(inner, entry.name);
    if (!existing) return this.insert(inner, entry.name, entry.value);
    const indent = this.lineIndent(existing.keyStart) ?? this.lineStartIndent(existing.keyStart);
    return this.splice(
      existing.valueStart,
      existing.valueEnd,
      this.render(entry.value, indent, this.spansLines(inner)),
    );
  }

  /** A new last member of `obj`, written like its siblings (or like the file, when it has none). */
  private insert(obj: ObjectSpan, name: string, value: unknown): string {
    const key = JSON.stringify(name);
    const first = obj.members[0];
    const last = obj.members.at(-1);
    if (first && last) {
      const spaced = /\s/.test(this.text.slice(first.keyEnd, first.valueStart));
      const colon = spaced ? ": " : ":";
      const indent = this.lineIndent(first.keyStart);
      if (indent !== null) {
        const member = `${key}${colon}${this.render(value, indent, true)}`;
        return this.splice(last.valueEnd, last.valueEnd, `,${this.eol}${indent}${member}`);
      }
      const second = obj.members[1];
      const comma = second ? this.text.slice(first.valueEnd, second.keyStart) : spaced ? ", " : ",";
      const member = `${key}${colon}${this.render(value, "", false)}`;
      return this.splice(last.valueEnd, last.valueEnd, `${comma}${member}`);
    }
    if (!this.spansLines(this.top)) {
      return this.splice(obj.open + 1, obj.close, `${key}:${this.render(value, "", false)}`);
    }
    const outer = this.lineStartIndent(obj.open);
    const indent = `${outer}${this.unit}`;
    const member = `${key}: ${this.render(value, indent, true)}`;
    return this.splice(obj.open + 1, obj.close, `${this.eol}${indent}${member}${this.eol}${outer}`);
  }

  private render(value: unknown, indent: string, multiline: boolean): string {
    if (!multiline) return JSON.stringify(value);
    return JSON.stringify(value, null, this.unit).replaceAll("\n", `${this.eol}${indent}`);
  }

  private splice(start: number, end: number, insert: string): string {
    return this.text.slice(0, start) + insert + this.text.slice(end);
  }

  private spansLines(obj: ObjectSpan): boolean {
    return this.text.slice(obj.open, obj.close).includes("\n");
  }

  /** The whitespace before `pos` on its line, or null when something else precedes it there. */
  private lineIndent(pos: number): string | null {
    const lineStart = this.text.lastIndexOf("\n", pos - 1) + 1;
    const lead = this.text.slice(lineStart, pos);
    return /^[ \t]*$/.test(lead) ? lead : null;
  }

  /** The leading whitespace of the line `pos` is on. */
  private lineStartIndent(pos: number): string {
    const lineStart = this.text.lastIndexOf("\n", pos - 1) + 1;
    return /^[ \t]*/.exec(this.text.slice(lineStart, pos))?.[0] ?? "";
  }

  private objectAt(open: number): ObjectSpan {
    const text = this.text;
    const members: Member[] = [];
    let i = skipWs(text, open + 1);
    while (text.charAt(i) !== "}") {
      const keyStart = i;
      const keyEnd = quotedEnd(text, i);
      const key = JSON.parse(text.slice(keyStart, keyEnd)) as string;
      const valueStart = skipWs(text, skipWs(text, keyEnd) + 1);
      const valueEnd = jsonValueEnd(text, valueStart);
      members.push({ key, keyStart, keyEnd, valueStart, valueEnd });
      i = skipWs(text, valueEnd);
      if (text.charAt(i) === ",") i = skipWs(text, i + 1);
    }
    return { open, close: i, members };
  }
}

/** The member JSON.parse keeps when a key is repeated: the last one. */
function lastMember(obj: ObjectSpan, key: string): Member | undefined {
  return obj.members.findLast((m) => m.key === key);
}

function skipWs(text: string, i: number): number {
  let j = i;
  while (j < text.length && " \t\r\n".includes(text.charAt(j))) j++;
  return j;
}

function jsonValueEnd(text: string, start: number): number {
  const c = text.charAt(start);
  if (c === '"') return quotedEnd(text, start);
  if (c === "{" || c === "[") {
    let depth = 0;
    let i = start;
    while (i < text.length) {
      const ch = text.charAt(i);
      if (ch === '"') {
        i = quotedEnd(text, i);
        continue;
      }
      if (ch === "{" || ch === "[") depth++;
      else if (ch === "}" || ch === "]") {
        depth--;
        if (depth === 0) return i + 1;
      }
      i++;
    }
    return text.length;
  }
  let i = start;
  while (i < text.length && !",}] \t\r\n".includes(text.charAt(i))) i++;
  return i;
}
