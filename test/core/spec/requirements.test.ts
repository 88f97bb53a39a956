import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { lintEars } from "../../../src/core/spec/ears.ts";
import {
  citableIds,
  parseRequirements,
  traceRequirements,
} from "../../../src/core/spec/requirements.ts";
import { parseSpecTaskList } from "../../../src/core/spec/tasks-md.ts";
import {
  findPlaceholders,
  renderDesign,
  renderRequirements,
  renderTasks,
  specMetadata,
  type TemplateInput,
  titleFromName,
} from "../../../src/core/spec/templates.ts";
import { CORPUS_ABSENT_MESSAGE, CORPUS_PRESENT, corpusFiles, readCorpus } from "./corpus.ts";

const KIRO = `# Requirements Document

## Introduction

Text.

## Requirements

### Requirement 1

**User Story:** As a developer, I want tests on every push, so that I catch issues early.

#### Acceptance Criteria

1. WHEN a push is made THEN the CI pipeline SHALL run the tests
2. WHEN tests fail THEN the CI pipeline SHALL report the failure
   and stop the build

### Requirement 2: Releases

**Objective:** As a maintainer, I want releases, so that users get builds.

#### Acceptance Criteria

1. WHEN the build succeeds THEN the pipeline SHALL tag the commit

## Notes

1. This numbered list is not a criterion.
`;

const TASKS = `# Implementation Plan

- [ ] 1. Workflow file
  - _Requirements: 1.1_
- [ ] 2. Failure handling
  - [ ] 2.1 Report
    - _Requirements: 1.2, 9.9_
  - [ ] 2.2 Docs
- [ ] 3. Release job
  - _Requirements: 2_
- [ ] 4. Cleanup
`;

const FILES = { requirements: "requirements.md", tasks: "tasks.md" };

function trace(requirements: string, tasks: string) {
  return traceRequirements(parseRequirements(requirements), parseSpecTaskList(tasks).tasks, FILES);
}

describe("parseRequirements: Kiro", () => {
  test("requirements with titles, user stories and numbered criteria", () => {
    const { requirements, findings } = parseRequirements(KIRO);
    assert.deepEqual(findings, []);
    assert.deepEqual(
      requirements.map((r) => [r.id, r.title, r.line, r.criteria.map((c) => c.id)]),
      [
        ["1", "", 9, ["1.1", "1.2"]],
        ["2", "Releases", 19, ["2.1"]],
      ],
    );
    assert.equal(
      requirements[0]?.story,
      "As a developer, I want tests on every push, so that I catch issues early.",
    );
    assert.equal(
      requirements[1]?.story,
      "As a maintainer, I want releases, so that users get builds.",
    );
    assert.equal(
      requirements[0]?.criteria[1]?.text,
      "WHEN tests fail THEN the CI pipeline SHALL report the failure and stop the build",
    );
    assert.deepEqual([...citableIds({ requirements, findings })].sort(), [
      "1",
      "1.1",
      "1.2",
      "2",
      "2.1",
    ]);
  });

  test("criterion ids are the ones the EARS linter reports", () => {
    const fromLint = lintEars(KIRO, "requirements.md").criteria.map((c) => c.id);
    const fromParser = parseRequirements(KIRO).requirements.flatMap((r) =>
      r.criteria.map((c) => c.id),
    );
    assert.deepEqual(fromParser, fromLint);
  });

  test("CRLF, fenced examples and a requirement without criteria", () => {
    const text = [
      "### Requirement 1",
      "",
      "```md",
      "### Requirement 9",
      "```",
      "",
      "### Requirement 2",
      "#### Acceptance Criteria",
      "1. THE system SHALL log",
      "",
    ].join("\r\n");
    const { requirements, findings } = parseRequirements(text);
    assert.deepEqual(
      requirements.map((r) => [r.id, r.criteria.map((c) => c.id)]),
      [
        ["1", []],
        ["2", ["2.1"]],
      ],
    );
    assert.deepEqual(
      findings.map((f) => [f.code, f.line, f.severity]),
      [["REQ_NO_CRITERIA", 1, "warning"]],
    );
  });

  test("a requirement number used twice is reported", () => {
    const text =
      "### Requirement 1\n#### Acceptance Criteria\n1. THE a SHALL b\n### Requirement 1\n#### Acceptance Criteria\n1. THE a SHALL c\n";
    const codes = parseRequirements(text).findings.map((f) => [f.code, f.line]);
    assert.deepEqual(codes, [["REQ_DUPLICATE_ID", 4]]);
  });

  test("OpenSpec named requirements are requirements named, not numbered", () => {
    const text =
      "## ADDED Requirements\n\n### Requirement: Caching\nThe system SHALL cache.\n\n#### Scenario: Hit\n- **WHEN** x\n- **THEN** y\n\n## REMOVED Requirements\n\n### Requirement: Old\nThe system SHALL forget.\n";
    const { requirements, findings } = parseRequirements(text, "specs/cache/spec.md");
    assert.deepEqual(findings, []);
    assert.deepEqual(
      requirements.map((r) => [r.id, r.dialect, r.file, r.criteria.map((c) => c.text)]),
      [["Caching", "openspec", "specs/cache/spec.md", ["The system SHALL cache."]]],
    );
  });
});

