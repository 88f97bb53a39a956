import { listTopics, showTopic } from "../../app/topic-queries.ts";
import { BatonError } from "../../core/errors.ts";
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
