/**
 * String work on `/`-separated paths (repository-relative paths as Baton records and shows them,
 * Markdown link targets), answering as `path.posix` does. Absolute paths of the machine are the
 * store's business and never pass through here.
 */

/** `a//b/./c/../d/` → `a/b/d/`: `.`, `..` and repeated slashes folded; a trailing slash kept. */
export function normalizeRel(p: string): string {
  if (p === "") return ".";
  const absolute = p.startsWith("/");
  const trailing = p.endsWith("/");
  const parts: string[] = [];
  for (const part of p.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (parts.length > 0 && parts[parts.length - 1] !== "..") parts.pop();
      else if (!absolute) parts.push("..");
      continue;
    }
    parts.push(part);
  }
  let out = parts.join("/");
  if (out === "" && !absolute) out = ".";
  if (out !== "" && trailing) out += "/";
  return absolute ? `/${out}` : out;
}

/** The parts joined with `/` and normalized; `.` when they are all empty. */
export function joinRel(...parts: string[]): string {
  const joined = parts.filter((p) => p !== "").join("/");
  return joined === "" ? "." : normalizeRel(joined);
}

/** The last name of a path, trailing slashes ignored (`a/b/` → `b`). */
export function basenameRel(p: string): string {
  const trimmed = p.replace(/\/+$/, "");
  return trimmed.slice(trimmed.lastIndexOf("/") + 1);
}

/** The folder holding a path (`a/b/c.md` → `a/b`; `c.md` → `.`; `/a` → `/`). */
export function dirnameRel(p: string): string {
  if (p === "") return ".";
  const rooted = p.startsWith("/");
  let end = -1;
  let inTrailingSlashes = true;
  for (let i = p.length - 1; i >= 1; i--) {
    if (p[i] === "/") {
      if (!inTrailingSlashes) {
        end = i;
        break;
      }
    } else inTrailingSlashes = false;
  }
  if (end === -1) return rooted ? "/" : ".";
  if (rooted && end === 1) return "//";
  return p.slice(0, end);
}

/**
 * The path from folder `from` to `to`, both relative to the same place (the repository root;
 * `""` or `.` is that place itself) and not climbing above it: a Markdown link's target.
 */
export function relativeRel(from: string, to: string): string {
  const split = (p: string) =>
    normalizeRel(p)
      .split("/")
      .filter((s) => s !== "" && s !== ".");
  const a = split(from);
  const b = split(to);
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return [...a.slice(i).map(() => ".."), ...b.slice(i)].join("/");
}