describe("parseRequirements: Spec Kit", () => {
  test("FR-xxx lines are requirements citable by id", () => {
    const text =
      "## Requirements\n\n- **FR-001**: System MUST store albums\n- **FR-002**: System MUST sort them\n**NFR-001**: Pages SHALL load in 200 ms\n";
    const { requirements } = parseRequirements(text);
    assert.deepEqual(
      requirements.map((r) => [r.id, r.line, r.criteria.length]),
      [
        ["FR-001", 3, 1],
        ["FR-002", 4, 1],
        ["NFR-001", 5, 1],
      ],
    );
    const report = trace(text, "- [ ] T001 Store\n  - _Requirements: fr-001, FR-002_\n");
    assert.deepEqual(report.uncovered, ["NFR-001"]);
    assert.deepEqual(report.unknown_references, []);
  });
});

const SPECKIT = `# Feature Specification: Albums

## User Scenarios & Testing

### User Story 1 - Create albums (Priority: P1)

As a user I want albums.

**Acceptance Scenarios**:

1. **Given** photos, **When** I create an album, **Then** it is listed.
2. **Given** an album, **When** I rename it, **Then** the new name shows.

### User Story 2 - Share (Priority: P2)

**Acceptance Scenarios**:

1. **Given** an album, **When** I share it, **Then** a link is made.

## Requirements

- **FR-001**: System MUST store albums
- **FR-002**: System MUST sort albums by date
- **FR-003**: System MUST make share links

## Success Criteria

- **SC-001**: Users create an album in 10 s
`;

const SPECKIT_TASKS = `# Tasks

- [ ] T001 Set up the project
- [ ] T002 [P] [US1] Album model per FR-001 and FR-002
- [ ] T003 [US1] Rename endpoint
- [ ] T004 [US2] Share links (FR-003, SC-001)
- [ ] T005 Check FR-001–FR-003 are tested
- [ ] T006 [US3] Something for a story that is not there, and FR-009
`;

