import { assertWorkSessionId } from "../../core/ids.ts";
import { defineOperation } from "../operation.ts";
import { loadSession } from "./common.ts";
import { WORK_SESSION } from "./fields.ts";
import { SESSION_FIELDS, startWork, type WorkStartResult } from "./start.ts";

export const workSpawnOperation = defineOperation({
  name: "work spawn",
  summary: "start a child work session of a session, on its spec",
  description:
    "The same as baton work start <spec> --parent <ws>, run by the parent: its leases are renewed too. The child's record names its parent; baton work tree shows the hierarchy. With --json: the same answer as work start.",
  examples: [
    'baton work spawn ws-k3x9q2ab --name "integration tests" --task 3.1',
    "baton work spawn ws-k3x9q2ab --agent codex --thread t-18",
  ],
  access: "write",
  input: { session: { ...WORK_SESSION, description: "the parent session" }, ...SESSION_FIELDS },
  tool: { description: "Start a child work session of a session." },
  run: (env, input): Promise<WorkStartResult> => {
    const ctx = env.context();
    const parent = loadSession(ctx, assertWorkSessionId(input.session));
    const { session, ...rest } = input;
    return startWork(ctx, { ...rest, spec: parent.spec, parent: session }, { byParent: true });
  },
});
