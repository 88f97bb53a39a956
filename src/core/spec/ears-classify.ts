/**
 * Classifies one requirement sentence against the EARS templates (Mavin et al., 2009):
 *
 *   ubiquitous          THE <system> SHALL <response>
 *   event-driven        WHEN <trigger> [THEN] THE <system> SHALL <response>
 *   state-driven        WHILE <state> THE <system> SHALL <response>
 *   unwanted-behaviour  IF <trigger> [THEN] THE <system> SHALL <response>
 *   optional-feature    WHERE <feature> THE <system> SHALL <response>
 *   complex             two or more of WHERE / WHILE / WHEN / IF before one SHALL
 *
 * Kiro writes `WHEN … THEN … SHALL`, so THEN is accepted after WHEN as well as after IF.
 * Keywords match in any case, but only the first clause keyword may be lower case anywhere:
 * a later lower-case "when" or "where" is usually prose ("the page where albums are shown"), so
 * later clauses count only when written in capitals or right after a comma. Text around the
 * keywords may be in any language ("WHEN 用户打开面板 THEN 系统 SHALL 显示…").
 */

export type EarsPattern =
  | "ubiquitous"
  | "event-driven"
  | "state-driven"
  | "unwanted-behaviour"
  | "optional-feature"
  | "complex"
  | "unclassified";

export type EarsKeyword = "WHERE" | "WHILE" | "WHEN" | "IF";

export interface EarsProblem {
  severity: "error" | "warning";
  code: string;
  message: string;
  hint: string;
}

export interface EarsClassification {
  pattern: EarsPattern;
  /** Clause keywords before the obligation, in the order written. */
  keywords: EarsKeyword[];
  problems: EarsProblem[];
}

export interface ClassifyOptions {
  /**
   * Words accepted as the obligation. EARS itself uses SHALL; Spec Kit and OpenSpec also accept
   * MUST (RFC 2119), so their linters pass both.
   */
  obligations: readonly string[];
}

const SINGLE: Record<EarsKeyword, EarsPattern> = {
  WHEN: "event-driven",
  WHILE: "state-driven",
  IF: "unwanted-behaviour",
  WHERE: "optional-feature",
};

const CLAUSE = /\b(WHERE|WHILE|WHEN|IF)\b/gi;

export function classifyEars(sentence: string, options: ClassifyOptions): EarsClassification {
  const text = normalise(sentence);
  const problems: EarsProblem[] = [];
  const obligation = new RegExp(`\\b(?:${options.obligations.join("|")})\\b`, "gi");
  const matches = [...text.matchAll(obligation)];
  const said = options.obligations.join(" or ");
  const first = matches[0];

  if (!first) {
    const keywords = leadingKeyword(text);
    if (isMostlyNonLatin(text)) {
      problems.push({
        severity: "warning",
        code: "EARS_NOT_CHECKED",
        message: `criterion is not written with EARS keywords (no ${said}); it was not checked`,
        hint: `keep the text in any language but write the EARS keywords in English, e.g. "WHEN <trigger> THEN <system> SHALL <response>"`,
      });
    } else {
      const must = /\b(must|should|will)\b/i.exec(text);
      problems.push({
        severity: "error",
        code: "EARS_NO_SHALL",
        message: must
          ? `criterion says "${must[1]}" where EARS needs ${said}`
          : `criterion has no ${said}, so it states no required behaviour`,
        hint: `write it as "[WHEN <trigger>] THE <system> SHALL <response>"`,
      });
    }
    return {
      pattern: keywords.length > 0 ? patternOf(keywords) : "unclassified",
      keywords,
      problems,
    };
  }

  if (matches.length > 1) {
    problems.push({
      severity: "warning",
      code: "EARS_MULTIPLE_SHALL",
      message: `criterion has ${matches.length} obligations (${said}); each should be testable alone`,
      hint: "split it into one criterion per SHALL",
    });
  }

  const preamble = text.slice(0, first.index).trim();
  const response = text.slice(first.index + first[0].length).trim();
  if (!/[\p{L}\p{N}]/u.test(response)) {
    problems.push({
      severity: "error",
      code: "EARS_NO_RESPONSE",
      message: `nothing follows ${first[0]}: the required response is missing`,
      hint: `say what the system does: "… SHALL <response>"`,
    });
  }

  const keywords = leadingKeyword(preamble);
  if (keywords.length === 0) {
    // No leading keyword: ubiquitous, unless a condition hides later in the sentence.
    const late =
      /\b(WHERE|WHILE|WHEN|IF|THEN)\b/.exec(preamble) ?? /\b(WHERE|WHILE|WHEN|IF)\b/.exec(response);
    if (late) {
      problems.push({
        severity: "warning",
        code: "EARS_UNKNOWN_PATTERN",
        message: `"${late[1]}" is not at the start of the criterion, so it matches no EARS pattern`,
        hint: `put the condition first: "${late[1] === "THEN" ? "WHEN" : late[1]} <condition> THE <system> SHALL <response>"`,
      });
      return { pattern: "unclassified", keywords, problems };
    }
    if (preamble === "") {
      problems.push({
        severity: "warning",
        code: "EARS_NO_SYSTEM",
        message: `criterion starts with ${first[0]}: it does not name the system`,
        hint: `name who is responsible: "THE <system> ${first[0]} <response>"`,
      });
    }
    return { pattern: "ubiquitous", keywords, problems };
  }

  keywords.push(...laterKeywords(preamble));
  checkClauses(preamble, first[0], problems);
  return { pattern: patternOf(keywords), keywords, problems };
}

