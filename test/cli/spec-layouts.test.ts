/**
 * `spec setup`, `lint` and `trace` on the three folder layouts real projects use, built from the
 * shared corpus in temporary repositories: Kiro in another language, a Spec Kit feature folder
 * and OpenSpec change folders.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { lintEars } from "../../src/core/spec/ears.ts";
import {
  CORPUS_ABSENT_MESSAGE,
  CORPUS_DIR,
  CORPUS_PRESENT,
  readCorpus,
} from "../core/spec/corpus.ts";
import { baton, makeWorkspace, snapshotTree } from "../helpers.ts";
import { assertTreeEqual, ok } from "./support.ts";

const skip = CORPUS_PRESENT ? false : CORPUS_ABSENT_MESSAGE;

function write(dir: string, rel: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  fs.writeFileSync(path.join(dir, rel), text);
}

/** Copies the corpus files whose flattened names start with `prefix` into `target`. */
function copyCorpus(dir: string, kind: string, prefix: string, target: string): string[] {
  const names = fs.readdirSync(path.join(CORPUS_DIR, kind)).filter((f) => f.startsWith(prefix));
  for (const name of names) {
    const rel = name.slice(prefix.length).split("__").join("/");
    write(dir, path.join(target, rel), readCorpus(`${kind}/${name}`));
  }
  return names;
}

const codes = (findings: { code: string; file: string }[]) =>
  findings.map((f) => `${f.file.split("/").pop()}:${f.code}`);

// ---- Kiro in Chinese ----

const CHINESE = `# 需求文档

## 需求

### 需求 1：Converter 接口新增 Header 转换方法

**用户故事：** 作为开发者，我希望接口提供独立的 Header 转换方法。

#### 验收标准

1. WHEN 开发者查看接口 THEN 接口 SHALL 包含 \`ConvertHeaders\` 方法
2. IF \`ConvertHeaders\` 被调用 THEN 系统 SHALL 返回所有请求头

### 需求 2: 调用方改造

#### 验收标准

1. WHEN 发送请求 THEN 客户端 SHALL 先调用 \`ConvertHeaders\`
`;

const CHINESE_TASKS = `# 实现计划

- [ ] 1. 新增接口方法
  - _需求：1.1、1.2_
- [ ]* 1.1 属性测试
  - **验证需求：1.2**
- [ ] 2. 改造调用方
  - _需求: 2.1_
`;

describe("Kiro specs with Chinese headings", () => {
  test("lint checks every criterion and trace covers them, as in English", () => {
    const dir = makeWorkspace();
    ok(dir, ["spec", "new", "headers"]);
    const folder = ".baton/planning/headers";
    write(dir, `${folder}/requirements.md`, CHINESE);
    write(dir, `${folder}/tasks.md`, CHINESE_TASKS);
    fs.rmSync(path.join(dir, folder, "design.md"));
    const lint = ok(dir, ["spec", "lint", "headers", "--json"]).json;
    assert.equal(lint.errors, 0, JSON.stringify(lint.findings));
    assert.equal(lint.ears.criteria, 3);
    assert.equal(lint.ears.patterns["event-driven"], 2);
    assert.equal(lint.tasks.total, 3);
    const trace = ok(dir, ["spec", "trace", "headers", "--json"]).json;
    assert.deepEqual(
      trace.rows.map((r: any) => [r.id, r.covered_by]),
      [
        ["1.1", ["1"]],
        ["1.2", ["1", "1.1"]],
        ["2.1", ["2"]],
      ],
    );
    assert.match(ok(dir, ["spec", "trace", "headers"]).stdout, /3\/3 covered; 0 errors/);
  });

  test("a requirements file that yields no criteria is a lint error, never ok", () => {
    const dir = makeWorkspace();
    ok(dir, ["spec", "new", "prose"]);
    write(dir, ".baton/planning/prose/requirements.md", "# 需求\n\n用户可以登录。\n");
    const before = snapshotTree(dir);
    const r = baton(dir, ["spec", "lint", "prose", "--json"]);
    assert.equal(r.code, 5, r.stdout);
    assert.equal(r.json.ok, false);
    assert.equal(r.json.ears.criteria, 0);
    const none = r.json.findings.find((f: any) => f.code === "EARS_NO_CRITERIA");
    assert.equal(none.severity, "error");
    assert.match(
      baton(dir, ["spec", "lint", "prose"]).stdout,
      /0 acceptance criteria checked.*LINT_FAILED$/m,
    );
    assertTreeEqual(dir, before, "lint writes nothing");
  });
});

// ---- Spec Kit ----

