import { corruptFile } from "./errors.ts";
import { parseFrontmatter, renderFrontmatter } from "./frontmatter.ts";
import { isPlanningSessionId, isTicketId, isTopicId, topicTypeOf } from "./ids.ts";
import { checkSchemaVersion, SCHEMA_VERSION } from "./schema.ts";
import { type ItemSource, readItemSource, sourceFields } from "./source.ts";
import { readTaskStatus, TASK_STATUSES, type TaskStatus } from "./task.ts";
import type { FullYaml } from "./yaml.ts";

/** A backlog ticket: one Markdown file with YAML frontmatter; the body is free text. */
export interface Ticket {
  schema_version: number;
  id: string;
  title: string;
  status: TaskStatus;
  /** The plan topic and task key it came from; together they make `baton backlog` idempotent. */
  plan: string | null;
  task: string | null;
  /**
   * Its task's place (1, 2, …) in the plan's working order when `baton backlog` made it, so
   * tickets made together list in the plan's order; absent on tickets made otherwise.
   */
  position?: number;
  session_id: string | null;
  /** Where `baton import` read its task from; absent on tickets made otherwise. */
  source?: ItemSource;
  created: string;
  updated: string;
  body: string;
}

export function renderTicket(ticket: Ticket): string {
  const { body, source, ...meta } = ticket;
  const data = source ? { ...meta, source: sourceFields(source) } : meta;
  return renderFrontmatter(data, body.trim() === "" ? `# ${ticket.title}\n` : body);
}

export function parseTicket(text: string, file: string, full: FullYaml | null = null): Ticket {
  const { data, body } = parseFrontmatter(text, file, full);
  if (!data) {
    throw corruptFile(
      file,
      "no frontmatter",
      "a ticket starts with --- frontmatter; restore it from git",
    );
  }
  const record = checkSchemaVersion(data, file);
  const str = (key: string): string => {
    const value = record[key];
    if (typeof value === "string") return value;
    if (value instanceof Date) return value.toISOString();
    throw corruptFile(
      file,
      `field ${key} is missing or not text`,
      "restore the file from git or fix the field",
    );
  };
  const optional = (key: string): string | null =>
    record[key] === null || record[key] === undefined ? null : str(key);
  // Any spelling of a status the task model knows (an older `pending`) is read as its meaning.
  const written = str("status");
  const status = readTaskStatus(written);
  if (status === null) {
    throw corruptFile(
      file,
      `unknown status ${JSON.stringify(written)}`,
      `set status to one of: ${TASK_STATUSES.join(", ")}`,
    );
  }
  // The plan id later names a folder (backlog.md is refreshed there): a hand-edited "../x" is
  // bad data in this file, reported as such before any path is built from it.
  const ids = { id: str("id"), plan: optional("plan"), session_id: optional("session_id") };
  const badId =
    (!isTicketId(ids.id) && "id") ||
    (ids.plan !== null && !(isTopicId(ids.plan) && topicTypeOf(ids.plan) === "plan") && "plan") ||
    (ids.session_id !== null && !isPlanningSessionId(ids.session_id) && "session_id");
  if (badId) {
    throw corruptFile(
      file,
      `field ${badId} is not a valid id`,
      "restore the file from git or fix the field",
    );
  }
  const position = record.position;
  if (
    position !== undefined &&
    position !== null &&
    !(typeof position === "number" && Number.isSafeInteger(position) && position > 0)
  ) {
    throw corruptFile(
      file,
      "field position is not a whole number from 1",
      "restore the file from git or fix the field",
    );
  }
  const source = readItemSource(record.source);
  if (source === undefined) {
    throw corruptFile(
      file,
      "field source is not a section of format, path and id",
      "restore the file from git or fix the field",
    );
  }
  return {
    schema_version: record.schema_version as number,
    id: ids.id,
    title: str("title"),
    status,
    plan: ids.plan,
    task: optional("task"),
    ...(typeof position === "number" ? { position } : {}),
    session_id: ids.session_id,
    ...(source ? { source } : {}),
    created: str("created"),
    updated: str("updated"),
    // renderFrontmatter puts one blank line after the fence; it is layout, not body text.
    body: body.replace(/^(\r?\n)+/, ""),
  };
}

export function newTicket(fields: {
  id: string;
  title: string;
  status: TaskStatus;
  plan: string | null;
  task: string | null;
  position?: number;
  session_id: string | null;
  source?: ItemSource;
  now: string;
  body: string;
}): Ticket {
  return {
    schema_version: SCHEMA_VERSION,
    id: fields.id,
    title: fields.title,
    status: fields.status,
    plan: fields.plan,
    task: fields.task,
    ...(fields.position === undefined ? {} : { position: fields.position }),
    session_id: fields.session_id,
    ...(fields.source === undefined ? {} : { source: fields.source }),
    created: fields.now,
    updated: fields.now,
    body: fields.body,
  };
}
