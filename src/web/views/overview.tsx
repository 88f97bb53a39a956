import { get } from "../api.ts";
import { useData } from "../data.ts";
import type { Live } from "../live.ts";
import {
  type SessionRow,
  type SpecRow,
  type SpecStatus,
  STAGES,
  type Status,
  TASK_STATUSES,
  type TicketPage,
} from "../types.ts";
import { Bar, Empty, Show, words } from "./common.tsx";

async function loadOverview() {
  const [status, sessions, specs, ...boards] = await Promise.all([
    get<Status>("status"),
    get<{ sessions: SessionRow[] }>("session/list", { limit: 100 }),
    get<{ specs: SpecRow[] }>("spec/list", { limit: 100 }),
    ...TASK_STATUSES.map((status) => get<TicketPage>("ticket/list", { status, limit: 100 })),
  ]);
  const progress = await Promise.all(
    specs.specs.map((s) =>
      get<SpecStatus>("spec/status", { spec: s.name, limit: 0 }).then(
        (r) => r.progress,
        () => null,
      ),
    ),
  );
  return {
    status,
    sessions: sessions.sessions,
    specs: specs.specs.map((spec, i) => ({ spec, progress: progress[i] ?? null })),
    boards: TASK_STATUSES.map((status, i) => ({ status, page: boards[i] as TicketPage })),
  };
}

export function Overview({ live }: { live: Live }) {
  const data = useData(loadOverview, [live.revision]);
  return (
    <Show data={data}>
      {({ status, sessions, specs, boards }) => (
        <>
          <section aria-labelledby="sessions">
            <h2 id="sessions">Planning sessions</h2>
            {status.session ? (
              <p class="card active-session">
                Active: <strong>{status.session.root_seed}</strong> (seed →{" "}
                {status.session.spikes.length} spike{status.session.spikes.length === 1 ? "" : "s"}{" "}
                → {status.session.plan ?? "no plan yet"} → backlog)
              </p>
            ) : (
              <Empty command={'baton seed "<idea>"'}>
                No planning session is active. Start one:
              </Empty>
            )}
            {sessions.length > 0 ? (
              <ul class="rows">
                {sessions.map((s) => (
                  <li key={s.session_id}>
                    <span class={`pill ${s.state}`}>{s.state}</span> {s.root_seed}: {s.spikes} spike
                    {s.spikes === 1 ? "" : "s"}, plan {s.plan ?? "none"}, {s.tickets} ticket
                    {s.tickets === 1 ? "" : "s"}
                  </li>
                ))}
              </ul>
            ) : null}
          </section>

          <section aria-labelledby="specs">
            <h2 id="specs">Specs</h2>
            {specs.length === 0 ? (
              <Empty command="baton spec new <name>">No specs yet. Write one:</Empty>
            ) : (
              <>
                {specs.some((s) => s.spec.stage === "in_review") ? (
                  <div class="card waiting">
                    <h3>Waiting for approval</h3>
                    <ul class="rows">
                      {specs
                        .filter((s) => s.spec.stage === "in_review")
                        .map((s) => (
                          <li key={s.spec.name}>
                            <a href={`#/spec/${encodeURIComponent(s.spec.name)}`}>{s.spec.name}</a>
                          </li>
                        ))}
                    </ul>
                  </div>
                ) : null}
                {STAGES.filter((stage) => specs.some((s) => s.spec.stage === stage)).map(
                  (stage) => (
                    <div key={stage} class="stage">
                      <h3>{words(stage)}</h3>
                      <ul class="rows">
                        {specs
                          .filter((s) => s.spec.stage === stage)
                          .map(({ spec, progress }) => (
                            <li key={spec.name} class="spec-row">
                              <a href={`#/spec/${encodeURIComponent(spec.name)}`}>{spec.name}</a>
                              {spec.active ? <span class="pill">active</span> : null}
                              {progress ? (
                                <Bar
                                  percent={progress.percent}
                                  label={`${spec.name}: ${progress.done} of ${progress.total} tasks done`}
                                />
                              ) : null}
                            </li>
                          ))}
                      </ul>
                    </div>
                  ),
                )}
              </>
            )}
          </section>

          <section aria-labelledby="tickets">
            <h2 id="tickets">Tickets</h2>
            {boards.every((b) => b.page.total === 0) ? (
              <Empty command="baton backlog">
                No tickets yet. Turn a plan's tasks into tickets:
              </Empty>
            ) : (
              <div class="board">
                {boards.map(({ status, page }) => (
                  <div key={status} class="column" data-status={status}>
                    <h3>
                      {words(status)} <span class="muted">{page.total}</span>
                    </h3>
                    <ul>
                      {page.tickets.map((t) => (
                        <li key={t.id} class="ticket">
                          <code>{t.id}</code> {t.title}
                        </li>
                      ))}
                    </ul>
                  </div>
                ))}
              </div>
            )}
          </section>

          <section aria-labelledby="activity">
            <h2 id="activity">Recent activity</h2>
            {live.events.length === 0 ? (
              <p class="empty">Changes made from now on, by any command or agent, appear here.</p>
            ) : (
              <ul class="rows activity">
                {live.events.map((e, i) => (
                  <li key={`${live.events.length - i}`}>
                    <code>{e.event.type}</code> {e.event.command ? `(${e.event.command})` : ""}
                  </li>
                ))}
              </ul>
            )}
          </section>
        </>
      )}
    </Show>
  );
}
