import { type TopicEntry, viewOf } from "../../core/catalog.ts";
import { readCatalog, readText, requireTopic, topicDocPath, topicFile } from "../../store/repo.ts";
import { defineOperation } from "../operation.ts";

export interface TopicDetail {
  topic: TopicEntry;
  document: string;
  sources: string;
}

/** `baton topic show <topic-id>`: one topic's catalog entry, document and sources. */
export const showTopic = defineOperation({
  name: "topic show",
  summary: "one topic: its index entry, document and sources",
  examples: ["baton topic show seed-oauth-login", "baton topic show plan-oauth-rollout --json"],
  access: "read",
  input: {
    topic_id: {
      type: "string",
      min: 1,
      required: true,
      description: "e.g. seed-oauth-login",
      apiDescription: "topic id, e.g. seed-oauth-login",
      cli: { positional: true },
    },
  },
  tool: {
    description: "One topic: its catalog entry, document and sources.",
    more: "read the topic's files (topic.path) for the whole text",
  },
  run(env, input): TopicDetail {
    const { ws } = env.context();
    const id = input.topic_id;
    const topic = requireTopic(viewOf(readCatalog(ws)), id);
    return {
      topic,
      document: readText(ws, topicDocPath(ws, id)) ?? "",
      sources: readText(ws, topicFile(ws, id, "sources.md")) ?? "",
    };
  },
});
