import { cmd } from "./command-ref.ts";
import { BatonError } from "./errors.ts";

/** Topic kinds, in lifecycle order. A topic id is always `{type}-{slug}`. */
export const TOPIC_TYPES = ["seed", "spike", "plan", "backlog"] as const;
export type TopicType = (typeof TOPIC_TYPES)[number];

const SLUG_MAX = 60;
const SLUG = "[a-z0-9]+(?:-[a-z0-9]+)*";
const TOPIC_ID = new RegExp(`^(${TOPIC_TYPES.join("|")})-(${SLUG})$`);
const STAMP = "\\d{4}-\\d{2}-\\d{2}T\\d{2}-\\d{2}-\\d{2}Z";
const SESSION_ID = new RegExp(`^(seed-${SLUG})@(${STAMP})(?:-(\\d{1,4}))?$`);
const TICKET_PREFIX = /^[A-Za-z][A-Za-z0-9]{0,9}$/;
const TICKET_ID = /^[A-Za-z][A-Za-z0-9]{0,9}-[a-z0-9]{4,16}$/;
const TICKET_ID_ANY_CASE = /^([A-Za-z][A-Za-z0-9]{0,9})-([A-Za-z0-9]{4,16})$/;
const WORK_SESSION_ID = /^ws-[a-z0-9]{8}$/;
/** A spec task's id as tasks.md writes it (`1.2`, `T019a`, `IMPL-001`): safe as a file name. */
const WORK_TASK_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/;

/** Lower-case ASCII slug: accents folded, every other run of non-alphanumerics becomes one dash. */
export function slugify(title: string): string {
  const folded = title.normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
  const slug = folded
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return slug.slice(0, SLUG_MAX).replace(/-+$/, "");
}

export function topicIdFor(type: TopicType, title: string): string {
  const slug = slugify(title);
  if (slug === "") {
    throw new BatonError(
      "INVALID_INPUT",
      `the title ${JSON.stringify(title)} has no letters or digits to name the ${type}`,
      `give a title with at least one letter or digit, e.g. ${cmd("seed", { title: "OAuth login" })}`,
    );
  }
  return `${type}-${slug}`;
}

export function isTopicId(value: string): boolean {
  return value.length <= 80 && TOPIC_ID.test(value);
}

export function topicTypeOf(id: string): TopicType {
  // Same length cap as isTopicId, so an id accepted here is one isTopicId accepts too.
  const match = id.length <= 80 ? TOPIC_ID.exec(id) : null;
  if (!match) throw invalidId("topic", id, "seed-oauth-login");
  return match[1] as TopicType;
}

export function assertTopicId(value: string, expected?: TopicType): string {
  const type = topicTypeOf(value);
  if (expected && type !== expected) {
    throw new BatonError(
      "INVALID_ID",
      `${JSON.stringify(value)} is a ${type} id, not a ${expected} id`,
      `pass a ${expected} id such as ${expected}-my-topic (see: ${cmd("topic list")})`,
    );
  }
  return value;
}

export function isPlanningSessionId(value: string): boolean {
  return value.length <= 140 && SESSION_ID.test(value);
}

export function assertPlanningSessionId(value: string): string {
  if (!isPlanningSessionId(value))
    throw invalidId("session", value, "seed-oauth-login@2026-02-06T17-30-00Z");
  return value;
}

/** The root seed id a session id starts with. */
export function seedOfPlanningSession(sessionId: string): string {
  const match = SESSION_ID.exec(sessionId);
  if (!match) throw invalidId("session", sessionId, "seed-oauth-login@2026-02-06T17-30-00Z");
  return match[1] as string;
}

/** `YYYY-MM-DDTHH-MM-SSZ`: an ISO instant with the colons a file name cannot hold replaced. */
export function sessionStamp(date: Date): string {
  return `${date.toISOString().slice(0, 19).replaceAll(":", "-")}Z`;
}

/**
 * A new session id for `seedId` at `now`, unique among `taken`: a second session started within
 * the same second gets a `-2` suffix, a third `-3`, and so on.
 */
export function newPlanningSessionId(
  seedId: string,
  now: Date,
  taken: (id: string) => boolean,
): string {
  const base = `${seedId}@${sessionStamp(now)}`;
  if (!taken(base)) return base;
  for (let n = 2; n < 10_000; n++) {
    const candidate = `${base}-${n}`;
    if (!taken(candidate)) return candidate;
  }
  throw new BatonError(
    "STATE_CONFLICT",
    `too many sessions for ${seedId} in one second`,
    "retry in a second",
  );
}

