import type { ClaimResult } from "../../app/work/claim.ts";
import type { HeldClaim, SessionView } from "../../app/work/common.ts";
import type { DoneResult } from "../../app/work/done.ts";
import type { HeartbeatResult } from "../../app/work/heartbeat.ts";
import type { WorkListResult } from "../../app/work/list.ts";
import type { MessageResult } from "../../app/work/message.ts";
import type { WorkNextResult } from "../../app/work/next.ts";
import type { ProgressResult } from "../../app/work/progress.ts";
import type { ReleaseResult } from "../../app/work/release.ts";
import type { WorkShowResult } from "../../app/work/show.ts";
import type { ClaimedTask, WorkStartResult } from "../../app/work/start.ts";
import type { TimelineResult } from "../../app/work/timeline.ts";
import type { TransitionResult } from "../../app/work/transition.ts";
import type { TreeResult } from "../../app/work/tree.ts";
import { formatProgress } from "../../core/spec/task-progress.ts";
import { describeWorkEvent } from "../../core/work/events.ts";
import type { Render } from "../derive.ts";
import { table } from "../style.ts";

/** `claude-code thread t-17 (instance win-3) <link>`, or null when nothing is recorded. */
export function agentLine(agent: SessionView["agent"]): string | null {
  const parts = [
    agent.kind,
    agent.thread ? `thread ${agent.thread}` : null,
    agent.instance ? `instance ${agent.instance}` : null,
    agent.link,
  ].filter((p): p is string => p !== null);
  return parts.length > 0 ? parts.join(", ") : null;
}

function claimText(c: HeldClaim): string {
  if (c.lease === "lost") return `${c.task} (lost to ${c.holder ?? "nobody"})`;
  return `${c.task}${c.lease === "expired" ? " (lease expired)" : ""}`;
}

/** `ws-k3x9q2ab "tokens" [working] holds 1.2, 1.3`. */
export function sessionLine(s: SessionView): string {
  const name = s.name ? ` "${s.name}"` : "";
  const state =
    s.state === s.liveness || s.state === "active" ? s.liveness : `${s.state}, ${s.liveness}`;
  const holds = s.claims.length > 0 ? ` holds ${s.claims.map(claimText).join(", ")}` : "";
  return `${s.id}${name} [${state}]${holds}`;
}

function claimedLine(c: ClaimedTask): string {
  const over = c.takeover
    ? ` (took over from ${c.takeover.session}, whose lease ran out at ${c.takeover.expired})`
    : "";
  return `  ${c.task} ${c.title} — token ${c.token}, lease until ${c.expires}${over}`;
}

function renderStart(r: WorkStartResult): string {
  const lines = [`Started work session ${r.session.id} on spec ${r.spec.name}`];
  if (r.spec.started)
    lines.push(
      `  spec ${r.spec.name} is now ${r.spec.stage}${r.spec.forced ? " (started without approval: recorded as force_start)" : ""}`,
    );
  if (r.session.parent) lines.push(`  parent: ${r.session.parent}`);
  const agent = agentLine(r.session.agent);
  if (agent) lines.push(`  agent:  ${agent}`);
  if (r.claimed.length > 0) {
    lines.push("Claimed:");
    for (const c of r.claimed) lines.push(claimedLine(c));
  } else lines.push(`Next: baton work claim ${r.spec.name} --session ${r.session.id}`);
  return lines.join("\n");
}

function renderClaim(r: ClaimResult): string {
  const c = r.claimed;
  return [
    `${r.session.id} claimed task ${c.task} of ${r.spec}: ${c.title}`,
    `  token ${c.token}, lease until ${c.expires}`,
    ...(c.takeover
      ? [`  took over from ${c.takeover.session} (its lease ran out at ${c.takeover.expired})`]
      : []),
    ...(r.started ? [`  (a new work session; go on with --session ${r.session.id})`] : []),
    `  ${r.ready} more task${r.ready === 1 ? "" : "s"} ready`,
  ].join("\n");
}

