import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { earsStats, lintEars } from "../../../src/core/spec/ears.ts";
import { classifyEars } from "../../../src/core/spec/ears-classify.ts";
import { vagueTerms } from "../../../src/core/spec/ears-vague.ts";

const SHALL = { obligations: ["SHALL"] };

function classify(sentence: string): [string, string, string] {
  const result = classifyEars(sentence, SHALL);
  return [result.pattern, result.keywords.join("+"), result.problems.map((p) => p.code).join(",")];
}

describe("classifyEars: the five patterns", () => {
  test("ubiquitous: THE <system> SHALL <response>", () => {
    assert.deepEqual(classify("THE system SHALL log every request"), ["ubiquitous", "", ""]);
    assert.deepEqual(classify("The Photo Album Application SHALL keep albums flat"), [
      "ubiquitous",
      "",
      "",
    ]);
  });

  test("event-driven: WHEN … [THEN] … SHALL, with THEN, with a comma, in lower case", () => {
    assert.deepEqual(classify("WHEN a user clicks save THEN the system SHALL store the draft"), [
      "event-driven",
      "WHEN",
      "",
    ]);
    assert.deepEqual(classify("WHEN a user clicks save, THE editor SHALL store the draft"), [
      "event-driven",
      "WHEN",
      "",
    ]);
    assert.deepEqual(classify("when a user logs in the system shall greet them"), [
      "event-driven",
      "WHEN",
      "",
    ]);
  });

  test("state-driven: WHILE … SHALL", () => {
    assert.deepEqual(classify("WHILE dragging an album THE app SHALL show the drag state"), [
      "state-driven",
      "WHILE",
      "",
    ]);
  });

  test("unwanted behaviour: IF … THEN … SHALL (THEN optional)", () => {
    assert.deepEqual(classify("IF tests fail THEN the build step SHALL NOT execute"), [
      "unwanted-behaviour",
      "IF",
      "",
    ]);
    assert.deepEqual(classify("If the token expires, the client shall sign in again"), [
      "unwanted-behaviour",
      "IF",
      "",
    ]);
  });

  test("optional feature: WHERE … SHALL", () => {
    assert.deepEqual(classify("WHERE dark mode is enabled THE app SHALL use dark colours"), [
      "optional-feature",
      "WHERE",
      "",
    ]);
  });

  test("complex: several clause keywords before one SHALL", () => {
    assert.deepEqual(
      classify("WHILE dragging an album, WHEN the user drops it THE app SHALL save the order"),
      ["complex", "WHILE+WHEN", ""],
    );
    assert.deepEqual(
      classify(
        "WHERE export is enabled, while online, IF the upload fails THEN the app SHALL retry",
      ),
      ["complex", "WHERE+WHILE+IF", ""],
    );
  });

  test("a later lower-case where/when inside a clause is prose, not a second clause", () => {
    assert.deepEqual(
      classify("WHEN a user opens the page where albums are shown THEN the app SHALL load them"),
      ["event-driven", "WHEN", ""],
    );
    assert.deepEqual(classify("The page where albums are shown SHALL load lazily"), [
      "ubiquitous",
      "",
      "",
    ]);
  });

  test("keywords inside code spans and bold markers are handled", () => {
    assert.deepEqual(classify("WHEN the `if` branch runs THE system SHALL log it"), [
      "event-driven",
      "WHEN",
      "",
    ]);
    assert.deepEqual(classify("**WHEN** a file changes **THEN** the watcher **SHALL** rebuild"), [
      "event-driven",
      "WHEN",
      "",
    ]);
  });
});

describe("classifyEars: other languages", () => {
  test("Japanese or Chinese text around English keywords classifies normally", () => {
    assert.deepEqual(classify("WHEN ユーザーが送信する THEN システム SHALL 結果を表示する"), [
      "event-driven",
      "WHEN",
      "",
    ]);
    assert.deepEqual(classify("WHEN 用户打开数据源面板 THEN 系统 SHALL 显示两个分组"), [
      "event-driven",
      "WHEN",
      "",
    ]);
    assert.deepEqual(classify("CLI 集成测试 SHALL 在隔离环境中运行"), ["ubiquitous", "", ""]);
  });

  test("a criterion fully in another language without keywords is a warning, not an error", () => {
    const result = classifyEars("用户打开面板时，系统应显示所有表", SHALL);
    assert.equal(result.pattern, "unclassified");
    assert.deepEqual(
      result.problems.map((p) => [p.code, p.severity]),
      [["EARS_NOT_CHECKED", "warning"]],
    );
    assert.equal(
      classifyEars("ユーザーがログインしたとき、システムはホーム画面を表示すること", SHALL)
        .problems[0]?.severity,
      "warning",
    );
  });
});

