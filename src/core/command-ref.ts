/**
 * A command named in a hint or notice, as data: which operation, with which arguments. Core and
 * app write `cmd("seed --sessions", { seed_id: id })` into their text; each face renders it in
 * its own words where the text is written out (the CLI as `baton seed --sessions X`, MCP as the
 * tool call `session_list {"seed_id":"X"}`), so no layer below the faces spells a face's words.
 *
 * In text a reference is its JSON between two noncharacters (U+FDD0 … U+FDD1), code points
 * Unicode keeps for a program's own use and never for text people exchange, so a title or a
 * file's contents is not mistaken for a reference.
 */

export const REF_OPEN = "\uFDD0";
export const REF_CLOSE = "\uFDD1";

/** A value a person fills in and that is prose, quoted on a command line: `"<title>"`. */
export interface Prose {
  readonly prose: string;
}

/**
 * An argument: a value, a placeholder (`<name>`, `<file>`: what to put there) or a prose
 * placeholder; `true` is a flag given.
 */
export type RefValue = string | number | boolean | Prose;

export interface CommandRef {
  /** The operation's name (`spec approve`, `seed --sessions`), as declared. */
  readonly verb: string;
  /** Its fields by their declared names. */
  readonly args: Readonly<Record<string, RefValue>>;
}

/** A placeholder for text with spaces: `cmd("seed", { title: prose("title") })`. */
export function prose(name: string): Prose {
  return { prose: `<${name}>` };
}

/** A reference to `verb` with `args`, as a piece of text for a hint or notice. */
export function cmd(verb: string, args: Readonly<Record<string, RefValue>> = {}): string {
  return `${REF_OPEN}${JSON.stringify([verb, args])}${REF_CLOSE}`;
}

export function isProse(value: RefValue): value is Prose {
  return typeof value === "object" && value !== null && typeof value.prose === "string";
}

/** The references in `text`, in order. */
export function refsIn(text: string): CommandRef[] {
  const out: CommandRef[] = [];
  renderRefs(text, (ref) => {
    out.push(ref);
    return "";
  });
  return out;
}

/**
 * `text` with each reference replaced by `render(ref)`. A marker that opens no readable
 * reference (a noncharacter in someone's text) is dropped and the text around it kept, so no
 * marker reaches a reader either way.
 */
export function renderRefs(text: string, render: (ref: CommandRef) => string): string {
  if (!text.includes(REF_OPEN) && !text.includes(REF_CLOSE)) return text;
  let out = "";
  let at = 0;
  while (at < text.length) {
    const open = text.indexOf(REF_OPEN, at);
    if (open < 0) {
      out += text.slice(at);
      break;
    }
    out += text.slice(at, open);
    const close = text.indexOf(REF_CLOSE, open + 1);
    const ref = close < 0 ? null : parseRef(text.slice(open + 1, close));
    if (ref) {
      out += render(ref);
      at = close + 1;
    } else {
      at = open + 1;
    }
  }
  return out.replaceAll(REF_OPEN, "").replaceAll(REF_CLOSE, "");
}

function parseRef(encoded: string): CommandRef | null {
  try {
    const [verb, args] = JSON.parse(encoded) as [unknown, unknown];
    if (typeof verb !== "string" || args === null || typeof args !== "object") return null;
    return { verb, args: args as Record<string, RefValue> };
  } catch {
    return null;
  }
}

/** Every string inside `value` (a result, an error's JSON) with its references rendered. */
export function renderRefsDeep<T>(value: T, render: (ref: CommandRef) => string): T {
  if (typeof value === "string") return renderRefs(value, render) as T;
  if (value === null || typeof value !== "object") return value;
  if (!holdsRef(value)) return value;
  if (Array.isArray(value)) return value.map((v) => renderRefsDeep(v, render)) as T;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[key] = renderRefsDeep(v, render);
  return out as T;
}

/** Whether any string inside holds a marker; most results hold none and are passed on as they are. */
function holdsRef(value: object): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === "string") {
      if (v.includes(REF_OPEN) || v.includes(REF_CLOSE)) return true;
    } else if (v !== null && typeof v === "object") {
      for (const item of Array.isArray(v) ? v : Object.values(v)) stack.push(item);
    }
  }
  return false;
}
