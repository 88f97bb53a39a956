import { createPlan, createSpike } from "../../app/attach.ts";
import { createBacklog } from "../../app/backlog.ts";
import { activeSession, createSeed, listSessions, resumeSessionById } from "../../app/sessions.ts";
import { BatonError } from "../../core/errors.ts";
import type { PlanningSession } from "../../core/session.ts";
import { defineCommand, type Invocation, type OptionSpec } from "../spec.ts";
import { table } from "../style.ts";
import { readInputText } from "./inputs.ts";

export const BODY_OPTIONS: OptionSpec[] = [
  { name: "body", type: "string", value: "<text>", description: "the topic's text" },
  {
    name: "file",
    type: "string",
    value: "<path>",
    description: "read the topic's text from a file (- for stdin)",
  },
];

export function bodyFrom(inv: Invocation): string | undefined {
  const body = inv.options.body as string | undefined;
  const file = inv.options.file as string | undefined;
  if (body !== undefined && file !== undefined) {
    throw new BatonError(
      "USAGE",
      "--body and --file cannot be used together",
      "pass the text one way",
    );
  }
  if (file === undefined) return body;
  return readInputText(inv.flags.cwd, file, "--file");
}

export function requireTitle(inv: Invocation, noun: string): string {
  const title = inv.positionals[0];
  if (title === undefined || title.trim() === "") {
    throw new BatonError("USAGE", `a ${noun} needs a title`, `baton ${noun} "<title>"`);
  }
  if (inv.positionals.length > 1) {
    throw new BatonError(
      "USAGE",
      `expected one title, got ${inv.positionals.length} words`,
      `quote the title: baton ${noun} "${inv.positionals.join(" ")}"`,
    );
  }
  return title;
}

function describeSession(s: PlanningSession | null): string {
  if (!s) return "none";
  return [
    `${s.session_id} (${s.state})`,
    `  root seed: ${s.root_seed}`,
    `  spikes:    ${s.spikes.join(", ") || "none"}`,
    `  plan:      ${s.plan ?? "none"}`,
    `  created:   ${s.created}`,
  ].join("\n");
}

type SeedOutcome =
  | { action: "active"; session: PlanningSession | null }
  | { action: "sessions"; sessions: ReturnType<typeof listSessions> }
  | { action: "resume"; session: PlanningSession; archived: string | null; already_active: boolean }
  | {
      action: "create";
      topic: { id: string; created: boolean; path: string };
      session: PlanningSession | null;
      archived: string | null;
      already_active: boolean;
    };

export const seedCommand = defineCommand<SeedOutcome>({
  path: ["seed"],
  summary: "capture an idea as a seed topic and start a planning session rooted at it",
  description:
    "Creates topics/seed-<slug>/ (seed.md, sources.md) and activates a new planning session. A session already active is archived first; with --no-session only the topic is made. --active, --sessions and --resume inspect and switch sessions instead.",
  positionals: [{ name: "title", required: false, description: "the idea, in a few words" }],
  options: [
    ...BODY_OPTIONS,
    {
      name: "no-session",
      type: "boolean",
      description: "create the seed only; do not start or archive a session",
    },
    { name: "active", type: "boolean", description: "print the active session, or none" },
    {
      name: "sessions",
      type: "boolean",
      description: "list archived and completed sessions (optionally of one seed)",
    },
    {
      name: "resume",
      type: "string",
      value: "<seed-id|session-id>",
      description: "reactivate an archived session (a seed id: its latest)",
    },
  ],
  examples: [
    'baton seed "OAuth login" --body "Users sign in with GitHub"',
    "baton seed --active",
    "baton seed --sessions seed-oauth-login",
    "baton seed --resume seed-oauth-login",
  ],
  run: async (inv): Promise<SeedOutcome> => {
    const modes = ["active", "sessions", "resume"].filter((m) => inv.options[m] !== undefined);
    if (modes.length > 1)
      throw new BatonError(
        "USAGE",
        `--${modes.join(" and --")} cannot be combined`,
        "use one at a time",
      );
    const ctx = inv.context();
    if (inv.options.active) {
      if (inv.positionals.length > 0)
        throw new BatonError("USAGE", "--active takes no title", "baton seed --active");
      return { action: "active", session: activeSession(ctx) };
    }
    if (inv.options.sessions) {
      if (inv.positionals.length > 1)
        throw new BatonError(
          "USAGE",
          "--sessions takes at most one seed id",
          "baton seed --sessions [seed-id]",
        );
      return { action: "sessions", sessions: listSessions(ctx, inv.positionals[0]) };
    }
    if (inv.options.resume !== undefined) {
      if (inv.positionals.length > 0)
        throw new BatonError(
          "USAGE",
          "--resume takes its id as its value",
          "baton seed --resume <seed-id|session-id>",
        );
      return { action: "resume", ...(await resumeSessionById(ctx, inv.options.resume as string)) };
    }
    const title = requireTitle(inv, "seed");
    const result = await createSeed(ctx, {
      title,
      body: bodyFrom(inv),
      noSession: inv.options["no-session"] === true,
    });
    return { action: "create", ...result };
  },
  render: (r) => {
    switch (r.action) {
      case "active":
        return describeSession(r.session);
      case "sessions":
        if (r.sessions.length === 0) return "No archived or completed sessions.";
        return table([
          ["SESSION", "STATE", "SPIKES", "PLAN", "TICKETS"],
          ...r.sessions.map((s) => [
            s.session_id,
            s.state,
            String(s.spikes),
            s.plan ?? "-",
            String(s.tickets),
          ]),
        ]);
      case "resume":
        return `${r.already_active ? "Already active" : "Resumed"}: ${describeSession(r.session)}`;
      case "create":
        return [
          `${r.topic.created ? "Created" : "Existing"} seed ${r.topic.id} (${r.topic.path})`,
          r.session
            ? `Session: ${r.session.session_id}${r.already_active ? " (already active)" : ""}`
            : "No session started (--no-session)",
        ].join("\n");
    }
  },
});

