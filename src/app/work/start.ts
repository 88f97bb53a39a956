import { cmd } from "../../core/command-ref.ts";
import { BatonError } from "../../core/errors.ts";
import { assertWorkSessionId, assertWorkTaskId } from "../../core/ids.ts";
import { assertSpecName } from "../../core/spec/status.ts";
import { assertOpen, isEnded, newWorkSession, type WorkSession } from "../../core/work/session.ts";
import { withWorkspaceLock } from "../../store/transaction.ts";
import {
  listWorkSessions,
  localHost,
  readWorkSession,
  recordWorkEvent,
  specOfWorkSession,
} from "../../store/work.ts";
import type { AppContext } from "../context.ts";
import { defineOperation } from "../operation.ts";
import {
  assertReady,
  ensureImplementing,
  freshSessionId,
  loadSpecWork,
  renewHeld,
  requireTask,
  type SessionView,
  type SpecStart,
  type SpecWork,
  saveSession,
  sessionView,
  takeTask,
} from "./common.ts";
import { longText, oneLineText, WORK_SPEC } from "./fields.ts";

/** A claim a command took. */
export interface ClaimedTask {
  task: string;
  title: string;
  token: number;
  expires: string;
  /** The expired holder it took over from, or null. */
  takeover: { session: string; token: number; expired: string } | null;
}

export interface WorkStartResult {
  session: SessionView;
  claimed: ClaimedTask[];
  spec: { name: string } & SpecStart;
}

export interface StartInput {
  spec: string;
  task?: string[] | undefined;
  name?: string | undefined;
  description?: string | undefined;
  agent?: string | undefined;
  instance?: string | undefined;
  thread?: string | undefined;
  link?: string | undefined;
  parent?: string | undefined;
  pid?: number | undefined;
  force?: boolean | undefined;
}

export interface StartOptions {
  /** The parent runs this (`work spawn`): a command of its own, which renews its leases. */
  byParent?: boolean;
}

/** The fields of a new session, shared by `work start` and `work spawn`. */
export const SESSION_FIELDS = {
  task: {
    type: "strings",
    description: "claim this task for the session (repeat for more); each must be ready",
    apiDescription: "task ids to claim, each ready",
    cli: { value: "<id>" },
  },
  name: { type: "string", description: "a short name for the session", cli: { value: "<text>" } },
  description: {
    type: "string",
    description: "what the session is for",
    cli: { value: "<text>" },
  },
  agent: {
    type: "string",
    description: "the kind of agent working in it (claude-code, codex, human…)",
    apiDescription: "agent kind",
    cli: { value: "<kind>" },
  },
  instance: {
    type: "string",
    description: "the agent instance (one per spec), e.g. an editor window's id",
    apiDescription: "agent instance id (one per spec)",
    cli: { value: "<id>" },
  },
  thread: {
    type: "string",
    description: "the instance's thread this session is (one per session)",
    apiDescription: "thread id (one per session)",
    cli: { value: "<id>" },
  },
  link: {
    type: "string",
    description: "where to open the agent's thread (a URL or path)",
    apiDescription: "link to the thread",
    cli: { value: "<url>" },
  },
  pid: {
    type: "int",
    min: 1,
    example: 4242,
    description: "the agent's local process: the session shows as gone once it exits",
    apiDescription: "agent's local pid (gone once it exits)",
    cli: { value: "<pid>" },
  },
} as const;

export const workStartOperation = defineOperation({
  name: "work start",
  summary: "start a work session on a spec, claiming its tasks; the first one starts the spec",
  description:
    "Records {planning.dir}/<spec>/work/<ws-id>.json (ids ws-<8 base36>, random so clones never collide) and claims each --task (each must be ready: not done, its sub-tasks and _Depends: tasks done, no live lease on it, no _Files: overlap with a claimed task). Needs an approved spec; the first session moves it to implementing, as baton spec start does (recorded in status.yaml's history); --force starts a spec not yet approved, recorded as force_start. --agent/--instance/--thread/--link record the agent mapping (one instance per spec, one thread per session), shown wherever the session is. A refused start changes nothing. With --json: {session, claimed: [{task, title, token, expires, takeover}], spec: {name, started, forced, stage}}.",
  examples: [
    "baton work start user-auth --task 1.2 --name tokens --agent claude-code --thread t-17",
    "baton work start user-auth --parent ws-k3x9q2ab --name tests",
    'baton work start hotfix --force --task 1 --description "reviewed afterwards"',
  ],
  access: "write",
  input: {
    spec: WORK_SPEC,
    ...SESSION_FIELDS,
    parent: {
      type: "string",
      description: "the session this one is spawned from (a child session)",
      apiDescription: "parent work session id",
      cli: { value: "<ws>" },
    },
    force: {
      type: "boolean",
      description: "start the spec without approval; recorded as force_start",
    },
  },
  tool: { description: "Start a work session on a spec, claiming tasks." },
  run: (env, input) => startWork(env.context(), input),
});

