// Browser tests of the ledger site. Run through e2e/run.sh, or with
// STRIKEWATCH_URL pointing at a running server.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { BASE, ARTIFACTS, launch, watchedPage, parseCsv } from "./browser.mjs";

let browser;
before(async () => {
  browser = await launch();
  console.log(`screenshots: ${ARTIFACTS}`);
});
after(async () => {
  await browser?.close();
});

async function open(path) {
  const w = await watchedPage(browser.context);
  const res = await w.page.goto(BASE + path, { waitUntil: "load" });
  assert.equal(res.status(), 200, `${path} answers 200`);
  return w;
}

test("main pages render and are saved as screenshots", async () => {
  const pages = {
    overview: "/", incidents: "/incidents", timeline: "/timeline", map: "/map", statements: "/statements",
    claims: "/claims", reconciliation: "/reconciliation", search: "/search?q=Caribbean", reviews: "/reviews",
  };
  for (const [name, path] of Object.entries(pages)) {
    const { page, events } = await open(path);
    assert.ok((await page.locator("h1").textContent()).trim().length > 0, `${name} has a heading`);
    assert.deepEqual(events.errors, [], `${name}: no script errors`);
    assert.deepEqual(events.csp, [], `${name}: no CSP violations`);
    await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
    await page.close();
  }
});

test("an incident's source link leads to its highlighted evidence", async () => {
  const { page } = await open("/incidents");
  await page.locator("table.incidents tbody tr a").first().click();
  await page.waitForLoadState("load");
  assert.match(page.url(), /\/incidents\/[^/]+$/);
  await page.screenshot({ path: join(ARTIFACTS, "incident.png"), fullPage: true });
  const link = page.locator("a.open").first();
  const href = await link.getAttribute("href");
  const m = /hl=(\d+)-(\d+)#span-(\d+)-(\d+)$/.exec(href);
  assert.ok(m, `evidence link ${href} carries hl and anchor`);
  const excerpt = (await page.locator(".evidence mark").first().textContent()).trim();
  await link.click();
  await page.waitForLoadState("load");
  const mark = page.locator(`#span-${m[1]}-${m[2]} + mark.ev.active`);
  await mark.waitFor();
  assert.equal((await mark.textContent()).trim(), excerpt, "the viewer marks the same words");
  assert.ok(await mark.isVisible(), "the highlighted span is on screen");
  await page.screenshot({ path: join(ARTIFACTS, "document.png"), fullPage: false });
  await page.close();
});

test("a filter narrows the table and the .csv twin matches it", async () => {
  const { page } = await open("/incidents");
  await page.selectOption("select[name=region]", "caribbean");
  await Promise.all([page.waitForURL(/region=caribbean/), page.click("form.filters button[type=submit]")]);
  const ids = await page.locator("table.incidents tbody tr").evaluateAll((rows) => rows.map((r) => r.dataset.id));
  assert.ok(ids.length > 0, "some Caribbean incidents");
  const regions = await page.locator("table.incidents tbody tr td:nth-child(2)").allTextContents();
  assert.ok(regions.every((r) => r.trim() === "Caribbean"));
  const csvHref = await page.locator(".twins a", { hasText: "CSV" }).getAttribute("href");
  assert.match(csvHref, /^\/incidents\.csv\?.*region=caribbean/);
  const res = await page.request.get(BASE + csvHref);
  assert.equal(res.status(), 200);
  const rows = parseCsv(await res.text());
  const header = rows.shift();
  assert.equal(header[0], "id");
  assert.deepEqual(rows.map((r) => r[0]), ids, "CSV rows are the table rows, in order");
  assert.ok(rows.every((r) => r[header.indexOf("region")] === "caribbean"));
  await page.close();
});

test("the map and the charts render as non-empty SVG", async () => {
  const { page } = await open("/map");
  const shapes = await page.locator("svg.map g.land path").count();
  assert.ok(shapes > 10, `country shapes drawn (${shapes})`);
  const placed = await page.locator("svg.map g.incidents circle").count();
  assert.ok(placed > 0, "incidents placed");
  const box = await page.locator("svg.map").boundingBox();
  assert.ok(box.width > 300 && box.height > 150, "map has a size");
  await page.goto(BASE + "/timeline");
  assert.ok((await page.locator("svg.timeline rect.max").count()) > 5, "timeline bars");
  const band = await page.locator("svg.cumulative path.band").getAttribute("d");
  assert.ok(band && band.length > 50, "cumulative band drawn");
  assert.ok((await page.locator("svg.cumulative circle.stated").count()) > 0, "stated totals drawn");
  await page.close();
});