export const spikeCommand = defineCommand({
  path: ["spike"],
  summary: "record a research spike; auto-linked to the active planning session",
  positionals: [{ name: "title", required: true, description: "the question being researched" }],
  options: BODY_OPTIONS,
  examples: [
    'baton spike "Compare OAuth libraries" --body "passport vs arctic"',
    'baton spike "Token storage" --file notes.md --json',
  ],
  run: (inv) =>
    createSpike(inv.context(), { title: requireTitle(inv, "spike"), body: bodyFrom(inv) }),
  render: (r) =>
    `${r.topic.created ? "Created" : "Existing"} spike ${r.topic.id} (${r.topic.path})${r.session ? `\nSession: ${r.session.session_id}` : ""}`,
});

export const planCommand = defineCommand({
  path: ["plan"],
  summary: "write the plan; it becomes the active session's current plan",
  description:
    'The plan\'s "- [ ] task" lines become tickets with baton backlog. With an active session, plan.md gets an "Inputs / Related Topics" section naming the root seed and every spike. Phase 1 of the plan workflow runs too: the title and text (a sentence, a detailed text or a requirements file) are structured into GOAL / SCOPE / CONTEXT (a Goal section, else the first heading or sentence, is the goal; bullet and numbered items, and "In scope:" / "Out of scope:" lines, are scope; the rest is context), written to the User Intent section of the plan\'s planning-notes.md, and phase "structure" is marked completed in workflow.json. A plan titled like a subcommand (status, run, tasks, verify, next) is created with: baton plan -- "status".',
  positionals: [{ name: "title", required: true, description: "what the plan delivers" }],
  options: BODY_OPTIONS,
  examples: [
    'baton plan "OAuth rollout" --body "- [ ] Add GitHub provider\n- [ ] Store tokens"',
    'baton plan "OAuth rollout" --file plan-draft.md',
  ],
  run: (inv) =>
    createPlan(inv.context(), { title: requireTitle(inv, "plan"), body: bodyFrom(inv) }),
  render: (r) =>
    [
      `${r.topic.created ? "Created" : "Existing"} plan ${r.topic.id} (${r.topic.path})`,
      ...(r.session ? [`Session: ${r.session.session_id}`] : []),
      ...(r.structured
        ? [
            `Phase 1 (structure): goal "${r.structure.goal}", ${r.structure.scope.in.length} in scope, ${r.structure.scope.out.length} out of scope (${r.notes})`,
          ]
        : []),
    ].join("\n"),
});

export const backlogCommand = defineCommand({
  path: ["backlog"],
  summary: "turn a plan's tasks into tickets; completes the active session",
  description:
    "One ticket per task of the plan (default: the active session's plan), listed in the plan's backlog.md. When the plan is the active session's, the session is completed and no session is active afterwards. Running it again creates nothing twice.",
  positionals: [
    { name: "plan-id", required: false, description: "the plan (default: the active session's)" },
  ],
  examples: ["baton backlog", "baton backlog plan-oauth-rollout --json"],
  run: (inv) => {
    if (inv.positionals.length > 1)
      throw new BatonError(
        "USAGE",
        "backlog takes at most one plan id",
        "baton backlog [<plan-id>]",
      );
    return createBacklog(inv.context(), inv.positionals[0]);
  },
  render: (r) =>
    [
      `Backlog for ${r.plan}: ${r.tickets.length} tickets (${r.created} new) in ${r.backlog_md}`,
      ...r.tickets.map((t) => `  ${t.id}  ${t.status.padEnd(11)}  ${t.title}`),
      ...(r.completed_session ? [`Completed session ${r.completed_session}`] : []),
    ].join("\n"),
});