export function assertTicketPrefix(prefix: string): string {
  if (!TICKET_PREFIX.test(prefix)) {
    throw new BatonError(
      "CONFIG_INVALID",
      `tickets.prefix ${JSON.stringify(prefix)} must be a letter then up to 9 letters or digits`,
      "set tickets.prefix in .baton/config.yaml to something like BTN",
    );
  }
  return prefix;
}

export function isTicketId(value: string): boolean {
  return TICKET_ID.test(value);
}

export function assertTicketId(value: string): string {
  if (!isTicketId(value)) throw invalidId("ticket", value, "BTN-k3x9q2ab");
  return value;
}

/**
 * A ticket id typed in any letter case (`btn-K3X9Q2AB`), spelled as Baton writes it: the random
 * part in lower case, the prefix as configured when it is the configured one. Anything that is
 * not a ticket id in some case is INVALID_ID.
 */
export function canonicalTicketId(value: string, prefix: string): string {
  const match = TICKET_ID_ANY_CASE.exec(value);
  if (!match) throw invalidId("ticket", value, `${prefix}-k3x9q2ab`);
  const given = match[1] as string;
  const head = given.toLowerCase() === prefix.toLowerCase() ? prefix : given;
  return `${head}-${(match[2] as string).toLowerCase()}`;
}

/**
 * `{prefix}-{8 random base36 chars}`: about 2.8e12 values, so ids minted on different clones do
 * not collide in practice and merge without renumbering.
 */
export function newTicketId(prefix: string, random: (bytes: number) => Uint8Array): string {
  const bytes = random(8);
  let out = "";
  for (const byte of bytes) out += (byte % 36).toString(36);
  return `${prefix}-${out}`;
}

/**
 * Random bytes for ids that must not collide but need not be secret (work sessions, events):
 * V8 seeds Math.random per process from the system's entropy, and it costs nothing to load,
 * where Web Crypto's first call costs a command about 15 ms.
 */
export function idRandom(n: number): Uint8Array {
  const bytes = new Uint8Array(n);
  for (let i = 0; i < n; i++) bytes[i] = Math.floor(Math.random() * 256);
  return bytes;
}

/** `n` random base36 characters. */
function randomBase36(n: number, random: (bytes: number) => Uint8Array): string {
  let out = "";
  for (const byte of random(n)) out += (byte % 36).toString(36);
  return out;
}

export function isWorkSessionId(value: string): boolean {
  return WORK_SESSION_ID.test(value);
}

export function assertWorkSessionId(value: string): string {
  if (!isWorkSessionId(value)) throw invalidId("work session", value, "ws-k3x9q2ab");
  return value;
}

/**
 * `ws-{8 random base36 chars}`: random like ticket ids, so sessions started on different clones
 * (or in different worktrees at once) never collide and merge without renumbering.
 */
export function newWorkSessionId(random: (bytes: number) => Uint8Array): string {
  return `ws-${randomBase36(8, random)}`;
}

/** Whether a spec task id can name its claim file (`work/claims/<id>.json`). */
export function isWorkTaskId(value: string): boolean {
  return WORK_TASK_ID.test(value) && !value.includes("..");
}

export function assertWorkTaskId(value: string): string {
  if (!isWorkTaskId(value)) {
    const shown = value.length > 80 ? `${value.slice(0, 77)}...` : value;
    throw new BatonError(
      "INVALID_ID",
      `${JSON.stringify(shown)} is not a valid task id`,
      "task ids are the ids tasks.md writes, e.g. 1.2 or T019 (see: baton work next <spec>)",
    );
  }
  return value;
}

const EVENT_ID = /^evt-[a-z0-9]{12}$/;

/**
 * `evt-{12 random base36 chars}` (about 4.7e18 values): every event carries one, so the same
 * event met twice in a log (two branches' copies after a union merge) is read once.
 */
export function newEventId(random: (bytes: number) => Uint8Array): string {
  let out = "";
  for (const byte of random(12)) out += (byte % 36).toString(36);
  return `evt-${out}`;
}

export function isEventId(value: unknown): boolean {
  return typeof value === "string" && EVENT_ID.test(value);
}

function invalidId(kind: string, value: string, example: string): BatonError {
  const shown = value.length > 80 ? `${value.slice(0, 77)}...` : value;
  return new BatonError(
    "INVALID_ID",
    `${JSON.stringify(shown)} is not a valid ${kind} id`,
    `${kind} ids look like ${example}; paths and separators are never accepted`,
  );
}
