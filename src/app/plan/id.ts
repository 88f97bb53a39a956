/**
 * A plan id named by a user or agent. Anything else is refused with the kind of id it is (a
 * seed, a spike, a session, a ticket, a spec's name) and what a plan command wants instead.
 */
import { cmd } from "../../core/command-ref.ts";
import { BatonError } from "../../core/errors.ts";
import type { Field } from "../../core/fields.ts";
import { isPlanningSessionId, isTicketId, isTopicId, topicTypeOf } from "../../core/ids.ts";
import { listSpecNames } from "../../store/specs.ts";
import type { Workspace } from "../../store/workspace.ts";

const WANTED = () =>
  `plan commands take a plan id such as plan-oauth-rollout (see: ${cmd("topic list", { type: "plan" })})`;

function notAPlan(value: string, kind: string, more = ""): BatonError {
  return new BatonError(
    "INVALID_ID",
    `${JSON.stringify(value)} is a ${kind}, not a plan id`,
    `${WANTED()}${more}`,
  );
}

/** The plan id `value`, checked; the error names what `value` is when it is no plan id. */
export function assertPlanId(ws: Workspace, value: string): string {
  if (isTopicId(value)) {
    const type = topicTypeOf(value);
    if (type === "plan") return value;
    throw notAPlan(value, `${type} id`);
  }
  if (isPlanningSessionId(value)) throw notAPlan(value, "session id");
  // A spec name can look like a ticket id (`oauth-login`): the specs that exist come first.
  let specs: string[] = [];
  try {
    specs = listSpecNames(ws);
  } catch {
    specs = [];
  }
  if (specs.includes(value)) {
    throw notAPlan(
      value,
      "spec name",
      `; for the spec itself: ${cmd("spec status", { spec: value })}`,
    );
  }
  const prefix = ws.config.tickets.prefix.toLowerCase();
  if (isTicketId(value) && value.toLowerCase().startsWith(`${prefix}-`)) {
    throw notAPlan(
      value,
      "ticket id",
      `; the ticket names its plan: ${cmd("ticket show", { ticket_id: value })}`,
    );
  }
  const shown = value.length > 80 ? `${value.slice(0, 77)}...` : value;
  throw new BatonError("INVALID_ID", `${JSON.stringify(shown)} is not a valid plan id`, WANTED());
}

/** The plan every `baton plan <verb>` names first. */
export const PLAN_ID = {
  type: "string",
  min: 1,
  required: true,
  description: "the plan topic, e.g. plan-oauth",
  cli: { positional: true },
} as const satisfies Field;

/**
 * What a plan verb's help says of the plan titles its words take (`plan "<title>"` would read
 * them as the verb): `A plan titled exactly "status" or "run" is created with: …`.
 */
export function titleNote(words: readonly string[]): string {
  const quoted = words.map((w) => JSON.stringify(w));
  const list =
    quoted.length > 1 ? `${quoted.slice(0, -1).join(", ")} or ${quoted.at(-1)}` : quoted.join("");
  return `A plan titled exactly ${list} is created with: baton plan -- ${quoted[0]}.`;
}
