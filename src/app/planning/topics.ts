import { type CatalogView, upsertTopic } from "../../core/catalog.ts";
import { BatonError } from "../../core/errors.ts";
import { type TopicType, topicIdFor } from "../../core/ids.ts";
import { ensureLineInSection } from "../../core/markdown.ts";
import { assertPrintable } from "../../core/text.ts";
import { openCatalog } from "../../store/catalog-file.ts";
import { recordEvent } from "../../store/events.ts";
import { exists as pathExists } from "../../store/files.ts";
import { readText, requireTopic, topicDocPath, topicFile, writeText } from "../../store/repo.ts";
import type { Workspace } from "../../store/workspace.ts";
import { assertPlanId } from "../plan/id.ts";

export const SESSION_LINKS = "Session Links";

/** A plan topic named on the command line: its id validated, its catalog entry required. */
export function requirePlan(ws: Workspace, planArg: string): { id: string; title: string } {
  const id = assertPlanId(ws, planArg);
  return { id, title: requireTopic(openCatalog(ws), id, "plan").title };
}

export interface TopicInput {
  title: string;
  body?: string | undefined;
}

export interface EnsuredTopic {
  id: string;
  created: boolean;
  path: string;
}

/**
 * Creates the topic folder, its document and `sources.md` the first time; afterwards it leaves
 * the files alone, so re-running a command never overwrites what a person or agent wrote. Text
 * given for a topic that already exists is never dropped unsaid: the same text again (a re-run)
 * is a no-op, other text is refused, naming the document to write it into, before anything is
 * written. Seed, spike and plan all create their topics here, so they behave alike.
 */
export function ensureTopic(
  ws: Workspace,
  catalog: CatalogView,
  type: TopicType,
  input: TopicInput,
  now: string,
  /** Lines for a new sources.md's `## Session Links`, so it is written once, not twice. */
  links: (id: string) => string[] = () => [],
  notice: (message: string) => void = () => {},
): EnsuredTopic {
  const title = assertPrintable(input.title, "title").trim();
  const id = topicIdFor(type, title);
  const doc = topicDocPath(ws, id);
  const before = readText(ws, doc);
  const entry = catalog.get(id);
  if (before !== null) refuseDroppedText(ws, type, id, entry?.title ?? null, input, before, doc);
  const exists = entry !== undefined && before !== null;
  if (!exists) {
    if (before === null) writeText(ws, doc, renderTopicDoc(title, input.body));
    const sources = topicFile(ws, id, "sources.md");
    if (!pathExists(ws, sources)) {
      let text = `# Sources: ${id}\n\n`;
      for (const line of links(id)) text = ensureLineInSection(text, SESSION_LINKS, line);
      writeText(ws, sources, text);
    }
    upsertTopic(catalog, { id, type, title, path: ws.rel(doc) }, now);
    recordEvent(ws, "topic.created", now, { topic: id, topic_type: type });
  } else if (entry && entry.title !== title) {
    notice(
      `${JSON.stringify(title)} names the existing ${type} ${id} (${JSON.stringify(entry.title)}); its text is kept as it is`,
    );
  }
  return { id, created: !exists, path: ws.rel(doc) };
}

/**
 * A topic's document exists and `input` brings text it does not hold: two titles with one slug
 * (`token/storage` and `Token storage`), or the same title with new text. Writing over the
 * document would lose what is there, keeping it would lose the new text, so the command is
 * refused and says where the text can go.
 */
function refuseDroppedText(
  ws: Workspace,
  type: TopicType,
  id: string,
  existingTitle: string | null,
  input: TopicInput,
  before: string,
  doc: string,
): void {
  const body = input.body?.trim();
  if (!body || before.includes(body)) return;
  const named = existingTitle ? ` (${JSON.stringify(existingTitle)})` : "";
  throw new BatonError(
    "STATE_CONFLICT",
    `${type} ${id}${named} already exists, so the text given for ${JSON.stringify(input.title.trim())} was not written`,
    `add it to ${ws.rel(doc)} (Baton wrote that document once and never rewrites it), or pick a title whose slug is not ${id.slice(type.length + 1)}`,
  );
}

/** An ATX (`# Title`) or setext (`Title` over `===`) heading of level 1 on the first line. */
const LEADING_H1 = /^(?:#(?:[ \t]|$)|[^\n]+\n=+[ \t]*(?:\n|$))/;

/** The document's own H1 when its text starts with one; the title as the H1 otherwise. */
function renderTopicDoc(title: string, body: string | undefined): string {
  const text = body?.trim();
  if (text && LEADING_H1.test(text)) return `${text}\n`;
  return `# ${title}\n${text ? `\n${text}\n` : ""}`;
}

/** Adds one line under `## Session Links` in a topic's sources.md; true when it was new. */
export function addSourceLink(ws: Workspace, topicId: string, line: string): boolean {
  const file = topicFile(ws, topicId, "sources.md");
  const before = readText(ws, file) ?? `# Sources: ${topicId}\n\n`;
  const after = ensureLineInSection(before, SESSION_LINKS, line);
  if (after === before) return false;
  writeText(ws, file, after);
  return true;
}

/** A Markdown link from one topic folder to a sibling topic's document. */
export function topicLink(id: string, type: TopicType): string {
  return `[${id}](../${id}/${type}.md)`;
}
