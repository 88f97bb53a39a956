/** Part 1 of the symlink walk (./symlink-walk.ts). */
import { describeWalk } from "./symlink-walk.ts";

describeWalk(1, 4);
