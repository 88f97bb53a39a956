/** Part 2 of the symlink walk (./symlink-walk.ts). */
import { describeWalk } from "./symlink-walk.ts";

describeWalk(2, 4);