describe("parseRequirements and traceRequirements: Spec Kit stories and FR-nnn", () => {
  test("user stories are requirements whose criteria are their acceptance scenarios", () => {
    const { requirements } = parseRequirements(SPECKIT);
    assert.deepEqual(
      requirements.map((r) => [r.id, r.title, r.criteria.map((c) => c.id)]),
      [
        ["US1", "Create albums (Priority: P1)", ["US1.1", "US1.2"]],
        ["US2", "Share (Priority: P2)", ["US2.1"]],
        ["FR-001", "", ["FR-001"]],
        ["FR-002", "", ["FR-002"]],
        ["FR-003", "", ["FR-003"]],
      ],
    );
  });

  test("[USn] labels cover the story's scenarios, FR-nnn in a task's text cover the requirement", () => {
    const tasks = parseSpecTaskList(SPECKIT_TASKS).tasks;
    assert.deepEqual(
      tasks.map((t) => [t.id, t.requirements, t.mentions]),
      [
        ["T001", [], []],
        ["T002", ["US1"], ["FR-001", "FR-002"]],
        ["T003", ["US1"], []],
        ["T004", ["US2"], ["FR-003"]],
        ["T005", [], ["FR-001", "FR-002", "FR-003"]],
        ["T006", ["US3"], ["FR-009"]],
      ],
    );
    const report = traceRequirements(parseRequirements(SPECKIT), tasks, {
      requirements: "spec.md",
      tasks: "tasks.md",
    });
    assert.deepEqual(
      report.rows.map((r) => [r.id, r.requirement, r.covered_by]),
      [
        ["US1.1", "US1", ["T002", "T003"]],
        ["US1.2", "US1", ["T002", "T003"]],
        ["US2.1", "US2", ["T004"]],
        ["FR-001", "FR-001", ["T002", "T005"]],
        ["FR-002", "FR-002", ["T002", "T005"]],
        ["FR-003", "FR-003", ["T004", "T005"]],
      ],
    );
    assert.deepEqual(report.uncovered, []);
    assert.deepEqual(report.unknown_references, [
      { task: "T006", ref: "US3", line: 8 },
      { task: "T006", ref: "FR-009", line: 8 },
    ]);
    assert.deepEqual(report.uncited_tasks, ["T001"]);
    const uncited = report.findings.find((f) => f.code === "TRACE_TASK_UNCITED");
    assert.match(uncited?.hint ?? "", /\[US1\]/);
    assert.deepEqual(report.tasks.find((t) => t.id === "T004")?.requirements, ["US2", "FR-003"]);
  });

  test("FR-nnn named in a Kiro task's prose are not citations when the spec has no FR ids", () => {
    const report = trace(
      KIRO,
      "- [ ] 1. Port FR-001 from the old tool\n  - _Requirements: 1, 2_\n",
    );
    assert.deepEqual(report.unknown_references, []);
    assert.deepEqual(report.tasks[0]?.requirements, ["1", "2"]);
  });
});

describe("traceRequirements: OpenSpec requirements across capabilities", () => {
  const cache = parseRequirements(
    "## ADDED Requirements\n\n### Requirement: Caching\nThe system SHALL cache.\n\n#### Scenario: Hit\n- **WHEN** x\n- **THEN** y\n",
    "specs/cache/spec.md",
  );
  const logs = parseRequirements(
    "## MODIFIED Requirements\n\n### Requirement: Logging\nThe system SHALL log.\n\n### Requirement: Caching\nThe log SHALL record cache hits.\n",
    "specs/logs/spec.md",
  );
  const parsed = { requirements: [...cache.requirements, ...logs.requirements], findings: [] };

  test("one row per requirement, each in its capability's file; a task may cite a name", () => {
    const tasks = parseSpecTaskList(
      "## 1. Work\n\n- [ ] 1.1 Cache\n  - _Requirements: caching_\n- [ ] 1.2 Tidy up\n",
    ).tasks;
    const report = traceRequirements(parsed, tasks, {
      requirements: "specs/*/spec.md",
      tasks: "tasks.md",
    });
    assert.deepEqual(
      report.rows.map((r) => [r.file, r.id, r.covered_by]),
      [
        ["specs/cache/spec.md", "Caching", ["1.1"]],
        ["specs/logs/spec.md", "Logging", []],
        ["specs/logs/spec.md", "Caching", ["1.1"]],
      ],
    );
    assert.deepEqual(report.unreadable_references, []);
    assert.deepEqual(
      report.findings.map((f) => [f.file, f.code]),
      [
        ["specs/logs/spec.md", "TRACE_UNCOVERED"],
        ["tasks.md", "TRACE_TASK_UNCITED"],
      ],
    );
    assert.match(report.findings[1]?.hint ?? "", /by name/);
  });
});

