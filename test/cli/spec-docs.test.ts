import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { lintEars } from "../../src/core/spec/ears.ts";
import {
  CORPUS_ABSENT_MESSAGE,
  CORPUS_DIR,
  CORPUS_PRESENT,
  corpusFiles,
  readCorpus,
} from "../core/spec/corpus.ts";
import { baton, knowledge, makeTempRepo, makeWorkspace, snapshotTree } from "../helpers.ts";
import { assertTreeEqual, fails, failsTouchingNothing, ok, read } from "./support.ts";

const SPEC_DIR = [".baton", "planning"];

function specPath(dir: string, name: string, ...file: string[]): string {
  return path.join(dir, ...SPEC_DIR, name, ...file);
}

/** status.yaml's flat fields and its history entries (one JSON object per line). */
function status(
  dir: string,
  name: string,
): { stage: string; approved_hash: string; history: any[] } {
  const text = read(specPath(dir, name, "status.yaml"));
  const stage = /^stage: (\S+)$/m.exec(text)?.[1] as string;
  const hash = /^approved_hash: (.+)$/m.exec(text)?.[1] as string;
  const history = [...text.matchAll(/^ {2}- (\{.*\})$/gm)].map((m) => JSON.parse(m[1] as string));
  return { stage, approved_hash: JSON.parse(hash), history };
}

