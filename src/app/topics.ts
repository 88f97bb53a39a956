import fs from "node:fs";
import { type CatalogView, upsertTopic } from "../core/catalog.ts";
import { type TopicType, topicIdFor } from "../core/ids.ts";
import { ensureLineInSection } from "../core/markdown.ts";
import { openCatalog } from "../store/catalog-file.ts";
import { recordEvent } from "../store/events.ts";
import { readText, requireTopic, topicDocPath, topicFile, writeText } from "../store/repo.ts";
import type { Workspace } from "../store/workspace.ts";
import { assertPlanId } from "./plan-id.ts";

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
 * the files alone, so re-running a command never overwrites what a person or agent wrote.
 */
export function ensureTopic(
  ws: Workspace,
  catalog: CatalogView,
  type: TopicType,
  input: TopicInput,
  now: string,
  /** Lines for a new sources.md's `## Session Links`, so it is written once, not twice. */
  links: (id: string) => string[] = () => [],
): EnsuredTopic {
  const id = topicIdFor(type, input.title);
  const doc = topicDocPath(ws, id);
  const exists = catalog.get(id) !== undefined && fs.existsSync(doc);
  if (!exists) {
    if (!fs.existsSync(doc)) writeText(doc, renderTopicDoc(input));
    const sources = topicFile(ws, id, "sources.md");
    if (!fs.existsSync(sources)) {
      let text = `# Sources: ${id}\n\n`;
      for (const line of links(id)) text = ensureLineInSection(text, SESSION_LINKS, line);
      writeText(sources, text);
    }
    upsertTopic(catalog, { id, type, title: input.title.trim(), path: ws.rel(doc) }, now);
    recordEvent(ws, "topic.created", now, { topic: id, topic_type: type });
  }
  return { id, created: !exists, path: ws.rel(doc) };
}

function renderTopicDoc(input: TopicInput): string {
  const body = input.body?.trim();
  return `# ${input.title.trim()}\n${body ? `\n${body}\n` : ""}`;
}

/** Adds one line under `## Session Links` in a topic's sources.md; true when it was new. */
export function addSourceLink(ws: Workspace, topicId: string, line: string): boolean {
  const file = topicFile(ws, topicId, "sources.md");
  const before = readText(file) ?? `# Sources: ${topicId}\n\n`;
  const after = ensureLineInSection(before, SESSION_LINKS, line);
  if (after === before) return false;
  writeText(file, after);
  return true;
}

/** A Markdown link from one topic folder to a sibling topic's document. */
export function topicLink(id: string, type: TopicType): string {
  return `[${id}](../${id}/${type}.md)`;
}
