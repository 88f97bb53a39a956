/**
 * What the spec parsers and linters report. A finding never stops parsing: files written by hand
 * and by agents are often slightly off, and a caller wants every problem at once, each with the
 * line to look at and a hint that says how to fix it.
 */
export type Severity = "error" | "warning";

export interface Finding {
  /** 1-based line in the parsed text. */
  line: number;
  severity: Severity;
  /** Stable, machine-readable code, e.g. `TASK_DUPLICATE_ID` or `EARS_NO_SHALL`. */
  code: string;
  message: string;
  hint: string;
}

/** A finding about a named file, for linters that report over several files. */
export interface FileFinding extends Finding {
  file: string;
}
