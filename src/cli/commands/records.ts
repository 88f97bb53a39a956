import { listTickets, setTicketStatus, showTicket } from "../../app/tickets.ts";
import { listTopics, showTopic } from "../../app/topic-queries.ts";
import { BatonError } from "../../core/errors.ts";
import { TICKET_STATUSES } from "../../core/ticket.ts";
import { defineCommand, type Invocation, type OptionSpec } from "../spec.ts";
import { table } from "../style.ts";

/** Keeps a default listing readable and an agent's context small; --all lifts it. */
const DEFAULT_PAGE = 100;

const PAGE_OPTIONS: OptionSpec[] = [
  { name: "limit", type: "string", value: "<n>", description: "at most n rows" },
  { name: "offset", type: "string", value: "<n>", description: "skip the first n rows" },
];

function intOption(inv: Invocation, name: string): number | undefined {
  const raw = inv.options[name];
  if (raw === undefined) return undefined;
  if (!/^-?\d+$/.test(String(raw))) {
    throw new BatonError(
      "USAGE",
      `--${name} must be a whole number, got ${JSON.stringify(raw)}`,
      `e.g. --${name} 20`,
    );
  }
  const value = Number(raw);
  if (value < 0 || !Number.isSafeInteger(value)) {
    throw new BatonError(
      "INVALID_INPUT",
      `--${name} must be 0 or more, got ${raw}`,
      `e.g. --${name} 20`,
    );
  }
  return value;
}

function onePositional(inv: Invocation, name: string, usage: string): string {
  const value = inv.positionals[0];
  if (value === undefined || inv.positionals.length > 1) {
    throw new BatonError("USAGE", `expected exactly one ${name}`, usage);
  }
  return value;
}

function noPositionals(inv: Invocation, usage: string): void {
  if (inv.positionals.length > 0) {
    throw new BatonError(
      "USAGE",
      `unexpected argument ${JSON.stringify(inv.positionals[0])}`,
      usage,
    );
  }
}

export const ticketListCommand = defineCommand({
  path: ["ticket", "list"],
  summary: "list backlog tickets, oldest first",
  description:
    "Tickets by creation time; tickets made together by one baton backlog keep their plan's task order (their position field). --json prints {total, offset, limit, tickets}.",
  options: [
    {
      name: "status",
      type: "string",
      value: "<status>",
      description: `only this status (${TICKET_STATUSES.join(", ")})`,
    },
    {
      name: "plan",
      type: "string",
      value: "<plan-id>",
      description: "only tickets from this plan",
    },
    ...PAGE_OPTIONS,
    {
      name: "all",
      type: "boolean",
      description: `every match (default: the first ${DEFAULT_PAGE})`,
    },
    {
      name: "fresh",
      type: "boolean",
      description: "re-read every ticket file instead of the per-machine cache",
    },
  ],
  examples: [
    "baton ticket list",
    "baton ticket list --all --json",
    "baton ticket list --status todo --limit 20 --json",
    "baton ticket list --plan plan-oauth-rollout",
  ],
  run: (inv) => {
    noPositionals(inv, "baton ticket list [--status S] [--plan P]");
    return listTickets(inv.context(), {
      status: inv.options.status as string | undefined,
      plan: inv.options.plan as string | undefined,
      limit: inv.options.all ? undefined : (intOption(inv, "limit") ?? DEFAULT_PAGE),
      offset: intOption(inv, "offset"),
      fresh: inv.options.fresh === true,
    });
  },
  render: (r) => {
    if (r.total === 0) return "No tickets.";
    const rows = table([
      ["ID", "STATUS", "PLAN", "TITLE"],
      ...r.tickets.map((t) => [t.id, t.status, t.plan ?? "-", t.title]),
    ]);
    const shown =
      r.tickets.length < r.total
        ? `\n(${r.tickets.length} of ${r.total}; use --offset/--limit)`
        : "";
    return rows + shown;
  },
});

export const ticketShowCommand = defineCommand({
  path: ["ticket", "show"],
  summary: "one ticket with its text (and its plan task)",
  description:
    "The ticket's frontmatter and text. For a ticket made from a plan task, also its task reference (task_ref, plan:<plan-id>#<task-id>) and the task as its JSON holds it now (plan_task: description, status, depends_on, files, acceptance, requirements). Ticket ids are accepted in any letter case.",
  positionals: [{ name: "ticket-id", required: true, description: "e.g. BTN-k3x9q2ab" }],
  examples: ["baton ticket show BTN-k3x9q2ab", "baton ticket show BTN-k3x9q2ab --json"],
  run: (inv) =>
    showTicket(inv.context(), onePositional(inv, "ticket id", "baton ticket show <ticket-id>")),
  render: (t) => {
    const lines = [
      `${t.id}  ${t.status}`,
      `title:   ${t.title}`,
      `plan:    ${t.plan ?? "-"}`,
      ...(t.task_ref ? [`task:    ${t.task_ref}`] : []),
      `session: ${t.session_id ?? "-"}`,
      `updated: ${t.updated}`,
    ];
    const task = t.plan_task;
    if (task) {
      lines.push("", `Task ${task.id} (${task.status}): ${task.title}`);
      if (task.description) lines.push("", task.description);
      lines.push(
        "",
        `depends on:   ${task.depends_on.join(", ") || "none"}`,
        `files:        ${task.files.join(", ") || "none"}`,
        `requirements: ${task.requirements.join(", ") || "none"}`,
        "acceptance:",
        ...(task.acceptance.length ? task.acceptance.map((a) => `  - ${a}`) : ["  - (none)"]),
      );
    }
    lines.push("", t.body.trimEnd());
    return lines.join("\n");
  },
});

