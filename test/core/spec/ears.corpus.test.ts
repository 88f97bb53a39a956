/**
 * The EARS linter against every requirements.md and spec.md in the corpus: it must run, find the
 * criteria a person counts, classify them plausibly, and give the hand-checked ones the pattern
 * their wording has.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  type EarsCriterion,
  type EarsReport,
  earsStats,
  lintEars,
} from "../../../src/core/spec/ears.ts";
import {
  CORPUS_ABSENT_MESSAGE,
  CORPUS_PRESENT,
  corpusFile,
  corpusFiles,
  readCorpus,
} from "./corpus.ts";

function lint(...fragments: string[]): EarsReport {
  const file = corpusFile(...fragments);
  return lintEars(readCorpus(file), file);
}

function criterion(report: EarsReport, id: string): EarsCriterion {
  const matches = report.criteria.filter((c) => c.id === id);
  assert.equal(matches.length, 1, `expected one criterion ${id}`);
  return matches[0] as EarsCriterion;
}

/** Counts read off each file by hand: criteria per pattern, and scenarios. */
const EXPECTED: readonly {
  file: string[];
  stats: Partial<ReturnType<typeof earsStats>>;
  scenarios: number;
}[] = [
  { file: ["duckdb-query", "requirements.md"], stats: { "event-driven": 34 }, scenarios: 0 },
  { file: ["osml-model-runner", "requirements.md"], stats: { "event-driven": 44 }, scenarios: 0 },
  { file: ["usbipd-mac", "requirements.md"], stats: { "event-driven": 36 }, scenarios: 0 },
  {
    file: ["AudioCap", "requirements.md"],
    stats: { "event-driven": 21, "unwanted-behaviour": 4 },
    scenarios: 0,
  },
  {
    file: ["photo-albums-en", "requirements.md"],
    stats: {
      "event-driven": 14,
      "state-driven": 3,
      "unwanted-behaviour": 8,
      "optional-feature": 5,
    },
    scenarios: 0,
  },
  { file: ["pattern-rs", "spec.md"], stats: { ubiquitous: 8 }, scenarios: 9 },
  { file: ["1code", "spec.md"], stats: { ubiquitous: 6 }, scenarios: 12 },
  { file: ["Modulus", "spec.md"], stats: { ubiquitous: 8 }, scenarios: 21 },
  { file: ["change-stacking", "spec.md"], stats: { ubiquitous: 3 }, scenarios: 10 },
  { file: ["cli-diff", "spec.md"], stats: { ubiquitous: 2 }, scenarios: 2 },
];

describe("lintEars on every requirements.md and spec.md in the corpus", () => {
  if (!CORPUS_PRESENT) {
    test("corpus", (t) => t.skip(CORPUS_ABSENT_MESSAGE));
    return;
  }
  const files = corpusFiles((name) => /(requirements|spec)\.md$/.test(name));

  test("every file is covered by a hand count below", () => {
    assert.equal(files.length, EXPECTED.length);
  });

  for (const file of files) {
    test(`${file}: runs and classifies plausibly`, () => {
      const report = lintEars(readCorpus(file), file);
      assert.ok(report.criteria.length > 0, "finds criteria");
      const stats = earsStats(report.criteria);
      assert.equal(
        Object.values(stats).reduce((a, b) => a + b, 0),
        report.criteria.length,
      );
      // These are real, reviewed specs: every statement fits a pattern and none has an error.
      assert.equal(stats.unclassified, 0);
      assert.deepEqual(
        report.findings.filter((f) => f.severity === "error"),
        [],
      );
      assert.ok(report.findings.every((f) => f.file === file && f.line >= 1 && f.hint !== ""));
      assert.ok(report.scenarios.every((s) => s.missing.length === 0));
    });
  }

  for (const { file, stats, scenarios } of EXPECTED) {
    test(`${file.join(" ")}: pattern counts match a hand count`, () => {
      const report = lint(...file);
      const expected = { ...earsStats([]), ...stats };
      assert.deepEqual(earsStats(report.criteria), expected);
      assert.equal(report.scenarios.length, scenarios);
    });
  }
});

