import { type AnyOperation, inToolset } from "../operation.ts";
import { workClaimOperation } from "./claim.ts";
import { workHeartbeatOperation } from "./heartbeat.ts";
import { workListOperation } from "./list.ts";
import { workNextOperation } from "./next.ts";
import { workReleaseOperation } from "./release.ts";
import { workShowOperation } from "./show.ts";
import { workStartOperation } from "./start.ts";

/** The `baton work …` verbs, in `baton --help` order. */
export const WORK_OPERATIONS: readonly AnyOperation[] = inToolset("work", [
  workStartOperation,
  workClaimOperation,
  workNextOperation,
  workHeartbeatOperation,
  workReleaseOperation,
  workListOperation,
  workShowOperation,
]);
