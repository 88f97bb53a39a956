import type { TopicEntry } from "../../core/catalog.ts";
import { TOPIC_TYPES } from "../../core/ids.ts";
import { readCatalog } from "../../store/repo.ts";
import { defineOperation } from "../operation.ts";
import { CLI_PAGE, PAGE_FIELDS } from "../paging.ts";

export interface TopicList {
  total: number;
  offset: number;
  limit: number | null;
  topics: TopicEntry[];
}

/** `baton topic list`: the catalog's topics, oldest first, paged at the source. */
export const listTopics = defineOperation({
  name: "topic list",
  summary: "list seeds, spikes, plans and backlogs from index.json",
  examples: ["baton topic list", "baton topic list --type spike --json"],
  access: "read",
  input: {
    type: {
      type: "enum",
      values: TOPIC_TYPES,
      description: "only seed, spike, plan or backlog",
      apiDescription: "only this type",
      cli: { value: "<type>" },
    },
    limit: {
      ...PAGE_FIELDS.limit,
      description: "at most n rows",
      cli: {
        value: "<n>",
        all: { flag: "all", description: `every match (default: the first ${CLI_PAGE})` },
      },
    },
    offset: {
      ...PAGE_FIELDS.offset,
      description: "skip the first n rows",
    },
  },
  tool: {
    description: "Seeds, spikes, plans and backlogs from the catalog (paged).",
    cut: ["topics"],
  },
  run(env, input): TopicList {
    const { type } = input;
    const all = Object.values(readCatalog(env.context().ws).topics)
      .filter((t) => !type || t.type === type)
      .sort((a, b) =>
        a.created === b.created ? a.id.localeCompare(b.id) : a.created < b.created ? -1 : 1,
      );
    const offset = input.offset ?? 0;
    const limit = input.limit ?? null;
    return {
      total: all.length,
      offset,
      limit,
      topics: all.slice(offset, limit === null ? undefined : offset + limit),
    };
  },
});
