import { attachSpike } from "../../core/planning-session.ts";
import { defineOperation } from "../operation.ts";
import { type AttachResult, attachTopic } from "./attach.ts";
import { BODY } from "./fields.ts";

/** `baton spike "<title>"`: research topic, attached once to the active session if there is one. */
export const createSpike = defineOperation({
  name: "spike",
  summary: "record a research spike; auto-linked to the active planning session",
  examples: [
    'baton spike "Compare OAuth libraries" --body "passport vs arctic"',
    'baton spike "Token storage" --file notes.md --json',
  ],
  access: "write",
  input: {
    title: {
      type: "string",
      min: 1,
      required: true,
      description: "the question being researched",
      apiDescription: "what is investigated",
      cli: { positional: true },
    },
    body: BODY,
  },
  tool: {
    name: "spike_create",
    description: "Record an investigation; linked to the active planning session if there is one.",
  },
  run(env, input): Promise<AttachResult> {
    return attachTopic(
      env.context(),
      "spike",
      { title: input.title, body: input.body },
      attachSpike,
    );
  },
});
