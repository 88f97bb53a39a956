import { cmd, prose } from "../../core/command-ref.ts";
import { BatonError } from "../../core/errors.ts";
import { isWorkSessionId } from "../../core/ids.ts";
import { assertSpecName } from "../../core/spec/status.ts";
import {
  assertOpen,
  INBOX_KEPT,
  type InboxMessage,
  isEnded,
  type WorkSession,
} from "../../core/work/session.ts";
import { withWorkspaceLock } from "../../store/transaction.ts";
import { listWorkSessions, recordWorkEvent } from "../../store/work.ts";
import type { AppContext } from "../context.ts";
import { defineOperation } from "../operation.ts";
import { loadSession, loadSpecWork, renewHeld, type SpecWork, saveSession } from "./common.ts";
import { longText } from "./fields.ts";

export interface MessageResult {
  /** The event id the message has in the timeline (and in each inbox). */
  id: string;
  spec: string;
  to: string;
  from: string | null;
  /** The sessions whose inbox it reached. */
  delivered: string[];
}

export const workMessageOperation = defineOperation({
  name: "work message",
  summary: "send a message to a work session's inbox, or to every open session of a spec",
  description:
    "The target is a work session (ws-…) or a spec name (every session of it not ended gets it). --from names the sending session, a command of its own (its leases are renewed). A message to an ended session is refused (STATE_CONFLICT). The message is a work.message event in the spec's timeline; baton work show lists the inbox (the latest 100). With --json: {id, spec, to, from, delivered}.",
  examples: [
    'baton work message ws-k3x9q2ab "the schema is merged, go on" --from ws-p4m2x8cd',
    'baton work message user-auth "freeze: no pushes to main until 15:00"',
  ],
  access: "write",
  input: {
    to: {
      type: "string",
      min: 1,
      required: true,
      description: "a work session (ws-…) or a spec",
      apiDescription: "work session id, or spec name for all its open sessions",
      cli: { positional: true, value: "<ws|spec>" },
    },
    text: {
      type: "string",
      min: 1,
      required: true,
      description: "the message",
      cli: { positional: true, rest: true, value: "<text>" },
    },
    from: {
      type: "string",
      description: "the work session sending it",
      apiDescription: "sending work session id",
      cli: { value: "<ws>" },
    },
  },
  tool: { description: "Message a work session, or every open session of a spec." },
  run: (env, input) => sendMessage(env.context(), input),
});

export function sendMessage(
  ctx: AppContext,
  input: { to: string; text: string; from?: string | undefined },
): Promise<MessageResult> {
  const text = longText(input.text, "message");
  if (text === null) {
    throw new BatonError(
      "USAGE",
      "work message needs a text",
      cmd("work message", { to: "<ws|spec>", text: prose("text") }),
    );
  }
  const to = input.to.trim();
  return withWorkspaceLock(ctx.ws, () => {
    let recipients: WorkSession[];
    let work: SpecWork;
    if (isWorkSessionId(to)) {
      const target = loadSession(ctx, to);
      work = loadSpecWork(ctx, target.spec);
      if (isEnded(target.state)) {
        throw new BatonError(
          "STATE_CONFLICT",
          `work session ${target.id} is ${target.state}; an ended session reads no messages`,
          `message an open session, or every open session of the spec: ${cmd("work message", { to: target.spec, text: prose("text") })}`,
        );
      }
      recipients = [target];
    } else {
      work = loadSpecWork(ctx, assertSpecName(to));
      recipients = listWorkSessions(ctx.ws, work.status.name).filter((s) => !isEnded(s.state));
    }
    let sender: WorkSession | null = null;
    if (input.from !== undefined) {
      sender = loadSession(ctx, input.from);
      if (sender.spec !== work.status.name) {
        throw new BatonError(
          "STATE_CONFLICT",
          `work session ${sender.id} works on spec ${sender.spec}, not ${work.status.name}`,
          "sessions message the sessions of their own spec",
        );
      }
      assertOpen(sender, "sending a message");
    }
    const from = sender?.id ?? null;
    const event = recordWorkEvent(ctx.ws, work.status.name, "work.message", work.now, {
      ...(from ? { session: from } : {}),
      to: isWorkSessionId(to) ? to : work.status.name,
      text,
    });
    const message: InboxMessage = {
      id: event.id,
      at: work.now,
      from,
      to: isWorkSessionId(to) ? "session" : "spec",
      text,
    };
    const delivered: string[] = [];
    for (const r of recipients) {
      // A session broadcasting to its spec does not message itself.
      if (r.id === from) continue;
      saveSession(work, {
        ...r,
        inbox: [...r.inbox, message].slice(-INBOX_KEPT),
        updated: work.now,
      });
      delivered.push(r.id);
    }
    // A command of the sender: it was heard from, its leases renewed.
    if (sender) saveSession(work, renewHeld(work, sender));
    if (delivered.length === 0) ctx.notice(`No open work session received the message`);
    return { id: event.id, spec: work.status.name, to, from, delivered };
  });
}