/** The session record's agent and texts, checked before anything is read. */
export function sessionTexts(input: StartInput) {
  return {
    name: oneLineText(input.name, "name"),
    description: longText(input.description, "description"),
    agent: {
      kind: oneLineText(input.agent, "agent kind", 80),
      instance: oneLineText(input.instance, "instance", 200),
      thread: oneLineText(input.thread, "thread", 200),
      link: oneLineText(input.link, "link", 2000),
    },
  };
}

/** `baton work start <spec>`: a new session, its tasks claimed, the spec started if need be. */
export async function startWork(
  ctx: AppContext,
  input: StartInput,
  options: StartOptions = {},
): Promise<WorkStartResult> {
  const spec = assertSpecName(input.spec);
  const wanted = [...new Set(input.task ?? [])].map(assertWorkTaskId);
  const texts = sessionTexts(input);
  const parentId = input.parent === undefined ? null : assertWorkSessionId(input.parent);
  return withWorkspaceLock(ctx.ws, async () => {
    const work = loadSpecWork(ctx, spec);
    const parent = parentId === null ? null : requireParent(work, parentId);
    const tasks = wanted.map((id) => requireTask(work, id));
    for (const task of tasks) assertReady(work, task);
    const id = freshSessionId(work);
    const start = await ensureImplementing(work, input.force === true, id);
    let session = newWorkSession({
      id,
      spec,
      ...texts,
      parent: parentId,
      process: input.pid === undefined ? null : { pid: input.pid, host: localHost() },
      forced: start.forced,
      now: work.now,
    });
    recordWorkEvent(ctx.ws, spec, "work.started", work.now, {
      session: id,
      ...(texts.name ? { name: texts.name } : {}),
      ...(parentId ? { parent: parentId } : {}),
      agent: session.agent,
      tasks: wanted,
      ...(start.forced ? { forced: true } : {}),
    });
    const claimed: ClaimedTask[] = [];
    for (const task of tasks) {
      const taken = takeTask(work, session, task);
      session = taken.session;
      claimed.push({
        task: task.id,
        title: task.title,
        token: taken.claim.token,
        expires: taken.claim.expires,
        takeover: taken.takeover,
      });
    }
    saveSession(work, session);
    if (parent && options.byParent) saveSession(work, renewHeld(work, parent));
    mappingNotices(work, session);
    return {
      session: sessionView(session, work.claims, work.byId, work.nowMs, work.ttlMs),
      claimed,
      spec: { name: spec, ...start },
    };
  });
}

/** The parent of a spawned session: a session of the same spec, still under way. */
export function requireParent(work: SpecWork, id: string): WorkSession {
  const { ws } = work.ctx;
  const spec = work.status.name;
  const parent = readWorkSession(ws, spec, id);
  if (!parent) {
    const elsewhere = specOfWorkSession(ws, id);
    throw new BatonError(
      elsewhere === null ? "SESSION_NOT_FOUND" : "STATE_CONFLICT",
      elsewhere === null
        ? `no work session ${id}`
        : `work session ${id} works on spec ${elsewhere}, not ${spec}`,
      elsewhere === null
        ? `list the spec's sessions with: ${cmd("work list", { spec })}`
        : "a child session works on its parent's spec",
    );
  }
  assertOpen(parent, "spawning a child session");
  return parent;
}

/**
 * One agent instance per spec, one thread per session: a mapping that departs from that is
 * recorded as given, and said.
 */
function mappingNotices(work: SpecWork, session: WorkSession): void {
  const { instance, thread } = session.agent;
  if (instance === null && thread === null) return;
  const others = listWorkSessions(work.ctx.ws, work.status.name).filter(
    (s) => s.id !== session.id && !isEnded(s.state),
  );
  const otherInstance = others.find(
    (s) => instance && s.agent.instance && s.agent.instance !== instance,
  );
  if (otherInstance) {
    work.ctx.notice(
      `Spec ${work.status.name} is also worked on by instance ${otherInstance.agent.instance} (${otherInstance.id}); one instance per spec keeps their threads together`,
    );
  }
  const sameThread = others.find((s) => thread && s.agent.thread === thread);
  if (sameThread) {
    work.ctx.notice(
      `Thread ${thread} is also work session ${sameThread.id}'s; each session is meant to be one thread`,
    );
  }
}