describe("traceRequirements", () => {
  test("matrix, unknown references, uncovered criteria and uncited tasks", () => {
    const report = trace(KIRO, TASKS);
    assert.deepEqual(
      report.rows.map((r) => [r.id, r.requirement, r.covered_by]),
      [
        ["1.1", "1", ["1"]],
        ["1.2", "1", ["2.1"]],
        ["2.1", "2", ["3"]],
      ],
    );
    assert.deepEqual(report.unknown_references, [{ task: "2.1", ref: "9.9", line: 6 }]);
    assert.deepEqual(report.uncovered, []);
    assert.deepEqual(report.uncited_tasks, ["2.2", "4"]);
    assert.deepEqual(
      report.findings.map((f) => [f.file, f.line, f.severity, f.code]),
      [
        ["tasks.md", 6, "error", "TRACE_UNKNOWN_REQUIREMENT"],
        ["tasks.md", 8, "warning", "TRACE_TASK_UNCITED"],
        ["tasks.md", 11, "warning", "TRACE_TASK_UNCITED"],
      ],
    );
    for (const f of report.findings) assert.ok(f.hint.length > 0 && f.message.length > 0);
  });

  test("a child of a citing parent is not uncited; criteria nobody cites are reported", () => {
    const report = trace(KIRO, "- [ ] 1. All of one\n  - _Requirements: 1_\n  - [ ] 1.1 Part\n");
    assert.deepEqual(report.uncited_tasks, []);
    assert.deepEqual(report.uncovered, ["2.1"]);
    assert.deepEqual(
      report.findings.map((f) => [f.file, f.line, f.code]),
      [["requirements.md", 25, "TRACE_UNCOVERED"]],
    );
  });

  test("prose citations are warnings, not unknown ids", () => {
    const report = trace(KIRO, "- [ ] 1. Everything\n  - _Requirements: all requirements_\n");
    assert.deepEqual(report.unknown_references, []);
    assert.deepEqual(report.unreadable_references, [
      { task: "1", ref: "all requirements", line: 1 },
    ]);
    assert.ok(report.findings.every((f) => f.severity === "warning"));
  });

  test("a requirement without criteria is its own row", () => {
    const report = trace("### Requirement 7: Logging\n", "- [ ] 1. Log\n  - _Requirements: 7_\n");
    assert.deepEqual(
      report.rows.map((r) => [r.id, r.text, r.covered_by]),
      [["7", "Logging", ["1"]]],
    );
  });
});

