import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { lintEars } from "../../../src/core/spec/ears.ts";
import {
  parseRequirementRefs,
  requirementListOf,
} from "../../../src/core/spec/requirement-refs.ts";
import { parseRequirements, traceRequirements } from "../../../src/core/spec/requirements.ts";
import { parseSpecTaskList, type TaskNode } from "../../../src/core/spec/tasks-md.ts";
import { CORPUS_ABSENT_MESSAGE, CORPUS_PRESENT, corpusFile, readCorpus } from "./corpus.ts";

/**
 * Kiro writes its documents in the user's language. These fixtures follow the forms found in
 * public repositories' `.kiro/specs/*` (headings, story labels, reference lines), with short
 * text of our own.
 */

const CHINESE = `# 需求文档

## 需求

### 需求 1：Converter 接口新增 Header 转换方法

**用户故事：** 作为开发者，我希望接口提供独立的 Header 转换方法。

#### 验收标准

1. WHEN 开发者查看接口 THEN 接口 SHALL 包含 \`ConvertHeaders\` 方法
2. IF \`ConvertHeaders\` 被调用 THEN 系统 SHALL 返回所有请求头

### 需求 2: 调用方改造

**用户故事**: 作为维护者，我希望调用方使用新方法。

#### 验收标准

1. WHEN 发送请求 THEN 客户端 SHALL 先调用 \`ConvertHeaders\`
`;

const CHINESE_TASKS = `# 实现计划

- [ ] 1. 新增接口方法
  - _需求：1.1、1.2_
- [ ]* 1.1 属性测试
  - **属性 1：请求头完整**
  - **验证需求：1.2**
- [ ] 2. 改造调用方
  - _需求: 2.1_
`;

const JAPANESE = `# 要件定義書

## 要件

### 要件 1: アプリ設定の管理

**目的:** ユーザーとして、設定を保存したい。

#### 受け入れ基準（Acceptance Criteria）

1. THE App SHALL 設定画面を提供する
2. WHEN ユーザーが設定を保存した場合、THE App SHALL 設定を JSON ファイルに保存する

### 要件2

**ユーザーストーリー:** ユーザーとして、履歴を見たい。

#### 受け入れ基準

1. WHEN ユーザーが履歴を開いたとき、THE App SHALL 直近 20 件を表示する
`;

const KOREAN = `## 요구사항

### 요구사항 1: 크로스 플랫폼 앱

**사용자 스토리:** 개발자로서, 단일 코드베이스로 배포하고 싶습니다.

#### 인수 조건 (빌드)

1. WHEN 앱이 빌드될 때, THE Native_App SHALL 바이너리를 생성해야 합니다
`;

const SPANISH = `## Requisitos

### Requisito 1: Registro de ingresos

**Historia de Usuario:** Como líder, quiero registrar la ofrenda.

#### Criterios de Aceptación

1. THE Sistema SHALL registrar el monto de cada ingreso
2. WHEN el monto es cero, THE Sistema SHALL rechazar el ingreso
`;

