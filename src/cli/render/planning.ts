import type { AttachResult } from "../../app/planning/attach.ts";
import type { BacklogResult } from "../../app/planning/backlog.ts";
import type { PlanResult } from "../../app/planning/plan.ts";
import type { SeedResult } from "../../app/planning/seed.ts";
import type { ActivePlanningSessionView } from "../../app/planning/seed-active.ts";
import type { ResumeResult } from "../../app/planning/seed-resume.ts";
import type { PlanningSessionList } from "../../app/planning/seed-sessions.ts";
import type { TopicList } from "../../app/planning/topic-list.ts";
import type { TopicDetail } from "../../app/planning/topic-show.ts";
import type { PlanningSession } from "../../core/planning-session.ts";
import type { Render } from "../derive.ts";
import { table } from "../style.ts";

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

function renderSeed(r: SeedResult): string {
  return [
    `${r.topic.created ? "Created" : "Existing"} seed ${r.topic.id} (${r.topic.path})`,
    r.session
      ? `Session: ${r.session.session_id}${r.already_active ? " (already active)" : ""}`
      : "No session started (--no-session)",
  ].join("\n");
}

function renderSessions(r: PlanningSessionList): string {
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
}

function renderSpike(r: AttachResult): string {
  return `${r.topic.created ? "Created" : "Existing"} spike ${r.topic.id} (${r.topic.path})${r.session ? `\nSession: ${r.session.session_id}` : ""}`;
}

function renderPlan(r: PlanResult): string {
  return [
    `${r.topic.created ? "Created" : "Existing"} plan ${r.topic.id} (${r.topic.path})`,
    ...(r.session ? [`Session: ${r.session.session_id}`] : []),
    ...(r.structured
      ? [
          `Phase 1 (structure): goal "${r.structure.goal}", ${r.structure.scope.in.length} in scope, ${r.structure.scope.out.length} out of scope (${r.notes})`,
        ]
      : []),
  ].join("\n");
}

function renderBacklog(r: BacklogResult): string {
  return [
    `Backlog for ${r.plan}: ${r.tickets.length} tickets (${r.created} new) in ${r.backlog_md}`,
    ...r.tickets.map((t) => `  ${t.id}  ${t.status.padEnd(11)}  ${t.title}`),
    ...(r.completed_session ? [`Completed session ${r.completed_session}`] : []),
  ].join("\n");
}

function renderTopicList(r: TopicList): string {
  if (r.total === 0) return "No topics.";
  const rows = table([
    ["ID", "TYPE", "SESSION", "TITLE"],
    ...r.topics.map((t) => [t.id, t.type, t.session_id ?? "-", t.title]),
  ]);
  return r.topics.length < r.total
    ? `${rows}\n(${r.topics.length} of ${r.total}; use --offset/--limit)`
    : rows;
}

function renderTopic(r: TopicDetail): string {
  return [
    `${r.topic.id} (${r.topic.type}) — ${r.topic.path}`,
    ...(r.topic.session_id ? [`session: ${r.topic.session_id}`] : []),
    ...(r.topic.relates?.length ? [`relates: ${r.topic.relates.join(", ")}`] : []),
    "",
    r.document.trimEnd(),
    "",
    r.sources.trimEnd(),
  ].join("\n");
}

export const planningRenderers: Readonly<Record<string, Render>> = {
  seed: renderSeed as Render,
  "seed --active": ((r: ActivePlanningSessionView) => describeSession(r.session)) as Render,
  "seed --sessions": renderSessions as Render,
  "seed --resume": ((r: ResumeResult) =>
    `${r.already_active ? "Already active" : "Resumed"}: ${describeSession(r.session)}`) as Render,
  spike: renderSpike as Render,
  plan: renderPlan as Render,
  backlog: renderBacklog as Render,
  "topic list": renderTopicList as Render,
  "topic show": renderTopic as Render,
};
