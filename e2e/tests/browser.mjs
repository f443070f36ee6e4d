// Shared set-up for the browser tests: Debian's chromium (never a downloaded
// browser), a fresh profile per run, the base URL from STRIKEWATCH_URL.
import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const BASE = (process.env.STRIKEWATCH_URL || "http://127.0.0.1:8080").replace(/\/$/, "");
export const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), "..", "artifacts");
mkdirSync(ARTIFACTS, { recursive: true });

const ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

/** Launches chromium with a throwaway profile; call close() when done. */
export async function launch() {
  const profile = mkdtempSync(join(tmpdir(), "strikewatch-e2e-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ARGS,
    headless: true,
    viewport: { width: 1280, height: 900 },
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A new page that records dialogs, page errors and CSP violations. */
export async function watchedPage(context) {
  const page = await context.newPage();
  const events = { dialogs: [], errors: [], csp: [] };
  page.on("dialog", async (d) => {
    events.dialogs.push(d.message());
    await d.dismiss();
  });
  page.on("pageerror", (e) => events.errors.push(String(e)));
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) events.csp.push(m.text());
  });
  return { page, events };
}

/** Parses CSV text (RFC 4180 quoting) into rows of cells. */
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; }
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") { row.push(cell); cell = ""; }
    else if (c === "\n") { row.push(cell); rows.push(row); row = []; cell = ""; }
    else if (c !== "\r") cell += c;
  }
  if (cell !== "" || row.length) { row.push(cell); rows.push(row); }
  return rows;
}
