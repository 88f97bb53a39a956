import { type TopicEntry, viewOf } from "../core/catalog.ts";
import { BatonError } from "../core/errors.ts";
import { TOPIC_TYPES, type TopicType } from "../core/ids.ts";
import { readCatalog, readText, requireTopic, topicDocPath, topicFile } from "../store/repo.ts";
import type { AppContext } from "./context.ts";

export interface TopicListOptions {
  type?: string | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
}

export interface TopicList {
  total: number;
  offset: number;
  limit: number | null;
  topics: TopicEntry[];
}

export function listTopics(ctx: AppContext, options: TopicListOptions = {}): TopicList {
  const type = options.type === undefined ? undefined : assertTopicType(options.type);
  const all = Object.values(readCatalog(ctx.ws).topics)
    .filter((t) => !type || t.type === type)
    .sort((a, b) =>
      a.created === b.created ? a.id.localeCompare(b.id) : a.created < b.created ? -1 : 1,
    );
  const offset = options.offset ?? 0;
  const limit = options.limit ?? null;
  return {
    total: all.length,
    offset,
    limit,
    topics: all.slice(offset, limit === null ? undefined : offset + limit),
  };
}

export interface TopicDetail {
  topic: TopicEntry;
  document: string;
  sources: string;
}

export function showTopic(ctx: AppContext, id: string): TopicDetail {
  const catalog = readCatalog(ctx.ws);
  const topic = requireTopic(viewOf(catalog), id);
  return {
    topic,
    document: readText(ctx.ws, topicDocPath(ctx.ws, id)) ?? "",
    sources: readText(ctx.ws, topicFile(ctx.ws, id, "sources.md")) ?? "",
  };
}

function assertTopicType(value: string): TopicType {
  if (!(TOPIC_TYPES as readonly string[]).includes(value)) {
    throw new BatonError(
      "INVALID_INPUT",
      `unknown topic type ${JSON.stringify(value)}`,
      `use one of: ${TOPIC_TYPES.join(", ")}`,
    );
  }
  return value as TopicType;
}
