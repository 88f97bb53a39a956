/**
 * No response may flood an agent's context. A result over the cap is cut by its structure: its
 * largest lists are shortened (then, if need be, its longest texts), so what comes back is still
 * the result's own JSON, with a `truncated` member saying what was cut and how to get the rest.
 * Sizes are UTF-8 bytes, what the transport carries and what a context fills with.
 */
export const MAX_RESULT_BYTES = 20_000;

/** The smallest cap that still leaves room for the note that replaces a result. */
const MIN_CAP = 2_048;
const MAX_HINT_BYTES = 600;
/** Every cut shrinks the result; this only bounds pathological shapes (thousands of texts). */
const MAX_CUTS = 64;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** One cut: `field` is a dotted path (`tasks`, `state.notes`, `rows.3.text`). */
interface Cut {
  field: string;
  /** Items of a list, or UTF-8 bytes of a text (`unit: "bytes"`), before the cut. */
  total: number;
  shown: number;
  unit?: "bytes";
}

interface Truncation extends Cut {
  hint: string;
  /** Where the next page starts, when a paged list was cut. */
  next_offset?: number;
  /** Further cuts, rare: the first one is the largest list. */
  also?: Cut[];
}

interface FitOptions {
  /** How to get what was cut, for this tool (`topic_show` for one record, …). */
  hint: string;
  /** The result's paged lists and the offset they start at: a cut there gets `next_offset`. */
  paged?: { fields: readonly string[]; offset: number } | undefined;
  max?: number;
}

const byteLength = (text: string): number => Buffer.byteLength(text, "utf8");
export const jsonBytes = (value: unknown): number => byteLength(JSON.stringify(value));

/** The JSON text of `value`, within `max` UTF-8 bytes, cut by structure when it is over. */
export function fitJson(value: unknown, options: FitOptions): string {
  const max = options.max ?? MAX_RESULT_BYTES;
  if (max < MIN_CAP) throw new RangeError(`a cap of ${max} bytes is too small to report a cut`);
  const text = JSON.stringify(value ?? null);
  const bytes = byteLength(text);
  if (bytes <= max) return text;
  const hint = clip(options.hint, MAX_HINT_BYTES);
  const parsed = JSON.parse(text) as Json;
  const root: JsonObject =
    parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)
      ? parsed
      : { result: parsed };
  const cuts: Cut[] = [];
  for (let i = 0; i < MAX_CUTS; i++) {
    const out = render(root, cuts, hint, options.paged);
    if (byteLength(out) <= max) return out;
    // Sized as if every count had many digits, so the note never pushes a fitted result over.
    const reserve = byteLength(render({}, [...cuts, WIDEST_CUT], hint, options.paged)) + 2;
    if (!cutOnce(root, max - reserve, cuts)) break;
  }
  // Nothing left to cut (a result of thousands of small members): the note alone.
  const note: Truncation = { field: "", total: bytes, shown: 0, unit: "bytes", hint };
  return JSON.stringify({ truncated: note });
}

const WIDEST_CUT: Cut = { field: "x".repeat(64), total: 1e12, shown: 1e12, unit: "bytes" };

function render(root: JsonObject, cuts: Cut[], hint: string, paged: FitOptions["paged"]): string {
  if (cuts.length === 0) return JSON.stringify(root);
  const [first, ...also] = cuts as [Cut, ...Cut[]];
  const note: Truncation = { ...first, hint };
  const pagedCuts = paged ? cuts.filter((c) => paged.fields.includes(c.field)) : [];
  if (paged && pagedCuts.length > 0) {
    note.next_offset = paged.offset + Math.min(...pagedCuts.map((c) => c.shown));
    note.hint = `call again with offset ${note.next_offset} for the rest; ${hint}`;
  }
  if (also.length > 0) note.also = also;
  const { truncated: _own, ...rest } = root;
  return JSON.stringify({ truncated: note, ...rest });
}

interface ListSpot {
  kind: "list";
  path: string;
  list: Json[];
  /** The list's bytes outside the lists nested in it: what shortening it mostly saves. */
  own: number;
}
interface TextSpot {
  kind: "text";
  path: string;
  holder: JsonObject | Json[];
  key: string | number;
  bytes: number;
}

/**
 * Shortens the list with the most bytes of its own (or the longest text, when it is longer) so
 * the whole fits `target` bytes, or as far as it goes. False when nothing is left to cut.
 */
