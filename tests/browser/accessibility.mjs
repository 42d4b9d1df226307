// axe-core, run in Debian's headless Chromium, on the built sample site served by
// `depeche serve`: no violations on the home page, a brief, a tag page and the 404 page,
// in light and in dark mode.
//
//   node tests/browser/accessibility.mjs PATH/TO/depeche SITE
//
// Needs playwright-core and axe-core (npm) in PLAYWRIGHT_DIR. Prints "axe: N passed, 0 failed".
import { spawn } from "node:child_process";
import { join } from "node:path";
import { createRequire } from "node:module";

const modules = process.env.PLAYWRIGHT_DIR ?? process.cwd();
const require = createRequire(join(modules, "package.json"));
const { chromium } = require("playwright-core");
const axePath = require.resolve("axe-core/axe.min.js");

const [depeche, site] = process.argv.slice(2);
const pages = ["/", "/2022/06/ukraine-candidate/", "/tags/europe/", "/no/such/page/"];

const server = spawn(depeche, ["serve", "--root", site, "--port", "0"], { stdio: ["ignore", "pipe", "ignore"] });
const url = await new Promise((resolve, reject) => {
  let output = "";
  server.stdout.on("data", (chunk) => {
    output += chunk;
    const match = output.match(/at (http:\/\/127\.0\.0\.1:\d+)\//);
    if (match) resolve(match[1]);
  });
  setTimeout(() => reject(new Error("depeche serve did not start")), 20000);
});

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"],
});
let passed = 0;
let failed = 0;
try {
  for (const scheme of ["light", "dark"]) {
    const context = await browser.newContext({ colorScheme: scheme });
    const page = await context.newPage();
    for (const path of pages) {
      await page.goto(url + path);
      await page.addScriptTag({ path: axePath });
      const results = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ["violations"] }));
      if (results.violations.length === 0) {
        passed += 1;
      } else {
        failed += 1;
        for (const violation of results.violations) {
          console.error(`${path} (${scheme}): ${violation.id}: ${violation.help}`);
          for (const node of violation.nodes.slice(0, 3)) console.error(`  ${node.target.join(" ")}: ${node.failureSummary}`);
        }
      }
    }
    await context.close();
  }
} finally {
  await browser.close();
  server.kill("SIGINT");
}
console.log(`axe: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