function renderNext(r: WorkNextResult): string {
  const c = r.counts;
  const lines = [
    `Spec ${r.spec} (${r.stage}): ${c.ready} ready, ${c.claimed} claimed, ${c.waiting} waiting, ${c.done} done of ${c.total}`,
  ];
  if (r.tasks_file === null) lines.push("  no tasks file");
  if (r.ready.length > 0) {
    lines.push("Ready:");
    lines.push(
      table(
        r.ready.map((t) => [
          `  ${t.id}`,
          `${t.title}${t.optional ? " (optional)" : ""}${t.files.length > 0 ? ` [${t.files.join(", ")}]` : ""}`,
        ]),
      ),
    );
  }
  if (r.waiting.length > 0) {
    lines.push("Not ready:");
    for (const w of r.waiting) lines.push(`  ${w.id}: ${w.detail.replace(/^task \S+ /, "")}`);
  }
  for (const u of r.unknown_depends)
    lines.push(`! task ${u.task} depends on ${u.depends}, which the tasks file does not hold`);
  return lines.join("\n");
}

function renderHeartbeat(r: HeartbeatResult): string {
  if (r.renewed.length === 0)
    return `${r.session.id} is alive (${r.session.liveness}); it holds no claim`;
  return [
    `${r.session.id} renewed ${r.renewed.length} lease${r.renewed.length === 1 ? "" : "s"}:`,
    ...r.renewed.map((c) => `  ${c.task} (token ${c.token}) until ${c.expires}`),
  ].join("\n");
}

function renderRelease(r: ReleaseResult): string {
  return `${r.session.id} released task ${r.task} (token ${r.token}); it is back in the ready queue`;
}

function renderList(r: WorkListResult): string {
  if (r.sessions.length === 0) {
    const ended = r.ended > 0 ? ` (${r.ended} ended: --all lists them)` : "";
    return `No work sessions${r.spec ? ` on ${r.spec}` : ""}${ended}.`;
  }
  const rows = [
    ["ID", "SPEC", "STATE", "LIVENESS", "PROGRESS", "CLAIMS", "AGENT", "NAME"],
    ...r.sessions.map((s) => [
      s.id,
      s.spec,
      s.state,
      s.liveness,
      `${s.progress.percent}%`,
      s.claims.map(claimText).join(", ") || "-",
      agentLine(s.agent) ?? "-",
      s.name ?? "-",
    ]),
  ];
  const ended = r.ended > 0 ? `\n(${r.ended} ended left out; --all lists them)` : "";
  return table(rows) + ended;
}

function renderShow(r: WorkShowResult): string {
  const lines = [
    `Work session ${r.id}${r.name ? ` "${r.name}"` : ""} on spec ${r.spec}`,
    `  state:    ${r.state}${r.reason ? ` (${r.reason})` : ""}`,
    `  liveness: ${r.liveness} (last seen ${r.seen})`,
    `  progress: ${progressText(r.progress)}${r.progress.own.tasks !== r.progress.tasks ? ` with its children; its own ${r.progress.own.percent}% (${r.progress.own.done}/${r.progress.own.tasks})` : ""}`,
  ];
  if (r.description) lines.push(`  about:    ${r.description}`);
  if (r.parent) lines.push(`  parent:   ${r.parent}`);
  const agent = agentLine(r.agent);
  if (agent) lines.push(`  agent:    ${agent}`);
  if (r.process) lines.push(`  process:  ${r.process.pid} on ${r.process.host}`);
  if (r.forced) lines.push("  started:  without approval (force_start recorded)");
  lines.push(`  file:     ${r.file}`);
  if (r.claims.length > 0) {
    lines.push("Claims:");
    for (const c of r.claims) {
      const lease =
        c.lease === "lost"
          ? `lost: ${c.holder ?? "nobody"} holds it now`
          : `${c.lease === "live" ? "lease" : "lease expired"} until ${c.expires}`;
      const at = r.task_progress.find((t) => t.id === c.task);
      const pct = at && at.percent > 0 ? `, ${at.percent}%${at.note ? ` (${at.note})` : ""}` : "";
      lines.push(`  ${c.task}${c.title ? ` ${c.title}` : ""} — token ${c.token}, ${lease}${pct}`);
    }
  } else lines.push("Claims: none");
  const past = r.tasks.filter((t) => t.state !== "held");
  if (past.length > 0) lines.push(`Earlier: ${past.map((t) => `${t.id} ${t.state}`).join(", ")}`);
  if (r.blocked_on)
    lines.push(
      `Blocked on: ${"session" in r.blocked_on ? r.blocked_on.session : `task ${r.blocked_on.task}`}`,
    );
  if (r.children.length > 0) lines.push(`Children: ${r.children.join(", ")}`);
  if (r.ended) lines.push(`Ended ${r.ended}${r.summary ? `: ${r.summary}` : ""}`);
  if (r.inbox.length > 0) {
    lines.push(`Inbox (${r.inbox.length}):`);
    for (const m of r.inbox.slice(-10))
      lines.push(
        `  ${m.at.slice(0, 19)} ${m.from ?? "someone"}${m.to === "spec" ? ` to all of ${r.spec}` : ""}: ${m.text.replace(/\s+/g, " ")}`,
      );
    if (r.inbox.length > 10) lines.push(`  … ${r.inbox.length - 10} earlier (--json has them)`);
  }
  return lines.join("\n");
}

