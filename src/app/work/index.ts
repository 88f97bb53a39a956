import { type AnyOperation, inToolset } from "../operation.ts";
import { workBlockOperation } from "./block.ts";
import { workClaimOperation } from "./claim.ts";
import { workDoneOperation } from "./done.ts";
import { workEndOperation } from "./end.ts";
import { workHeartbeatOperation } from "./heartbeat.ts";
import { workListOperation } from "./list.ts";
import { workMessageOperation } from "./message.ts";
import { workNextOperation } from "./next.ts";
import { workProgressOperation } from "./progress.ts";
import { workReleaseOperation } from "./release.ts";
import { workShowOperation } from "./show.ts";
import { workSpawnOperation } from "./spawn.ts";
import { workStartOperation } from "./start.ts";
import { workTimelineOperation } from "./timeline.ts";
import { workTreeOperation } from "./tree.ts";
import { workUnblockOperation } from "./unblock.ts";
import { workWaitOperation } from "./wait.ts";

/** The `baton work …` verbs, in `baton --help` order. */
export const WORK_OPERATIONS: readonly AnyOperation[] = inToolset("work", [
  workStartOperation,
  workSpawnOperation,
  workClaimOperation,
  workNextOperation,
  workHeartbeatOperation,
  workReleaseOperation,
  workProgressOperation,
  workDoneOperation,
  workMessageOperation,
  workBlockOperation,
  workUnblockOperation,
  workWaitOperation,
  workEndOperation,
  workListOperation,
  workShowOperation,
  workTreeOperation,
  workTimelineOperation,
]);