export const ticketSetStatusCommand = defineCommand({
  path: ["ticket", "set-status"],
  summary: "change a ticket's status (and its plan task's)",
  description:
    "Sets the ticket's status and, for a ticket made from a plan task (baton backlog), the task's status in its .task/<id>.json to the same (a ticket's todo is a task's pending), regenerating backlog.md, IMPL_PLAN.md and TODO_LIST.md, so baton plan next reflects it. baton plan task <plan-id> <task-id> --status S does the same from the task's side. Ticket ids are accepted in any letter case.",
  positionals: [
    { name: "ticket-id", required: true, description: "e.g. BTN-k3x9q2ab" },
    { name: "status", required: true, description: TICKET_STATUSES.join(" | ") },
  ],
  examples: [
    "baton ticket set-status BTN-k3x9q2ab in_progress",
    "baton ticket set-status BTN-k3x9q2ab done --json",
  ],
  run: (inv) => {
    const [id, status] = inv.positionals;
    if (id === undefined || status === undefined || inv.positionals.length > 2) {
      throw new BatonError(
        "USAGE",
        "expected a ticket id and a status",
        `baton ticket set-status <ticket-id> <${TICKET_STATUSES.join("|")}>`,
      );
    }
    return setTicketStatus(inv.context(), id, status);
  },
  render: (r) => {
    const head =
      r.previous !== r.ticket.status
        ? `${r.ticket.id}: ${r.previous} -> ${r.ticket.status}`
        : `${r.ticket.id} is already ${r.ticket.status}`;
    if (!r.task) return head;
    const ref = `plan:${r.task.plan}#${r.task.id}`;
    return r.task.previous !== r.task.status
      ? `${head}\n${ref}: ${r.task.previous} -> ${r.task.status}`
      : `${head}\n${ref} is ${r.task.status}`;
  },
});

export const topicListCommand = defineCommand({
  path: ["topic", "list"],
  summary: "list seeds, spikes, plans and backlogs from index.json",
  options: [
    {
      name: "type",
      type: "string",
      value: "<type>",
      description: "only seed, spike, plan or backlog",
    },
    ...PAGE_OPTIONS,
    {
      name: "all",
      type: "boolean",
      description: `every match (default: the first ${DEFAULT_PAGE})`,
    },
  ],
  examples: ["baton topic list", "baton topic list --type spike --json"],
  run: (inv) => {
    noPositionals(inv, "baton topic list [--type T]");
    return listTopics(inv.context(), {
      type: inv.options.type as string | undefined,
      limit: inv.options.all ? undefined : (intOption(inv, "limit") ?? DEFAULT_PAGE),
      offset: intOption(inv, "offset"),
    });
  },
  render: (r) => {
    if (r.total === 0) return "No topics.";
    const rows = table([
      ["ID", "TYPE", "SESSION", "TITLE"],
      ...r.topics.map((t) => [t.id, t.type, t.session_id ?? "-", t.title]),
    ]);
    return r.topics.length < r.total
      ? `${rows}\n(${r.topics.length} of ${r.total}; use --offset/--limit)`
      : rows;
  },
});

export const topicShowCommand = defineCommand({
  path: ["topic", "show"],
  summary: "one topic: its index entry, document and sources",
  positionals: [{ name: "topic-id", required: true, description: "e.g. seed-oauth-login" }],
  examples: ["baton topic show seed-oauth-login", "baton topic show plan-oauth-rollout --json"],
  run: (inv) =>
    showTopic(inv.context(), onePositional(inv, "topic id", "baton topic show <topic-id>")),
  render: (r) =>
    [
      `${r.topic.id} (${r.topic.type}) — ${r.topic.path}`,
      ...(r.topic.session_id ? [`session: ${r.topic.session_id}`] : []),
      ...(r.topic.relates?.length ? [`relates: ${r.topic.relates.join(", ")}`] : []),
      "",
      r.document.trimEnd(),
      "",
      r.sources.trimEnd(),
    ].join("\n"),
});
