import { useState } from "preact/hooks";
import { get, post, Refused } from "../api.ts";
import { useData } from "../data.ts";
import type { Live } from "../live.ts";
import type { Finding, SpecStatus, TaskNode } from "../types.ts";
import { Bar, Empty, Show, words } from "./common.tsx";

/** The approval gate's steps a spec at each stage can take, as the API names them. */
const GATE: Record<string, { route: string; label: string }[]> = {
  draft: [{ route: "spec/submit", label: "Submit for review" }],
  changes_requested: [{ route: "spec/submit", label: "Submit again" }],
  rejected: [{ route: "spec/submit", label: "Submit again" }],
  in_review: [
    { route: "spec/approve", label: "Approve" },
    { route: "spec/request-changes", label: "Request changes" },
    { route: "spec/reject", label: "Reject" },
  ],
  approved: [{ route: "spec/start", label: "Start implementing" }],
  implementing: [{ route: "spec/complete", label: "Complete" }],
};

function Tasks({ tasks }: { tasks: TaskNode[] }) {
  return (
    <ul class="tasks">
      {tasks.map((t) => (
        <li key={t.id} data-status={t.status}>
          <span class={`pill ${t.status}`}>{words(t.status)}</span> <code>{t.id}</code> {t.title}
          {t.optional ? <span class="muted"> (optional)</span> : null}
          {t.children.length > 0 ? <Tasks tasks={t.children} /> : null}
        </li>
      ))}
    </ul>
  );
}

function Gate({ name, stage }: { name: string; stage: string }) {
  const [comment, setComment] = useState("");
  const [by, setBy] = useState("");
  const [said, setSaid] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const steps = GATE[stage] ?? [];
  const act = async (route: string) => {
    setBusy(true);
    try {
      const r = await post<{ from: string; to: string }>(route, {
        name,
        ...(comment.trim() ? { comment: comment.trim() } : {}),
        ...(by.trim() ? { by: by.trim() } : {}),
      });
      setSaid({ ok: true, text: `${words(r.from)} → ${words(r.to)}` });
      setComment("");
    } catch (error) {
      const e = error instanceof Refused ? error.error : null;
      setSaid({ ok: false, text: e ? `${e.code}: ${e.message} (${e.hint})` : String(error) });
    } finally {
      setBusy(false);
    }
  };
  if (steps.length === 0)
    return <p class="muted">The spec is {words(stage)}: nothing to decide.</p>;
  return (
    <form
      class="gate"
      onSubmit={(e) => {
        e.preventDefault();
      }}
    >
      <label>
        Comment
        <textarea
          name="comment"
          value={comment}
          onInput={(e) => setComment((e.target as HTMLTextAreaElement).value)}
        />
      </label>
      <label>
        As (optional)
        <input
          name="by"
          value={by}
          placeholder="your name"
          onInput={(e) => setBy((e.target as HTMLInputElement).value)}
        />
      </label>
      <div class="actions">
        {steps.map((s) => (
          <button key={s.route} type="button" disabled={busy} onClick={() => act(s.route)}>
            {s.label}
          </button>
        ))}
      </div>
      {said ? (
        <p class={said.ok ? "said" : "error"} role="status">
          {said.text}
        </p>
      ) : null}
    </form>
  );
}

export function Spec({ name, live }: { name: string; live: Live }) {
  const data = useData(
    () =>
      Promise.all([
        get<SpecStatus>("spec/status", { spec: name, limit: 100 }),
        get<{ findings: Finding[]; errors: number; warnings: number }>("spec/lint", {
          name,
          limit: 100,
        }),
      ]),
    [name, live.revision],
  );
  return (
    <Show data={data}>
      {([status, lint]) => (
        <>
          <h2>
            {status.spec.name}{" "}
            <span class={`pill ${status.spec.stage}`}>{words(status.spec.stage)}</span>
          </h2>
          <p>
            <Bar
              percent={status.progress.percent}
              label={`${status.progress.done} of ${status.progress.total} tasks done`}
            />{" "}
            {status.progress.done} of {status.progress.total} tasks done,{" "}
            {status.progress.in_progress} in progress
          </p>
          <section aria-labelledby="gate">
            <h3 id="gate">Approval</h3>
            <Gate name={status.spec.name} stage={status.spec.stage} />
          </section>
          <section aria-labelledby="tasks">
            <h3 id="tasks">Tasks</h3>
            {status.tasks.length === 0 ? (
              <Empty command={`baton spec lint ${status.spec.name}`}>
                No tasks in {status.tasks_file} yet. Write them, then check:
              </Empty>
            ) : (
              <Tasks tasks={status.tasks} />
            )}
          </section>
          <section aria-labelledby="lint">
            <h3 id="lint">
              Lint: {lint.errors} error{lint.errors === 1 ? "" : "s"}, {lint.warnings} warning
              {lint.warnings === 1 ? "" : "s"}
            </h3>
            <ul class="rows findings">
              {lint.findings.map((f, i) => (
                <li key={`${f.file}:${f.line}:${i}`} data-severity={f.severity}>
                  <span class={`pill ${f.severity}`}>{f.severity}</span> {f.message}{" "}
                  <span class="muted">
                    {f.file}
                    {f.line ? `:${f.line}` : ""}
                  </span>
                </li>
              ))}
            </ul>
          </section>
        </>
      )}
    </Show>
  );
}
