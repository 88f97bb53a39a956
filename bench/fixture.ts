/**
 * Writes a large Baton workspace straight to disk, in the formats the product writes, so the
 * benchmark can measure commands against 10,000 topics without running 10,000 commands.
 *
 * This is a fixture, not the product path: it uses plain fs.writeFileSync (no temp file, fsync or
 * lock) for speed, but every document is rendered by the same core functions the CLI uses.
 * Everything is derived from a seeded PRNG, so a given scale always produces the same workspace.
 */
import fs from "node:fs";
import path from "node:path";
import {
  addRelation,
  type Catalog,
  emptyCatalog,
  renderCatalog,
  upsertTopic,
} from "../src/core/catalog.ts";
import { newTicketId, sessionStamp, type TopicType, topicIdFor } from "../src/core/ids.ts";
import { ensureLineInSection, replaceSection } from "../src/core/markdown.ts";
import {
  archivePlanningSession,
  attachPlan,
  attachSpike,
  completePlanningSession,
  newPlanningSession,
  type PlanningSession,
} from "../src/core/planning-session.ts";
import { SCHEMA_VERSION } from "../src/core/schema.ts";
import { TASK_STATUSES, type TaskStatus } from "../src/core/task.ts";
import { newTicket, renderTicket } from "../src/core/ticket.ts";
import { loadConfig, type Workspace, workspaceAt } from "../src/store/workspace.ts";

export interface Scale {
  /** Topics in index.json, the active session's own topics included. */
  topics: number;
  /** Archived and completed session snapshots in sessions/. */
  sessions: number;
  /** Ticket files in tickets/. */
  tickets: number;
}

/** Sessions and tickets grow with topics: 10,000 topics come with 2,000 sessions, 20,000 tickets. */
export function scaleFor(topics: number): Scale {
  return { topics, sessions: Math.floor(topics / 5), tickets: topics * 2 };
}

export interface Fixture {
  ws: Workspace;
  /** The active planning session (a seed, a few spikes, a plan). */
  active: PlanningSession;
  counts: { topics: number; sessions: number; tickets: number; files: number };
  /** One ticket file, to touch when a benchmark needs "a ticket changed"; null without tickets. */
  aTicket: string | null;
}

/** The active session's topics, always present whatever the scale. */
const ACTIVE_SPIKES = 5;
const ACTIVE_TASKS = 8;
/** Share of snapshots that are completed (the rest are archived). */
const COMPLETED_SHARE = 0.75;

const WORDS = (
  "auth cache queue retry token schema index billing search export import audit webhook " +
  "session upload preview migration report invoice login signup payment profile storage " +
  "metrics alert deploy rollout backup restore sync offline mobile desktop theme locale"
).split(" ");
const VERBS = "add fix split measure document replace cache validate migrate remove".split(" ");

/** mulberry32: small, fast, deterministic. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)] as T;
}

function words(rand: () => number, n: number): string {
  return Array.from({ length: n }, () => pick(rand, WORDS)).join(" ");
}

function paragraph(rand: () => number, sentences: number): string {
  const out: string[] = [];
  for (let i = 0; i < sentences; i++) {
    const s = words(rand, 8 + Math.floor(rand() * 8));
    out.push(`${s.charAt(0).toUpperCase()}${s.slice(1)}.`);
  }
  return out.join(" ");
}

function topicLink(id: string, type: TopicType): string {
  return `[${id}](../${id}/${type}.md)`;
}

const BASE_TIME = Date.UTC(2025, 0, 6, 9, 0, 0);

/**
 * Fills an initialised workspace at `root` (after a real `baton init`) with `scale` worth of
 * topics, snapshots and tickets, plus one active session rooted at its own seed.
 */
