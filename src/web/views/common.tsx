import type { ComponentChildren } from "preact";
import type { Loaded } from "../data.ts";

/** A section's data: its view when loaded, else what is happening, in words. */
export function Show<T>({
  data,
  children,
}: {
  data: Loaded<T>;
  children: (value: T) => ComponentChildren;
}) {
  if (data.state === "loading") return <p class="muted">Loading…</p>;
  if (data.state === "failed")
    return (
      <div class="error" role="alert">
        <strong>{data.error.code}</strong>: {data.error.message}
        <div class="muted">{data.error.hint}</div>
      </div>
    );
  return <>{children(data.value)}</>;
}

/** What an empty list says: what it would hold, and the command that fills it. */
export function Empty({ children, command }: { children: ComponentChildren; command: string }) {
  return (
    <p class="empty">
      {children} <code>{command}</code>
    </p>
  );
}

export function Bar({ percent, label }: { percent: number; label: string }) {
  return (
    <span class="bar">
      <progress max={100} value={percent} aria-label={label} />
      <span class="muted">{percent}%</span>
    </span>
  );
}

export const words = (status: string) => status.replaceAll("_", " ");