test("hostile document content stays inert text", async () => {
  const { page, events } = await open("/documents/hostile-001");
  await page.waitForTimeout(300);
  assert.deepEqual(events.dialogs, [], "no dialog fired");
  assert.equal(await page.locator("main img").count(), 0, "no injected image");
  assert.equal(await page.locator("main script").count(), 0, "no injected script");
  assert.equal(await page.locator("main b, main i").count(), 0, "no injected markup");
  const javascriptLinks = await page.locator("a[href^='javascript' i]").count();
  assert.equal(javascriptLinks, 0, "no javascript: link");
  assert.equal(await page.locator("h1").textContent(), "<script>alert(1)</script>", "title shown literally");
  assert.ok((await page.locator(".doctext").textContent()).includes("<img src=x onerror=alert(1)>"), "text shown literally");
  await page.screenshot({ path: join(ARTIFACTS, "hostile.png") });
  for (const path of ["/statements", "/claims", "/search?q=onerror"]) {
    await page.goto(BASE + path);
    await page.waitForTimeout(100);
    assert.equal(await page.locator("main img, main script").count(), 0, `${path}: nothing injected`);
  }
  const hostile = await (await page.request.get(BASE + "/documents/hostile-001.json")).json();
  const carrier = hostile.evidence.find((e) => e.incident_id);
  assert.ok(carrier, "an incident cites the hostile document");
  const id = carrier.incident_id;
  await page.goto(BASE + `/incidents/${encodeURIComponent(id)}`);
  assert.equal(await page.locator("a[href^='javascript' i]").count(), 0, "incident page: no javascript: link");
  assert.ok((await page.locator("main").textContent()).includes("<script>alert(1)</script>"), "hostile title shown as text");
  assert.deepEqual(events.dialogs, [], "still no dialog");
  await page.close();
});

test("a private document shows on no page, its strike only as from a non-public source", async () => {
  const secrets = ["secretword", "leak.example", "tip-e2e-secret", "fisherman"];
  const clean = (where, text) => {
    for (const s of secrets) assert.ok(!text.toLowerCase().includes(s), `${where} reveals ${s}`);
  };
  const listing = await (await fetch(BASE + "/incidents.json?per_page=500")).json();
  const strike = listing.incidents.find((i) => i.date === "2025-12-16");
  assert.ok(strike, "the tip's strike is listed");
  const { page } = await open(`/incidents/${encodeURIComponent(strike.id)}`);
  const main = await page.locator("main").textContent();
  assert.ok(main.includes("Supported by a non-public source"), "marked as from a non-public source");
  clean("incident page", await page.content());
  for (const path of ["/", "/incidents", "/map", "/timeline", "/statements", "/claims", "/changes.json",
    "/search?q=boat", "/search.json?q=word", `/incidents/${encodeURIComponent(strike.id)}.json`]) {
    await page.goto(BASE + path);
    clean(path, await page.content());
  }
  const res = await fetch(BASE + "/documents/tip-e2e-secret");
  assert.equal(res.status, 404, "the private document itself is not served");
  await page.close();
});

test("phone width: no horizontal overflow of the page body", async () => {
  const w = await watchedPage(browser.context);
  await w.page.setViewportSize({ width: 375, height: 740 });
  const inc = await (await w.page.request.get(BASE + "/incidents.json?per_page=1")).json();
  const paths = ["/", "/incidents", `/incidents/${encodeURIComponent(inc.incidents[0].id)}`, "/timeline", "/map", "/statements", "/claims", "/reconciliation", "/documents/dev-001"];
  for (const path of paths) {
    await w.page.goto(BASE + path, { waitUntil: "load" });
    const { scroll, client } = await w.page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
    }));
    assert.ok(scroll <= client, `${path}: body ${scroll}px wide in a ${client}px screen`);
  }
  await w.page.goto(BASE + "/incidents");
  await w.page.screenshot({ path: join(ARTIFACTS, "incidents-phone.png"), fullPage: true });
  await w.page.close();
});

test("the first page load stays under 300 KB", async () => {
  const w = await watchedPage(browser.context);
  const sizes = [];
  const external = [];
  w.page.on("response", (r) => {
    if (!r.url().startsWith(BASE)) external.push(r.url());
    sizes.push(r.body().then((b) => b.length, () => 0));
  });
  await w.page.goto(BASE + "/", { waitUntil: "networkidle" });
  const bytes = (await Promise.all(sizes)).reduce((a, b) => a + b, 0);
  assert.deepEqual(external, [], "nothing fetched from outside");
  assert.ok(bytes < 300 * 1024, `first load is ${bytes} bytes`);
  console.log(`first page load: ${bytes} bytes`);
  await w.page.close();
});
