/**
 * `baton import` on the real files of the shared corpus (each project rebuilt in a temporary
 * repository from the corpus's flattened names, never copied into this one) and on generated
 * inputs: every file of each format imports, re-importing creates nothing, a dry run changes
 * nothing, the source is never written, bad input is refused touching nothing, and a 5,000-task
 * Taskmaster file imports in seconds.
 */
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import {
  CORPUS_ABSENT_MESSAGE,
  CORPUS_DIR,
  CORPUS_PRESENT,
  readCorpus,
} from "../core/spec/corpus.ts";
import { baton, knowledge, makeWorkspace, readJson, snapshotTree } from "../helpers.ts";
import { assertTreeEqual, failsTouchingNothing, ok, write } from "./support.ts";

const skip = CORPUS_PRESENT ? false : CORPUS_ABSENT_MESSAGE;

const FORMATS = ["kiro", "speckit", "openspec", "taskmaster", "backlogmd", "ccw"] as const;

/** The corpus's files of one format, grouped by repository, as repository-relative paths. */
function corpusProjects(format: string): Map<string, { name: string; rel: string }[]> {
  const out = new Map<string, { name: string; rel: string }[]>();
  if (!CORPUS_PRESENT) return out;
  for (const name of fs.readdirSync(path.join(CORPUS_DIR, format)).sort()) {
    const [owner, repo, ...rest] = name.split("__");
    const key = `${owner}__${repo}`;
    out.set(key, [...(out.get(key) ?? []), { name, rel: rest.join("/") }]);
  }
  return out;
}

/** A workspace holding one corpus project's files where that project kept them. */
function project(format: string, files: { name: string; rel: string }[]): string {
  const dir = makeWorkspace();
  for (const f of files) write(dir, f.rel, readCorpus(`${format}/${f.name}`));
  return dir;
}

/** sha256 of every file under the given folders of `dir`: the source, before and after. */
function sourceHashes(dir: string, rels: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const rel of rels) {
    const file = path.join(dir, rel);
    out.set(rel, crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex"));
  }
  return out;
}

function importJson(dir: string, args: string[]): any {
  return ok(dir, ["import", ...args, "--json"]).json;
}

