/**
 * `npm run bench:serve`: `baton serve` on a generated workspace (bench/fixture.ts), called as a
 * page would: the server's start, warm API list calls (p50/p95), the time from a file change to
 * the live socket's message (p50/p95), and the server's memory after a run of live events.
 * Prints a Markdown table; numbers, not a timed test.
 *
 *   npm run bench:serve                       1,000 topics, 2,000 tickets, small counts
 *   npm run bench:serve -- --topics 10000 --calls 200 --changes 100 --events 10000
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { generateWorkspace, scaleFor } from "./fixture.ts";

const REPO = path.resolve(import.meta.dirname, "..");
const BIN = path.join(REPO, "dist", "baton.js");

const { values } = parseArgs({
  options: {
    topics: { type: "string", default: "1000" },
    calls: { type: "string", default: "40" },
    changes: { type: "string", default: "30" },
    events: { type: "string", default: "1000" },
  },
});
const TOPICS = Number(values.topics);
const CALLS = Number(values.calls);
const CHANGES = Number(values.changes);
const EVENTS = Number(values.events);

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? Number.NaN;
};
const ms = (x: number) => `${x.toFixed(1)} ms`;

interface Served {
  child: ChildProcess;
  port: number;
  token: string;
}

function serve(root: string): Promise<Served> {
  const child = spawn(process.execPath, [BIN, "serve", "--json", "-q"], {
    cwd: root,
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (d) => {
      out += d;
      if (!out.includes("\n")) return;
      const { port, token } = JSON.parse(out.split("\n")[0] as string);
      resolve({ child, port, token });
    });
    child.on("exit", (code) => reject(new Error(`baton serve exited ${code}`)));
  });
}

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

async function main(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "baton-bench-serve-"));
  try {
    execFileSync("git", ["init", "-q"], { cwd: root });
    execFileSync(process.execPath, [BIN, "init", "-q"], { cwd: root });
    const scale = scaleFor(TOPICS);
    const fixture = generateWorkspace(root, scale);
    execFileSync(process.execPath, [BIN, "ticket", "list", "-q"], { cwd: root, stdio: "ignore" });
    const rows: [string, string][] = [];

    const t0 = performance.now();
    const s = await serve(root);
    rows.push([
      "spawn `baton serve` until its URL line (watches set up)",
      ms(performance.now() - t0),
    ]);
    const base = `http://127.0.0.1:${s.port}`;
    const headers = { authorization: `Bearer ${s.token}` };

    for (const [target, label] of [
      ["/api/v1/topic/list", "`GET /api/v1/topic/list` (page of 20)"],
      ["/api/v1/topic/list?limit=100", "`GET /api/v1/topic/list?limit=100`"],
      ["/api/v1/ticket/list", "`GET /api/v1/ticket/list` (page of 20)"],
      [
        "/api/v1/ticket/list?status=todo&limit=100",
        "`GET /api/v1/ticket/list?status=todo&limit=100`",
      ],
      ["/api/v1/session/list", "`GET /api/v1/session/list` (page of 20)"],
      ["/api/v1/status", "`GET /api/v1/status`"],
    ] as const) {
      const times: number[] = [];
      for (let i = 0; i < CALLS + 3; i++) {
        const a = performance.now();
        const res = await fetch(`${base}${target}`, { headers });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`${target}: ${res.status}`);
        if (i >= 3) times.push(performance.now() - a);
      }
      rows.push([
        `${label}, p50 / p95 of ${CALLS}`,
        `${ms(quantile(times, 0.5))} / ${ms(quantile(times, 0.95))}`,
      ]);
    }

    const messages: { at: number; data: any }[] = [];
    const socket = new WebSocket(`ws://127.0.0.1:${s.port}/api/v1/live`, { headers } as never);
    socket.onmessage = (m) =>
      messages.push({ at: performance.now(), data: JSON.parse(String(m.data)) });
    await new Promise((resolve) => {
      socket.onopen = resolve;
    });
    const waitFor = async (match: (m: any) => boolean) => {
      for (;;) {
        const found = messages.find((m) => match(m.data));
        if (found) return found.at;
        await new Promise((r) => setTimeout(r, 1));
      }
    };
    const log = path.join(root, ".baton", "events.jsonl");
    const appended: number[] = [];
    for (let i = 0; i < CHANGES; i++) {
      const type = `bench.change-${i}`;
      fs.appendFileSync(
        log,
        `${JSON.stringify({ schema_version: 1, at: new Date().toISOString(), type })}\n`,
      );
      const a = performance.now();
      appended.push((await waitFor((m) => m.type === "event" && m.event.type === type)) - a);
      await new Promise((r) => setTimeout(r, 20));
    }
    rows.push([
      `event appended → its \`event\` message on the live socket, p50 / p95 of ${CHANGES}`,
      `${ms(quantile(appended, 0.5))} / ${ms(quantile(appended, 0.95))}`,
    ]);
    const ticket = fixture.aTicket as string;
    const text = fs.readFileSync(ticket, "utf8");
    const rel = path.relative(root, ticket).split(path.sep).join("/");
    const replaced: number[] = [];
    for (let i = 0; i < CHANGES; i++) {
      messages.length = 0;
      const temp = `${path.dirname(ticket)}/.${path.basename(ticket)}.baton-tmp-bench`;
      fs.writeFileSync(temp, `${text}\n<!-- ${i} -->\n`);
      fs.renameSync(temp, ticket);
      const a = performance.now();
      replaced.push((await waitFor((m) => m.type === "invalidate" && m.paths.includes(rel))) - a);
      await new Promise((r) => setTimeout(r, 20));
    }
    fs.writeFileSync(ticket, text);
    rows.push([
      `ticket file replaced (rename) → \`invalidate\` naming it, p50 / p95 of ${CHANGES}`,
      `${ms(quantile(replaced, 0.5))} / ${ms(quantile(replaced, 0.95))}`,
    ]);

    const before = rssMb(s.child.pid as number);
    const batch = 100;
    for (let i = 0; i < EVENTS; i += batch) {
      const lines: string[] = [];
      for (let j = i; j < Math.min(EVENTS, i + batch); j++)
        lines.push(
          JSON.stringify({
            schema_version: 1,
            at: new Date().toISOString(),
            type: `bench.load-${j}`,
          }),
        );
      fs.appendFileSync(log, `${lines.join("\n")}\n`);
      await new Promise((r) => setTimeout(r, 40));
    }
    await waitFor((m) => m.type === "event" && m.event.type === `bench.load-${EVENTS - 1}`);
    rows.push([
      `server RSS before / after ${EVENTS.toLocaleString("en")} live events`,
      `${before.toFixed(0)} MB / ${rssMb(s.child.pid as number).toFixed(0)} MB`,
    ]);
    socket.close();

    const stop = performance.now();
    s.child.kill("SIGTERM");
    await new Promise((resolve) => s.child.on("exit", resolve));
    rows.push(["SIGTERM → exit", ms(performance.now() - stop)]);
    rows.push([
      "`dist/baton-serve.js`",
      `${(fs.statSync(path.join(REPO, "dist", "baton-serve.js")).size / 1024).toFixed(0)} KB`,
    ]);

    const lines = [
      `baton serve on ${scale.topics.toLocaleString("en")} topics / ${scale.sessions.toLocaleString("en")} sessions / ${scale.tickets.toLocaleString("en")} tickets, Node ${process.version}, ${os.cpus().length} cores, ${new Date().toISOString().slice(0, 10)}`,
      "",
      "| what | figure |",
      "| --- | ---: |",
      ...rows.map(([what, figure]) => `| ${what} | ${figure} |`),
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

await main();
