/**
 * `/api/v1/live`: every open page's WebSocket, and what is pushed to all of them. Messages are
 * JSON text frames: `{type: "ready"}` once connected, `{type: "event", log, event}` for each new
 * line of an event log, `{type: "invalidate", paths, all}` for the state files that changed
 * (`all`: too many to list, read everything again).
 */
import type { Duplex } from "node:stream";
import type { StateChange } from "../store/watch.ts";
import {
  CLOSE,
  closeFrame,
  encodeFrame,
  FrameError,
  FrameReader,
  OPCODE,
  textFrame,
} from "./websocket.ts";

/** A client this far behind (its socket's unsent bytes) is dropped rather than buffered for. */
export const MAX_BEHIND_BYTES = 8 * 1024 * 1024;

export type LiveMessage =
  | { type: "ready"; version: string }
  | { type: "event"; log: string; event: Record<string, unknown> }
  | { type: "invalidate"; paths: string[]; all: boolean; dropped?: number };

export interface Live {
  /** Takes over a socket whose upgrade was answered with 101. */
  attach(socket: Duplex, head: Buffer): void;
  send(message: LiveMessage): void;
  /** The messages a batch of changes makes, sent to every client. */
  changed(change: StateChange): void;
  clients(): number;
  /** Says goodbye (1001) to every client and closes its socket. */
  close(): void;
}

export function createLive(version: string): Live {
  const sockets = new Set<Duplex>();

  const write = (socket: Duplex, frame: Buffer) => {
    if (socket.destroyed) return;
    if (socket.writableLength > MAX_BEHIND_BYTES) {
      socket.destroy();
      return;
    }
    socket.write(frame);
  };

  const broadcast = (message: LiveMessage) => {
    if (sockets.size === 0) return;
    const frame = textFrame(JSON.stringify(message));
    for (const socket of sockets) write(socket, frame);
  };

  const goodbye = (socket: Duplex, code: number, reason: string, waitMs = 1000) => {
    if (!socket.destroyed && socket.writable) socket.end(closeFrame(code, reason));
    // A client that does not close its side is not waited for.
    setTimeout(() => socket.destroy(), waitMs).unref();
  };

  return {
    attach(socket, head) {
      sockets.add(socket);
      (socket as Duplex & { setNoDelay?(on: boolean): void }).setNoDelay?.(true);
      const reader = new FrameReader();
      const read = (chunk: Buffer) => {
        let frames: ReturnType<FrameReader["push"]>;
        try {
          frames = reader.push(chunk);
        } catch (error) {
          sockets.delete(socket);
          const code = error instanceof FrameError ? error.code : CLOSE.protocol;
          goodbye(socket, code, error instanceof Error ? error.message : "");
          return;
        }
        for (const frame of frames) {
          if (frame.opcode === OPCODE.close) {
            sockets.delete(socket);
            goodbye(socket, CLOSE.normal, "");
            return;
          }
          if (frame.opcode === OPCODE.ping) write(socket, encodeFrame(OPCODE.pong, frame.payload));
          // Text, binary and pongs: a client has nothing to tell the server.
        }
      };
      socket.on("data", read);
      const gone = () => sockets.delete(socket);
      socket.on("close", gone);
      socket.on("error", gone);
      if (head.length > 0) read(head);
      write(socket, textFrame(JSON.stringify({ type: "ready", version } satisfies LiveMessage)));
    },
    send: broadcast,
    changed(change) {
      for (const { log, event } of change.events) broadcast({ type: "event", log, event });
      broadcast({
        type: "invalidate",
        paths: change.paths,
        all: change.all,
        ...(change.dropped > 0 ? { dropped: change.dropped } : {}),
      });
    },
    clients: () => sockets.size,
    close() {
      for (const socket of sockets) goodbye(socket, CLOSE.goingAway, "the server is stopping", 200);
      sockets.clear();
    },
  };
}