/** The item sources of a result, as file or folder paths. */
function sourcePaths(result: any): string[] {
  return result.items.map((i: any) => /^[a-z]+:(.*)#[^#]*$/.exec(i.source)?.[1] ?? "");
}

describe("every corpus file of each format imports, idempotently, leaving the source as it was", () => {
  for (const format of FORMATS) {
    test(format, { skip }, (t) => {
      const projects = corpusProjects(format);
      assert.ok(projects.size > 0, `the corpus has ${format} files`);
      for (const [key, files] of projects) {
        const dir = project(format, files);
        const rels = files.map((f) => f.rel);
        const hashes = sourceHashes(dir, rels);
        const before = snapshotTree(dir);
        const dry = importJson(dir, [format, ".", "--dry-run"]);
        assertTreeEqual(dir, before, `${key}: a dry run changes nothing`);
        assert.equal(dry.dry_run, true);
        const first = importJson(dir, [format, "."]);
        assert.ok(first.created > 0, `${key}: something was created`);
        assert.equal(first.created, dry.created, `${key}: the dry run said what the import did`);
        const sources = sourcePaths(first);
        for (const rel of rels) {
          assert.ok(
            sources.some((s) => rel === s || rel.startsWith(`${s}/`)),
            `${key}: ${rel} is part of an imported item (sources: ${[...new Set(sources)].join(", ")})`,
          );
        }
        const after = snapshotTree(dir);
        const second = importJson(dir, [format, "."]);
        assert.equal(second.created, 0, `${key}: importing again creates nothing`);
        assert.equal(second.updated, 0, `${key}: and changes nothing`);
        assert.equal(second.skipped, first.created);
        assertTreeEqual(dir, after, `${key}: a second import writes nothing`);
        assert.deepEqual(sourceHashes(dir, rels), hashes, `${key}: the source files are unchanged`);
        t.diagnostic(
          `${key}: ${first.created} created (${first.specs.length} specs, ${first.plans.length} plans), ${first.unmapped.length} unmapped fields`,
        );
      }
    });
  }
});

describe("what the corpus files become", () => {
  test("Taskmaster: tags, subtasks, dependencies and statuses", { skip }, () => {
    const projects = corpusProjects("taskmaster");
    const keyproxy = project("taskmaster", projects.get("AleksNeStu__keyproxy") ?? []);
    const r = importJson(keyproxy, ["taskmaster", "."]);
    assert.equal(r.plans.length, 1);
    const plan = r.plans[0];
    assert.equal(plan.id, "plan-taskmaster-master");
    // 31 tasks and 4 subtasks: 21 done, 1 in progress, 9 + 4 pending.
    assert.equal(plan.tasks, 35);
    assert.deepEqual(plan.statuses, {
      todo: 13,
      in_progress: 1,
      blocked: 0,
      done: 21,
      cancelled: 0,
    });
    assert.equal(plan.dependencies, 20);
    assert.equal(r.items.filter((i: any) => i.kind === "ticket").length, 35);
    const tasks = path.join(knowledge(keyproxy, "topics", "plan-taskmaster-master"), ".task");
    assert.equal(fs.readdirSync(tasks).length, 35);
    const first = readJson(path.join(tasks, "T1.json"));
    assert.equal(first.status, "done");
    assert.deepEqual(
      { format: first.source.format, path: first.source.path, id: first.source.id },
      { format: "taskmaster", path: ".taskmaster/tasks/tasks.json", id: "master/1" },
    );
    assert.ok(r.unmapped.some((u: any) => u.field === "priority" && u.item.endsWith("#master/1")));

    const pdf = project("taskmaster", projects.get("AlexKucera__obsidian-typst-pdf-export") ?? []);
    const p = importJson(pdf, ["taskmaster", "."]).plans[0];
    // 10 tasks with 50 subtasks, all done; each parent waits for its subtasks.
    assert.equal(p.tasks, 60);
    assert.equal(p.statuses.done, 60);
    const parent = readJson(path.join(knowledge(pdf, "topics", p.id), ".task", "T1.json"))
      .depends_on as string[];
    assert.ok(
      ["T1-1", "T1-2"].every((s) => parent.includes(s)),
      parent.join(","),
    );

    // The older layout: tasks/tasks.json with no tags is the tag master.
    const legacy = project("taskmaster", projects.get("BlueTursi__tursi-ai") ?? []);
    const l = importJson(legacy, ["taskmaster", "tasks/tasks.json"]);
    assert.equal(l.plans[0].tasks, 40);
    assert.deepEqual([l.plans[0].statuses.todo, l.plans[0].statuses.done], [8, 32]);
    assert.ok(l.unmapped.some((u: any) => u.field === "metadata.projectName"));
  });

  test("Backlog.md: folders, statuses, acceptance criteria, hand-written files", { skip }, () => {
    const projects = corpusProjects("backlogmd");
    const lesk = project("backlogmd", projects.get("MrLesk__Backlog.md") ?? []);
    const r = importJson(lesk, ["backlogmd", "."]);
    const plan = r.plans[0];
    assert.equal(plan.tasks, 4);
    assert.deepEqual([plan.statuses.todo, plan.statuses.done], [1, 3]);
    assert.equal(plan.acceptance, 38);
    const tasks = path.join(knowledge(lesk, "topics", plan.id), ".task");
    // Ten acceptance criteria, then the three items of the Definition of Done.
    const back548 = readJson(path.join(tasks, "BACK-548.json"));
    assert.equal(back548.acceptance.length, 13);
    assert.match(back548.acceptance[0], /^Canonical CLI task detail output/);
    assert.match(back548.acceptance[12], /^bun test/);
    // A dependency and a parent outside the import are reported, never guessed.
    assert.ok(r.unmapped.some((u: any) => u.field === "dependencies" && /BACK-545/.test(u.value)));
    assert.ok(r.unmapped.some((u: any) => u.field === "parent" && /BACK-222/.test(u.value)));
    assert.ok(r.unmapped.some((u: any) => u.field === "labels"));
    // `assignee: @MrLesk` is not YAML as written: read as Backlog.md reads it, and said so.
    assert.ok(r.unmapped.some((u: any) => u.field === "frontmatter" && /@/.test(u.value)));

    const panic = project("backlogmd", projects.get("ANUcybernetics__panic") ?? []);
    const pr = importJson(panic, ["backlogmd", "backlog"]);
    const ptasks = path.join(knowledge(panic, "topics", pr.plans[0].id), ".task");
    // No frontmatter: id from the name, title and status from the text.
    const hand = readJson(path.join(ptasks, "task-43.json"));
    assert.equal(hand.title, "Add NetworkRunner status component with countdown");
    assert.equal(hand.status, "done");
    assert.equal(readJson(path.join(ptasks, "task-22.json")).status, "cancelled", "Wontfix");

    const writing = project("backlogmd", projects.get("AIToolsLab__writing-tools") ?? []);
    const w = importJson(writing, ["backlogmd", "."]);
    const wtasks = path.join(knowledge(writing, "topics", w.plans[0].id), ".task");
    // An archived task still In Progress is cancelled, and the archive is reported.
    assert.equal(readJson(path.join(wtasks, "task-7.json")).status, "cancelled");
    assert.ok(w.unmapped.some((u: any) => u.field === "archived"));
    assert.equal(readJson(path.join(wtasks, "task-17.json")).acceptance.length, 11);
  });

  test("Claude-Code-Workflow: a session's TODO_LIST.md and planning notes", { skip }, () => {
    const [files] = [...corpusProjects("ccw").values()];
    const dir = project("ccw", files ?? []);
    const r = importJson(dir, ["ccw", "."]);
    assert.equal(r.plans.length, 1);
    assert.equal(r.plans[0].id, "plan-wfs-vitest-testing");
    assert.equal(r.plans[0].tasks, 6);
    assert.equal(r.plans[0].statuses.done, 6);
    const planMd = fs.readFileSync(knowledge(dir, "topics", r.plans[0].id, "plan.md"), "utf8");
    assert.match(
      planMd,
      /MUST use existing Vitest framework/,
      "planning-notes.md is the plan's text",
    );
    const ids = fs.readdirSync(knowledge(dir, "topics", r.plans[0].id, ".task")).sort();
    assert.deepEqual(
      ids,
      [1, 2, 3, 4, 5, 6].map((n) => `IMPL-00${n}.json`),
    );
  });

  test("Kiro, Spec Kit and OpenSpec folders are set up in place", { skip }, () => {
    const kiro = corpusProjects("kiro");
    const osml = project("kiro", kiro.get("awslabs__osml-model-runner") ?? []);
    const k = importJson(osml, ["kiro", "."]);
    assert.deepEqual(
      k.specs.map((s: any) => [s.name, s.stage, s.task_count, s.missing.length]),
      [["capacity-based-throttling", "draft", 83, 0]],
    );
    assert.equal(k.specs[0].tasks, "54/61 required done (88%), 22 optional");
    const status = ok(osml, [
      "spec",
      "status",
      "--spec",
      "capacity-based-throttling",
      "--json",
    ]).json;
    assert.equal(status.spec.spec, ".kiro/specs/capacity-based-throttling");
    assert.match(
      fs.readFileSync(
        path.join(osml, ".baton/planning/capacity-based-throttling/status.yaml"),
        "utf8",
      ),
      /source:\n {2}format: "kiro"\n {2}path: "\.kiro\/specs\/capacity-based-throttling"/,
    );
    // A folder with only tasks.md (not a whole spec) imports, with what it lacks named.
    const sdd = project("kiro", kiro.get("gotalab__cc-sdd") ?? []);
    const lone = importJson(sdd, ["kiro", ".kiro/specs"]).specs.find(
      (s: any) => s.name === "vercel-ai-chatui-research-agent-ja",
    );
    assert.match(lone.missing.join("\n"), /requirements\.md is missing/);

    const speckit = [...corpusProjects("speckit").values()][0] ?? [];
    const sk = importJson(project("speckit", speckit), ["speckit", "."]);
    assert.deepEqual(
      sk.specs.map((s: any) => [s.name, s.layout, s.tasks]),
      [["025-pattern-paramorphism", "speckit", "24/26 required done (92%)"]],
    );

    const openspec = corpusProjects("openspec");
    const fission = importJson(project("openspec", openspec.get("Fission-AI__OpenSpec") ?? []), [
      "openspec",
      "openspec",
    ]);
    assert.deepEqual(
      fission.specs.map((s: any) => [s.name, s.stage]),
      [
        ["add-change-stacking-awareness", "draft"],
        ["2025-08-19-adopt-delta-based-changes", "done"],
      ],
    );
    const modulus = importJson(project("openspec", openspec.get("AGIBuild__Modulus") ?? []), [
      "openspec",
      ".",
    ]);
    assert.deepEqual(modulus.specs.map((s: any) => [s.name, s.stage]).sort(), [
      ["add-built-in-module-catalog-security", "draft"],
      ["cli-testing", "done"],
    ]);
  });
});

// ---- generated inputs ----

const TASKMASTER = ".taskmaster/tasks/tasks.json";

function taskmasterFile(tags: Record<string, unknown[]>): string {
  return JSON.stringify(
    Object.fromEntries(Object.entries(tags).map(([tag, tasks]) => [tag, { tasks }])),
    null,
    2,
  );
}

describe("importing again", () => {
  test("updates what changed in the source, keeps Baton's own edits, never duplicates", () => {
    const dir = makeWorkspace();
    const tasks = [
      { id: 1, title: "Schema", status: "done", dependencies: [], priority: "high" },
      { id: 2, title: "API", status: "pending", dependencies: [1] },
      {
        id: 3,
        title: "UI",
        status: "pending",
        dependencies: [2],
        subtasks: [
          { id: 1, title: "Form", status: "pending", dependencies: [] },
          { id: 2, title: "List", status: "pending", dependencies: [1] },
        ],
      },
    ];
    write(dir, TASKMASTER, taskmasterFile({ master: tasks, feature: [{ id: 1, title: "Other" }] }));
    const first = importJson(dir, ["taskmaster", "."]);
    assert.deepEqual(
      first.plans.map((p: any) => [p.id, p.tasks]),
      [
        ["plan-taskmaster-master", 5],
        ["plan-taskmaster-feature", 1],
      ],
    );
    const plan = knowledge(dir, "topics", "plan-taskmaster-master");
    assert.deepEqual(readJson(path.join(plan, ".task", "T3.json")).depends_on, [
      "T2",
      "T3-1",
      "T3-2",
    ]);
    assert.deepEqual(readJson(path.join(plan, ".task", "T3-2.json")).depends_on, ["T3-1"]);
    const next = ok(dir, ["plan", "next", "plan-taskmaster-master", "--json"]).json;
    assert.deepEqual(
      next.next.map((t: any) => t.id),
      ["T2", "T3-1"],
    );
    // A status set in Baton stays while the source says nothing new about that task.
    const ticketOf = (task: string) =>
      ok(dir, ["ticket", "list", "--plan", "plan-taskmaster-master", "--json"]).json.tickets.find(
        (t: any) => t.task === task,
      );
    ok(dir, ["ticket", "set-status", ticketOf("T2").id, "in_progress"]);
    const again = importJson(dir, ["taskmaster", "."]);
    assert.equal(again.created + again.updated, 0);
    assert.equal(readJson(path.join(plan, ".task", "T2.json")).status, "in_progress");

    tasks[0] = { ...tasks[0], title: "Schema v2" } as (typeof tasks)[0];
    tasks.push({ id: 4, title: "Docs", status: "pending", dependencies: [3] });
    write(dir, TASKMASTER, taskmasterFile({ master: tasks, feature: [{ id: 1, title: "Other" }] }));
    const changed = importJson(dir, ["taskmaster", "."]);
    const by = (kind: string, action: string) =>
      changed.items
        .filter((i: any) => i.kind === kind && i.action === action)
        .map((i: any) => i.id);
    assert.deepEqual(by("task", "update"), ["T1"]);
    assert.deepEqual(by("task", "create"), ["T4"]);
    assert.equal(by("ticket", "create").length, 1);
    assert.equal(by("ticket", "update").length, 1);
    assert.equal(readJson(path.join(plan, ".task", "T1.json")).title, "Schema v2");
    assert.equal(readJson(path.join(plan, ".task", "T2.json")).status, "in_progress");
    assert.equal(fs.readdirSync(path.join(plan, ".task")).length, 6);
    assert.equal(
      ok(dir, ["ticket", "list", "--plan", "plan-taskmaster-master", "--json"]).json.total,
      6,
    );
    assert.match(fs.readFileSync(path.join(plan, "TODO_LIST.md"), "utf8"), /Schema v2/);
  });

  test("a Backlog.md task moved to completed/ is the same task, now done", () => {
    const dir = makeWorkspace();
    const task = (status: string) =>
      `---\nid: task-1\ntitle: Ship it\nstatus: ${status}\ndependencies: []\n---\n\n## Description\n\nShip.\n`;
    write(dir, "backlog/tasks/task-1 - Ship-it.md", task("In Progress"));
    importJson(dir, ["backlogmd", "."]);
    fs.rmSync(path.join(dir, "backlog/tasks/task-1 - Ship-it.md"));
    write(dir, "backlog/completed/task-1 - Ship-it.md", task("Done"));
    const r = importJson(dir, ["backlogmd", "."]);
    const changes = r.items.map((i: any) => `${i.kind}:${i.action}`);
    assert.deepEqual(changes, ["plan:update", "task:update", "ticket:update"]);
    const tickets = ok(dir, ["ticket", "list", "--json"]).json.tickets;
    assert.deepEqual(
      tickets.map((t: any) => t.status),
      ["done"],
    );
  });
});

describe("generated sources", () => {
  test("a whole Claude-Code-Workflow session: task JSONs in both shapes", () => {
    const dir = makeWorkspace();
    const session = ".workflow/active/WFS-oauth";
    write(dir, `${session}/IMPL_PLAN.md`, "# Implementation plan\n\nAdd OAuth.\n");
    write(
      dir,
      `${session}/.task/IMPL-1.json`,
      JSON.stringify({
        id: "IMPL-1",
        title: "Provider",
        status: "completed",
        description: "Add the GitHub provider",
        convergence: { criteria: ["sign-in works"] },
        files: [{ path: "src/auth.ts", action: "modify" }],
        meta: { type: "feature", agent: "@code-developer" },
      }),
    );
    write(
      dir,
      `${session}/.task/IMPL-1.1.json`,
      JSON.stringify({
        id: "IMPL-1.1",
        title: "Tokens",
        status: "active",
        context: {
          requirements: ["Keep tokens server side"],
          focus_paths: ["src/tokens.ts"],
          acceptance: ["tokens persist"],
          parent: "IMPL-1",
          depends_on: [],
        },
        flow_control: { steps: [] },
      }),
    );
    write(dir, `${session}/TODO_LIST.md`, "- [x] **IMPL-9**: ignored: the JSONs are the truth\n");
    write(dir, `${session}/.summaries/IMPL-1-summary.md`, "# Done\n");
    const r = importJson(dir, ["ccw", "."]);
    assert.equal(r.plans[0].tasks, 2);
    const tasks = path.join(knowledge(dir, "topics", r.plans[0].id), ".task");
    const parent = readJson(path.join(tasks, "IMPL-1.json"));
    assert.deepEqual(
      [parent.status, parent.acceptance, parent.files, parent.depends_on],
      ["done", ["sign-in works"], ["src/auth.ts"], ["IMPL-1-1"]],
    );
    const child = readJson(path.join(tasks, "IMPL-1-1.json"));
    assert.deepEqual(
      [child.status, child.acceptance, child.files],
      ["in_progress", ["tokens persist"], ["src/tokens.ts"]],
    );
    assert.match(child.description, /Keep tokens server side/);
    const fields = r.unmapped.map((u: any) => u.field);
    assert.ok(fields.includes("meta") && fields.includes("flow_control"), fields.join(","));
    assert.ok(r.left_out.some((f: any) => f.path.endsWith("IMPL-1-summary.md")));
    assert.match(
      fs.readFileSync(knowledge(dir, "topics", r.plans[0].id, "plan.md"), "utf8"),
      /Add OAuth/,
    );
  });

  test("dependencies a plan cannot hold are reported, never silently dropped", () => {
    const dir = makeWorkspace();
    write(
      dir,
      TASKMASTER,
      taskmasterFile({
        master: [
          { id: 1, title: "A", dependencies: [2] },
          { id: 2, title: "B", dependencies: [1] },
          { id: 3, title: "C", dependencies: [99] },
        ],
      }),
    );
    const r = importJson(dir, ["taskmaster", "."]);
    const deps = r.unmapped.filter((u: any) => u.field === "dependencies").map((u: any) => u.value);
    assert.equal(deps.length, 2, deps.join("; "));
    assert.ok(deps.some((v: string) => /cycle/.test(v)));
    assert.ok(deps.some((v: string) => /master\/99: no such task/.test(v)));
    // What is left is a plan: no cycle and no dangling dependency for verify to find.
    const verify = baton(dir, ["plan", "verify", "plan-taskmaster-master", "--json"]).json;
    assert.deepEqual(
      verify.findings.filter((f: any) => /CYCLE|DANGLING/.test(f.code)),
      [],
    );
  });

  test("a 5,000-task Taskmaster file imports in seconds", (t) => {
    const dir = makeWorkspace();
    const tasks = Array.from({ length: 5000 }, (_, i) => ({
      id: i + 1,
      title: `Task ${i + 1}`,
      description: `Build part ${i + 1}`,
      details: "Details of the part, as Taskmaster writes them.",
      testStrategy: "Unit tests pass",
      status: ["pending", "in-progress", "done", "review", "deferred"][i % 5],
      dependencies:
        i === 0 ? [] : [Math.max(1, i - (i % 7)), i].filter((d, k, a) => a.indexOf(d) === k),
      priority: "medium",
      subtasks: [],
    }));
    write(dir, TASKMASTER, taskmasterFile({ master: tasks }));
    const start = performance.now();
    const r = baton(dir, ["import", "taskmaster", ".", "--json"]);
    const elapsed = performance.now() - start;
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.json.plans[0].tasks, 5000);
    assert.equal(r.json.created, 10_001);
    const again = performance.now();
    const second = baton(dir, ["import", "taskmaster", ".", "--json"]);
    const reimport = performance.now() - again;
    assert.equal(second.json.created, 0);
    t.diagnostic(
      `5,000 Taskmaster tasks: import ${elapsed.toFixed(0)} ms (5,000 task JSONs, 5,000 tickets), re-import ${reimport.toFixed(0)} ms`,
    );
    assert.ok(elapsed < 30_000, `the import took ${elapsed.toFixed(0)} ms`);
  });
});