describe("a Spec Kit feature folder from the corpus", () => {
  const prefix = "relateby__pattern-rs__specs__025-pattern-paramorphism__";
  const target = "specs/025-pattern-paramorphism";

  test("[USn] labels and FR-nnn in task text give real coverage", { skip }, () => {
    const dir = makeWorkspace();
    assert.equal(copyCorpus(dir, "speckit", prefix, target).length, 3);
    assert.equal(ok(dir, ["spec", "setup", "--spec", target, "--json"]).json.layout, "speckit");
    const name = "025-pattern-paramorphism";
    const lint = ok(dir, ["spec", "lint", name, "--json"]).json;
    assert.equal(lint.layout, "speckit");
    assert.equal(lint.errors, 0, JSON.stringify(lint.findings));
    assert.deepEqual(lint.files.requirement_docs, [`${target}/spec.md`]);
    assert.equal(lint.files.design, `${target}/plan.md`);
    const trace = ok(dir, ["spec", "trace", name, "--json"]).json;
    assert.equal(trace.errors, 0);
    assert.deepEqual(trace.uncovered, []);
    const rows = new Map(trace.rows.map((r: any) => [r.id, r.covered_by]));
    // Four user stories with their acceptance scenarios, and eight functional requirements.
    assert.deepEqual(
      [...rows.keys()].filter((id) => /^US/.test(id as string)),
      ["US1.1", "US1.2", "US1.3", "US2.1", "US2.2", "US3.1", "US3.2", "US4.1", "US4.2"],
    );
    assert.deepEqual(rows.get("US1.1"), ["T007", "T008", "T009"]);
    assert.deepEqual(rows.get("US4.2"), ["T014", "T015", "T016"]);
    // T027 names "FR-001–FR-008" in its text.
    for (let n = 1; n <= 8; n++) assert.deepEqual(rows.get(`FR-00${n}`), ["T027"]);
    assert.match(ok(dir, ["spec", "trace", name]).stdout, /17\/17 covered; 0 errors/);
  });

  test("without plan.md the finding names plan.md, never design.md", { skip }, () => {
    const dir = makeWorkspace();
    copyCorpus(dir, "speckit", prefix, target);
    fs.rmSync(path.join(dir, target, "plan.md"));
    const lint = ok(dir, ["spec", "lint", target, "--json"]).json;
    const missing = lint.findings.filter((f: any) => f.code === "SPEC_FILE_MISSING");
    assert.deepEqual(
      missing.map((f: any) => [f.file, f.severity, f.message]),
      [[`${target}/plan.md`, "warning", "plan.md is missing"]],
    );
    assert.ok(!JSON.stringify(lint.findings).includes("design.md"));
  });

  test("a label or FR id the spec does not have is an unknown reference in lint and trace", {
    skip,
  }, () => {
    const dir = makeWorkspace();
    copyCorpus(dir, "speckit", prefix, target);
    fs.appendFileSync(
      path.join(dir, target, "tasks.md"),
      "\n- [ ] T099 [US9] Cover FR-042 as well\n",
    );
    const lint = baton(dir, ["spec", "lint", target, "--json"]);
    assert.equal(lint.code, 5);
    const trace = baton(dir, ["spec", "trace", target, "--json"]);
    assert.equal(trace.code, 5);
    assert.deepEqual(
      trace.json.unknown_references.map((u: any) => [u.task, u.ref]),
      [
        ["T099", "US9"],
        ["T099", "FR-042"],
      ],
    );
    const unknownInLint = lint.json.findings.filter(
      (f: any) => f.code === "TRACE_UNKNOWN_REQUIREMENT",
    );
    assert.deepEqual(
      unknownInLint,
      trace.json.findings.filter((f: any) => f.code === "TRACE_UNKNOWN_REQUIREMENT"),
    );
  });
});

// ---- OpenSpec ----

