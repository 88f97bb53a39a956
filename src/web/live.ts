import { useEffect, useState } from "preact/hooks";

export interface LiveEvent {
  log: string;
  event: { type: string; at?: string; command?: string; [key: string]: unknown };
}

export interface Live {
  connected: boolean;
  /** Grows with every batch of changes: what a view's data depends on. */
  revision: number;
  /** The events received since the page opened, newest first (the last 50). */
  events: LiveEvent[];
}

/** The live socket, reopened when it drops; every batch of changes bumps `revision`. */
export function useLive(): Live {
  const [state, setState] = useState<Live>({ connected: false, revision: 0, events: [] });
  useEffect(() => {
    let socket: WebSocket | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const open = () => {
      socket = new WebSocket(
        `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/api/v1/live`,
      );
      socket.onopen = () => setState((s) => ({ ...s, connected: true }));
      socket.onmessage = (m) => {
        const message = JSON.parse(String(m.data));
        if (message.type === "event")
          setState((s) => ({ ...s, events: [message as LiveEvent, ...s.events].slice(0, 50) }));
        if (message.type === "invalidate") setState((s) => ({ ...s, revision: s.revision + 1 }));
      };
      socket.onclose = () => {
        setState((s) => ({ ...s, connected: false }));
        if (!stopped) retry = setTimeout(open, 1000);
      };
    };
    open();
    return () => {
      stopped = true;
      clearTimeout(retry);
      socket?.close();
    };
  }, []);
  return state;
}
