/**
 * Claims on a spec's tasks, as pure functions of (claims, now, ttl): one claim file per task
 * (`work/claims/{task}.json`) names the session holding it, its fencing token and when its lease
 * runs out. Taking a task is a compare-and-set under the workspace lock: free, released or
 * expired claims may be taken, and taking over an expired one gives a token one higher, so a
 * holder presumed dead that comes back holds a token that is no longer the claim's and is refused
 * (LEASE_LOST) before it changes anything.
 */
import { cmd } from "../command-ref.ts";
import { BatonError } from "../errors.ts";
import { isWorkSessionId, isWorkTaskId } from "../ids.ts";
import { checkSchemaVersion, SCHEMA_VERSION } from "../schema.ts";

export interface Claim {
  schema_version: number;
  spec: string;
  task: string;
  /** The session holding it; null once released. */
  session: string | null;
  /** Grows by one with every claim of the task, take-overs included. */
  token: number;
  state: "held" | "released";
  /** When the current holder (or the last one) took it. */
  claimed: string;
  /** When the lease runs out unless renewed. */
  expires: string;
}

/** A held claim whose lease has not run out. */
export function isLive(claim: Claim, nowMs: number): boolean {
  return claim.state === "held" && Date.parse(claim.expires) > nowMs;
}

/** A held claim whose lease ran out: the next claim of the task takes it over. */
export function isExpired(claim: Claim, nowMs: number): boolean {
  return claim.state === "held" && !isLive(claim, nowMs);
}

function plus(now: string, ms: number): string {
  return new Date(Date.parse(now) + ms).toISOString();
}

export interface TakenClaim {
  claim: Claim;
  /** The holder whose expired lease this claim took over, or null. */
  takeover: { session: string; token: number; expired: string } | null;
}

/**
 * `session` takes `task`: a task never claimed gets token 1, a released or expired claim the
 * next token. A live claim is refused, naming its holder and when its lease runs out.
 */
export function takeClaim(
  existing: Claim | null,
  spec: string,
  task: string,
  session: string,
  now: string,
  ttlMs: number,
): TakenClaim {
  const nowMs = Date.parse(now);
  if (existing && isLive(existing, nowMs)) {
    throw new BatonError(
      "STATE_CONFLICT",
      `task ${task} of spec ${spec} is claimed by ${existing.session} until ${existing.expires}`,
      `take a ready task instead (${cmd("work next", { spec })}), or wait until its lease runs out`,
    );
  }
  const takeover =
    existing && existing.state === "held" && existing.session !== null
      ? { session: existing.session, token: existing.token, expired: existing.expires }
      : null;
  return {
    claim: {
      schema_version: SCHEMA_VERSION,
      spec,
      task,
      session,
      token: (existing?.token ?? 0) + 1,
      state: "held",
      claimed: now,
      expires: plus(now, ttlMs),
    },
    takeover,
  };
}

/** The claim with its lease renewed from `now`. */
export function renewClaim(claim: Claim, now: string, ttlMs: number): Claim {
  return { ...claim, expires: plus(now, ttlMs) };
}

/** The claim given back: free for the next claim, its token kept so the next one is higher. */
export function releaseClaim(claim: Claim, now: string): Claim {
  return { ...claim, session: null, state: "released", expires: now };
}

/**
 * Checks that `session` still holds `task` with `token` (what its record says it got; `given`,
 * when a command passes the token it was handed, must be that too). Anything else is LEASE_LOST:
 * the claim was taken over, released or removed since, and the command must change nothing.
 */
export function fence(
  claim: Claim | null,
  spec: string,
  task: string,
  session: string,
  token: number,
  given?: number,
): void {
  const holds =
    claim !== null &&
    claim.state === "held" &&
    claim.session === session &&
    claim.token === token &&
    (given === undefined || given === claim.token);
  if (holds) return;
  const now =
    claim === null
      ? "no claim holds it now"
      : claim.state === "released"
        ? `it was released (token ${claim.token})`
        : claim.session === session
          ? `the claim's token is ${claim.token}`
          : `${claim.session} holds it now with token ${claim.token}`;
  const stale = given !== undefined && given !== token ? given : token;
  throw new BatonError(
    "LEASE_LOST",
    `work session ${session} no longer holds task ${task} of spec ${spec} (token ${stale}): ${now}`,
    `nothing was changed; stop working on ${task}, then take other work (${cmd("work claim", { spec, session })}) or end the session (${cmd("work end", { session, state: "failed", summary: "<why>" })})`,
  );
}

/** Validates a parsed claim file. */
export function parseClaim(data: unknown, file: string): Claim {
  const record = checkSchemaVersion(data, file);
  const bad = (field: string): never => {
    throw new BatonError(
      "CORRUPT_FILE",
      `${file}: field ${field} is missing or malformed`,
      "fix the field or restore the file from git",
    );
  };
  const task = record.task;
  if (typeof task !== "string" || !isWorkTaskId(task)) bad("task");
  const session = record.session ?? null;
  if (session !== null && (typeof session !== "string" || !isWorkSessionId(session)))
    bad("session");
  const token = record.token;
  if (typeof token !== "number" || !Number.isSafeInteger(token) || token < 1) bad("token");
  const state = record.state;
  if (state !== "held" && state !== "released") bad("state");
  if (state === "held" && session === null) bad("session");
  for (const key of ["spec", "claimed", "expires"]) if (typeof record[key] !== "string") bad(key);
  if (Number.isNaN(Date.parse(record.expires as string))) bad("expires");
  return {
    schema_version: record.schema_version as number,
    spec: record.spec as string,
    task: task as string,
    session: session as string | null,
    token: token as number,
    state: state as Claim["state"],
    claimed: record.claimed as string,
    expires: record.expires as string,
  };
}
