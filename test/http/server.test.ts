/**
 * `baton serve` as it runs: a process of its own on a real port, called over HTTP and WebSocket
 * by this test as a page or a script would, and stopped by a signal.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { baton, batonAsync, batonProcess, makeTempRepo } from "../helpers.ts";
import {
  copyOf,
  normalizedTree,
  rawRequest,
  type Serving,
  sampleWorkspace,
  startServe,
  stopServe,
} from "./support.ts";

function api(s: Serving, target: string, init: RequestInit = {}) {
  return fetch(`http://127.0.0.1:${s.port}${target}`, {
    ...init,
    headers: { authorization: `Bearer ${s.token}`, ...(init.headers ?? {}) },
  });
}

function write(s: Serving, target: string, body: unknown) {
  return api(s, target, {
    method: "POST",
    headers: { "x-baton-token": s.token, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

/** A WebSocket on /api/v1/live, with every message it received, parsed, and when. */
async function live(s: Serving, headers: Record<string, string> = {}) {
  const messages: { at: number; data: any }[] = [];
  const socket = new WebSocket(`ws://127.0.0.1:${s.port}/api/v1/live`, {
    headers: { authorization: `Bearer ${s.token}`, ...headers },
  } as never);
  socket.onmessage = (m) =>
    messages.push({ at: performance.now(), data: JSON.parse(String(m.data)) });
  await new Promise<void>((resolve, reject) => {
    socket.onopen = () => resolve();
    socket.onerror = () => reject(new Error("the live socket did not open"));
  });
  const waitFor = async (match: (m: any) => boolean, ms = 2000) => {
    const until = performance.now() + ms;
    for (;;) {
      const found = messages.find((m) => match(m.data));
      if (found) return found;
      if (performance.now() > until) return null;
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  return { socket, messages, waitFor };
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
}

describe("baton serve", () => {
  let dir: string;
  let tickets: string[];
  let s: Serving;

  before(async () => {
    ({ dir, tickets } = sampleWorkspace());
    s = await startServe(dir);
  });
  after(async () => {
    await stopServe(s);
  });

  test("prints one URL on 127.0.0.1 with the token, and nothing else on stdout", () => {
    assert.match(s.url, new RegExp(`^http://127\\.0\\.0\\.1:${s.port}/\\?token=[\\w-]{32}$`));
    assert.ok(s.url.endsWith(s.token));
    assert.ok(s.port > 0);
  });

  test("reads answer what the CLI's --json answers", async () => {
    for (const [target, argv] of [
      ["/api/v1/status", ["status"]],
      ["/api/v1/ticket/list?status=todo", ["ticket", "list", "--status", "todo", "--limit", "20"]],
      [`/api/v1/ticket/show?ticket_id=${tickets[1]}`, ["ticket", "show", tickets[1] as string]],
    ] as const) {
      const res = await api(s, target);
      assert.equal(res.status, 200, target);
      assert.equal(res.headers.get("content-type"), "application/json; charset=utf-8");
      assert.deepEqual(await res.json(), baton(dir, [...argv, "--json"]).json, target);
    }
  });

  test("a POST changes the files exactly as the CLI would", async () => {
    const twin = copyOf(dir, "twin");
    const id = tickets[0] as string;
    assert.equal(baton(twin, ["ticket", "set-status", id, "done"]).code, 0);
    const res = await write(s, "/api/v1/ticket/set-status", { ticket_id: id, status: "done" });
    assert.equal(res.status, 200, await res.clone().text());
    assert.deepEqual(normalizedTree(dir), normalizedTree(twin));
    assert.equal(baton(dir, ["ticket", "show", id, "--json"]).json.status, "done");
  });

  test("refused over the wire: foreign Host or Origin, no token, a write without the header", async () => {
    const auth = { authorization: `Bearer ${s.token}` };
    const at = (extra: Record<string, string>, method = "GET", p = "/api/v1/status") =>
      rawRequest(s.port, { method, path: p, headers: { ...auth, ...extra } });
    assert.equal((await at({})).status, 200);
    assert.equal((await at({ host: `evil.example:${s.port}` })).status, 403, "foreign Host");
    assert.equal((await at({ host: "localhost:1" })).status, 403, "another port");
    assert.equal((await at({ origin: "http://evil.example" })).status, 403, "foreign Origin");
    const anon = await rawRequest(s.port, { path: "/api/v1/status" });
    assert.equal(anon.status, 401);
    assert.equal(anon.json.error.code, "UNAUTHORIZED");
    const before = fs.readFileSync(path.join(dir, "PLANNING.md"), "utf8");
    const body = JSON.stringify({ kind: "note", text: "forged" });
    const headerless = await rawRequest(s.port, {
      method: "POST",
      path: "/api/v1/journal/add",
      headers: { ...auth, "content-type": "application/json" },
      body,
    });
    assert.equal(headerless.status, 403, "a write without X-Baton-Token");
    // A page elsewhere posting with the cookie the browser holds: refused by its origin.
    const crossSite = await rawRequest(s.port, {
      method: "POST",
      path: "/api/v1/journal/add",
      headers: {
        cookie: `baton_token_${s.port}=${s.token}`,
        "x-baton-token": s.token,
        "content-type": "application/json",
        origin: "https://evil.example",
        "sec-fetch-site": "cross-site",
      },
      body,
    });
    assert.equal(crossSite.status, 403, "the token in a cross-site request");
    assert.equal(fs.readFileSync(path.join(dir, "PLANNING.md"), "utf8"), before);
    assert.equal(headerless.headers["access-control-allow-origin"], undefined);
    assert.match(String(anon.headers["content-security-policy"]), /default-src 'self'/);
  });

  test("the page's token becomes a cookie the API and the live socket take", async () => {
    const first = await rawRequest(s.port, { path: `/?token=${s.token}` });
    assert.equal(first.status, 200);
    const cookie = String(first.headers["set-cookie"]).split(";")[0] as string;
    const page = await rawRequest(s.port, { path: "/", headers: { cookie } });
    assert.equal(page.status, 200);
    const status = await rawRequest(s.port, { path: "/api/v1/status", headers: { cookie } });
    assert.equal(status.status, 200);
    const feed = await live(s, { authorization: "", cookie });
    assert.ok(await feed.waitFor((m) => m.type === "ready"));
    feed.socket.close();
  });

  test("the live socket needs the token and the server's own origin", async () => {
    const refused = async (headers: Record<string, string>) => {
      const socket = new WebSocket(`ws://127.0.0.1:${s.port}/api/v1/live`, { headers } as never);
      return new Promise<boolean>((resolve) => {
        socket.onopen = () => {
          socket.close();
          resolve(false);
        };
        socket.onerror = () => resolve(true);
      });
    };
    assert.equal(await refused({}), true, "no token");
    assert.equal(
      await refused({ authorization: `Bearer ${s.token}`, origin: "http://evil.example" }),
      true,
      "a foreign origin",
    );
    const raw = await rawRequest(s.port, {
      path: "/api/v1/live",
      headers: {
        connection: "Upgrade",
        upgrade: "websocket",
        "sec-websocket-version": "13",
        "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
        host: `evil.example:${s.port}`,
        authorization: `Bearer ${s.token}`,
      },
    });
    assert.equal(raw.status, 403, "a foreign Host");
  });

  test("a CLI write in another process reaches the live socket within a second", async () => {
    const feed = await live(s);
    assert.ok(await feed.waitFor((m) => m.type === "ready"), "ready");
    const run = await batonAsync(dir, ["journal", "note", "Pushed live"]);
    const done = performance.now();
    assert.equal(run.code, 0, run.stderr);
    const event = await feed.waitFor(
      (m) =>
        m.type === "event" && m.event.type === "journal.note" && m.event.text === "Pushed live",
      1000,
    );
    assert.ok(
      event,
      `no event within a second: ${JSON.stringify(feed.messages.map((m) => m.data))}`,
    );
    assert.ok(event.at - done < 1000);
    assert.equal(event.data.log, ".baton/events.jsonl");
    assert.equal(event.data.event.command, "baton journal note");
    const changed = await feed.waitFor(
      (m) => m.type === "invalidate" && m.paths.includes("PLANNING.md"),
      1000,
    );
    assert.ok(changed, "the journal's file is named as changed");
    assert.ok(!changed.data.paths.some((p: string) => /\.lock|cache\/|baton-tmp/.test(p)));
    feed.socket.close();
  });

  test("a spec's own event log is pushed too", async () => {
    const feed = await live(s);
    assert.ok(await feed.waitFor((m) => m.type === "ready"));
    const log = path.join(dir, ".baton", "planning", "user-auth", "events.jsonl");
    const line = { schema_version: 1, at: new Date().toISOString(), type: "work.started" };
    fs.appendFileSync(log, `${JSON.stringify(line)}\n`);
    const event = await feed.waitFor((m) => m.type === "event" && m.event.type === "work.started");
    assert.ok(event, JSON.stringify(feed.messages.map((m) => m.data)));
    assert.equal(event.data.log, ".baton/planning/user-auth/events.jsonl");
    fs.appendFileSync(log, `${JSON.stringify({ ...line, type: "work.ended" })}\n`);
    assert.ok(await feed.waitFor((m) => m.type === "event" && m.event.type === "work.ended"));
    assert.equal(
      feed.messages.filter((m) => m.data.type === "event" && m.data.event.type === "work.started")
        .length,
      1,
      "each line once",
    );
    feed.socket.close();
  });

  test("is not reachable on a non-loopback address of this machine", async (t) => {
    const addresses = Object.values(os.networkInterfaces())
      .flat()
      .filter((a) => a && !a.internal && a.family === "IPv4")
      .map((a) => a?.address as string);
    if (addresses.length === 0) return t.skip("this machine has no non-loopback address");
    for (const address of addresses) {
      await assert.rejects(
        rawRequest(s.port, { path: "/api/v1/status", address }),
        /ECONNREFUSED|EHOSTUNREACH|ETIMEDOUT/,
        address,
      );
    }
  });
});

describe("baton serve starts and stops cleanly", () => {
  test("SIGTERM with a live socket and a kept-alive connection open: exit 0, the port freed", async () => {
    const { dir } = sampleWorkspace();
    const s = await startServe(dir);
    const feed = await live(s);
    assert.ok(await feed.waitFor((m) => m.type === "ready"));
    const kept = await fetch(`http://127.0.0.1:${s.port}/api/v1/status`, {
      headers: { authorization: `Bearer ${s.token}`, connection: "keep-alive" },
    });
    assert.equal(kept.status, 200);
    const closed = new Promise<number>((resolve) => {
      feed.socket.onclose = (e) => resolve(e.code);
    });
    const t0 = performance.now();
    assert.equal(await stopServe(s), 0);
    assert.ok(performance.now() - t0 < 3000, "stops at once");
    assert.equal(await closed, 1001, "the socket was told the server is going away");
    assert.equal(await portIsFree(s.port), true, "the port is free");
  });

  test("SIGINT: exit 0", async () => {
    const { dir } = sampleWorkspace();
    const s = await startServe(dir);
    s.child.kill("SIGINT");
    assert.equal(await s.exited, 0);
    assert.equal(await portIsFree(s.port), true);
  });

  test("--port takes that port; a port in use is a usage error", async () => {
    const { dir } = sampleWorkspace();
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    const taken = batonProcess(dir, ["serve", "--port", String(port), "--json"]);
    blocker.close();
    assert.equal(taken.code, 2, taken.stdout + taken.stderr);
    assert.equal(taken.json.error.code, "USAGE");
    assert.match(taken.json.error.message, new RegExp(`port ${port} is in use`));
    assert.equal(await portIsFree(port), true);
    const s = await startServe(dir, ["--port", String(port)]);
    assert.equal(s.port, port);
    assert.equal(await stopServe(s), 0);
    const bad = batonProcess(dir, ["serve", "--port", "99999", "--json"]);
    assert.equal(bad.code, 2);
    assert.match(bad.json.error.message, /--port must be a port number/);
  });

  test("no workspace, no server: the CLI's error and exit code", () => {
    const r = batonProcess(makeTempRepo(), ["serve", "--json"]);
    assert.equal(r.code, 3);
    assert.equal(r.json.error.code, "NO_WORKSPACE");
  });

  test("--open without a browser opener on PATH still serves", async () => {
    const { dir } = sampleWorkspace();
    const s = await startServe(dir, ["--open"], { PATH: path.join(dir, "no-such-bin") });
    const res = await fetch(`http://127.0.0.1:${s.port}/api/v1/status`, {
      headers: { authorization: `Bearer ${s.token}` },
    });
    assert.equal(res.status, 200);
    assert.equal(await stopServe(s), 0);
  });
});
