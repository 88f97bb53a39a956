import fs from "node:fs";
import path from "node:path";
import { BatonError } from "../core/errors.ts";

/**
 * Keeps every path Baton reads or writes under a workspace inside it. A repository is untrusted
 * input: `git clone` checks out committed symlinks, so `.baton/tickets`, a topic folder or
 * `PLANNING.md` can be a link to anywhere. Before a path is used, each of its components below
 * the root is looked at with lstat; a symlink is followed only when what it resolves to is still
 * inside the root, and is otherwise refused with UNSAFE_PATH before anything is read or changed.
 * The path handed back has those inside links resolved, so a write replaces the file the link
 * names rather than the link itself.
 *
 * This defends against what a repository carries, not against a process racing Baton on the same
 * machine (which could swap a folder for a link between the check and the use): such a process
 * can already write the files itself.
 */
export interface PathGuard {
  /** The workspace root as given, and as it really is (symlinks in its own path resolved). */
  readonly root: string;
  readonly realRoot: string;
  /**
   * The path to use for `target`, an absolute path under the root. Throws UNSAFE_PATH when a
   * component is a symlink leading outside the root (or dangling), or when the target is not
   * under the root at all (a path recorded in a repository file, such as a spec's, can say
   * anything).
   */
  resolve(target: string): string;
}

export function pathGuard(root: string): PathGuard {
  const realRoot = realpathOr(root);
  /** Folders already seen to be inside, spelled as given → where they really are. */
  const known = new Map<string, string>([[root, realRoot]]);
  /** Whole paths already resolved, as {@link known} for their last component too. */
  const seen = new Map<string, string>();

  const resolve = (given: string): string => {
    const hit = seen.get(given);
    if (hit !== undefined) return hit;
    // Most paths are spelled plainly below the root: no path.relative (which resolves both sides
    // against the working folder) is needed to see where they lie.
    const plain = relativeBelow(root, given);
    // A path already resolved (under the root's real location) is taken as that.
    const target =
      plain !== null
        ? given
        : isOutside(path.relative(root, given)) && !isOutside(path.relative(realRoot, given))
          ? path.join(root, path.relative(realRoot, given))
          : given;
    const rel = plain ?? path.relative(root, target);
    if (rel === "") return realRoot;
    if (isOutside(rel)) {
      throw new BatonError(
        "UNSAFE_PATH",
        `${target} lies outside the repository`,
        "Baton reads and writes only inside the repository and changed nothing; fix the path recorded in the repository's files",
      );
    }
    const parts = rel.split(path.sep);
    // Start from the deepest folder already known to be inside.
    let depth = parts.length - 1;
    let spelled = path.join(root, ...parts.slice(0, depth));
    while (depth > 0 && !known.has(spelled)) {
      depth--;
      spelled = path.dirname(spelled);
    }
    let real = known.get(spelled) ?? realRoot;
    for (let i = depth; i < parts.length; i++) {
      spelled = path.join(spelled, parts[i] as string);
      const next = path.join(real, parts[i] as string);
      let stat: fs.Stats;
      try {
        stat = fs.lstatSync(next);
      } catch {
        // Missing (or not reachable): nothing there to lead anywhere; what Baton creates below
        // it is a real folder or file. The rest of the path is as spelled.
        return path.join(next, ...parts.slice(i + 1));
      }
      real = stat.isSymbolicLink() ? followInside(next, spelled) : next;
      if (i < parts.length - 1) known.set(spelled, real);
    }
    seen.set(given, real);
    return real;
  };

  /** Where the link at `link` leads, when that is inside the root; UNSAFE_PATH otherwise. */
  const followInside = (link: string, spelled: string): string => {
    let destination: string;
    try {
      destination = fs.realpathSync.native(link);
    } catch {
      // Dangling: a write through it would create its target, wherever that is.
      throw unsafePath(root, spelled, readLinkOr(link), "points to nothing");
    }
    if (isOutside(path.relative(realRoot, destination))) {
      throw unsafePath(root, spelled, destination, "leads outside the repository");
    }
    return destination;
  };

  return { root, realRoot, resolve };
}

export function isUnsafePath(error: unknown): boolean {
  return error instanceof BatonError && error.code === "UNSAFE_PATH";
}

/** A relative path with something to resolve: a `.` or `..` component, or an empty one. */
const UNPLAIN =
  path.sep === "/" ? /(^|\/)\.\.?(\/|$)|\/\/|\/$/ : /(^|[\\/])\.\.?([\\/]|$)|[\\/]{2}|[\\/]$/;

/**
 * `target` relative to `dir` by its spelling alone, when it plainly lies below it; null when only
 * path.relative can say.
 */
function relativeBelow(dir: string, target: string): string | null {
  if (target === dir) return "";
  const prefix = dir.endsWith(path.sep) ? dir : `${dir}${path.sep}`;
  if (!target.startsWith(prefix)) return null;
  const rel = target.slice(prefix.length);
  return rel === "" || UNPLAIN.test(rel) ? null : rel;
}

function isOutside(rel: string): boolean {
  return rel === ".." || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel);
}

function realpathOr(p: string): string {
  try {
    return fs.realpathSync.native(p);
  } catch {
    return p;
  }
}

function readLinkOr(link: string): string {
  try {
    return fs.readlinkSync(link);
  } catch {
    return "?";
  }
}

function unsafePath(root: string, spelled: string, destination: string, why: string): BatonError {
  const shown = path.relative(root, spelled).split(path.sep).join("/");
  return new BatonError(
    "UNSAFE_PATH",
    `${shown} is a symlink to ${destination}, which ${why}`,
    `Baton reads and writes only inside the repository and changed nothing; replace ${shown} with a real file or folder (or a link that stays inside) and run the command again`,
    { path: shown },
  );
}
