/** Part 3 of the symlink walk (./symlink-walk.ts). */
import { describeWalk } from "./symlink-walk.ts";

describeWalk(3, 4);
