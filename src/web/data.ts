import { useEffect, useState } from "preact/hooks";
import type { ApiError } from "./api.ts";
import { Refused } from "./api.ts";

export type Loaded<T> =
  | { state: "loading" }
  | { state: "ready"; value: T }
  | { state: "failed"; error: ApiError; status: number };

/**
 * Data a view shows, loaded again whenever `deps` change (the live revision among them); the
 * last value stays on screen while the next one loads, so a live update does not flicker.
 */
export function useData<T>(load: () => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: "loading" });
  useEffect(() => {
    let current = true;
    load().then(
      (value) => current && setLoaded({ state: "ready", value }),
      (error: unknown) =>
        current &&
        setLoaded(
          error instanceof Refused
            ? { state: "failed", error: error.error, status: error.status }
            : {
                state: "failed",
                status: 0,
                error: { code: "NETWORK", message: String(error), hint: "is baton serve running?" },
              },
        ),
    );
    return () => {
      current = false;
    };
  }, deps);
  return loaded;
}
