import fs from "node:fs";

const WAIT = new Int32Array(new SharedArrayBuffer(4));

/**
 * Writes all of `text` to a file descriptor synchronously. Touching `process.stdout` builds a
 * stream stack that costs milliseconds at startup; a plain write(2) does not, and finishes
 * before the process exits, so nothing printed is ever lost. A non-blocking pipe that is full
 * answers EAGAIN: wait a moment and go on.
 */
export function writeAll(fd: number, text: string): void {
  const data = Buffer.from(text, "utf8");
  let offset = 0;
  while (offset < data.length) {
    try {
      offset += fs.writeSync(fd, data, offset, data.length - offset);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EAGAIN") {
        Atomics.wait(WAIT, 0, 0, 2);
        continue;
      }
      // The reader went away (EPIPE) or the descriptor is closed: nobody is left to read.
      if (code === "EPIPE" || code === "EBADF") return;
      throw error;
    }
  }
}