export function generateWorkspace(root: string, scale: Scale, seed = 42): Fixture {
  const ws = workspaceAt(root, loadConfig(root));
  const rand = prng(seed ^ scale.topics);
  const catalog: Catalog = emptyCatalog();
  const events: string[] = [];
  const dirs = new Set<string>();
  let files = 0;
  const write = (file: string, text: string) => {
    const dir = path.dirname(file);
    if (!dirs.has(dir)) {
      fs.mkdirSync(dir, { recursive: true });
      dirs.add(dir);
    }
    fs.writeFileSync(file, text);
    files++;
  };
  let clock = BASE_TIME;
  const tick = (ms: number) => {
    clock += ms;
    return new Date(clock);
  };
  const event = (type: string, at: string, data: Record<string, unknown>) => {
    events.push(JSON.stringify({ schema_version: SCHEMA_VERSION, at, type, ...data }));
  };

  // Topic documents live in memory until the end: links are added to sources.md as sessions form.
  const docs = new Map<string, string>();
  const sources = new Map<string, string>();
  const docPath = (id: string, type: TopicType) => path.join(ws.paths.topics, id, `${type}.md`);
  const addTopic = (type: TopicType, title: string, body: string, now: string): string => {
    const id = topicIdFor(type, title);
    if (catalog.topics[id]) throw new Error(`fixture: duplicate topic ${id}`);
    docs.set(id, `# ${title}\n\n${body}\n`);
    sources.set(id, `# Sources: ${id}\n\n`);
    upsertTopic(catalog, { id, type, title, path: ws.rel(docPath(id, type)) }, now);
    event("topic.created", now, { topic: id, topic_type: type });
    return id;
  };
  const link = (from: string, line: string) => {
    sources.set(from, ensureLineInSection(sources.get(from) ?? "", "Session Links", line));
  };

  // The active session's topics count towards the scale's topics.
  const activeTopics = 2 + ACTIVE_SPIKES;
  const bulk = Math.max(0, scale.topics - activeTopics);
  const nPlans = Math.max(scale.sessions, Math.round(bulk * 0.2));
  const nSeeds = Math.max(scale.sessions, Math.round(bulk * 0.3));
  const nSpikes = Math.max(0, bulk - nPlans - nSeeds);
  const seeds: string[] = [];
  const spikes: string[] = [];
  const plans: string[] = [];
  const planTasks = new Map<string, string[]>();
  const tasksPerPlan = Math.max(
    1,
    Math.ceil(scale.tickets / Math.max(1, Math.floor(scale.sessions * COMPLETED_SHARE))),
  );

  for (let i = 0; i < nSeeds; i++) {
    const at = tick(60_000).toISOString();
    seeds.push(addTopic("seed", `${words(rand, 3)} idea ${i}`, paragraph(rand, 4), at));
  }
  for (let i = 0; i < nSpikes; i++) {
    const at = tick(60_000).toISOString();
    const body = `## Question\n\n${paragraph(rand, 2)}\n\n## Findings\n\n${paragraph(rand, 6)}`;
    spikes.push(addTopic("spike", `${words(rand, 3)} research ${i}`, body, at));
  }
  for (let i = 0; i < nPlans; i++) {
    const at = tick(60_000).toISOString();
    const tasks = Array.from(
      { length: tasksPerPlan },
      (_, k) => `${pick(rand, VERBS)} ${words(rand, 2)} step ${k + 1}`,
    );
    const body = `## Goal\n\n${paragraph(rand, 2)}\n\n## Tasks\n\n${tasks.map((t) => `- [ ] ${t}`).join("\n")}`;
    const id = addTopic("plan", `${words(rand, 3)} plan ${i}`, body, at);
    plans.push(id);
    planTasks.set(id, tasks);
  }

  // Snapshots: session i is rooted at seed i, with up to two spikes and plan i.
  const sessionsDir = ws.paths.sessions;
  const completed: { session: PlanningSession; plan: string }[] = [];
  const spikesPerSession = Math.min(2, Math.floor(nSpikes / Math.max(1, scale.sessions)));
  for (let i = 0; i < scale.sessions; i++) {
    const seedId = seeds[i] as string;
    const plan = plans[i] as string;
    const started = tick(3_600_000);
    const at = started.toISOString();
    let session = newPlanningSession(`${seedId}@${sessionStamp(started)}`, seedId, at);
    const sid = session.session_id;
    upsertTopic(catalog, { ...base(catalog, seedId), root_seed: seedId, session_id: sid }, at);
    for (let k = 0; k < spikesPerSession; k++) {
      const spike = spikes[i * spikesPerSession + k] as string;
      session = attachSpike(session, spike, at);
      upsertTopic(
        catalog,
        { ...base(catalog, spike), root_seed: seedId, session_id: sid, relates: [seedId] },
        at,
      );
      addRelation(catalog, seedId, spike, at);
      link(seedId, `- spike: ${topicLink(spike, "spike")} (session ${sid})`);
      link(spike, `- root seed: ${topicLink(seedId, "seed")} (session ${sid})`);
    }
    session = attachPlan(session, plan, at);
    upsertTopic(
      catalog,
      {
        ...base(catalog, plan),
        root_seed: seedId,
        session_id: sid,
        relates: [seedId, ...session.spikes],
      },
      at,
    );
    addRelation(catalog, seedId, plan, at);
    docs.set(plan, inputsSection(docs.get(plan) ?? "", session));
    link(seedId, `- plan: ${topicLink(plan, "plan")} (session ${sid})`);
    link(plan, `- root seed: ${topicLink(seedId, "seed")} (session ${sid})`);
    event("session.started", at, { session: sid, root_seed: seedId });
    if (i < Math.floor(scale.sessions * COMPLETED_SHARE)) {
      completed.push({ session, plan });
    } else {
      const archived = archivePlanningSession(session, tick(600_000).toISOString());
      write(path.join(sessionsDir, `${sid}.json`), json(archived));
      event("session.archived", archived.updated, { session: sid });
    }
  }

  // Tickets: spread over the completed sessions' plans, one per plan task.
  const ticketIds = new Set<string>();
  const random = (n: number) => Uint8Array.from({ length: n }, () => Math.floor(rand() * 256));
  const ticketsDir = ws.paths.tickets;
  const planLink = (plan: string) =>
    path.relative(ticketsDir, docPath(plan, "plan")).split(path.sep).join("/");
  let made = 0;
  let aTicket: string | null = null;
  for (const { session, plan } of completed) {
    const tasks = planTasks.get(plan) ?? [];
    const at = tick(1_800_000).toISOString();
    const ids: string[] = [];
    const mapEntries: { task: string; ticket: string }[] = [];
    for (let k = 0; k < tasks.length && made < scale.tickets; k++, made++) {
      let id = newTicketId(ws.config.tickets.prefix, random);
      while (ticketIds.has(id)) id = newTicketId(ws.config.tickets.prefix, random);
      ticketIds.add(id);
      const title = tasks[k] as string;
      const status: TaskStatus = pick(rand, TASK_STATUSES);
      const key = `task-${k + 1}`;
      const ticket = newTicket({
        id,
        title,
        status,
        plan,
        task: key,
        session_id: session.session_id,
        now: at,
        body: `# ${title}\n\nFrom plan [${plan}](${planLink(plan)}).\n\n${paragraph(rand, 3)}\n`,
      });
      const file = path.join(ticketsDir, `${id}.md`);
      write(file, renderTicket(ticket));
      aTicket ??= file;
      event("ticket.created", at, { ticket: id, plan, task: key });
      ids.push(id);
      mapEntries.push({ task: key, ticket: id });
    }
    const backlogMd = ws.rel(path.join(ws.paths.topics, plan, "backlog.md"));
    const done = completePlanningSession(
      session,
      { topic: plan, backlog_md: backlogMd, tickets: ids },
      tick(60_000).toISOString(),
    );
    write(path.join(sessionsDir, `${done.session_id}.json`), json(done));
    write(
      path.join(ws.paths.topics, plan, "backlog.json"),
      json({ schema_version: SCHEMA_VERSION, plan, tickets: mapEntries }),
    );
    event("session.completed", done.updated, { session: done.session_id, plan });
  }
  // Any tickets the completed plans could not absorb (tiny scales) are left out on purpose.

  // The active session: its own seed, spikes and a plan with open tasks.
  const activeAt = tick(3_600_000);
  const activeSeed = addTopic(
    "seed",
    "Bench active idea",
    paragraph(rand, 3),
    activeAt.toISOString(),
  );
  let active = newPlanningSession(
    `${activeSeed}@${sessionStamp(activeAt)}`,
    activeSeed,
    activeAt.toISOString(),
  );
  const sid = active.session_id;
  upsertTopic(
    catalog,
    { ...base(catalog, activeSeed), root_seed: activeSeed, session_id: sid },
    activeAt.toISOString(),
  );
  for (let k = 0; k < ACTIVE_SPIKES; k++) {
    const at = tick(300_000).toISOString();
    const spike = addTopic("spike", `Bench active spike ${k + 1}`, paragraph(rand, 5), at);
    active = attachSpike(active, spike, at);
    upsertTopic(
      catalog,
      { ...base(catalog, spike), root_seed: activeSeed, session_id: sid, relates: [activeSeed] },
      at,
    );
    addRelation(catalog, activeSeed, spike, at);
    link(activeSeed, `- spike: ${topicLink(spike, "spike")} (session ${sid})`);
    link(spike, `- root seed: ${topicLink(activeSeed, "seed")} (session ${sid})`);
  }
  const planAt = tick(300_000).toISOString();
  const tasks = Array.from({ length: ACTIVE_TASKS }, (_, k) => `- [ ] Bench task ${k + 1}`);
  const activePlan = addTopic(
    "plan",
    "Bench active plan",
    `## Tasks\n\n${tasks.join("\n")}`,
    planAt,
  );
  active = attachPlan(active, activePlan, planAt);
  upsertTopic(
    catalog,
    {
      ...base(catalog, activePlan),
      root_seed: activeSeed,
      session_id: sid,
      relates: [activeSeed, ...active.spikes],
    },
    planAt,
  );
  addRelation(catalog, activeSeed, activePlan, planAt);
  docs.set(activePlan, inputsSection(docs.get(activePlan) ?? "", active));
  link(activeSeed, `- plan: ${topicLink(activePlan, "plan")} (session ${sid})`);
  link(activePlan, `- root seed: ${topicLink(activeSeed, "seed")} (session ${sid})`);

  for (const [id, text] of docs) {
    const type = catalog.topics[id]?.type as TopicType;
    write(docPath(id, type), text);
    write(path.join(ws.paths.topics, id, "sources.md"), sources.get(id) ?? "");
  }
  const entries = new Map(Object.values(catalog.topics).map((e) => [e.id, JSON.stringify(e)]));
  write(ws.paths.index, renderCatalog(catalog.schema_version, entries));
  write(ws.paths.active, json(active));
  fs.appendFileSync(ws.paths.events, `${events.join("\n")}\n`);

  return {
    ws,
    active,
    counts: {
      topics: Object.keys(catalog.topics).length,
      sessions: scale.sessions,
      tickets: made,
      files,
    },
    aTicket,
  };
}

function base(catalog: Catalog, id: string) {
  const entry = catalog.topics[id];
  if (!entry) throw new Error(`fixture: topic ${id} missing`);
  return { id: entry.id, type: entry.type, title: entry.title, path: entry.path };
}

function inputsSection(doc: string, session: PlanningSession): string {
  const lines = [`- Root seed: ${topicLink(session.root_seed, "seed")}`];
  for (const spike of session.spikes) lines.push(`- Spike: ${topicLink(spike, "spike")}`);
  lines.push(`- Planning session: ${session.session_id}`);
  return replaceSection(doc, "Inputs / Related Topics", lines.join("\n"));
}

/** The same bytes writeJson produces. */
function json(data: unknown): string {
  return `${JSON.stringify(data, null, 2)}\n`;
}