function renderProgress(r: ProgressResult): string {
  const note = r.note ? `: ${r.note}` : "";
  return r.task
    ? `${r.session.id}: task ${r.task} at ${r.percent}%${note}`
    : `${r.session.id}: at ${r.percent}%${note}`;
}

function renderDone(r: DoneResult): string {
  return r.ticked
    ? `${r.session.id} finished task ${r.task}: ticked in ${r.tasks_file}`
    : `${r.session.id} finished task ${r.task} (already ticked in ${r.tasks_file})`;
}

/** `40% (2/5 tasks done)`: a session's progress, its children's tasks counted. */
function progressText(p: TreeResult["sessions"][number]["progress"]): string {
  return p.tasks === 0 ? `${p.percent}%` : `${p.percent}% (${p.done}/${p.tasks} tasks done)`;
}

function renderTransition(r: TransitionResult): string {
  const why = r.session.reason ? ` (${r.session.reason})` : "";
  const lines = [`${r.session.id}: ${r.from} -> ${r.to}${why}`];
  if (r.released.length > 0) lines.push(`  released ${r.released.join(", ")}`);
  return lines.join("\n");
}

function renderMessage(r: MessageResult): string {
  return r.delivered.length === 0
    ? `Message ${r.id} recorded in ${r.spec}'s timeline; no open session received it`
    : `Message ${r.id} delivered to ${r.delivered.join(", ")}`;
}

function renderTree(r: TreeResult): string {
  if (r.sessions.length === 0) return `Spec ${r.spec} (${r.stage}) has no work sessions.`;
  const lines = [
    `Spec ${r.spec} (${r.stage}): ${formatProgress(r.progress)}; ${r.sessions.length} sessions, ${r.live} live`,
  ];
  // Guides: for each level above a row, whether a sibling still follows there.
  const lastAt = (i: number, depth: number) => {
    for (let j = i + 1; j < r.sessions.length; j++) {
      const next = (r.sessions[j] as TreeResult["sessions"][number]).depth;
      if (next < depth) return true;
      if (next === depth) return false;
    }
    return true;
  };
  r.sessions.forEach((row, i) => {
    let prefix = "";
    for (let d = 1; d < row.depth; d++) prefix += lastAt(i, d) ? "   " : "│  ";
    if (row.depth > 0) prefix += lastAt(i, row.depth) ? "└─ " : "├─ ";
    const done = row.done.length > 0 ? `; done ${row.done.join(", ")}` : "";
    lines.push(`${prefix}${sessionLine(row)}${done} — ${progressText(row.progress)}`);
  });
  return lines.join("\n");
}

function renderTimeline(r: TimelineResult): string {
  if (r.total === 0) return `No coordination events on ${r.spec}.`;
  const lines = r.events.map((e) => `${e.at.slice(0, 19)}  ${describeWorkEvent(e)}`);
  if (r.events.length < r.total)
    lines.unshift(`(the last ${r.events.length} of ${r.total}; --limit shows more)`);
  return lines.join("\n");
}

export const workRenderers: Readonly<Record<string, Render>> = {
  "work start": renderStart as Render,
  "work spawn": renderStart as Render,
  "work message": renderMessage as Render,
  "work progress": renderProgress as Render,
  "work done": renderDone as Render,
  "work block": renderTransition as Render,
  "work unblock": renderTransition as Render,
  "work wait": renderTransition as Render,
  "work end": renderTransition as Render,
  "work tree": renderTree as Render,
  "work timeline": renderTimeline as Render,
  "work claim": renderClaim as Render,
  "work next": renderNext as Render,
  "work heartbeat": renderHeartbeat as Render,
  "work release": renderRelease as Render,
  "work list": renderList as Render,
  "work show": renderShow as Render,
};