function events(dir: string): any[] {
  const file = path.join(dir, ".baton", "events.jsonl");
  if (!fs.existsSync(file)) return [];
  return read(file)
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

function specEvents(dir: string): string[] {
  return events(dir)
    .map((e) => e.type as string)
    .filter((t) => t.startsWith("spec."));
}

/** Submitted by ada, approved by bob: the approver is never the submitter. */
function reviewed(dir: string, name = "user-auth"): void {
  ok(dir, ["spec", "submit", name, "--by", "ada"]);
  ok(dir, ["spec", "approve", name, "--by", "bob"]);
}

/** A workspace holding spec `name` made by `baton spec new`. */
function withSpec(name = "user-auth"): string {
  const dir = makeWorkspace();
  ok(dir, ["spec", "new", name]);
  return dir;
}

const GOOD_REQUIREMENTS = `# Requirements Document

## Requirements

### Requirement 1: Sign-in

**User Story:** As a user, I want to sign in with GitHub, so that I need no password.

#### Acceptance Criteria

1. WHEN the user chooses GitHub THEN THE app SHALL redirect to GitHub's consent page
2. IF GitHub denies consent THEN THE app SHALL show the sign-in page with the reason
`;

const BAD_REQUIREMENTS = `# Requirements Document

### Requirement 1

#### Acceptance Criteria

1. The app must redirect to GitHub
2. WHEN the user signs out THEN THE app SHALL clear the session
`;

const GOOD_TASKS = `# Implementation Plan

- [ ] 1. Redirect
  - _Requirements: 1.1_
- [ ] 2. Denied consent
  - _Requirements: 1.2_
`;

function writeDoc(dir: string, name: string, file: string, text: string): void {
  fs.writeFileSync(specPath(dir, name, file), text);
}

describe("baton spec new", () => {
  test("writes the documents and status.yaml (draft) in the planning folder", () => {
    const dir = makeWorkspace();
    const r = ok(dir, ["spec", "new", "user-auth", "--json"]);
    const folder = ".baton/planning/user-auth";
    assert.equal(r.json.spec, "user-auth");
    assert.equal(r.json.title, "User auth");
    assert.equal(r.json.folder, folder);
    assert.equal(r.json.stage, "draft");
    assert.equal(r.json.plan, null);
    assert.deepEqual(r.json.files, [
      `${folder}/requirements.md`,
      `${folder}/design.md`,
      `${folder}/tasks.md`,
      `${folder}/spec-metadata.json`,
      `${folder}/status.yaml`,
    ]);
    assert.ok(r.json.next.includes("baton spec submit user-auth"));
    const yaml = read(specPath(dir, "user-auth", "status.yaml"));
    assert.match(yaml, /^name: "user-auth"$/m);
    assert.match(yaml, /^spec: "\.baton\/planning\/user-auth"$/m);
    assert.match(yaml, /^stage: draft$/m);
    assert.match(yaml, /^history: \[\]$/m);
    const meta = JSON.parse(read(specPath(dir, "user-auth", "spec-metadata.json")));
    assert.equal(meta.schema_version, 1);
    assert.equal(meta.name, "user-auth");
    assert.equal(meta.plan, null);
    const requirements = read(specPath(dir, "user-auth", "requirements.md"));
    assert.match(requirements, /^# Requirements Document: User auth$/m);
    assert.match(requirements, /^\*\*User Story:\*\* As a \[ROLE\]/m);
    assert.match(requirements, /^1\. WHEN \[TRIGGER\] THEN THE \[SYSTEM\] SHALL \[RESPONSE\]$/m);
    assert.match(read(specPath(dir, "user-auth", "tasks.md")), /_Requirements: 1\.1, 1\.2_/);
    // No spec was active, so the new one is.
    assert.equal(r.json.activated, true);
    assert.equal(read(dir, ".baton", "planning", ".active"), "user-auth\n");
    assert.deepEqual(specEvents(dir), ["spec.created", "spec.activated"]);

    const text = ok(dir, ["spec", "new", "other", "--title", "Other thing"]).stdout;
    assert.match(text, /^Created spec other \(draft\) in \.baton\/planning\/other$/m);
    assert.doesNotMatch(text, /Active spec/);
    assert.equal(read(dir, ".baton", "planning", ".active"), "user-auth\n", "one was active");
    assert.match(read(specPath(dir, "other", "design.md")), /^# Design Document: Other thing$/m);
  });

  test("the fresh templates lint and trace clean: placeholders are warnings, no errors", () => {
    const dir = withSpec();
    const lint = ok(dir, ["spec", "lint", "user-auth", "--json"]).json;
    assert.equal(lint.ok, true);
    assert.equal(lint.errors, 0);
    assert.equal(lint.error, undefined);
    assert.ok(lint.warnings > 0);
    assert.deepEqual([...new Set(lint.findings.map((f: any) => f.code))], ["SPEC_PLACEHOLDER"]);
    assert.equal(lint.ears.criteria, 3);
    assert.equal(lint.tasks.total, 2);
    const trace = ok(dir, ["spec", "trace", "user-auth", "--json"]).json;
    assert.equal(trace.ok, true);
    assert.deepEqual(trace.findings, []);
    assert.deepEqual(
      trace.rows.map((r: any) => [r.id, r.covered_by]),
      [
        ["1.1", ["1"]],
        ["1.2", ["1"]],
        ["1.3", ["2"]],
      ],
    );
  });

  test("--from-plan carries the plan's tasks and links the spec in the plan's sources.md", () => {
    const dir = makeWorkspace();
    ok(dir, ["plan", "Ship it", "--body", "Goal\n\n- [ ] Add provider\n- [x] Pick library"]);
    const r = ok(dir, ["spec", "new", "ship", "--from-plan", "plan-ship-it", "--json"]).json;
    assert.deepEqual(r.plan, {
      id: "plan-ship-it",
      tasks: 2,
      sources_md: ".baton/knowledge/topics/plan-ship-it/sources.md",
    });
    const tasks = read(specPath(dir, "ship", "tasks.md"));
    assert.match(tasks, /^- \[ \] 1\. Add provider$/m);
    assert.match(tasks, /^- \[x\] 2\. Pick library$/m);
    assert.match(
      tasks,
      /\[plan-ship-it\]\(\.\.\/\.\.\/knowledge\/topics\/plan-ship-it\/plan\.md\)/,
    );
    const meta = JSON.parse(read(specPath(dir, "ship", "spec-metadata.json")));
    assert.deepEqual(meta.plan, {
      id: "plan-ship-it",
      path: ".baton/knowledge/topics/plan-ship-it/plan.md",
      tasks: 2,
    });
    const sources = read(knowledge(dir, "topics", "plan-ship-it", "sources.md"));
    assert.match(
      sources,
      /## Specs\n\n- spec: \[ship\]\(\.\.\/\.\.\/\.\.\/planning\/ship\/requirements\.md\) \(\.baton\/planning\/ship\)\n/,
    );
    const created = events(dir).find((e) => e.type === "spec.created");
    assert.equal(created.plan, "plan-ship-it");
    // The carried tasks cite nothing yet: trace says so, as warnings.
    const trace = ok(dir, ["spec", "trace", "ship", "--json"]).json;
    assert.deepEqual(trace.uncited_tasks, ["1", "2"]);
    assert.equal(trace.ok, true);
    // A second spec from the same plan adds its own line once.
    ok(dir, ["spec", "new", "ship-two", "--from-plan", "plan-ship-it"]);
    const again = read(knowledge(dir, "topics", "plan-ship-it", "sources.md"));
    assert.equal(again.match(/## Specs/g)?.length, 1);
    assert.equal(again.match(/- spec: /g)?.length, 2);
  });

  test("refuses an existing spec or document and bad input, changing nothing", () => {
    const dir = withSpec();
    const exists = failsTouchingNothing(dir, ["spec", "new", "user-auth"], "STATE_CONFLICT", 4);
    assert.match(exists.message, /spec user-auth already exists/);
    assert.match(exists.hint, /\.baton\/planning\/user-auth/);
    // Documents without a status.yaml are someone's work too.
    fs.mkdirSync(specPath(dir, "manual"), { recursive: true });
    fs.writeFileSync(specPath(dir, "manual", "tasks.md"), "- [ ] mine\n");
    const doc = failsTouchingNothing(dir, ["spec", "new", "manual"], "STATE_CONFLICT", 4);
    assert.match(doc.message, /tasks\.md already exists/);
    assert.match(doc.hint, /baton spec setup --spec \.baton\/planning\/manual/);
    failsTouchingNothing(dir, ["spec", "new", "../evil"], "INVALID_ID", 2);
    failsTouchingNothing(dir, ["spec", "new", "User Auth"], "INVALID_ID", 2);
    failsTouchingNothing(dir, ["spec", "new"], "USAGE", 2);
    failsTouchingNothing(dir, ["spec", "new", "a", "b"], "USAGE", 2);
    failsTouchingNothing(
      dir,
      ["spec", "new", "x", "--from-plan", "plan-nope"],
      "TOPIC_NOT_FOUND",
      3,
    );
    failsTouchingNothing(dir, ["spec", "new", "x", "--from-plan", "../plan"], "INVALID_ID", 2);
    ok(dir, ["seed", "Idea", "--no-session"]);
    failsTouchingNothing(dir, ["spec", "new", "x", "--from-plan", "seed-idea"], "INVALID_ID", 2);
    failsTouchingNothing(dir, ["spec", "new", "x", "--title", "two\nlines"], "INVALID_INPUT", 2);
    assert.ok(!fs.existsSync(specPath(dir, "x")), "no half-made spec folder");
  });

  test("follows a configured planning.dir", () => {
    const dir = makeWorkspace();
    const config = path.join(dir, ".baton", "config.yaml");
    fs.writeFileSync(config, read(config).replace("dir: .baton/planning", "dir: .planning"));
    const r = ok(dir, ["spec", "new", "user-auth", "--json"]).json;
    assert.equal(r.folder, ".planning/user-auth");
    assert.match(
      read(dir, ".planning", "user-auth", "status.yaml"),
      /^spec: "\.planning\/user-auth"$/m,
    );
    ok(dir, ["spec", "submit", "user-auth", "--by", "ada"]);
  });
});

describe("baton spec lint", () => {
  test("EARS errors fail with exit 5 and one JSON document carrying the findings", () => {
    const dir = withSpec();
    writeDoc(dir, "user-auth", "requirements.md", BAD_REQUIREMENTS);
    writeDoc(
      dir,
      "user-auth",
      "tasks.md",
      "- [?] 1. Odd\n- [ ] 2. Fine\n  - _Requirements: 1.2_\n",
    );
    const before = snapshotTree(dir);
    const r = baton(dir, ["spec", "lint", "user-auth", "--json"]);
    assert.equal(r.code, 5, r.stdout + r.stderr);
    assert.equal(r.json.ok, false);
    assert.deepEqual(r.json.error.code, "LINT_FAILED");
    assert.match(r.json.error.message, /spec user-auth has 1 lint error/);
    assert.ok(r.json.error.hint.length > 0);
    assert.equal(r.json.errors, 1);
    const error = r.json.findings.find((f: any) => f.severity === "error");
    assert.deepEqual(Object.keys(error).sort(), [
      "code",
      "file",
      "hint",
      "line",
      "message",
      "severity",
    ]);
    assert.deepEqual(
      [error.file, error.line, error.code],
      [".baton/planning/user-auth/requirements.md", 7, "EARS_NO_SHALL"],
    );
    const codes = r.json.findings.map((f: any) => `${f.file.split("/").pop()}:${f.line}:${f.code}`);
    assert.ok(codes.includes("tasks.md:1:TASK_UNKNOWN_STATUS"), codes.join(" "));
    assert.ok(
      codes.some((c: string) => c.startsWith("design.md:") && c.endsWith("SPEC_PLACEHOLDER")),
    );
    assert.equal(r.stdout.trim().startsWith("{"), true);
    JSON.parse(r.stdout);
    assertTreeEqual(dir, before, "a failing lint changes nothing");

    const text = baton(dir, ["spec", "lint", "user-auth"]);
    assert.equal(text.code, 5);
    assert.match(
      text.stdout,
      /^\.baton\/planning\/user-auth\/requirements\.md:7: error EARS_NO_SHALL: .+\n {4}hint: .+$/m,
    );
    assert.match(
      text.stdout,
      /spec user-auth: 1 error, \d+ warnings; 2 acceptance criteria checked, 1 task — LINT_FAILED$/m,
    );
  });

  test("a missing requirements.md is an error; missing design and tasks are warnings", () => {
    const dir = withSpec();
    fs.rmSync(specPath(dir, "user-auth", "requirements.md"));
    fs.rmSync(specPath(dir, "user-auth", "tasks.md"));
    const r = baton(dir, ["spec", "lint", "user-auth", "--json"]);
    assert.equal(r.code, 5);
    const missing = r.json.findings
      .filter((f: any) => f.code === "SPEC_FILE_MISSING")
      .map((f: any) => [f.file, f.severity]);
    assert.deepEqual(missing, [
      [".baton/planning/user-auth/requirements.md", "error"],
      [".baton/planning/user-auth/tasks.md", "warning"],
    ]);
  });

  test("lints a folder or a single file by path, also outside a workspace", () => {
    const dir = makeTempRepo();
    fs.mkdirSync(path.join(dir, "specs", "auth"), { recursive: true });
    fs.writeFileSync(path.join(dir, "specs", "auth", "requirements.md"), GOOD_REQUIREMENTS);
    fs.writeFileSync(path.join(dir, "specs", "auth", "tasks.md"), GOOD_TASKS);
    const before = snapshotTree(dir);
    const folder = ok(dir, ["spec", "lint", "specs/auth", "--json"]).json;
    assert.equal(folder.spec, null);
    assert.equal(folder.path, "specs/auth");
    assert.equal(folder.layout, "kiro");
    assert.deepEqual(folder.files, {
      requirements: "specs/auth/requirements.md",
      requirement_docs: ["specs/auth/requirements.md"],
      design: null,
      tasks: "specs/auth/tasks.md",
      proposal: null,
    });
    assert.deepEqual(
      folder.findings.map((f: any) => [f.code, f.severity]),
      [["SPEC_FILE_MISSING", "warning"]],
    );
    assert.equal(folder.ears.criteria, 2);
    assert.equal(folder.ears.patterns["event-driven"], 1);
    assert.equal(folder.ears.patterns["unwanted-behaviour"], 1);
    const file = ok(dir, ["spec", "lint", "specs/auth/requirements.md", "--json"]).json;
    assert.deepEqual(file.findings, []);
    assert.equal(file.tasks, null);
    const tasksOnly = ok(path.join(dir, "specs"), ["spec", "lint", "auth/tasks.md", "--json"]).json;
    assert.equal(tasksOnly.tasks.total, 2);
    assert.equal(tasksOnly.ears.criteria, 0);
    // A bare word that is a folder here, and no workspace: read as a path.
    assert.equal(ok(path.join(dir, "specs"), ["spec", "lint", "auth", "--json"]).json.path, "auth");
    assertTreeEqual(dir, before, "linting by path writes nothing");
    fails(dir, ["spec", "lint", "specs/nope"], "FILE_NOT_FOUND", 3);
    fails(dir, ["spec", "lint", "nope"], "NO_WORKSPACE", 3);
    fs.mkdirSync(path.join(dir, "empty"));
    fails(dir, ["spec", "lint", "empty/"], "FILE_NOT_FOUND", 3);
  });

  test("unknown and malformed specs are refused without changes", () => {
    const dir = withSpec();
    failsTouchingNothing(dir, ["spec", "lint", "nope"], "SPEC_NOT_FOUND", 3);
    failsTouchingNothing(dir, ["spec", "lint"], "USAGE", 2);
    failsTouchingNothing(dir, ["spec", "trace", "nope"], "SPEC_NOT_FOUND", 3);
    fs.writeFileSync(specPath(dir, "user-auth", "status.yaml"), "schema_version: 1\nname: [\n");
    for (const args of [
      ["spec", "lint", "user-auth"],
      ["spec", "trace", "user-auth"],
      ["spec", "submit", "user-auth", "--by", "ada"],
    ]) {
      failsTouchingNothing(dir, args, "CORRUPT_FILE", 5);
    }
    fs.writeFileSync(
      specPath(dir, "user-auth", "status.yaml"),
      read(specPath(withSpec(), "user-auth", "status.yaml")).replace(
        "schema_version: 1",
        "schema_version: 99",
      ),
    );
    failsTouchingNothing(dir, ["spec", "approve", "user-auth", "--by", "ada"], "SCHEMA_TOO_NEW", 5);
  });
});

describe("baton spec trace", () => {
  test("flags tasks citing unknown requirements (exit 5) and uncovered criteria", () => {
    const dir = withSpec();
    writeDoc(dir, "user-auth", "requirements.md", GOOD_REQUIREMENTS);
    writeDoc(
      dir,
      "user-auth",
      "tasks.md",
      "- [ ] 1. Redirect\n  - _Requirements: 1.1, 3.2_\n- [ ] 2. Docs\n",
    );
    const before = snapshotTree(dir);
    const r = baton(dir, ["spec", "trace", "user-auth", "--json"]);
    assert.equal(r.code, 5, r.stdout + r.stderr);
    assert.equal(r.json.error.code, "LINT_FAILED");
    assert.deepEqual(r.json.unknown_references, [{ task: "1", ref: "3.2", line: 1 }]);
    assert.deepEqual(r.json.uncovered, ["1.2"]);
    assert.deepEqual(r.json.uncited_tasks, ["2"]);
    assert.deepEqual(
      r.json.rows.map((row: any) => [row.id, row.requirement, row.covered_by]),
      [
        ["1.1", "1", ["1"]],
        ["1.2", "1", []],
      ],
    );
    assert.deepEqual(
      r.json.findings.map((f: any) => [f.file, f.line, f.severity, f.code]),
      [
        [".baton/planning/user-auth/requirements.md", 12, "warning", "TRACE_UNCOVERED"],
        [".baton/planning/user-auth/tasks.md", 1, "error", "TRACE_UNKNOWN_REQUIREMENT"],
        [".baton/planning/user-auth/tasks.md", 3, "warning", "TRACE_TASK_UNCITED"],
      ],
    );
    assertTreeEqual(dir, before, "trace writes nothing");
    const text = baton(dir, ["spec", "trace", "user-auth"]);
    assert.equal(text.code, 5);
    assert.match(text.stdout, /^REQUIREMENT {2}TASKS\n1\.1 {10}1\n1\.2 {10}-$/m);
    assert.match(text.stdout, /task 1 cites 3\.2 \(\.baton\/planning\/user-auth\/tasks\.md:1\)/);
    assert.match(text.stdout, /Not covered by any task: 1\.2/);
    assert.match(text.stdout, /1\/2 covered; 1 error, 2 warnings — LINT_FAILED$/m);

    writeDoc(dir, "user-auth", "tasks.md", GOOD_TASKS);
    const clean = ok(dir, ["spec", "trace", "user-auth", "--json"]).json;
    assert.equal(clean.ok, true);
    assert.deepEqual(clean.findings, []);
  });

  test("needs both documents", () => {
    const dir = withSpec();
    fs.rmSync(specPath(dir, "user-auth", "tasks.md"));
    const e = failsTouchingNothing(dir, ["spec", "trace", "user-auth"], "FILE_NOT_FOUND", 3);
    assert.match(e.message, /tasks\.md is missing/);
  });
});

describe("the approval gate", () => {
  test("submit, approve, start, complete: who, when, comment and hash recorded; history grows", () => {
    const dir = withSpec();
    writeDoc(dir, "user-auth", "requirements.md", GOOD_REQUIREMENTS);
    writeDoc(dir, "user-auth", "tasks.md", GOOD_TASKS);
    const submit = ok(dir, ["spec", "submit", "user-auth", "--by", "ada", "--json"]).json;
    assert.deepEqual(
      [submit.action, submit.from, submit.to, submit.stage, submit.by, submit.comment],
      ["submit", "draft", "in_review", "in_review", "ada", null],
    );
    assert.match(submit.content_hash, /^sha256:[0-9a-f]{64}$/);
    assert.equal(submit.forced, false);
    assert.equal(submit.reopened, false);
    assert.equal(submit.history, 1);
    assert.deepEqual(submit.next, [
      "baton spec approve user-auth",
      "baton spec reject user-auth",
      "baton spec request-changes user-auth",
      "baton spec start user-auth --force",
    ]);
    const approve = ok(dir, [
      "spec",
      "approve",
      "user-auth",
      "--by",
      "Grace Hopper",
      "--comment",
      "LGTM",
      "--json",
    ]).json;
    assert.equal(approve.stage, "approved");
    assert.equal(approve.content_hash, submit.content_hash, "documents unchanged since submit");
    assert.deepEqual(approve.next, ["baton spec start user-auth"]);
    const text = ok(dir, ["spec", "start", "user-auth", "--by", "ada"]).stdout;
    assert.match(text, /^Spec user-auth: approved -> implementing \(start by ada\)$/m);
    assert.match(text, /^Next: baton spec complete user-auth$/m);
    writeDoc(dir, "user-auth", "tasks.md", GOOD_TASKS.replaceAll("- [ ]", "- [x]"));
    const complete = ok(dir, ["spec", "complete", "user-auth", "--by", "ada", "--json"]);
    assert.equal(complete.json.stage, "done");
    assert.deepEqual(complete.json.next, []);
    assert.equal(complete.json.override, null);
    assert.equal(complete.stderr, "");

    const s = status(dir, "user-auth");
    assert.equal(s.stage, "done");
    assert.equal(s.approved_hash, approve.content_hash);
    assert.deepEqual(
      s.history.map((h) => [h.action, h.from, h.to, h.by, h.comment]),
      [
        ["submit", "draft", "in_review", "ada", null],
        ["approve", "in_review", "approved", "Grace Hopper", "LGTM"],
        ["start", "approved", "implementing", "ada", null],
        ["complete", "implementing", "done", "ada", null],
      ],
    );
    for (const h of s.history) {
      assert.match(h.at, /^\d{4}-\d{2}-\d{2}T/);
      assert.equal(h.content_hash, submit.content_hash);
    }
    assert.deepEqual(specEvents(dir), [
      "spec.created",
      "spec.activated",
      "spec.submitted",
      "spec.approved",
      "spec.started",
      "spec.completed",
    ]);
    const approved = events(dir).find((e) => e.type === "spec.approved");
    assert.deepEqual(
      [approved.spec, approved.by, approved.comment, approved.content_hash],
      ["user-auth", "Grace Hopper", "LGTM", approve.content_hash],
    );
    const final = failsTouchingNothing(
      dir,
      ["spec", "start", "user-auth", "--force", "--by", "ada"],
      "STATE_CONFLICT",
      4,
    );
    assert.match(final.hint, /done is final/);
  });

  test("without --by the actor is git config user.name", () => {
    const dir = withSpec();
    spawnSync("git", ["config", "user.name", "Test Reviewer"], { cwd: dir });
    const r = ok(dir, ["spec", "submit", "user-auth", "--json"]).json;
    assert.equal(r.by, "Test Reviewer");
    assert.equal(status(dir, "user-auth").history[0].by, "Test Reviewer");
  });

  test("illegal steps name the allowed ones and change nothing", () => {
    const dir = withSpec();
    const approve = failsTouchingNothing(
      dir,
      ["spec", "approve", "user-auth", "--by", "ada"],
      "STATE_CONFLICT",
      4,
    );
    assert.equal(approve.message, "spec user-auth is draft; approve needs in_review");
    assert.equal(
      approve.hint,
      "from draft you can run: baton spec submit user-auth, baton spec start user-auth --force",
    );
    const start = failsTouchingNothing(
      dir,
      ["spec", "start", "user-auth", "--by", "ada"],
      "STATE_CONFLICT",
      4,
    );
    assert.equal(start.message, "spec user-auth is draft; start needs approved");
    failsTouchingNothing(
      dir,
      ["spec", "complete", "user-auth", "--by", "ada"],
      "STATE_CONFLICT",
      4,
    );
    failsTouchingNothing(dir, ["spec", "reject", "user-auth", "--by", "ada"], "STATE_CONFLICT", 4);
    failsTouchingNothing(dir, ["spec", "approve", "user-auth", "--force"], "USAGE", 2);
    failsTouchingNothing(dir, ["spec", "submit", "user-auth", "--by", ""], "INVALID_INPUT", 2);
    failsTouchingNothing(dir, ["spec", "submit", "nope", "--by", "ada"], "SPEC_NOT_FOUND", 3);
    failsTouchingNothing(dir, ["spec", "submit", "../x", "--by", "ada"], "INVALID_ID", 2);
    failsTouchingNothing(dir, ["spec", "submit"], "USAGE", 2);
    failsTouchingNothing(dir, ["spec", "submit", "user-auth", "--bogus"], "USAGE", 2);
    ok(dir, ["spec", "submit", "user-auth", "--by", "ada"]);
    failsTouchingNothing(dir, ["spec", "submit", "user-auth", "--by", "ada"], "STATE_CONFLICT", 4);
  });

  test("a forced start from draft is recorded as force_start", () => {
    const dir = withSpec();
    const r = ok(dir, [
      "spec",
      "start",
      "user-auth",
      "--force",
      "--by",
      "ada",
      "--comment",
      "hotfix",
      "--json",
    ]);
    assert.deepEqual(
      [r.json.action, r.json.from, r.json.to, r.json.forced, r.json.comment],
      ["force_start", "draft", "implementing", true, "hotfix"],
    );
    assert.match(r.stderr, /started without approval \(was draft\); recorded as force_start/);
    assert.deepEqual(
      status(dir, "user-auth").history.map((h) => [h.action, h.by, h.comment]),
      [["force_start", "ada", "hotfix"]],
    );
    assert.equal(events(dir).at(-1).type, "spec.force_started");
    // --force on an approved spec skips nothing: a plain start.
    const other = withSpec("other");
    reviewed(other, "other");
    const plain = ok(other, ["spec", "start", "other", "--force", "--by", "ada", "--json"]).json;
    assert.deepEqual([plain.action, plain.forced], ["start", false]);
  });

  test("reject and request-changes send the spec back; submitting again keeps the whole history", () => {
    const dir = withSpec();
    const steps: [string, string][] = [
      ["submit", "in_review"],
      ["request-changes", "changes_requested"],
      ["submit", "in_review"],
      ["reject", "rejected"],
      ["submit", "in_review"],
      ["approve", "approved"],
    ];
    for (const [verb, stage] of steps) {
      const r = ok(dir, [
        "spec",
        verb,
        "user-auth",
        "--by",
        verb === "submit" ? "ada" : "bob",
        "--comment",
        verb,
        "--json",
      ]).json;
      assert.equal(r.stage, stage, verb);
    }
    assert.deepEqual(
      status(dir, "user-auth").history.map((h) => [h.action, h.comment]),
      [
        ["submit", "submit"],
        ["request_changes", "request-changes"],
        ["submit", "submit"],
        ["reject", "reject"],
        ["submit", "submit"],
        ["approve", "approve"],
      ],
    );
  });

  test("changing an approved spec's documents sends it back to review on the next command", () => {
    const dir = withSpec();
    reviewed(dir);
    const approvedHistory = status(dir, "user-auth").history;
    fs.appendFileSync(specPath(dir, "user-auth", "design.md"), "\nOne more thought.\n");

    // A refused command reports the change but writes nothing.
    const start = failsTouchingNothing(
      dir,
      ["spec", "start", "user-auth", "--by", "ada"],
      "STATE_CONFLICT",
      4,
    );
    assert.match(
      start.message,
      /is in_review \(its documents changed after approval\); start needs approved/,
    );

    // The next command that succeeds records the reopen, with a notice.
    const lint = ok(dir, ["spec", "lint", "user-auth", "--json"]);
    assert.equal(lint.json.reopened, true);
    assert.equal(lint.json.stage, "in_review");
    assert.match(
      lint.stderr,
      /\[baton\] Spec user-auth went back to in_review: its documents changed after approval/,
    );
    const s = status(dir, "user-auth");
    assert.equal(s.stage, "in_review");
    assert.deepEqual(
      s.history.slice(0, approvedHistory.length),
      approvedHistory,
      "history only grows",
    );
    const reopen = s.history.at(-1);
    assert.deepEqual(
      [reopen.action, reopen.from, reopen.to, reopen.by],
      ["reopen", "approved", "in_review", "baton"],
    );
    assert.notEqual(reopen.content_hash, s.approved_hash);
    assert.equal(specEvents(dir).at(-1), "spec.reopened");

    // Nothing changed since: no second reopen.
    const again = ok(dir, ["spec", "trace", "user-auth", "--json"]);
    assert.equal(again.json.reopened, false);
    assert.equal(again.stderr, "");
    assert.equal(status(dir, "user-auth").history.length, s.history.length);

    const approve = ok(dir, ["spec", "approve", "user-auth", "--by", "bob", "--json"]).json;
    assert.equal(approve.content_hash, reopen.content_hash);
    assert.equal(status(dir, "user-auth").approved_hash, reopen.content_hash);
  });

  test("status, resume and PLANNING.md show a changed approved spec as back in review", () => {
    const dir = withSpec();
    reviewed(dir);
    ok(dir, ["spec", "activate", "user-auth"]);
    fs.appendFileSync(specPath(dir, "user-auth", "requirements.md"), "\nA late addition.\n");
    const before = snapshotTree(dir);
    const st = ok(dir, ["status", "--json"]).json;
    assert.deepEqual(st.spec, {
      name: "user-auth",
      stage: "in_review",
      last_known_branch: null,
      changed_since_approval: true,
    });
    assert.match(ok(dir, ["status"]).stdout, /Spec: user-auth \(in_review, changed since approval/);
    assert.match(
      ok(dir, ["resume"]).stdout,
      /- Active spec user-auth is in_review: its documents changed after approval, so it needs approving again before implementation\./,
    );
    assertTreeEqual(dir, before, "status and resume only read");
    // The next state change rewrites PLANNING.md with the stage the gate will find.
    ok(dir, ["journal", "note", "checking"]);
    assert.match(
      read(dir, "PLANNING.md"),
      /- Spec: user-auth \(in_review, changed since approval\)/,
    );
    failsTouchingNothing(dir, ["spec", "start", "user-auth"], "STATE_CONFLICT", 4);
  });

  test("ticking tasks off an approved spec is progress, not a change to review again", () => {
    const dir = withSpec();
    reviewed(dir);
    const tasks = specPath(dir, "user-auth", "tasks.md");
    const text = read(tasks);
    assert.match(text, /- \[ \]/);
    fs.writeFileSync(tasks, text.replace("- [ ]", "- [x]").replace("- [ ]", "- [~]"));
    const r = ok(dir, ["spec", "status", "--spec", "user-auth", "--json"]).json;
    assert.equal(r.reopened, false);
    assert.equal(r.spec.stage, "approved");
    assert.equal(r.progress.done, 1);
    // A new task is a change.
    fs.appendFileSync(tasks, "- [ ] 9. A new task\n");
    assert.equal(ok(dir, ["spec", "status", "--spec", "user-auth", "--json"]).json.reopened, true);
  });

  test("a gate command finding changed documents reopens and then acts in one step", () => {
    const dir = withSpec();
    reviewed(dir);
    fs.appendFileSync(specPath(dir, "user-auth", "tasks.md"), "- [ ] 3. More\n");
    const r = ok(dir, ["spec", "request-changes", "user-auth", "--by", "bob", "--json"]);
    assert.equal(r.json.reopened, true);
    assert.deepEqual([r.json.from, r.json.to], ["in_review", "changes_requested"]);
    assert.match(r.stderr, /went back to in_review/);
    assert.deepEqual(
      status(dir, "user-auth").history.map((h) => h.action),
      ["submit", "approve", "reopen", "request_changes"],
    );
    assert.deepEqual(specEvents(dir).slice(-2), ["spec.reopened", "spec.changes_requested"]);
  });
});

describe("the gate's rules: lint, reviewer, open tasks", () => {
  /** A spec whose documents lint clean: GOOD_REQUIREMENTS and GOOD_TASKS. */
  function clean(): string {
    const dir = withSpec();
    writeDoc(dir, "user-auth", "requirements.md", GOOD_REQUIREMENTS);
    writeDoc(dir, "user-auth", "tasks.md", GOOD_TASKS);
    return dir;
  }

  test("lint reports the unknown requirement references trace reports", () => {
    const dir = clean();
    writeDoc(
      dir,
      "user-auth",
      "tasks.md",
      `${GOOD_TASKS}- [ ] 3. Extra\n  - _Requirements: 4.2_\n`,
    );
    const lint = baton(dir, ["spec", "lint", "user-auth", "--json"]);
    const trace = baton(dir, ["spec", "trace", "user-auth", "--json"]);
    assert.equal(lint.code, 5, lint.stdout);
    assert.equal(trace.code, 5, trace.stdout);
    const unknown = (r: any) =>
      r.json.findings.filter((f: any) => f.code === "TRACE_UNKNOWN_REQUIREMENT");
    assert.equal(unknown(lint).length, 1);
    assert.deepEqual(unknown(lint), unknown(trace));
    assert.match(unknown(lint)[0].message, /task 3 cites requirement 4\.2/);
  });

  test("submit refuses a spec with lint errors; --force submits and records the override", () => {
    const dir = clean();
    writeDoc(
      dir,
      "user-auth",
      "tasks.md",
      `${GOOD_TASKS}- [ ] 3. Extra\n  - _Requirements: 4.2_\n`,
    );
    const e = failsTouchingNothing(
      dir,
      ["spec", "submit", "user-auth", "--by", "ada"],
      "LINT_FAILED",
      5,
    );
    assert.match(
      e.message,
      /spec user-auth has 1 lint error \(first: .*tasks\.md:7 TRACE_UNKNOWN_REQUIREMENT\)/,
    );
    assert.match(e.hint, /baton spec submit user-auth --force/);
    const forced = ok(dir, ["spec", "submit", "user-auth", "--by", "ada", "--force", "--json"]);
    assert.deepEqual(forced.json.override, { kind: "lint_errors", detail: "1 lint error" });
    assert.equal(forced.json.stage, "in_review");
    assert.match(forced.stderr, /submit despite 1 lint error; recorded/);
    assert.deepEqual(status(dir, "user-auth").history.at(-1).override, {
      kind: "lint_errors",
      detail: "1 lint error",
    });
    assert.deepEqual(events(dir).at(-1).override, { kind: "lint_errors", detail: "1 lint error" });
    // A spec that lints clean needs no --force, and records no override with it.
    const other = clean();
    const plain = ok(other, ["spec", "submit", "user-auth", "--by", "ada", "--force", "--json"]);
    assert.equal(plain.json.override, null);
    assert.equal(status(other, "user-auth").history[0].override, undefined);
  });

  test("approve defaults to the git user, who may not approve their own submission without --self", () => {
    const dir = clean();
    spawnSync("git", ["config", "user.name", "Ada Lovelace"], { cwd: dir });
    ok(dir, ["spec", "submit", "user-auth"]);
    const own = failsTouchingNothing(dir, ["spec", "approve", "user-auth"], "STATE_CONFLICT", 4);
    assert.equal(
      own.message,
      "spec user-auth was submitted by Ada Lovelace, who cannot also approve it",
    );
    assert.match(own.hint, /--by <reviewer>.*baton spec approve user-auth --self/);
    // Another spelling of the same name is the same person.
    failsTouchingNothing(
      dir,
      ["spec", "approve", "user-auth", "--by", " ada  lovelace "],
      "STATE_CONFLICT",
      4,
    );
    const self = ok(dir, ["spec", "approve", "user-auth", "--self", "--json"]).json;
    assert.equal(self.by, "Ada Lovelace", "the default --by is git config user.name");
    assert.deepEqual(self.override, {
      kind: "self_approval",
      detail: "approving the submission of Ada Lovelace",
    });
    assert.equal(status(dir, "user-auth").history.at(-1).override.kind, "self_approval");

    const other = clean();
    spawnSync("git", ["config", "user.name", "Grace Hopper"], { cwd: other });
    ok(other, ["spec", "submit", "user-auth", "--by", "Ada"]);
    const approve = ok(other, ["spec", "approve", "user-auth", "--json"]).json;
    assert.deepEqual([approve.by, approve.override], ["Grace Hopper", null]);
  });

  test("complete refuses open required tasks, naming them; --force completes and records it", () => {
    const dir = clean();
    writeDoc(dir, "user-auth", "tasks.md", `${GOOD_TASKS}- [ ]* 3. Nice to have\n`);
    reviewed(dir);
    ok(dir, ["spec", "start", "user-auth", "--by", "ada"]);
    const e = failsTouchingNothing(
      dir,
      ["spec", "complete", "user-auth", "--by", "ada"],
      "STATE_CONFLICT",
      4,
    );
    assert.equal(
      e.message,
      "spec user-auth has 2 required tasks open: 1, 2 (.baton/planning/user-auth/tasks.md)",
    );
    assert.match(e.hint, /baton spec complete user-auth --force/);
    // Ticking one leaves one; the optional task never holds it back.
    writeDoc(
      dir,
      "user-auth",
      "tasks.md",
      `${GOOD_TASKS.replace("- [ ] 1.", "- [x] 1.")}- [ ]* 3. Nice to have\n`,
    );
    const one = fails(dir, ["spec", "complete", "user-auth", "--by", "ada"], "STATE_CONFLICT", 4);
    assert.match(one.message, /has 1 required task open: 2 /);
    const forced = ok(dir, ["spec", "complete", "user-auth", "--by", "ada", "--force"]);
    assert.match(forced.stdout, /^Recorded: complete despite 1 required task open: 2$/m);
    const s = status(dir, "user-auth");
    assert.equal(s.stage, "done");
    assert.deepEqual(s.history.at(-1).override, {
      kind: "open_tasks",
      detail: "1 required task open: 2",
    });
  });

  test("--force and --self only where they mean something", () => {
    const dir = clean();
    failsTouchingNothing(dir, ["spec", "approve", "user-auth", "--force"], "USAGE", 2);
    failsTouchingNothing(dir, ["spec", "submit", "user-auth", "--self"], "USAGE", 2);
    failsTouchingNothing(dir, ["spec", "reject", "user-auth", "--force"], "USAGE", 2);
  });
});

describe("spec command help", () => {
  const commands = [
    "new",
    "lint",
    "trace",
    "submit",
    "approve",
    "reject",
    "request-changes",
    "start",
    "complete",
  ];
  test("every command has examples; --json wraps the help", () => {
    const dir = makeTempRepo();
    for (const verb of commands) {
      const r = ok(dir, ["spec", verb, "--help"]);
      assert.match(r.stdout, new RegExp(`^baton spec ${verb} <`, "m"), verb);
      const examples = r.stdout.split("Examples:\n")[1] ?? "";
      assert.ok(examples.includes(`baton spec ${verb} `), `${verb} has examples`);
      const json = ok(dir, ["spec", verb, "--help", "--json"]).json;
      assert.equal(typeof json.help, "string");
    }
    const group = ok(dir, ["spec", "--help"]).stdout;
    for (const verb of commands) assert.ok(group.includes(`spec ${verb}`), verb);
    assert.match(ok(dir, ["spec", "lint", "--help"]).stdout, /LINT_FAILED/);
    assert.match(ok(dir, ["planning", "approve", "--help"]).stdout, /--by <who>/);
  });
});

describe("spec lint and trace on real Kiro specs", () => {
  const skip = CORPUS_PRESENT ? false : CORPUS_ABSENT_MESSAGE;
  const pairs = corpusFiles((f) => f.startsWith("kiro/") && f.endsWith("__requirements.md"))
    .map((req) => ({ req, tasks: req.replace(/requirements\.md$/, "tasks.md") }))
    .filter(({ tasks }) => corpusFiles((f) => f === tasks).length === 1);

  test("copied into a temporary workspace, every spec lints without errors and traces", {
    skip,
  }, () => {
    assert.ok(pairs.length >= 4, `Kiro pairs in ${CORPUS_DIR}: ${pairs.length}`);
    const dir = makeWorkspace();
    for (const { req, tasks } of pairs) {
      const name = (/__specs__(.+)__requirements\.md$/.exec(req)?.[1] ?? "corpus").toLowerCase();
      ok(dir, ["spec", "new", name]);
      writeDoc(dir, name, "requirements.md", readCorpus(req));
      writeDoc(dir, name, "tasks.md", readCorpus(tasks));
      fs.rmSync(specPath(dir, name, "design.md"));
      const lint = ok(dir, ["spec", "lint", name, "--json"]).json;
      assert.equal(
        lint.errors,
        0,
        `${req}: ${JSON.stringify(lint.findings.filter((f: any) => f.severity === "error"))}`,
      );
      assert.equal(lint.ears.criteria, lintEars(readCorpus(req), req).criteria.length, req);
      assert.ok(lint.tasks.total > 0, tasks);
      assert.ok(
        lint.findings.some(
          (f: any) => f.code === "SPEC_FILE_MISSING" && f.file.endsWith("design.md"),
        ),
      );
      const trace = ok(dir, ["spec", "trace", name, "--json"]).json;
      assert.deepEqual(trace.unknown_references, [], req);
      assert.ok(trace.rows.length >= 20, `${req}: ${trace.rows.length} rows`);
      assert.ok(
        trace.uncovered.length < trace.rows.length / 5,
        `${req}: uncovered ${trace.uncovered}`,
      );
      // By path as well: the same answer without the spec's status.
      const byPath = ok(dir, ["spec", "trace", `.baton/planning/${name}`, "--json"]).json;
      assert.deepEqual(byPath.rows, trace.rows);
    }
  });

  test("one corpus spec through the whole gate", { skip }, () => {
    const { req, tasks } = pairs[0] as { req: string; tasks: string };
    const dir = makeWorkspace();
    ok(dir, ["spec", "new", "corpus"]);
    writeDoc(dir, "corpus", "requirements.md", readCorpus(req));
    writeDoc(dir, "corpus", "tasks.md", readCorpus(tasks));
    reviewed(dir, "corpus");
    ok(dir, ["spec", "start", "corpus", "--by", "ada"]);
    assert.equal(status(dir, "corpus").stage, "implementing");
  });
});
