/**
 * The words Kiro-style specs use for their structure, in the languages real specs are written
 * in. Kiro writes its documents in the user's language, so a Chinese spec has `### 需求 1`,
 * `#### 验收标准`, `**用户故事：**` and tasks citing `_需求：1.2, 3.1_` or `**验证需求：2.1**`;
 * a Japanese one `### 要件 1`, `#### 受け入れ基準` and `_要件: 1.1_`. Every reader of these
 * documents (the EARS linter, the requirements parser, the task reference reader) takes its
 * words from here, so one language added here is read the same way everywhere.
 *
 * Latin-script words match without case; the keywords inside a criterion (WHEN, SHALL) stay
 * English, as Kiro writes them in every language.
 */

/** `Requirement` in a heading: `### Requirement 1`, `### 需求 1：…`, `### 要件1`, `### 요구사항 1`. */
const REQUIREMENT_WORDS = [
  "Requirement",
  "需求",
  "要件",
  "요구사항",
  "요구 사항",
  "Requisito",
  "Anforderung",
  "Exigence",
];

/** The acceptance criteria section heading (or bold label). */
const ACCEPTANCE_WORDS = [
  "Acceptance Criteria",
  "验收标准",
  "驗收標準",
  "验收准则",
  "受け入れ基準",
  "受入基準",
  "인수 기준",
  "인수 조건",
  "승인 기준",
  "수용 기준",
  "Criterios de aceptación",
  "Critérios de aceitação",
  "Akzeptanzkriterien",
  "Critères d'acceptation",
];

/** The story line under a requirement: `**User Story:** …`, `**用户故事：** …`, `**目的:** …`. */
const STORY_WORDS = [
  "User Story",
  "Objective",
  "用户故事",
  "用戶故事",
  "ユーザーストーリー",
  "目的",
  "사용자 스토리",
  "Historia de usuario",
  "História de usuário",
  "História do usuário",
  "Historia",
];

/** The label of a task's reference line: `_Requirements: 1.1_`, `_需求：1.1_`, `_要件: 1.1_`. */
const REFERENCE_WORDS = [
  "Requirements?",
  "Reqs?\\.?",
  "需求",
  "要件",
  "요구사항",
  "요구 사항",
  "Requisitos?",
  "Anforderungen?",
  "Exigences?",
];

/** What property-test tasks put before the list: `**Validates: Requirements 1.2**`, `**验证需求：1.2**`. */
const VALIDATES_WORDS = ["Validates", "验证", "驗證", "検証", "검증"];

const escapeWord = (word: string) =>
  word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/ /g, "\\s+");
const isLatin = (word: string) => /^[A-Za-z]/.test(word);
/** Words as regex alternatives; `raw` words are regex already (`Requirements?`). */
const alternation = (words: readonly string[], raw = false) =>
  words.map((w) => (raw ? w.replace(/ /g, "\\s*") : escapeWord(w))).join("|");

/** Letters and digits of every script: a word continues while these follow. */
const WORD_CHAR = String.raw`[\p{L}\p{N}]`;

/** A requirement id as headings write it: `1`, `2A`, `1.2`, `R-3`. */
const HEADING_ID = String.raw`[\p{L}\p{N}]+(?:[.-][\p{L}\p{N}]+)*`;
/** Where a word may run straight into the number (`要件1`), the id must start with a digit. */
const DIGIT_ID = String.raw`\d[A-Za-z0-9]*(?:[.-][A-Za-z0-9]+)*`;

/**
 * English allows letter ids too (`Requirement A`, `Requirement 2A`); other words need a number, so
 * `## 需求文档` or `### Requisito funcional` are not read as requirements.
 */
const REQUIREMENT_HEADING = new RegExp(
  String.raw`^(?:Requirement\s+(${HEADING_ID})|(?:${alternation(
    REQUIREMENT_WORDS.filter((w) => w !== "Requirement"),
  )})\s*(${DIGIT_ID}))(?:\s*[:：.、]\s*(.*)|\s+[-—–]\s+(.*)|\s+(.*))?$`,
  "iu",
);