describe("Kiro specs in other languages read like the English form", () => {
  test("Chinese: 需求 N / 验收标准 / 用户故事, criteria N.k, linted as EARS", () => {
    const report = lintEars(CHINESE, "requirements.md");
    assert.deepEqual(
      report.criteria.map((c) => [c.id, c.pattern]),
      [
        ["1.1", "event-driven"],
        ["1.2", "unwanted-behaviour"],
        ["2.1", "event-driven"],
      ],
    );
    assert.deepEqual(report.findings, []);
    const { requirements, findings } = parseRequirements(CHINESE);
    assert.deepEqual(findings, []);
    assert.deepEqual(
      requirements.map((r) => [r.id, r.title, r.story, r.criteria.map((c) => c.id)]),
      [
        [
          "1",
          "Converter 接口新增 Header 转换方法",
          "作为开发者，我希望接口提供独立的 Header 转换方法。",
          ["1.1", "1.2"],
        ],
        ["2", "调用方改造", "作为维护者，我希望调用方使用新方法。", ["2.1"]],
      ],
    );
  });

  test("Chinese tasks: _需求：…_ and **验证需求：…** are references; the trace covers everything", () => {
    const tasks = parseSpecTaskList(CHINESE_TASKS);
    assert.deepEqual(tasks.findings, []);
    assert.deepEqual(
      tasks.tasks.flatMap((t) => [t, ...t.children]).map((t) => [t.id, t.requirements]),
      [
        ["1", ["1.1", "1.2"]],
        ["1.1", ["1.2"]],
        ["2", ["2.1"]],
      ],
    );
    const report = traceRequirements(parseRequirements(CHINESE), tasks.tasks, {
      requirements: "requirements.md",
      tasks: "tasks.md",
    });
    assert.deepEqual(report.uncovered, []);
    assert.deepEqual(report.findings, []);
    assert.deepEqual(
      report.rows.map((r) => [r.id, r.covered_by]),
      [
        ["1.1", ["1"]],
        ["1.2", ["1", "1.1"]],
        ["2.1", ["2"]],
      ],
    );
  });

  test("Japanese: 要件 N (also 要件N) / 受け入れ基準（Acceptance Criteria）/ 目的 and ユーザーストーリー", () => {
    const { requirements } = parseRequirements(JAPANESE);
    assert.deepEqual(
      requirements.map((r) => [r.id, r.title, r.story, r.criteria.map((c) => c.id)]),
      [
        ["1", "アプリ設定の管理", "ユーザーとして、設定を保存したい。", ["1.1", "1.2"]],
        ["2", "", "ユーザーとして、履歴を見たい。", ["2.1"]],
      ],
    );
    assert.equal(lintEars(JAPANESE, "requirements.md").criteria.length, 3);
  });

  test("Korean and Spanish headings read the same way", () => {
    assert.deepEqual(
      parseRequirements(KOREAN).requirements.map((r) => [r.id, r.story, r.criteria.length]),
      [["1", "개발자로서, 단일 코드베이스로 배포하고 싶습니다.", 1]],
    );
    assert.deepEqual(
      parseRequirements(SPANISH).requirements.map((r) => [r.id, r.title, r.criteria.length]),
      [["1", "Registro de ingresos", 2]],
    );
    assert.deepEqual(lintEars(SPANISH, "requirements.md").findings, []);
  });

  test("headings that only start with the word are not requirements", () => {
    const text =
      "# 需求文档\n\n## 要件一覧\n\n### Requisito funcional\n\n#### 验收标准说明\n\n1. WHEN a THEN b SHALL c\n";
    assert.deepEqual(parseRequirements(text).requirements, []);
    assert.deepEqual(lintEars(text, "r.md").criteria, []);
  });
});

describe("reference lines in other languages", () => {
  test("the label forms found in task files", () => {
    assert.equal(requirementListOf("  - _需求：1.1, 1.2, 1.4_"), "1.1, 1.2, 1.4");
    assert.equal(requirementListOf("  - _需求: 1.2, 3.1_"), "1.2, 3.1");
    assert.equal(requirementListOf("- **验证需求：1.1, 1.4**"), "1.1, 1.4");
    assert.equal(requirementListOf("**验证需求: 2.1**"), "2.1");
    assert.equal(requirementListOf("- **验证：需求 4.4**"), "4.4");
    assert.equal(requirementListOf("**検証: 要件 1.2**"), "1.2");
    assert.equal(requirementListOf("**検証: 要件6.1**"), "6.1");
    assert.equal(requirementListOf("  - _要件: 1.1_"), "1.1");
    assert.equal(requirementListOf("  - _요구사항: 2.1_"), "2.1");
    assert.equal(requirementListOf("  - _Requisitos: 1.1, 1.2_"), "1.1, 1.2");
    assert.equal(requirementListOf("- 需求文档在 docs 目录"), null);
  });

  test("ideographic commas, en-dash ranges and the word before an id", () => {
    assert.deepEqual(parseRequirementRefs("1.1–1.3、5.1").refs, ["1.1", "1.2", "1.3", "5.1"]);
    assert.deepEqual(parseRequirementRefs("需求 1.1、要件2.1").refs, ["1.1", "2.1"]);
    assert.deepEqual(parseRequirementRefs("2.4, 2.5 (リファクタリング)").refs, ["2.4", "2.5"]);
  });
});

test("a Japanese Kiro task list from the corpus: every leaf task cites criteria", {
  skip: CORPUS_PRESENT ? false : CORPUS_ABSENT_MESSAGE,
}, () => {
  const file = corpusFile("vercel-ai-chatui-research-agent-ja", "tasks.md");
  const { tasks, findings } = parseSpecTaskList(readCorpus(file));
  // Its last tasks cite "全要件の品質保証" (all requirements' quality): prose, reported.
  assert.deepEqual([...new Set(findings.map((f) => f.code))], ["TASK_REQ_REF_NOT_ID"]);
  const leaves = (nodes: readonly TaskNode[]): TaskNode[] =>
    nodes.flatMap((n) => (n.children.length === 0 ? [n] : leaves(n.children)));
  const all = leaves(tasks);
  assert.ok(all.length > 10, `${all.length} leaf tasks`);
  for (const leaf of all) {
    assert.ok(leaf.requirements.length > 0, `${leaf.id} ${leaf.title}`);
    for (const ref of leaf.requirements) assert.match(ref, /^\d+\.\d+$|^全要件/, leaf.id);
  }
});
