/**
 * Command references (src/core/command-ref.ts) in the words of a tool protocol: the tool to call
 * and its arguments (`session_list {"seed_id":"seed-x"}`); an operation that has no tool is named
 * as the command to run in a terminal. Everything the server sends or logs passes through here.
 */
import { commandLine, operationNamed } from "../app/command-line.ts";
import { toolName } from "../app/operation.ts";
import { OPERATIONS } from "../app/operations.ts";
import { type CommandRef, isProse, renderRefs, renderRefsDeep } from "../core/command-ref.ts";

export function toolCall(ref: CommandRef): string {
  const op = operationNamed(ref.verb, OPERATIONS);
  const name = op ? toolName(op) : null;
  if (!op || name === null) return `\`${commandLine(ref, OPERATIONS)}\` in a terminal`;
  const args: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(op.input)) {
    if (field.api === false) continue;
    const value = ref.args[key];
    if (value !== undefined) args[key] = isProse(value) ? value.prose : value;
    else if (field.required) args[key] = `<${key}>`;
  }
  return Object.keys(args).length === 0 ? name : `${name} ${JSON.stringify(args)}`;
}

/** Text with its references as tool calls. */
export function toolWords(text: string): string {
  return renderRefs(text, toolCall);
}

/** A result or an error's data with the references in its strings as tool calls. */
export function inToolWords<T>(value: T): T {
  return renderRefsDeep(value, toolCall);
}