function cutOnce(root: JsonObject, target: number, cuts: Cut[]): boolean {
  let list: ListSpot | null = null;
  let text: TextSpot | null = null;
  const visit = (
    node: Json,
    path: string,
    holder: JsonObject | Json[] | null,
    key: string | number,
  ): number => {
    if (typeof node === "string") {
      const bytes = jsonBytes(node);
      if (holder && node.length > 0 && (!text || bytes > text.bytes)) {
        text = { kind: "text", path, holder, key, bytes };
      }
      return bytes;
    }
    if (node === null || typeof node !== "object") return jsonBytes(node);
    if (Array.isArray(node)) {
      let size = 2 + Math.max(node.length - 1, 0);
      let nested = 0;
      node.forEach((item, i) => {
        const itemSize = visit(item, join(path, i), node, i);
        size += itemSize;
        if (Array.isArray(item)) nested += itemSize;
        else if (item !== null && typeof item === "object") nested += nestedListBytes(item);
      });
      const own = size - nested;
      if (node.length > 0 && (!list || own > list.own))
        list = { kind: "list", path, list: node, own };
      return size;
    }
    const keys = Object.keys(node);
    let size = 2 + Math.max(keys.length - 1, 0);
    for (const k of keys) size += jsonBytes(k) + 1 + visit(node[k] as Json, join(path, k), node, k);
    return size;
  };
  // At least one byte, so every cut makes progress even when the estimate says it fits.
  const excess = Math.max(visit(root, "", null, "") - target, 1);
  const bestList = list as ListSpot | null;
  const bestText = text as TextSpot | null;
  if (bestList && (!bestText || bestList.own >= bestText.bytes)) {
    cutList(bestList, excess, cuts);
    return true;
  }
  if (bestText) {
    cutText(bestText, excess, cuts);
    return true;
  }
  return false;
}

/** Bytes of the lists inside an object (not inside its nested lists, counted with them). */
function nestedListBytes(node: JsonObject): number {
  let bytes = 0;
  for (const value of Object.values(node)) {
    if (Array.isArray(value)) bytes += jsonBytes(value);
    else if (value !== null && typeof value === "object") bytes += nestedListBytes(value);
  }
  return bytes;
}

function cutList(spot: ListSpot, excess: number, cuts: Cut[]): void {
  const { list } = spot;
  // Dropping item i saves its bytes and a comma; keep the longest prefix that saves enough.
  let saved = 0;
  let keep = list.length;
  while (keep > 0 && saved < excess) {
    keep -= 1;
    saved += jsonBytes(list[keep]) + (keep > 0 ? 1 : 0);
  }
  record(cuts, spot.path, list.length, keep);
  list.length = keep;
}

function cutText(spot: TextSpot, excess: number, cuts: Cut[]): void {
  const value = spot.holder[spot.key as never] as unknown as string;
  const goal = Math.max(spot.bytes - excess, 2);
  // The longest prefix whose JSON text fits the goal, never splitting a surrogate pair.
  let lo = 0;
  let hi = value.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (jsonBytes(value.slice(0, mid)) <= goal) lo = mid;
    else hi = mid - 1;
  }
  if (lo > 0 && isHighSurrogate(value.charCodeAt(lo - 1))) lo -= 1;
  const kept = value.slice(0, lo);
  record(cuts, spot.path, byteLength(value), byteLength(kept), "bytes");
  (spot.holder as Record<string | number, Json>)[spot.key] = kept;
}

function record(cuts: Cut[], field: string, total: number, shown: number, unit?: "bytes"): void {
  const earlier = cuts.find((c) => c.field === field);
  if (earlier) earlier.shown = shown;
  else cuts.push(unit ? { field, total, shown, unit } : { field, total, shown });
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const join = (path: string, key: string | number) => (path === "" ? String(key) : `${path}.${key}`);

/** `text` within `max` UTF-8 bytes, cut at a character boundary. */
function clip(text: string, max: number): string {
  const buf = Buffer.from(text, "utf8");
  if (buf.length <= max) return text;
  let end = max;
  // Back off continuation bytes (10xxxxxx) so no character is split.
  while (end > 0 && ((buf[end] ?? 0) & 0xc0) === 0x80) end -= 1;
  return buf.subarray(0, end).toString("utf8");
}

/**
 * Markdown (a resource's text) within `max` UTF-8 bytes: cut at a line end when one is near,
 * with a closing line saying how much was cut and where to read the rest.
 */
export function fitText(text: string, hint: string, max = MAX_RESULT_BYTES): string {
  const total = byteLength(text);
  if (total <= max) return text;
  const note = `\n\n[cut to ${max.toLocaleString("en")} of ${total.toLocaleString("en")} bytes: ${clip(hint, MAX_HINT_BYTES)}]\n`;
  let kept = clip(text, Math.max(max - byteLength(note), 0));
  const lastLine = kept.lastIndexOf("\n");
  if (lastLine > kept.length * 0.9) kept = kept.slice(0, lastLine);
  return `${kept}${note}`;
}
