/** Part 4 of the symlink walk (./symlink-walk.ts). */
import { describeWalk } from "./symlink-walk.ts";

describeWalk(4, 4);
