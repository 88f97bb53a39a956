import { spawn } from "node:child_process";

/**
 * Asks the platform's opener (xdg-open, open, start) to show `url` in a browser. Without one, or
 * if it fails, the server goes on: the URL is printed anyway.
 */
export function openInBrowser(url: string, notice: (message: string) => void): void {
  const [command, args] =
    process.platform === "darwin"
      ? ["open", [url]]
      : process.platform === "win32"
        ? ["cmd", ["/c", "start", "", url]]
        : ["xdg-open", [url]];
  const missed = () =>
    notice(`could not start ${command} to open a browser; open the URL yourself`);
  try {
    const child = spawn(command, args, { detached: true, stdio: "ignore" });
    child.on("error", missed);
    child.unref();
  } catch {
    missed();
  }
}
