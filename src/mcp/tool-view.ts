import type { AnyOperation, OpEnv } from "../app/operation.ts";
import type { Fields } from "../core/fields.ts";

/**
 * What a tool makes of an operation's answer where an agent needs it otherwise than a person:
 * extra arguments (`text` for journal_show), a different run (resume packed within the size
 * cap), a result shaped (the task tree as rows), keyed by operation name.
 */
export interface ToolView {
  input?: Fields;
  run?: (env: OpEnv, input: Record<string, unknown>, op: AnyOperation) => unknown;
  // biome-ignore lint/suspicious/noExplicitAny: each view knows its operation's result.
  shape?: (result: any, args: any) => unknown;
  /**
   * The lists of the shaped result the size cap may cut, with `next_offset` to go on (dotted
   * paths), when the view pages them itself; default: the operation's.
   */
  cut?: readonly string[];
}
