// Shared by the browser tests: start `depeche serve` on a free port, and launch Debian's
// Chromium through playwright-core (which downloads no browser of its own).
import { spawn } from "node:child_process";
import { join } from "node:path";
import { createRequire } from "node:module";

export const require = createRequire(join(process.env.PLAYWRIGHT_DIR ?? process.cwd(), "package.json"));

/** Starts `depeche serve` and resolves to { server, url } once it listens. */
export function startServer(depeche, site, stdio = "ignore") {
  const server = spawn(depeche, ["serve", "--root", site, "--port", "0"], { stdio: ["ignore", "pipe", stdio] });
  return new Promise((resolve, reject) => {
    let output = "";
    server.stdout.on("data", (chunk) => {
      output += chunk;
      const match = output.match(/at (http:\/\/127\.0\.0\.1:\d+)\//);
      if (match) resolve({ server, url: match[1] });
    });
    server.on("exit", (code) => reject(new Error(`depeche serve exited with ${code}`)));
    setTimeout(() => reject(new Error("depeche serve did not start")), 20000);
  });
}

/** Headless Chromium with the flags this closed network needs. */
export function launchChromium() {
  const { chromium } = require("playwright-core");
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
           "--disable-component-update", "--disable-sync"],
  });
}
