/**
 * The HTTP API in process: the handler answers fetch `Request`s as the server answers the wire
 * (Hono's `app.request()` style), so every route, input check, status and refusal is checked
 * without a port.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { before, describe, test } from "node:test";
import { toolName } from "../../src/app/operation.ts";
import { OPERATIONS } from "../../src/app/operations.ts";
import { ERROR_CLASSES, errorClassOf } from "../../src/core/errors.ts";
import { STATUS_OF_CLASS } from "../../src/http/errors.ts";
import { createHandler, type Handler } from "../../src/http/handler.ts";
import { routeWords } from "../../src/http/routes.ts";
import { baton, snapshotTree } from "../helpers.ts";
import { copyOf, normalizedTree, sampleWorkspace } from "./support.ts";

const TOKEN = "test-token-0123456789abcdef";
const PORT = 7420;
const ORIGIN = `http://127.0.0.1:${PORT}`;
const AUTH = { authorization: `Bearer ${TOKEN}` };
const WRITE = { ...AUTH, "x-baton-token": TOKEN, "content-type": "application/json" };

function handlerFor(root: string): Handler {
  return createHandler({ root, token: TOKEN, port: PORT, version: "0.0.0-test", notice: () => {} });
}

async function get(h: Handler, target: string, headers: Record<string, string> = AUTH) {
  const res = await h.request(target, { headers });
  const json: any = await res.json().catch(() => null);
  return { status: res.status, headers: res.headers, json };
}

async function post(
  h: Handler,
  target: string,
  body: unknown,
  headers: Record<string, string> = WRITE,
) {
  const res = await h.request(target, {
    method: "POST",
    headers,
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const json: any = await res.json().catch(() => null);
  return { status: res.status, headers: res.headers, json };
}

describe("routes: one per operation offered as a tool, derived", () => {
  let h: Handler;
  before(() => {
    h = handlerFor(sampleWorkspace().dir);
  });

  test("GET /api/v1 lists every tool's operation: GET for reads, POST for writes", async () => {
    const { status, json } = await get(h, "/api/v1");
    assert.equal(status, 200);
    assert.equal(json.live, "/api/v1/live");
    const tools = OPERATIONS.filter((op) => toolName(op) !== null);
    assert.equal(json.routes.length, tools.length);
    for (const op of tools) {
      const tool = toolName(op) as string;
      const route = json.routes.find((r: { tool: string }) => r.tool === tool);
      assert.ok(route, `${op.name} has a route`);
      assert.equal(route.path, `/api/v1/${routeWords(tool)}`);
      assert.equal(route.method, op.access === "read" ? "GET" : "POST", op.name);
      for (const [key, field] of Object.entries(op.input))
        assert.equal(key in route.input.properties, field.api !== false, `${op.name}.${key}`);
    }
    const paths = json.routes.map((r: { path: string }) => r.path);
    for (const p of ["/api/v1/ticket/list", "/api/v1/ticket/set-status", "/api/v1/status"])
      assert.ok(paths.includes(p), p);
    assert.ok(!paths.some((p: string) => p.endsWith("/init")), "init is no route");
  });

  test("route words: the first _ a /, the others -", () => {
    assert.equal(routeWords("ticket_set_status"), "ticket/set-status");
    assert.equal(routeWords("spec_request_changes"), "spec/request-changes");
    assert.equal(routeWords("status"), "status");
  });

  test("every error class has its status, busy with Retry-After", () => {
    for (const c of ERROR_CLASSES) assert.ok(STATUS_OF_CLASS[c], `class ${c}`);
    assert.deepEqual(
      (["usage", "not_found", "state", "data", "busy", "io", "internal"] as const).map(
        (c) => STATUS_OF_CLASS[c],
      ),
      [400, 404, 409, 422, 503, 500, 500],
    );
  });
});

describe("reads answer what the CLI's --json answers", () => {
  let dir: string;
  let tickets: string[];
  let h: Handler;
  before(() => {
    ({ dir, tickets } = sampleWorkspace());
    h = handlerFor(dir);
  });

  test("the same result, or the same error with its class's status", async () => {
    const cases: [string, string[]][] = [
      ["/api/v1/status", ["status"]],
      ["/api/v1/resume", ["resume"]],
      ["/api/v1/topic/list?limit=20", ["topic", "list", "--limit", "20"]],
      ["/api/v1/topic/list?type=spike", ["topic", "list", "--type", "spike", "--limit", "20"]],
      ["/api/v1/topic/show?topic_id=seed-oauth-login", ["topic", "show", "seed-oauth-login"]],
      ["/api/v1/topic/show?topic_id=seed-nope", ["topic", "show", "seed-nope"]],
      ["/api/v1/ticket/list", ["ticket", "list", "--limit", "20"]],
      [
        "/api/v1/ticket/list?status=pending",
        ["ticket", "list", "--status", "todo", "--limit", "20"],
      ],
      [`/api/v1/ticket/show?ticket_id=${tickets[0]}`, ["ticket", "show", tickets[0] as string]],
      ["/api/v1/ticket/show?ticket_id=BTN-zzzzzzzz", ["ticket", "show", "BTN-zzzzzzzz"]],
      ["/api/v1/ticket/show?ticket_id=..%2Fx", ["ticket", "show", "../x"]],
      ["/api/v1/session/list", ["seed", "--sessions"]],
      ["/api/v1/journal/show", ["journal", "show"]],
      ["/api/v1/plan/status?plan_id=plan-oauth-rollout", ["plan", "status", "plan-oauth-rollout"]],
      ["/api/v1/plan/next?plan_id=plan-oauth-rollout", ["plan", "next", "plan-oauth-rollout"]],
      ["/api/v1/spec/list", ["spec", "list"]],
      ["/api/v1/spec/status?spec=user-auth&limit=100", ["spec", "status", "--spec", "user-auth"]],
      ["/api/v1/spec/lint?name=user-auth&limit=100", ["spec", "lint", "user-auth"]],
      ["/api/v1/spec/trace?name=user-auth&limit=100", ["spec", "trace", "user-auth"]],
    ];
    let failures = 0;
    for (const [target, argv] of cases) {
      const cli = baton(dir, [...argv, "--json"]);
      const api = await get(h, target);
      const where = `${target} vs baton ${argv.join(" ")}`;
      assert.ok(cli.json, `${where}: ${cli.stderr}`);
      if (cli.json.error && cli.code !== 0 && !("ok" in cli.json)) {
        failures++;
        assert.equal(api.status, STATUS_OF_CLASS[errorClassOf(cli.json.error.code)], where);
        assert.deepEqual(api.json, { error: cli.json.error }, where);
        continue;
      }
      assert.equal(api.status, 200, `${where}: ${JSON.stringify(api.json)}`);
      const { page: _page, ...ours } = api.json;
      // The CLI tells the operations of one path apart (`seed --sessions`); a route is one.
      const { action: _action, ...theirs } = cli.json;
      assert.deepEqual(ours, theirs, where);
    }
    // Three ids that name nothing (or are no id), and a plan without task files yet.
    assert.equal(failures, 4, "the refusals were compared as errors");
  });

  test("paged lists say their totals, like the tools'", async () => {
    const { json } = await get(h, "/api/v1/spec/list?limit=0");
    assert.deepEqual(json.specs, []);
    assert.deepEqual(json.page, { offset: 0, limit: 0, total: { specs: 1 } });
    const tickets = await get(h, "/api/v1/ticket/list?limit=1&offset=1");
    assert.equal(tickets.json.total, 2);
    assert.equal(tickets.json.tickets.length, 1);
  });
});

describe("inputs are checked as over MCP", () => {
  let dir: string;
  let h: Handler;
  before(() => {
    dir = sampleWorkspace().dir;
    h = handlerFor(dir);
  });

  test("a query's text is typed by the field, and refused by name when it is not of it", async () => {
    const bad: [string, string, RegExp][] = [
      ["/api/v1/topic/list?limit=x", "INVALID_INPUT", /limit must be a whole number, got "x"/],
      ["/api/v1/topic/list?limit=101", "INVALID_INPUT", /limit must be 100 or less/],
      ["/api/v1/ticket/list?status=bogus", "INVALID_INPUT", /status must be one of todo/],
      ["/api/v1/ticket/list?fresh=true", "INVALID_INPUT", /fresh is not an argument/],
      ["/api/v1/status?x=1", "INVALID_INPUT", /x is not an argument \(known: none\)/],
      ["/api/v1/topic/show", "INVALID_INPUT", /topic_id is required/],
      ["/api/v1/topic/list?limit=1&limit=2", "INVALID_INPUT", /limit is given 2 times/],
      ["/api/v1/resume?brief=maybe", "INVALID_INPUT", /brief must be true or false/],
    ];
    for (const [target, code, message] of bad) {
      const { status, json } = await get(h, target);
      assert.equal(status, 400, target);
      assert.equal(json.error.code, code, target);
      assert.match(json.error.message, message, target);
      assert.match(json.error.hint, /GET \/api\/v1 lists the inputs|give limit once/, target);
    }
    const brief = await get(h, "/api/v1/resume?brief");
    assert.equal(brief.status, 200);
    assert.equal(brief.json.budget, 400, "the brief's budget");
  });

  test("a write takes a JSON object, and nothing in the query", async () => {
    const before = snapshotTree(dir);
    const bad: [string, unknown, Record<string, string>, RegExp][] = [
      ["/api/v1/journal/add", "{nope", WRITE, /not valid JSON/],
      ["/api/v1/journal/add", "[1]", WRITE, /must be a JSON object/],
      ["/api/v1/journal/add", { kind: "note" }, WRITE, /text is required/],
      ["/api/v1/journal/add", { kind: "gossip", text: "x" }, WRITE, /kind must be one of/],
      ["/api/v1/journal/add?kind=note", { text: "x" }, WRITE, /not the query/],
      [
        "/api/v1/journal/add",
        "kind=note&text=x",
        { ...WRITE, "content-type": "application/x-www-form-urlencoded" },
        /must be JSON/,
      ],
    ];
    for (const [target, body, headers, message] of bad) {
      const { status, json } = await post(h, target, body, headers);
      assert.equal(status, 400, `${target} ${JSON.stringify(body)}`);
      assert.match(json.error.message, message);
    }
    assert.deepEqual(snapshotTree(dir), before, "a refused write changes nothing");
  });

  test("each error class has its status", async () => {
    const approve = await post(h, "/api/v1/spec/approve", { name: "user-auth" });
    assert.equal(approve.status, 409, JSON.stringify(approve.json));
    assert.equal(approve.json.error.code, "STATE_CONFLICT");
    const missing = await post(h, "/api/v1/ticket/set-status", {
      ticket_id: "BTN-zzzzzzzz",
      status: "done",
    });
    assert.equal(missing.status, 404);
    assert.equal(missing.json.error.code, "TICKET_NOT_FOUND");
    const index = path.join(dir, ".baton", "knowledge", "index.json");
    const kept = fs.readFileSync(index);
    fs.writeFileSync(index, "{not json");
    try {
      const corrupt = await get(h, "/api/v1/topic/list");
      assert.equal(corrupt.status, 422);
      assert.equal(corrupt.json.error.code, "CORRUPT_FILE");
    } finally {
      fs.writeFileSync(index, kept);
    }
  });

  test("a path an operation takes must lie inside the workspace", async () => {
    const outside = await post(h, "/api/v1/spec/setup", { spec: "/etc/passwd" });
    assert.ok(outside.status >= 400 && outside.status < 500, JSON.stringify(outside.json));
  });
});

describe("a write changes the files as the CLI's does", () => {
  test("ticket set-status and journal note, on two copies of one workspace", async () => {
    const { dir, tickets } = sampleWorkspace();
    const viaCli = copyOf(dir, "cli");
    const viaApi = copyOf(dir, "api");
    const id = tickets[0] as string;
    const cliSet = baton(viaCli, ["ticket", "set-status", id, "in_progress", "--json"]);
    assert.equal(cliSet.code, 0);
    assert.equal(baton(viaCli, ["journal", "note", "Tokens expire hourly"]).code, 0);
    const h = handlerFor(viaApi);
    const set = await post(h, "/api/v1/ticket/set-status", {
      ticket_id: id,
      status: "in_progress",
    });
    assert.equal(set.status, 200, JSON.stringify(set.json));
    const timeless = (v: unknown) =>
      JSON.parse(
        JSON.stringify(v)
          .replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, "<time>")
          .replace(/evt-[a-z0-9]{12}/g, "<event>"),
      );
    assert.deepEqual(timeless(set.json), timeless(cliSet.json), "the same answer");
    const note = await post(h, "/api/v1/journal/add", {
      kind: "note",
      text: "Tokens expire hourly",
    });
    assert.equal(note.status, 200);
    assert.deepEqual(normalizedTree(viaApi), normalizedTree(viaCli));
    const events = fs.readFileSync(path.join(viaApi, ".baton", "events.jsonl"), "utf8");
    assert.match(events, /"command":"baton serve ticket_set_status"/, "the event names the face");
  });
});

describe("who may ask", () => {
  let dir: string;
  let h: Handler;
  before(() => {
    dir = sampleWorkspace().dir;
    h = handlerFor(dir);
  });

  test("Host must be a loopback name with the server's port", async () => {
    for (const host of [`127.0.0.1:${PORT}`, `localhost:${PORT}`, `[::1]:${PORT}`]) {
      const { status } = await get(h, "/api/v1/status", { ...AUTH, host });
      assert.equal(status, 200, host);
    }
    for (const host of ["evil.example", `evil.example:${PORT}`, "127.0.0.1", "127.0.0.1:1"]) {
      const { status, json } = await get(h, "/api/v1/status", { ...AUTH, host });
      assert.equal(status, 403, host);
      assert.equal(json.error.code, "FORBIDDEN");
    }
    const rebound = await h.request(`http://evil.example:${PORT}/api/v1/status`, { headers: AUTH });
    assert.equal(rebound.status, 403, "a name that resolves here is not the server's");
  });

  test("Origin, when sent, must be the server's own; a cross-site fetch is refused", async () => {
    assert.equal((await get(h, "/api/v1/status", { ...AUTH, origin: ORIGIN })).status, 200);
    for (const origin of [
      "http://evil.example",
      `http://localhost:${PORT}`,
      "null",
      "http://127.0.0.1:1",
    ]) {
      assert.equal((await get(h, "/api/v1/status", { ...AUTH, origin })).status, 403, origin);
    }
    for (const site of ["cross-site", "same-site"]) {
      const r = await get(h, "/api/v1/status", { ...AUTH, "sec-fetch-site": site });
      assert.equal(r.status, 403, `the token in a ${site} request`);
    }
    const typed = await get(h, "/api/v1/status", { ...AUTH, "sec-fetch-site": "none" });
    assert.equal(typed.status, 200);
  });

  test("the API needs the token: no token or a wrong one is 401", async () => {
    assert.equal((await get(h, "/api/v1/status", {})).status, 401);
    assert.equal((await get(h, "/api/v1", {})).status, 401);
    const wrong = await get(h, "/api/v1/status", { authorization: "Bearer nope" });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.json.error.code, "UNAUTHORIZED");
    const otherPort = await get(h, "/api/v1/status", { cookie: `baton_token_1=${TOKEN}` });
    assert.equal(otherPort.status, 401, "the cookie of another port's server is not this one's");
  });

  test("the page's token becomes an HttpOnly SameSite=Strict cookie that opens the API", async () => {
    const res = await h.request(`/?token=${TOKEN}`);
    assert.equal(res.status, 200);
    assert.match(await res.text(), /<meta name="baton-token"/);
    const cookie = res.headers.get("set-cookie") as string;
    assert.match(cookie, new RegExp(`^baton_token_${PORT}=${TOKEN};`));
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Strict/);
    const pair = cookie.split(";")[0] as string;
    assert.equal((await get(h, "/api/v1/status", { cookie: `x=1; ${pair}` })).status, 200);
    const page = await h.request("/", { headers: { cookie: pair } });
    assert.equal(page.status, 200);
    assert.match(page.headers.get("content-type") as string, /^text\/html/);
    assert.match(await page.text(), new RegExp(`<meta name="baton-token" content="${TOKEN}">`));
    assert.equal((await h.request("/?token=wrong")).status, 401);
    const locked = await h.request("/");
    assert.equal(locked.status, 401);
    assert.doesNotMatch(await locked.text(), new RegExp(TOKEN));
  });

  test("the page may be opened from a link on another site; nothing else may come from one", async () => {
    const link = { "sec-fetch-site": "cross-site", "sec-fetch-mode": "navigate" };
    assert.equal((await h.request(`/?token=${TOKEN}`, { headers: link })).status, 200);
    assert.equal((await h.request("/", { headers: link })).status, 401, "without the token");
    const fetched = { "sec-fetch-site": "cross-site", "sec-fetch-mode": "cors" };
    assert.equal((await h.request(`/?token=${TOKEN}`, { headers: fetched })).status, 403);
    const api = await get(h, "/api/v1/status", { ...AUTH, ...link });
    assert.equal(api.status, 403, "the API is no navigation target from elsewhere");
  });

  test("a write also needs the token in X-Baton-Token: a cross-site form cannot send it", async () => {
    const before = snapshotTree(dir);
    const body = { kind: "note", text: "forged" };
    const noHeader = await post(h, "/api/v1/journal/add", body, {
      ...AUTH,
      "content-type": "application/json",
    });
    assert.equal(noHeader.status, 403);
    assert.match(noHeader.json.error.message, /X-Baton-Token|x-baton-token/i);
    const form = await post(h, "/api/v1/journal/add", "kind=note&text=forged", {
      cookie: `baton_token_${PORT}=${TOKEN}`,
      "content-type": "application/x-www-form-urlencoded",
      origin: "http://evil.example",
    });
    assert.equal(form.status, 403);
    const wrong = await post(h, "/api/v1/journal/add", body, { ...WRITE, "x-baton-token": "nope" });
    assert.equal(wrong.status, 403);
    assert.deepEqual(snapshotTree(dir), before);
  });

  test("methods: reads are GET, writes POST; others are refused with Allow", async () => {
    const r = await post(h, "/api/v1/status", {});
    assert.equal(r.status, 405);
    assert.equal(r.headers.get("allow"), "GET");
    const w = await get(h, "/api/v1/journal/add");
    assert.equal(w.status, 405);
    assert.equal(w.headers.get("allow"), "POST");
    const none = await get(h, "/api/v1/ticket/nope");
    assert.equal(none.status, 404);
    assert.equal(none.json.error.code, "ROUTE_NOT_FOUND");
    assert.equal((await get(h, "/api/v1/live")).status, 426);
    assert.equal((await get(h, "/elsewhere")).status, 404);
  });

  test("the dashboard's files are served to the server's own pages; the page runs no inline script", async () => {
    const withAssets = createHandler({
      root: dir,
      token: TOKEN,
      port: PORT,
      version: "0.0.0-test",
      notice: () => {},
      assets: { "app.js": { type: "text/javascript; charset=utf-8", body: "export {};" } },
    });
    const js = await withAssets.request("/assets/app.js");
    assert.equal(js.status, 200);
    assert.equal(js.headers.get("content-type"), "text/javascript; charset=utf-8");
    assert.equal(await js.text(), "export {};");
    assert.equal((await withAssets.request("/assets/nope.js")).status, 404);
    assert.equal((await withAssets.request("/assets/__proto__")).status, 404);
    const foreign = await withAssets.request("/assets/app.js", {
      headers: { origin: "http://evil.example" },
    });
    assert.equal(foreign.status, 403);
    const page = await withAssets.request("/", {
      headers: { cookie: `baton_token_${PORT}=${TOKEN}` },
    });
    const html = await page.text();
    assert.match(html, /<script type="module" src="\/assets\/app\.js"><\/script>/);
    assert.equal(html.match(/<script/g)?.length, 1, "one script, from a file");
    assert.doesNotMatch(html, /style=/);
  });

  test("every answer carries the strict headers and no CORS header", async () => {
    for (const res of [
      await h.request("/api/v1/status", { headers: AUTH }),
      await h.request("/api/v1/status"),
      await h.request("/", { headers: { origin: "http://evil.example" } }),
      await h.request(`/?token=${TOKEN}`),
    ]) {
      const csp = res.headers.get("content-security-policy") as string;
      assert.match(csp, /default-src 'self'/);
      assert.match(csp, /frame-ancestors 'none'/);
      assert.doesNotMatch(csp, /unsafe-inline/);
      assert.equal(res.headers.get("x-content-type-options"), "nosniff");
      assert.equal(res.headers.get("referrer-policy"), "no-referrer");
      for (const name of res.headers.keys()) assert.doesNotMatch(name, /^access-control-/);
    }
  });
});