describe("classifyEars: problems", () => {
  test("no SHALL in English is an error, and MUST is named in the message", () => {
    const must = classifyEars("The system must log every request", SHALL);
    assert.deepEqual(
      [must.pattern, must.problems.map((p) => [p.code, p.severity])],
      ["unclassified", [["EARS_NO_SHALL", "error"]]],
    );
    assert.match(must.problems[0]?.message ?? "", /"must"/);
    assert.deepEqual(classify("The system logs every request"), [
      "unclassified",
      "",
      "EARS_NO_SHALL",
    ]);
    // The leading keyword still tells the caller what was meant.
    assert.deepEqual(classify("WHEN a user saves THEN the system stores the draft"), [
      "event-driven",
      "WHEN",
      "EARS_NO_SHALL",
    ]);
  });

  test("MUST counts when the caller accepts it (Spec Kit, OpenSpec)", () => {
    const result = classifyEars("System MUST provide a para method", {
      obligations: ["SHALL", "MUST"],
    });
    assert.deepEqual([result.pattern, result.problems], ["ubiquitous", []]);
  });

  test("more than one SHALL is a warning", () => {
    const result = classifyEars("THE system SHALL log requests and SHALL rotate logs", SHALL);
    assert.deepEqual(
      result.problems.map((p) => [p.code, p.severity]),
      [["EARS_MULTIPLE_SHALL", "warning"]],
    );
  });

  test("a condition after SHALL or in the middle matches no pattern", () => {
    assert.deepEqual(classify("The system SHALL show results WHEN the user searches"), [
      "unclassified",
      "",
      "EARS_UNKNOWN_PATTERN",
    ]);
    assert.deepEqual(classify("After login WHEN the user opens settings THE app SHALL load them"), [
      "unclassified",
      "",
      "EARS_UNKNOWN_PATTERN",
    ]);
  });

  test("empty condition and missing response are errors; a missing system name is a warning", () => {
    assert.deepEqual(classify("WHEN THEN the system SHALL log"), [
      "event-driven",
      "WHEN",
      "EARS_EMPTY_CONDITION",
    ]);
    assert.deepEqual(classify("THE system SHALL"), ["ubiquitous", "", "EARS_NO_RESPONSE"]);
    assert.deepEqual(classify("SHALL log every request"), ["ubiquitous", "", "EARS_NO_SYSTEM"]);
    assert.deepEqual(classify("WHEN saved THEN SHALL log"), [
      "event-driven",
      "WHEN",
      "EARS_NO_SYSTEM",
    ]);
    const severities = classifyEars("WHEN THEN SHALL", SHALL).problems.map(
      (p) => `${p.code}:${p.severity}`,
    );
    assert.deepEqual(severities, [
      "EARS_NO_RESPONSE:error",
      "EARS_EMPTY_CONDITION:error",
      "EARS_NO_SYSTEM:warning",
    ]);
  });
});

describe("vagueTerms", () => {
  test("finds the usual vague words once each, in order", () => {
    assert.deepEqual(
      vagueTerms("respond quickly, be user-friendly and Quickly show appropriate icons etc."),
      ["quickly", "user-friendly", "appropriate", "etc."],
    );
    assert.deepEqual(vagueTerms("handle errors gracefully where possible"), [
      "gracefully",
      "where possible",
    ]);
  });

  test("does not match inside other words, hyphenations or code", () => {
    assert.deepEqual(vagueTerms("fail-fast on breakfast; use `fast` mode; steadfast"), []);
    assert.deepEqual(vagueTerms("an inappropriate value"), []);
  });
});

const KIRO = `# Requirements Document

## Requirements

### Requirement 1: Albums

**User Story:** As a user, I want albums, so that I can organise photos quickly.

#### Acceptance Criteria

1. WHEN a user creates an album THEN the app SHALL store its date
2. WHILE an album is open THE app SHALL show its photos
   in a grid of tiles
3. The app must keep albums flat
4. IF the upload fails THEN the app SHALL respond appropriately

**Note:** lookups are read-only.

### Requirement 2

#### Acceptance Criteria

1. WHERE sharing is enabled THE app SHALL show a share button
1. THE app SHALL log every album change
`;