describe("spec templates", () => {
  const blank: TemplateInput = { name: "user-auth", title: "User auth", plan: null, tasks: null };
  const fromPlan: TemplateInput = {
    name: "ship",
    title: "Ship",
    plan: { id: "plan-ship", link: "../plan.md", path: "topics/plan-ship/plan.md" },
    tasks: [
      { title: "Add provider", done: false },
      { title: "Pick library", done: true },
    ],
  };

  test("requirements are valid EARS: no lint errors, one warning per placeholder line", () => {
    const text = renderRequirements(blank);
    const report = lintEars(text, "requirements.md");
    assert.deepEqual(report.findings, []);
    assert.deepEqual(
      report.criteria.map((c) => [c.id, c.pattern]),
      [
        ["1.1", "event-driven"],
        ["1.2", "unwanted-behaviour"],
        ["1.3", "state-driven"],
      ],
    );
    const placeholders = findPlaceholders(text, "requirements.md");
    assert.ok(placeholders.length > 0);
    assert.ok(placeholders.every((f) => f.code === "SPEC_PLACEHOLDER" && f.severity === "warning"));
    assert.deepEqual(parseRequirements(text).findings, []);
  });

  test("the blank tasks cite every template criterion; plan tasks are carried in order", () => {
    const blankTrace = trace(renderRequirements(blank), renderTasks(blank));
    assert.deepEqual(blankTrace.findings, []);
    const tasks = parseSpecTaskList(renderTasks(fromPlan));
    assert.deepEqual(tasks.findings, []);
    assert.deepEqual(
      tasks.tasks.map((t) => [t.id, t.title, t.status]),
      [
        ["1", "Add provider", "todo"],
        ["2", "Pick library", "done"],
      ],
    );
    assert.match(renderTasks(fromPlan), /\[plan-ship\]\(\.\.\/plan\.md\)/);
    assert.match(renderRequirements(fromPlan), /Source plan: \[plan-ship\]/);
    assert.deepEqual(findPlaceholders(renderTasks(fromPlan), "tasks.md"), []);
  });

  test("design has the Kiro sections, each a placeholder", () => {
    const text = renderDesign(blank);
    for (const heading of [
      "Overview",
      "Architecture",
      "Components and Interfaces",
      "Data Models",
      "Error Handling",
      "Testing Strategy",
    ]) {
      assert.ok(text.includes(`## ${heading}\n`), heading);
    }
    assert.equal(findPlaceholders(text, "design.md").length, 6);
  });

  test("metadata names the documents and the plan", () => {
    const meta = specMetadata(fromPlan, "2026-01-01T00:00:00.000Z");
    assert.equal(meta.schema_version, 1);
    assert.deepEqual(meta.plan, { id: "plan-ship", path: "topics/plan-ship/plan.md", tasks: 2 });
    assert.deepEqual(meta.documents, {
      requirements: "requirements.md",
      design: "design.md",
      tasks: "tasks.md",
    });
    assert.equal(specMetadata(blank, "x").plan, null);
    assert.equal(titleFromName("user-auth_v2"), "User auth v2");
  });

  test("placeholders: not links, checkboxes, code, fences or comments", () => {
    const text = [
      "[ROLE] and [NEEDS CLARIFICATION: which auth?]",
      "- [x] done [X] [A] [P]",
      "[API](https://example.com) [API][1] `[CODE]` [Mixed Case]",
      "<!-- [HIDDEN] -->",
      "<!--",
      "[HIDDEN]",
      "--> [SHOWN]",
      "```",
      "[FENCED]",
      "```",
    ].join("\n");
    assert.deepEqual(
      findPlaceholders(text, "f.md").map((f) => [f.line, f.message]),
      [
        [1, "template placeholders [ROLE], [NEEDS CLARIFICATION] are not filled in"],
        [7, "template placeholder [SHOWN] is not filled in"],
      ],
    );
  });
});

describe("traceRequirements on the corpus", () => {
  const pairs = corpusFiles((f) => f.startsWith("kiro/") && f.endsWith("__requirements.md"))
    .map((req) => [req, req.replace(/requirements\.md$/, "tasks.md")] as const)
    .filter(([, tasks]) => corpusFiles((f) => f === tasks).length === 1);

  test("every Kiro spec with both documents traces without unknown ids", {
    skip: CORPUS_PRESENT ? false : CORPUS_ABSENT_MESSAGE,
  }, () => {
    assert.ok(pairs.length >= 4, `found ${pairs.length} Kiro requirement/task pairs`);
    for (const [req, tasks] of pairs) {
      const parsed = parseRequirements(readCorpus(req));
      const criteria = lintEars(readCorpus(req), req).criteria.length;
      const rows = parsed.requirements.reduce((n, r) => n + r.criteria.length, 0);
      // The parser attaches exactly the criteria the EARS linter reads (duplicates included).
      assert.ok(rows === criteria, `${req}: ${rows} parsed vs ${criteria} linted`);
      const report = trace(readCorpus(req), readCorpus(tasks));
      assert.deepEqual(report.unknown_references, [], req);
      assert.ok(report.rows.length > 0, req);
      const covered = report.rows.filter((r) => r.covered_by.length > 0).length;
      assert.ok(
        covered / report.rows.length > 0.8,
        `${req}: ${covered}/${report.rows.length} covered`,
      );
    }
  });
});