describe("OpenSpec change folders from the corpus", () => {
  const change = "openspec/changes/add-change-stacking-awareness";

  /** The corpus change, plus a second capability and a design.md, as a change grows them. */
  function stackingChange(dir: string): void {
    copyCorpus(
      dir,
      "openspec",
      "Fission-AI__OpenSpec__openspec__changes__add-change-stacking-awareness__",
      change,
    );
    write(
      dir,
      `${change}/specs/cli-diff/spec.md`,
      readCorpus(
        "openspec/Fission-AI__OpenSpec__openspec__changes__archive__2025-08-19-adopt-delta-based-changes__specs__cli-diff__spec.md",
      ),
    );
    write(dir, `${change}/design.md`, "## Context\n\nChanges declare dependsOn.\n");
  }

  test("set up, linted and traced as one spec over every capability's spec.md", { skip }, () => {
    const dir = makeWorkspace();
    stackingChange(dir);
    const setup = ok(dir, ["spec", "setup", "--spec", change, "--json"]).json;
    assert.deepEqual([setup.name, setup.layout], ["add-change-stacking-awareness", "openspec"]);
    const name = setup.name;
    const capabilities = [
      `${change}/specs/change-stacking-workflow/spec.md`,
      `${change}/specs/cli-diff/spec.md`,
    ];
    const lint = ok(dir, ["spec", "lint", name, "--json"]).json;
    assert.equal(lint.layout, "openspec");
    assert.deepEqual(lint.files.requirement_docs, capabilities);
    assert.equal(lint.files.proposal, `${change}/proposal.md`);
    assert.equal(lint.files.design, `${change}/design.md`);
    assert.deepEqual(
      codes(lint.findings).filter((c) => c.endsWith("SPEC_FILE_MISSING")),
      [],
    );
    assert.equal(lint.errors, 0, JSON.stringify(lint.findings));
    const linted = capabilities.reduce(
      (n, file) =>
        n + lintEars(fs.readFileSync(path.join(dir, file), "utf8"), file).criteria.length,
      0,
    );
    assert.equal(lint.ears.criteria, linted);
    assert.equal(lint.ears.criteria, 5, "3 + 2: the REMOVED requirement is not linted");

    const trace = ok(dir, ["spec", "trace", name, "--json"]).json;
    assert.equal(trace.errors, 0);
    assert.deepEqual(
      trace.rows.map((r: any) => [r.file.split("/").at(-2), r.id]),
      [
        ["change-stacking-workflow", "Stack Metadata Model"],
        ["change-stacking-workflow", "Change Dependency Graph"],
        ["change-stacking-workflow", "Capability marker and overlap semantics"],
        ["cli-diff", "Diff Output"],
        ["cli-diff", "Validation"],
      ],
    );
    assert.equal(trace.uncovered.length, 5, "OpenSpec tasks cite nothing: coverage says so");

    // A task may cite a requirement by its name; lint and trace then agree it is a citation.
    const tasks = path.join(dir, change, "tasks.md");
    fs.writeFileSync(
      tasks,
      fs
        .readFileSync(tasks, "utf8")
        .replace(
          "- [ ] 3.1 Add `openspec change graph` to display dependency order for active changes\n",
          "- [ ] 3.1 Add `openspec change graph` to display dependency order for active changes\n  - _Requirements: Change Dependency Graph_\n",
        ),
    );
    const cited = ok(dir, ["spec", "trace", name, "--json"]).json;
    assert.deepEqual(cited.rows.find((r: any) => r.id === "Change Dependency Graph").covered_by, [
      "3.1",
    ]);
    const relinted = ok(dir, ["spec", "lint", name, "--json"]).json;
    assert.ok(!codes(relinted.findings).some((c) => c.includes("NOT_ID")));
  });

  test("a change without proposal.md or a capability says what it lacks", { skip }, () => {
    const dir = makeWorkspace();
    const other = "openspec/changes/add-automatic-continuity-caching";
    copyCorpus(
      dir,
      "openspec",
      "21st-dev__1code__openspec__changes__add-automatic-continuity-caching__",
      other,
    );
    const lint = ok(dir, ["spec", "lint", other, "--json"]).json;
    assert.equal(lint.layout, "openspec");
    assert.deepEqual(
      lint.findings.filter((f: any) => f.code === "SPEC_FILE_MISSING").map((f: any) => f.file),
      [`${other}/proposal.md`],
    );
    const bare = "openspec/changes/empty-change";
    write(dir, `${bare}/proposal.md`, "## Why\n\nBecause.\n");
    const empty = baton(dir, ["spec", "lint", bare, "--json"]);
    assert.equal(empty.code, 5);
    assert.deepEqual(
      empty.json.findings
        .filter((f: any) => f.severity === "error")
        .map((f: any) => [f.file, f.code]),
      [[`${bare}/specs`, "SPEC_FILE_MISSING"]],
    );
    const trace = baton(dir, ["spec", "trace", bare, "--json"]);
    assert.equal(trace.json.error.code, "FILE_NOT_FOUND");
    assert.match(trace.json.error.message, /specs\/<capability>\/spec\.md is missing/);
  });

  test("an archived change is a spec too, named after its folder", { skip }, () => {
    const dir = makeWorkspace();
    const archived = "openspec/changes/archive/2025-08-19-adopt-delta-based-changes";
    write(
      dir,
      `${archived}/specs/cli-diff/spec.md`,
      readCorpus(
        "openspec/Fission-AI__OpenSpec__openspec__changes__archive__2025-08-19-adopt-delta-based-changes__specs__cli-diff__spec.md",
      ),
    );
    const setup = ok(dir, ["spec", "setup", "--spec", archived, "--json"]).json;
    assert.deepEqual(
      [setup.name, setup.layout],
      ["2025-08-19-adopt-delta-based-changes", "openspec"],
    );
    const lint = ok(dir, ["spec", "lint", setup.name, "--json"]).json;
    assert.equal(lint.ears.criteria, 2);
  });
});