function patternOf(keywords: readonly EarsKeyword[]): EarsPattern {
  const distinct = new Set(keywords);
  if (distinct.size > 1) return "complex";
  return SINGLE[keywords[0] as EarsKeyword];
}

/** The first word, if it is a clause keyword (any case). */
function leadingKeyword(text: string): EarsKeyword[] {
  const match = /^(WHERE|WHILE|WHEN|IF)\b/i.exec(text);
  return match ? [(match[1] as string).toUpperCase() as EarsKeyword] : [];
}

/** Further clause keywords after the first: capitals anywhere, or any case after a comma. */
function laterKeywords(preamble: string): EarsKeyword[] {
  const found: EarsKeyword[] = [];
  for (const match of preamble.matchAll(CLAUSE)) {
    if (match.index === 0) continue;
    const word = match[1] as string;
    const afterComma = /[,，、;]\s*$/.test(preamble.slice(0, match.index));
    if (word === word.toUpperCase() || afterComma) found.push(word.toUpperCase() as EarsKeyword);
  }
  return found;
}

/** Each condition needs content, and `… THEN SHALL` has lost the system's name. */
function checkClauses(preamble: string, obligation: string, problems: EarsProblem[]): void {
  const empty = /\b(WHERE|WHILE|WHEN|IF)\b\s*(?:,\s*)?(?=\bTHEN\b|$)/i.exec(preamble);
  if (empty) {
    problems.push({
      severity: "error",
      code: "EARS_EMPTY_CONDITION",
      message: `${(empty[1] as string).toUpperCase()} has no condition after it`,
      hint: `describe the trigger or state: "${(empty[1] as string).toUpperCase()} <condition> …"`,
    });
  }
  if (/\bTHEN\s*$/i.test(preamble)) {
    problems.push({
      severity: "warning",
      code: "EARS_NO_SYSTEM",
      message: `"THEN ${obligation}" does not name the system`,
      hint: `name who is responsible: "THEN THE <system> ${obligation} <response>"`,
    });
  }
}

/**
 * Drops Markdown emphasis and list numbering and replaces code spans with a neutral word, so a
 * keyword inside `code` (`if`, `when`) is never read as a clause.
 */
function normalise(sentence: string): string {
  return sentence
    .replace(/`[^`]*`/g, "CODE")
    .replace(/\*\*|__/g, "")
    .replace(/^\s*(?:[-*+]|\d+[.)])\s+/, "")
    .replace(/\s+/g, " ")
    .trim();
}

/** More than half of the letters are outside the Latin script (Chinese, Japanese, Cyrillic…). */
export function isMostlyNonLatin(text: string): boolean {
  const letters = text.match(/\p{L}/gu)?.length ?? 0;
  const latin = text.match(/\p{Script=Latin}/gu)?.length ?? 0;
  return letters > 0 && latin * 2 < letters;
}