export interface RequirementHeading {
  id: string;
  title: string;
}

/** A heading's text (hashes removed) read as a numbered requirement, or null. */
export function requirementHeading(text: string): RequirementHeading | null {
  const match = REQUIREMENT_HEADING.exec(text.trim());
  if (!match) return null;
  const id = (match[1] ?? match[2]) as string;
  const title = (match[3] ?? match[4] ?? match[5] ?? "").trim();
  return { id, title };
}

const ACCEPTANCE_HEADING = new RegExp(
  `^(?:${alternation(ACCEPTANCE_WORDS)})(?!${WORD_CHAR})`,
  "iu",
);
const ACCEPTANCE_LABEL = new RegExp(
  `^\\*\\*(?:${alternation(ACCEPTANCE_WORDS)})\\s*[:：]?\\*\\*\\s*[:：]?$`,
  "iu",
);

/**
 * A heading's text that opens an acceptance criteria section: `Acceptance Criteria`,
 * `验收标准`, `受け入れ基準（Acceptance Criteria）`, `인수 조건 (데이터 수집)`.
 */
export function isAcceptanceHeading(text: string): boolean {
  return ACCEPTANCE_HEADING.test(text.trim());
}

/** A line that is the section written as a bold label instead: `**Acceptance Criteria:**`. */
export function isAcceptanceLabel(line: string): boolean {
  return ACCEPTANCE_LABEL.test(line.trim());
}

const STORY_LINE = new RegExp(
  String.raw`^\s*(?:[-*+]\s+)?\*\*(?:${alternation(STORY_WORDS)})\s*[:：]?\*\*\s*[:：]?\s*(.+)$`,
  "iu",
);

/** The sentence of a `**User Story:** …` line (any language), or null. */
export function storyOf(line: string): string | null {
  const match = STORY_LINE.exec(line);
  return match ? (match[1] as string).trim() : null;
}

const LATIN_REFERENCE = REFERENCE_WORDS.filter(isLatin);
const OTHER_REFERENCE = REFERENCE_WORDS.filter((w) => !isLatin(w));
const VALIDATES = `(?:${alternation(VALIDATES_WORDS)})\\s*[:：]?\\s*`;
/** A reference label: Latin words need a space before a bare number, CJK words do not. */
const REFERENCE_LABEL = `(?:${alternation(LATIN_REFERENCE, true)}|${alternation(OTHER_REFERENCE, true)})`;

/**
 * A reference line's label and list, emphasis already stripped: group 1 is the list after a
 * colon, group 2 a list that follows the label directly (`Validates: Requirements 1.2`,
 * `検証: 要件6.1`). A colon is required unless a number follows, so "Requirements are documented
 * in X" is prose.
 */
export const REFERENCE_LINE = new RegExp(
  String.raw`^(?:${VALIDATES})?${REFERENCE_LABEL}(?:\*\*|__)?\s*(?:[:：]\s*(.*)|(?<=[^\x00-\x7f])\s*((?:[A-Za-z]+-?)?\d.*)|\s+((?:[A-Za-z]+-?)?\d.*))$`,
  "iu",
);

/** The same label at the end of a task title, wrapped in emphasis: `… _Requirements: 1.1_`. */
export const INLINE_REFERENCE = new RegExp(
  String.raw`(?:^|\s)((?:_|\*{1,2})(?:${VALIDATES})?${REFERENCE_LABEL}\s*[:：][^_*]+(?:_|\*{1,2}))\s*$`,
  "iu",
);

const REFERENCE_PREFIX = new RegExp(
  String.raw`^(?:(?:${alternation(LATIN_REFERENCE, true)})\s+|(?:${alternation(OTHER_REFERENCE, true)})\s*)(?=\S)`,
  "iu",
);

/** `Requirement 3.1` / `需求 4.4` / `要件6.1` inside a list → `3.1`, `4.4`, `6.1`. */
export function withoutReferenceWord(token: string): string {
  return token.replace(REFERENCE_PREFIX, "");
}