describe("lintEars on a Kiro requirements document", () => {
  const report = lintEars(KIRO, "requirements.md");

  test("finds each criterion with its id, line and full text (continuation lines joined)", () => {
    assert.deepEqual(
      report.criteria.map((c) => [c.id, c.line, c.kind, c.dialect, c.pattern]),
      [
        ["1.1", 11, "criterion", "kiro", "event-driven"],
        ["1.2", 12, "criterion", "kiro", "state-driven"],
        ["1.3", 14, "criterion", "kiro", "unclassified"],
        ["1.4", 15, "criterion", "kiro", "unwanted-behaviour"],
        ["2.1", 23, "criterion", "kiro", "optional-feature"],
        ["2.1", 24, "criterion", "kiro", "ubiquitous"],
      ],
    );
    assert.equal(
      report.criteria[1]?.text,
      "WHILE an album is open THE app SHALL show its photos in a grid of tiles",
    );
  });

  test("reports findings with file, line, code, severity and hint; the user story is not linted", () => {
    assert.deepEqual(
      report.findings.map((f) => [f.file, f.line, f.code, f.severity]),
      [
        ["requirements.md", 14, "EARS_NO_SHALL", "error"],
        ["requirements.md", 15, "EARS_VAGUE_TERM", "warning"],
        ["requirements.md", 24, "EARS_DUPLICATE_ID", "warning"],
      ],
    );
    assert.ok(report.findings.every((f) => f.hint.length > 0 && f.message.length > 0));
    assert.match(report.findings[1]?.message ?? "", /^1\.4: .*"appropriately"/);
  });

  test("earsStats counts every pattern, zero when unused", () => {
    assert.deepEqual(earsStats(report.criteria), {
      ubiquitous: 1,
      "event-driven": 1,
      "state-driven": 1,
      "unwanted-behaviour": 1,
      "optional-feature": 1,
      complex: 0,
      unclassified: 1,
    });
  });

  test("CRLF gives the same report", () => {
    assert.deepEqual(lintEars(KIRO.replace(/\n/g, "\r\n"), "requirements.md"), report);
  });
});

describe("lintEars on Spec Kit and OpenSpec documents", () => {
  const SPECKIT = `## User Scenarios & Testing

### User Story 1 - Analyse (Priority: P1)

**Acceptance Scenarios**:

1. **Given** a pattern, **When** I apply para, **Then** I get a result.
2. **Given** an atomic pattern, **When** I apply para.

## Requirements

- **FR-001**: System MUST provide a \`para\` method.
- **FR-002**: System provides flexible folds.
- **SC-001**: Users can compute sums in one call.
`;

  test("Spec Kit: FR lines accept MUST; scenarios need When and Then; SC lines are skipped", () => {
    const report = lintEars(SPECKIT, "spec.md");
    assert.deepEqual(
      report.criteria.map((c) => [c.id, c.kind, c.dialect, c.pattern]),
      [
        ["FR-001", "requirement", "speckit", "ubiquitous"],
        ["FR-002", "requirement", "speckit", "unclassified"],
      ],
    );
    assert.deepEqual(
      report.scenarios.map((s) => [s.id, s.line, s.missing]),
      [
        ["US1.1", 7, []],
        ["US1.2", 8, ["THEN"]],
      ],
    );
    assert.deepEqual(
      report.findings.map((f) => [f.line, f.code]),
      [
        [8, "SCENARIO_INCOMPLETE"],
        [13, "EARS_NO_SHALL"],
        [13, "EARS_VAGUE_TERM"],
      ],
    );
  });

  const OPENSPEC = `## ADDED Requirements

### Requirement: Stack Metadata
The system SHALL support optional metadata.

**Reason**: people asked for it.

#### Scenario: Metadata present
- **WHEN** a change includes metadata
- **THEN** the system SHALL parse it

#### Scenario: No outcome
- **WHEN** nothing happens

## REMOVED Requirements

### Requirement: Old Format
The diff command displays text.

#### Scenario: Old
- **WHEN** x
`;

  test("OpenSpec: requirement statements are linted, scenarios checked, REMOVED skipped", () => {
    const report = lintEars(OPENSPEC, "spec.md");
    assert.deepEqual(
      report.criteria.map((c) => [c.id, c.line, c.text, c.pattern]),
      [["Stack Metadata", 4, "The system SHALL support optional metadata.", "ubiquitous"]],
    );
    assert.deepEqual(
      report.scenarios.map((s) => [s.id, s.missing]),
      [
        ["Metadata present", []],
        ["No outcome", ["THEN"]],
      ],
    );
    assert.deepEqual(
      report.findings.map((f) => [f.line, f.code]),
      [[12, "SCENARIO_INCOMPLETE"]],
    );
  });

  test("a document without any criteria is an error: it checked nothing", () => {
    const report = lintEars("# Design\n\nSome prose.\n", "design.md");
    assert.deepEqual(
      report.findings.map((f) => [f.line, f.code, f.severity]),
      [[1, "EARS_NO_CRITERIA", "error"]],
    );
    assert.deepEqual([report.criteria, report.scenarios], [[], []]);
  });

  test("criteria inside fenced code are examples and are not linted", () => {
    const text =
      "#### Acceptance Criteria\n\n```\n1. the system logs\n```\n1. THE system SHALL log\n";
    assert.deepEqual(
      lintEars(text, "r.md").criteria.map((c) => [c.line, c.pattern]),
      [[6, "ubiquitous"]],
    );
  });
});
