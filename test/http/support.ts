import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { BATON_BIN, baton, makeWorkspace, snapshotTree } from "../helpers.ts";

/** A workspace with something in every noun: a completed planning session, tickets, a spec. */
export function sampleWorkspace(): { dir: string; tickets: string[] } {
  const dir = makeWorkspace();
  const run = (...args: string[]) => {
    const r = baton(dir, [...args, "--json"]);
    assert.equal(r.code, 0, `baton ${args.join(" ")}: ${r.stdout}${r.stderr}`);
    return r.json;
  };
  run("seed", "OAuth login");
  run("spike", "Token storage", "--body", "Tokens live in the keychain.");
  run("plan", "OAuth rollout", "--body", "- [ ] Add provider\n- [ ] Store tokens\n");
  const backlog = run("backlog");
  run("spec", "new", "user-auth");
  run("journal", "next", "Write the test");
  return { dir, tickets: backlog.tickets.map((t: { id: string }) => t.id) };
}

/**
 * Every file of the tree with what differs between two runs of one change made at different
 * moments by different faces left out: times (and the archive names made of them), event ids,
 * the command recorded with an event and named in the journal, and the per-machine cache.
 */
export function normalizedTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [file, text] of snapshotTree(dir)) {
    if (file.split(path.sep).includes("cache")) continue;
    out.set(
      file.replace(/\d{4}-\d\d-\d\d-\d{6}/g, "<stamp>"),
      text
        .replace(/\d{4}-\d\d-\d\dT\d\d[:-]\d\d[:-]\d\d(\.\d+)?Z?/g, "<time>")
        .replace(/evt-[a-z0-9]{12}/g, "<event>")
        .replace(/"command":"[^"]*"/g, '"command":"<command>"')
        .replace(/^- Active command: .*$/gm, "- Active command: <command>")
        .replace(/\((baton [^)]*)\)$/gm, "(<command>)"),
    );
  }
  return out;
}

export interface Serving {
  child: ChildProcess;
  url: string;
  port: number;
  token: string;
  stderr(): string;
  /** Resolves with the exit code (or the signal's name) once the process is gone. */
  exited: Promise<number | string>;
}

/** `baton serve --json` in `dir` as a process of its own; resolves once it printed its line. */
export function startServe(
  dir: string,
  args: string[] = [],
  env: Record<string, string> = {},
): Promise<Serving> {
  const child = spawn(process.execPath, [BATON_BIN, "serve", "--json", ...args], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: "1", BATON_DEBUG: "", ...env },
  });
  let stdout = "";
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const exited = new Promise<number | string>((resolve) =>
    child.on("exit", (code, signal) => resolve(code ?? signal ?? -1)),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`baton serve printed nothing: ${stderr}`)),
      10_000,
    );
    child.stdout.on("data", (d) => {
      stdout += d;
      const line = stdout.split("\n")[0] as string;
      if (!stdout.includes("\n")) return;
      clearTimeout(timer);
      const { url, port, token } = JSON.parse(line);
      resolve({ child, url, port, token, stderr: () => stderr, exited });
    });
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`baton serve exited ${code}: ${stdout}${stderr}`));
    });
  });
}

export async function stopServe(s: Serving): Promise<number | string> {
  if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill("SIGTERM");
  return s.exited;
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  json: any;
}

/**
 * One request with exactly the headers given (fetch sets Host itself): `host` defaults to the
 * server's own.
 */
export function rawRequest(
  port: number,
  options: {
    method?: string;
    path: string;
    headers?: Record<string, string>;
    body?: string;
    address?: string;
  },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: options.address ?? "127.0.0.1",
        port,
        method: options.method ?? "GET",
        path: options.path,
        headers: { host: `127.0.0.1:${port}`, ...options.headers },
        agent: false,
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (d) => (body += d));
        res.on("end", () => {
          let json: any;
          try {
            json = JSON.parse(body);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json });
        });
      },
    );
    req.on("error", reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

/** A copy of a workspace folder beside it. */
export function copyOf(dir: string, suffix: string): string {
  const copy = `${dir}-${suffix}`;
  fs.cpSync(dir, copy, { recursive: true });
  return copy;
}