describe("hand-checked criteria", () => {
  if (!CORPUS_PRESENT) {
    test("corpus", (t) => t.skip(CORPUS_ABSENT_MESSAGE));
    return;
  }

  test("photo-albums-en: one criterion of each EARS pattern", () => {
    const report = lint("photo-albums-en", "requirements.md");
    assert.deepEqual(
      ["1.1", "1.3", "1.5", "2.2"].map((id) => [
        id,
        criterion(report, id).pattern,
        criterion(report, id).keywords,
      ]),
      [
        ["1.1", "event-driven", ["WHEN"]],
        ["1.3", "unwanted-behaviour", ["IF"]],
        ["1.5", "optional-feature", ["WHERE"]],
        ["2.2", "state-driven", ["WHILE"]],
      ],
    );
    assert.equal(criterion(report, "1.5").line, 17);
    assert.deepEqual(
      report.findings.map((f) => [f.line, f.code]),
      [[66, "EARS_VAGUE_TERM"]],
    );
  });

  test("AudioCap: IF … THEN … SHALL NOT is unwanted behaviour", () => {
    const c = criterion(lint("AudioCap", "requirements.md"), "2.5");
    assert.deepEqual(
      [c.line, c.text, c.pattern],
      [31, "IF tests fail THEN the build step SHALL NOT execute", "unwanted-behaviour"],
    );
  });

  test("duckdb-query: Chinese text around WHEN/THEN/SHALL classifies without findings", () => {
    const report = lint("duckdb-query", "requirements.md");
    const c = criterion(report, "1.1");
    assert.deepEqual([c.line, c.pattern], [23, "event-driven"]);
    assert.ok(c.text.startsWith("WHEN 用户打开数据源面板 THEN 系统 SHALL"));
    assert.deepEqual(report.findings, []);
  });

  test("osml-model-runner: requirement 5 numbers two criteria 5., reported once", () => {
    const report = lint("osml-model-runner", "requirements.md");
    assert.deepEqual(
      report.criteria.filter((c) => c.id === "5.5").map((c) => c.line),
      [81, 82],
    );
    assert.deepEqual(
      report.findings.map((f) => [f.line, f.code, f.severity]),
      [[82, "EARS_DUPLICATE_ID", "warning"]],
    );
  });

  test("usbipd-mac: vague wording is flagged where it occurs", () => {
    const report = lint("usbipd-mac", "requirements.md");
    const vague = report.findings.filter((f) => f.code === "EARS_VAGUE_TERM");
    assert.equal(vague.length, 9);
    assert.match(vague[0]?.message ?? "", /^1\.4: .*"appropriate"/);
  });

  test("pattern-rs (Spec Kit): FR-xxx with MUST are ubiquitous, scenarios carry story ids", () => {
    const report = lint("pattern-rs", "spec.md");
    const fr = criterion(report, "FR-001");
    assert.deepEqual(
      [fr.line, fr.kind, fr.dialect, fr.pattern],
      [93, "requirement", "speckit", "ubiquitous"],
    );
    assert.deepEqual(
      report.scenarios.map((s) => s.id),
      ["US1.1", "US1.2", "US1.3", "US2.1", "US2.2", "US3.1", "US3.2", "US4.1", "US4.2"],
    );
    assert.deepEqual(
      report.findings.map((f) => [f.line, f.code]),
      [[101, "EARS_VAGUE_TERM"]],
    );
  });

  test("Modulus (OpenSpec, Chinese): SHALL and MUST statements are ubiquitous", () => {
    const report = lint("Modulus", "spec.md");
    assert.equal(
      criterion(report, "CLI Test Environment Isolation").text,
      "CLI 集成测试 SHALL 在隔离环境中运行，不影响真实用户数据。",
    );
    const gate = criterion(report, "CLI Test Coverage Gate");
    assert.deepEqual([gate.line, gate.pattern, gate.dialect], [91, "ubiquitous", "openspec"]);
  });

  test("cli-diff (OpenSpec): the REMOVED requirement is not linted", () => {
    const report = lint("cli-diff", "spec.md");
    assert.deepEqual(
      report.criteria.map((c) => c.id),
      ["Diff Output", "Validation"],
    );
  });
});