describe("bad input is refused with one line, a code and a hint, changing nothing", () => {
  test("a missing path, the wrong format, unparsable JSON, a lone spec file", () => {
    const dir = makeWorkspace();
    write(dir, TASKMASTER, taskmasterFile({ master: [{ id: 1, title: "A" }] }));
    write(dir, ".kiro/specs/auth/tasks.md", "- [ ] 1. Do it\n");
    write(dir, "broken/tasks.json", "{ not json");
    failsTouchingNothing(dir, ["import", "taskmaster", "nowhere"], "FILE_NOT_FOUND", 3);
    failsTouchingNothing(dir, ["import", "kiro", ".taskmaster"], "INVALID_INPUT", 2);
    failsTouchingNothing(dir, ["import", "backlogmd", "."], "INVALID_INPUT", 2);
    const bad = failsTouchingNothing(dir, ["import", "taskmaster", "broken"], "CORRUPT_FILE", 5);
    assert.match(bad.message, /broken\/tasks\.json is not valid JSON/);
    failsTouchingNothing(dir, ["import", "taskmaster", "broken/tasks.json"], "CORRUPT_FILE", 5);
    const lone = failsTouchingNothing(
      dir,
      ["import", "kiro", ".kiro/specs/auth/tasks.md"],
      "INVALID_INPUT",
      2,
    );
    assert.match(lone.hint, /baton import kiro \.kiro\/specs\/auth/);
    failsTouchingNothing(dir, ["import", "asana", "."], "INVALID_INPUT", 2);
    failsTouchingNothing(dir, ["import", "taskmaster"], "USAGE", 2);
    // A spec folder outside the workspace cannot be set up in place.
    const outside = makeWorkspace();
    write(outside, ".kiro/specs/pay/requirements.md", "# Requirements\n");
    failsTouchingNothing(dir, ["import", "kiro", outside], "INVALID_INPUT", 2);
  });

  test("a task list outside the workspace is read where it is, and recorded so", () => {
    const dir = makeWorkspace();
    const other = makeWorkspace();
    write(other, TASKMASTER, taskmasterFile({ master: [{ id: 1, title: "A" }] }));
    const r = importJson(dir, ["taskmaster", other]);
    assert.equal(r.plans[0].tasks, 1);
    assert.equal(importJson(dir, ["taskmaster", other]).created, 0);
  });
});
