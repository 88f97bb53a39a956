import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, test } from "node:test";
import { openContext } from "../../src/app/context.ts";
import { planConflicts } from "../../src/app/plan/conflicts.ts";
import { BatonError } from "../../src/core/errors.ts";
import { baton, knowledge, makeWorkspace, readJson } from "../helpers.ts";
import { fails, failsTouchingNothing, ok, write } from "./support.ts";

const PLAN = "plan-oauth-login";
const OTHER = "plan-session-cleanup";

function topic(dir: string, plan: string, ...parts: string[]): string {
  return knowledge(dir, "topics", plan, ...parts);
}

function git(dir: string, ...args: string[]): void {
  const r = spawnSync("git", args, { cwd: dir, encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
}

/** Phase 1 marked completed through workflow.json (whatever `baton plan` already did). */
function completeStructure(dir: string, plan: string): void {
  const file = topic(dir, plan, "workflow.json");
  const wf = fs.existsSync(file)
    ? readJson(file)
    : { schema_version: 1, plan, phases: {} as Record<string, unknown> };
  const now = new Date().toISOString();
  wf.phases.structure = { state: "completed", started: now, finished: now, error: null, steps: {} };
  fs.writeFileSync(file, `${JSON.stringify(wf, null, 2)}\n`);
}

function phase(dir: string, plan: string, name: string): { state: string; error: unknown } {
  return readJson(topic(dir, plan, "workflow.json")).phases[name];
}

/** A repository with a manifest, sources, a test and docs, and the plan PLAN. */
function project(): string {
  const dir = makeWorkspace();
  git(dir, "config", "user.email", "dev@example.com");
  git(dir, "config", "user.name", "Dev");
  write(
    dir,
    "package.json",
    JSON.stringify({
      name: "app",
      dependencies: { zod: "^3.0.0" },
      devDependencies: { vitest: "1" },
    }),
  );
  write(
    dir,
    "src/auth/login.ts",
    'import { z } from "zod";\nimport { startSession } from "./session.ts";\nexport function oauthLogin() {\n  return startSession(z.string());\n}\n',
  );
  write(dir, "src/auth/session.ts", "export function startSession(x: unknown) {\n  return x;\n}\n");
  write(dir, "src/billing/invoice.ts", "export const invoice = 1;\n");
  write(
    dir,
    "test/auth/login.test.ts",
    'import { oauthLogin } from "../../src/auth/login.ts";\noauthLogin();\n',
  );
  write(dir, "docs/oauth.md", "# OAuth login\n\nHow the login works.\n");
  write(dir, "ignored/secret.ts", "export const oauth = 'login';\n");
  write(dir, ".gitignore", "ignored/\n");
  git(dir, "add", "-A");
  git(dir, "commit", "-qm", "init");
  // The plan declares the file it changes: overlaps with other work are measured on it.
  ok(dir, ["plan", "OAuth login", "--body", "Rework `src/auth/login.ts` for OAuth."]);
  completeStructure(dir, PLAN);
  return dir;
}

/** Another open plan whose task touches src/auth/login.ts. */
function otherPlan(dir: string): void {
  write(
    dir,
    path.relative(dir, topic(dir, OTHER, ".task", "IMPL-1.json")),
    `${JSON.stringify({
      schema_version: 1,
      id: "IMPL-1",
      title: "Expire sessions",
      description: "",
      status: "pending",
      depends_on: [],
      files: ["src/auth/login.ts"],
      acceptance: ["old sessions expire"],
      requirements: [],
    })}\n`,
  );
}

describe("plan context and plan conflicts", () => {
  test("scan, medium risk, conflicts listed, refused input changes nothing, resolutions recorded", () => {
    const dir = project();
    otherPlan(dir);
    fs.appendFileSync(path.join(dir, "src/auth/login.ts"), "// work in progress\n");

    // Phase 3 cannot run before phase 2.
    fails(dir, ["plan", "conflicts", PLAN], "STATE_CONFLICT", 4);

    const r = ok(dir, ["plan", "context", PLAN, "--json"]).json;
    assert.equal(r.reused, false);
    assert.equal(r.risk_level, "medium");
    assert.ok(r.files_listed >= 7 && r.files_per_second > 0);
    const pkg = readJson(topic(dir, PLAN, "context-package.json"));
    assert.deepEqual(Object.keys(pkg).sort(), [
      "assets",
      "conflict_detection",
      "dependencies",
      "metadata",
      "prioritized_context",
      "project_context",
      "schema_version",
    ]);
    assert.equal(pkg.metadata.scan.source, "git");
    assert.deepEqual(pkg.project_context.tech_stack.manifests, ["package.json"]);
    const all = Object.values(pkg.assets).flat() as { path: string; relevance: number }[];
    assert.ok(!all.some((a) => a.path.startsWith("ignored/")), ".gitignore respected");
    assert.ok(!all.some((a) => a.path.startsWith(".baton/")), "Baton's own state is not scanned");
    assert.equal(pkg.assets.source[0].path, "src/auth/login.ts");
    assert.ok(pkg.assets.source[0].relevance > 0 && pkg.assets.source[0].relevance <= 1);
    assert.ok(
      !pkg.assets.source.some((a: { path: string }) => a.path === "src/billing/invoice.ts"),
    );
    assert.deepEqual(
      pkg.assets.tests.map((a: { path: string }) => a.path),
      ["test/auth/login.test.ts"],
    );
    assert.deepEqual(
      pkg.assets.documentation.map((a: { path: string }) => a.path),
      ["docs/oauth.md"],
    );
    assert.deepEqual(pkg.dependencies.internal, [
      { from: "src/auth/login.ts", to: "src/auth/session.ts" },
      { from: "test/auth/login.test.ts", to: "src/auth/login.ts" },
    ]);
    const zod = pkg.dependencies.external.find((d: { name: string }) => d.name === "zod");
    assert.deepEqual(zod, {
      name: "zod",
      ecosystem: "npm",
      dev: false,
      manifest: "package.json",
      imported_by: ["src/auth/login.ts"],
    });
    const cd = pkg.conflict_detection;
    assert.equal(cd.risk_level, "medium");
    assert.deepEqual(cd.overlaps, [{ kind: "plan", with: OTHER, files: ["src/auth/login.ts"] }]);
    assert.deepEqual(cd.uncommitted_files, ["src/auth/login.ts"]);
    assert.deepEqual(cd.affected_modules, ["src/auth"]);
    assert.equal(typeof cd.mitigation_strategy, "string");
    const notes = fs.readFileSync(topic(dir, PLAN, "planning-notes.md"), "utf8");
    assert.match(notes, /## Context Findings \(Phase 2\)[\s\S]*Conflict risk: \*\*medium\*\*/);
    assert.equal(phase(dir, PLAN, "context").state, "completed");

    // Reused unless --refresh.
    assert.equal(ok(dir, ["plan", "context", PLAN, "--json"]).json.reused, true);
    assert.equal(ok(dir, ["plan", "context", PLAN, "--refresh", "--json"]).json.reused, false);

    // Phase 3 lists the conflicts and waits for decisions.
    const listed = ok(dir, ["plan", "conflicts", PLAN, "--json"]).json;
    assert.equal(listed.action, "listed");
    assert.deepEqual(
      listed.conflicts.map((c: { id: string; category: string }) => [c.id, c.category]),
      [
        ["CONF-1", "concurrent_plan"],
        ["CONF-2", "uncommitted_changes"],
      ],
    );
    const c1 = listed.conflicts[0];
    assert.deepEqual(Object.keys(c1).sort(), [
      "affected_files",
      "brief",
      "category",
      "id",
      "recommended",
      "severity",
      "strategies",
      "with",
    ]);
    assert.equal(c1.with, OTHER);
    assert.equal(c1.severity, "high");
    assert.equal(phase(dir, PLAN, "conflicts").state, "in_progress");
    assert.match(ok(dir, ["plan", "conflicts", PLAN]).stdout, /CONF-1 .*concurrent_plan/);

    // Phase 4 cannot run past a phase 3 still waiting for decisions.
    write(dir, "tasks.md", "- [ ] IMPL-1: Add the provider\n");
    const blocked = failsTouchingNothing(
      dir,
      ["plan", "tasks", PLAN, "--from", "tasks.md"],
      "STATE_CONFLICT",
      4,
    );
    assert.match(blocked.message, /phase conflicts is in_progress/);

    // Unknown ids or strategies: refused, nothing changed.
    write(dir, "bad.json", JSON.stringify([{ id: "CONF-7", strategy: "coordinate" }]));
    const err = failsTouchingNothing(
      dir,
      ["plan", "conflicts", PLAN, "--resolutions", "bad.json"],
      "INVALID_INPUT",
      2,
    );
    assert.match(err.message, /CONFLICT_UNKNOWN: no conflict CONF-7/);
    write(
      dir,
      "bad2.json",
      JSON.stringify([
        { id: "CONF-1", strategy: "teleport" },
        { id: "CONF-2", strategy: "stash" },
      ]),
    );
    failsTouchingNothing(
      dir,
      ["plan", "conflicts", PLAN, "--resolutions", "bad2.json"],
      "INVALID_INPUT",
      2,
    );
    assert.ok(!fs.existsSync(topic(dir, PLAN, "conflict-resolution.json")));

    // Decisions from stdin are recorded.
    const input = JSON.stringify([
      { id: "CONF-1", strategy: "coordinate", note: "pair with the session cleanup" },
      { id: "CONF-2", strategy: "commit_first" },
    ]);
    const done = baton(dir, ["plan", "conflicts", PLAN, "--resolutions", "-", "--json"], {}, input);
    assert.equal(done.code, 0, done.stderr);
    assert.equal(done.json.action, "resolved");
    const saved = readJson(topic(dir, PLAN, "conflict-resolution.json"));
    assert.equal(saved.plan, PLAN);
    assert.deepEqual(saved.resolutions, [
      { id: "CONF-1", strategy: "coordinate", note: "pair with the session cleanup" },
      { id: "CONF-2", strategy: "commit_first" },
    ]);
    const after = fs.readFileSync(topic(dir, PLAN, "planning-notes.md"), "utf8");
    assert.match(
      after,
      /## Conflict Decisions \(Phase 3\)[\s\S]*CONF-1 .*\*\*coordinate\*\* — pair with/,
    );
    assert.match(after, /## Context Findings \(Phase 2\)/, "phase 2's section is kept");
    // The decisions become constraints for phase 4 and rows of the N+1 decisions table.
    assert.match(
      after,
      /## Consolidated Constraints[\s\S]*- CONF-1: coordinate with the other work before changing: open plan plan-session-cleanup[^\n]*`src\/auth\/login\.ts`[^\n]*— pair with the session cleanup/,
    );
    assert.match(after, /- CONF-2: commit the uncommitted changes/);
    assert.match(after, /\| CONF-1: coordinate \| pair with the session cleanup \| 3 \|/);
    assert.match(after, /\| conflict risk medium \| [^|]+ \| 2 \|/);
    assert.equal(phase(dir, PLAN, "conflicts").state, "completed");
    assert.equal(ok(dir, ["plan", "conflicts", PLAN, "--json"]).json.action, "listed");
    assert.equal(
      phase(dir, PLAN, "conflicts").state,
      "completed",
      "listing again keeps it completed",
    );

    // --recommended takes the recommended strategies.
    const rec = ok(dir, ["plan", "conflicts", PLAN, "--recommended", "--json"]).json;
    assert.deepEqual(
      rec.resolutions.map((x: { strategy: string }) => x.strategy),
      ["sequence_after", "commit_first"],
    );
  });

  test("low risk skips phase 3", () => {
    const dir = project();
    ok(dir, ["seed", "OAuth"]);
    ok(dir, [
      "spike",
      "Token lifetimes",
      "--body",
      "## Findings\n\nProvider tokens expire after one hour.",
    ]);
    ok(dir, ["plan", "context", PLAN]);
    const pkg = readJson(topic(dir, PLAN, "context-package.json"));
    assert.deepEqual(pkg.project_context.spikes, [
      {
        id: "spike-token-lifetimes",
        title: "Token lifetimes",
        summary: "Provider tokens expire after one hour.",
      },
    ]);
    const r = ok(dir, ["plan", "conflicts", PLAN, "--json"]).json;
    assert.equal(r.action, "skipped");
    assert.deepEqual(r.conflicts, []);
    assert.equal(phase(dir, PLAN, "conflicts").state, "skipped");
    assert.match(
      fs.readFileSync(topic(dir, PLAN, "planning-notes.md"), "utf8"),
      /Skipped: conflict risk is/,
    );
  });

  test("a spec whose tasks.md names the same file raises the risk", () => {
    const dir = project();
    write(dir, "specs/auth/tasks.md", "# Tasks\n\n- [ ] 1. Rework `src/auth/login.ts`\n");
    ok(dir, ["spec", "setup", "--spec", "specs/auth"]);
    const r = ok(dir, ["plan", "context", PLAN, "--json"]).json;
    assert.equal(r.risk_level, "medium");
    const pkg = readJson(topic(dir, PLAN, "context-package.json"));
    assert.deepEqual(pkg.conflict_detection.overlaps, [
      { kind: "spec", with: "auth", files: ["src/auth/login.ts"] },
    ]);
    const listed = ok(dir, ["plan", "conflicts", PLAN, "--json"]).json;
    assert.deepEqual(
      listed.conflicts.map((c: { category: string }) => c.category),
      ["spec_overlap"],
    );
  });

  test("phase order: phase 2 needs phase 1; a failed phase 2 stops phase 3", () => {
    const dir = project();
    const file = topic(dir, PLAN, "workflow.json");
    const wf = readJson(file);
    wf.phases.structure.state = "pending";
    fs.writeFileSync(file, JSON.stringify(wf));
    failsTouchingNothing(dir, ["plan", "context", PLAN], "STATE_CONFLICT", 4);
    completeStructure(dir, PLAN);

    // A corrupt package fails the phase: recorded, non-zero exit, phase 3 refused.
    fs.writeFileSync(topic(dir, PLAN, "context-package.json"), "{ not json");
    fails(dir, ["plan", "context", PLAN], "CORRUPT_FILE", 5);
    const ctx = phase(dir, PLAN, "context");
    assert.equal(ctx.state, "in_progress");
    assert.equal((ctx.error as { code: string }).code, "CORRUPT_FILE");
    fails(dir, ["plan", "conflicts", PLAN], "STATE_CONFLICT", 4);
    ok(dir, ["plan", "context", PLAN, "--refresh"]);
    assert.equal(phase(dir, PLAN, "context").state, "completed");
  });

  test("unknown plans and stray words are refused", () => {
    const dir = project();
    fails(dir, ["plan", "context", "plan-nope"], "TOPIC_NOT_FOUND", 3);
    fails(dir, ["plan", "context", PLAN, "extra"], "USAGE", 2);
    fails(dir, ["plan", "conflicts", PLAN, "--resolutions", "x.json", "--yes"], "USAGE", 2);
  });

  test("the use case refuses decisions and the recommended ones at once, whichever face asks", async () => {
    const dir = project();
    const ctx = openContext({ cwd: dir });
    await assert.rejects(
      planConflicts(ctx, { plan: PLAN, resolutions: [], recommended: true }),
      (error) => error instanceof BatonError && error.code === "USAGE",
    );
  });

  test("Baton's planning folder is never scanned, wherever it is configured", () => {
    const dir = makeWorkspace(["--planning-dir", "planning"]);
    write(dir, "planning/oauth/tasks.md", "- [ ] 1. OAuth login\n");
    write(dir, "src/oauth.ts", "export const oauth = 1;\n");
    ok(dir, ["plan", "OAuth login"]);
    ok(dir, ["plan", "context", PLAN]);
    const all = Object.values(readJson(topic(dir, PLAN, "context-package.json")).assets).flat() as {
      path: string;
    }[];
    assert.ok(all.some((a) => a.path === "src/oauth.ts"));
    assert.ok(!all.some((a) => a.path.startsWith("planning/")));
  });
});

describe("what counts as overlapping work", () => {
  /** A properly made plan OTHER ("Session cleanup") whose one task lists `files`. */
  function sessionCleanup(dir: string, files: string[], status = "pending"): void {
    ok(dir, ["plan", "Session cleanup"]);
    write(
      dir,
      "other.json",
      JSON.stringify([
        { id: "IMPL-1", title: "Expire sessions", files, acceptance: ["x"], status },
      ]),
    );
    ok(dir, ["plan", "tasks", OTHER, "--from", "other.json", "--skip-context"]);
    fs.rmSync(path.join(dir, "other.json")); // an untracked file naming login.ts is a risk itself
  }

  test("Baton's own files are neither scanned nor an uncommitted-change risk", () => {
    const dir = makeWorkspace(["--agent", "claude"]);
    write(
      dir,
      "src/mcp/server.ts",
      "// the MCP server commands for agents\nexport const mcp = 1;\n",
    );
    ok(dir, ["plan", "MCP server commands for agents", "--body", "Serve commands over MCP."]);
    ok(dir, ["plan", "context", "plan-mcp-server-commands-for-agents"]);
    const pkg = readJson(topic(dir, "plan-mcp-server-commands-for-agents", "context-package.json"));
    const own = (p: string) =>
      p.startsWith(".claude/") ||
      p.startsWith(".baton/") ||
      [".mcp.json", ".gitattributes", "PLANNING.md"].includes(p);
    const paths = [
      ...(Object.values(pkg.assets).flat() as { path: string }[]).map((a) => a.path),
      ...pkg.prioritized_context.map((p: { path: string }) => p.path),
    ];
    assert.ok(paths.includes("src/mcp/server.ts"), paths.join(", "));
    assert.deepEqual(paths.filter(own), []);
    const cd = pkg.conflict_detection;
    assert.deepEqual(cd.uncommitted_files.filter(own), []);
    assert.ok(!cd.risk_factors.some((f: string) => /\.mcp\.json|\.claude|gitattributes/.test(f)));
    assert.ok(pkg.metadata.scan.files_listed < 5, `${pkg.metadata.scan.files_listed} files listed`);
  });

  test("an overlap names only the files both plans declare, never keyword matches", () => {
    const dir = project();
    write(dir, "src/auth/oauth-client.ts", "export const oauthClient = 1;\n");
    git(dir, "add", "-A");
    git(dir, "commit", "-qm", "client");
    // The other plan lists a file matching this plan's keywords that this plan does not name.
    sessionCleanup(dir, ["src/auth/login.ts", "src/auth/oauth-client.ts"]);
    ok(dir, ["plan", "context", PLAN]);
    const pkg = readJson(topic(dir, PLAN, "context-package.json"));
    assert.ok(
      pkg.assets.source.some((a: { path: string }) => a.path === "src/auth/oauth-client.ts"),
      "the keyword match is still ranked as relevant",
    );
    assert.deepEqual(pkg.conflict_detection.overlaps, [
      { kind: "plan", with: OTHER, files: ["src/auth/login.ts"] },
    ]);
    const listed = ok(dir, ["plan", "conflicts", PLAN, "--json"]).json;
    assert.deepEqual(listed.conflicts[0].affected_files, ["src/auth/login.ts"]);
    assert.match(listed.conflicts[0].brief, /open plan plan-session-cleanup/);
  });

  test("a plan whose session completed (and specs are done) is not open work", () => {
    const dir = project();
    ok(dir, ["seed", "Cleanup"]);
    sessionCleanup(dir, ["src/auth/login.ts"]);
    ok(dir, ["backlog", OTHER]);
    assert.equal(ok(dir, ["seed", "--active", "--json"]).json.session, null);
    const r = ok(dir, ["plan", "context", PLAN, "--json"]).json;
    assert.equal(r.risk_level, "none");
    assert.deepEqual(
      readJson(topic(dir, PLAN, "context-package.json")).conflict_detection.overlaps,
      [],
    );
  });

  test("sequence_after holds the overlapping task back in plan next until the other plan is done", () => {
    const dir = project();
    sessionCleanup(dir, ["src/auth/login.ts"]);
    ok(dir, ["plan", "context", PLAN]);
    const decided = ok(dir, ["plan", "conflicts", PLAN, "--recommended", "--json"]).json;
    assert.deepEqual(decided.resolutions, [{ id: "CONF-1", strategy: "sequence_after" }]);
    write(
      dir,
      "mine.json",
      JSON.stringify([
        { id: "IMPL-1", title: "Rework login", files: ["src/auth/login.ts"], acceptance: ["a"] },
        { id: "IMPL-2", title: "Write the guide", files: ["docs/oauth.md"], acceptance: ["b"] },
      ]),
    );
    const tasks = ok(dir, ["plan", "tasks", PLAN, "--from", "mine.json", "--json"]).json;
    fs.rmSync(path.join(dir, "mine.json"));
    const execute = tasks.next_steps.find((s: { step: string }) => s.step === "execute");
    assert.deepEqual(execute.ready, ["IMPL-2"]);
    const next = ok(dir, ["plan", "next", PLAN, "--json"]).json;
    assert.deepEqual(
      next.next.map((t: { id: string }) => t.id),
      ["IMPL-2"],
    );
    assert.deepEqual(next.held, [
      {
        id: "IMPL-1",
        title: "Rework login",
        after: OTHER,
        conflict: "CONF-1",
        files: ["src/auth/login.ts"],
      },
    ]);
    assert.match(
      ok(dir, ["plan", "next", PLAN]).stdout,
      /IMPL-1 +Rework login {2}\(after plan-session-cleanup/,
    );
    ok(dir, ["plan", "task", OTHER, "IMPL-1", "--status", "done"]);
    const after = ok(dir, ["plan", "next", PLAN, "--json"]).json;
    assert.deepEqual(
      after.next.map((t: { id: string }) => t.id),
      ["IMPL-1", "IMPL-2"],
    );
    assert.deepEqual(after.held, []);
  });
});

describe("plan context outside git", () => {
  test("a plain walk skips node_modules, dist and dot-folders", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "baton-nogit-"));
    ok(dir, ["init"]);
    write(dir, "src/oauth.ts", "export const oauth = 1;\n");
    write(dir, "node_modules/oauth/index.js", "module.exports = 'oauth';\n");
    write(dir, "dist/oauth.js", "oauth\n");
    write(dir, ".cache/oauth.ts", "oauth\n");
    ok(dir, ["plan", "OAuth login"]);
    completeStructure(dir, PLAN);
    ok(dir, ["plan", "context", PLAN]);
    const pkg = readJson(topic(dir, PLAN, "context-package.json"));
    assert.equal(pkg.metadata.scan.source, "walk");
    const paths = (Object.values(pkg.assets).flat() as { path: string }[]).map((a) => a.path);
    assert.deepEqual(paths, ["src/oauth.ts"]);
    assert.equal(pkg.conflict_detection.risk_level, "none");
  });
});
