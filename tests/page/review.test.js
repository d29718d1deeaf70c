// tests/page/review.test.js - the review page in Debian's headless Chromium (playwright-core):
// sign in with an officer's token; the queue lists exactly the officer's open events; the
// selected event is drawn inside its township's outline; j moves the selection; c confirms,
// d dismisses as a false alarm and s dispatches, each checked through the API afterwards; a
// note typed after n goes into the history. An analyst sees the camera's event too, with its
// evidence picture (the frame with the box) beside the queue, and a Landsat event's chip. The screenshots are kept as test
// artefacts. Usage: node review.test.js BASE_URL OFFICER_TOKEN ANALYST_TOKEN SCREENSHOT
"use strict";
const { chromium } = require("playwright-core");

const [base, token, analyst, shot] = process.argv.slice(2);
let failures = 0, passes = 0;
function check(ok, what) {
  if (ok) passes++;
  else { failures++; console.error("FAIL: " + what); }
}
async function api(path, tok) {
  const r = await fetch(base + path, { headers: { Authorization: "Bearer " + (tok || token) } });
  return r.json();
}

(async () => {
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    page.on("pageerror", e => check(false, "page error: " + e.message));
    await page.goto(base + "/");
    await page.fill("#token", "wrong-token-0123456789");
    await page.click("#signin");
    await page.waitForFunction(() => document.getElementById("loginmsg").textContent !== "");
    check((await page.textContent("#loginmsg")).includes("Bearer"), "a wrong token is refused");
    await page.fill("#token", token);
    await page.click("#signin");
    await page.waitForSelector("#queue li");
    const want = (await api("/api/events")).filter(e => e.state === "new").map(e => String(e.id));
    const ids = await page.$$eval("#queue li", lis => lis.map(li => li.dataset.id));
    check(JSON.stringify(ids) === JSON.stringify(want) && ids.length === 2,
          "the queue is the officer's open events " + JSON.stringify(want) + ", got " + JSON.stringify(ids));
    await page.waitForSelector("#map path");
    // the event's point lies inside the outline drawn for its township
    const inside = await page.evaluate(() => {
      const path = document.querySelector("#map path"), c = document.querySelector("#map circle");
      if (!path || !c) return false;
      const p = document.getElementById("map").createSVGPoint();
      p.x = +c.getAttribute("cx"), p.y = +c.getAttribute("cy");
      return path.isPointInFill(p);
    });
    check(inside, "the first event's point is drawn inside its township's outline");
    check((await page.textContent("#title")).startsWith("#" + ids[0]), "the first event is selected");
    await page.keyboard.press("j");
    await page.waitForFunction(id => document.getElementById("title").textContent.startsWith("#" + id), ids[1]);
    check(true, "j selects the second event");
    await page.keyboard.press("n");
    await page.keyboard.type("烟很大 seen from the road");
    await page.keyboard.press("Escape");
    await page.keyboard.press("c");
    await page.waitForFunction(() => document.getElementById("title").textContent.includes("confirmed"));
    let ev = await api("/api/events/" + ids[1]);
    check(ev.event.confirmed === true, "c confirmed event " + ids[1]);
    check(ev.history.some(h => h.action === "confirmed" && h.note === "烟很大 seen from the road" && h.actor === "HY_T_OFFICER"),
          "the note typed after n is in the history, by the officer");
    await page.keyboard.press("s");
    await page.waitForFunction(() => document.getElementById("title").textContent.includes("dispatched"));
    ev = await api("/api/events/" + ids[1]);
    check(ev.event.state === "dispatched", "s dispatched event " + ids[1]);
    await page.keyboard.press("k");
    await page.waitForFunction(id => document.getElementById("title").textContent.startsWith("#" + id), ids[0]);
    await page.keyboard.press("d");
    await page.waitForFunction(id => !document.querySelector('#queue li[data-id="' + id + '"]'), ids[0]);
    ev = await api("/api/events/" + ids[0]);
    check(ev.event.state === "false_alarm", "d dismissed event " + ids[0] + " as a false alarm, and it left the queue");
    await page.screenshot({ path: shot, fullPage: true });
    check(true, "screenshot " + shot);

    // Wait until the page shows the event's own picture, loaded: its latest detection with
    // evidence (the page swaps the picture after the title, so the last event's could still
    // be there, or none while the new one loads).
    const evidenceShown = async (pg, id) => {
      const full = await api("/api/events/" + id, analyst);
      const d = full.detections.slice().reverse().find(x => x.evidence);
      check(d !== undefined, "event " + id + " has a detection with evidence");
      if (d)
        await pg.waitForFunction(did => { const i = document.getElementById("evidence");
                                          return i.dataset.detection === String(did) && i.complete &&
                                                 i.naturalWidth > 0; }, d.id);
    };
    // the analyst: every open event, the camera's with its evidence picture
    const ctx2 = await browser.newContext({ viewport: { width: 1200, height: 800 } });
    const p2 = await ctx2.newPage();
    p2.on("pageerror", e => check(false, "page error: " + e.message));
    await p2.goto(base + "/");
    await p2.fill("#token", analyst);
    await p2.click("#signin");
    await p2.waitForSelector("#queue li");
    const cam = (await api("/api/events", analyst)).find(e => e.source === "cam-e");
    check(cam !== undefined, "the camera's event is in the analyst's list");
    if (cam) {
      await p2.click('#queue li[data-id="' + cam.id + '"]');
      await p2.waitForFunction(id => document.getElementById("title").textContent.startsWith("#" + id), cam.id);
      await evidenceShown(p2, cam.id);
      const wh = await p2.evaluate(() => [document.getElementById("evidence").naturalWidth,
                                          document.getElementById("evidence").naturalHeight]);
      check(wh[0] === 320 && wh[1] === 240, "the evidence picture is the 320x240 frame, got " + wh);
      await p2.screenshot({ path: shot.replace(/\.png$/, "_camera.png"), fullPage: true });
    }
    // a Landsat event's evidence: its chip, true colour beside SWIR false colour, 64 scene
    // pixels enlarged 4 times each, 4 white pixels between: 516 x 256
    const sat = (await api("/api/events", analyst)).find(e => e.source.startsWith("LC08") &&
                                                             ["new", "dispatched"].includes(e.state));
    check(sat !== undefined, "a Landsat event is open in the analyst's list");
    if (sat) {
      await p2.click('#queue li[data-id="' + sat.id + '"]');
      await p2.waitForFunction(id => document.getElementById("title").textContent.startsWith("#" + id), sat.id);
      await evidenceShown(p2, sat.id);
      const wh = await p2.evaluate(() => [document.getElementById("evidence").naturalWidth,
                                          document.getElementById("evidence").naturalHeight]);
      check(wh[0] === 516 && wh[1] === 256, "the Landsat event's chip is 516x256, got " + wh);
      await p2.screenshot({ path: shot.replace(/\.png$/, "_satellite.png"), fullPage: true });
    }
    await ctx2.close();
  } catch (e) {
    check(false, "exception: " + e.message);
  } finally {
    await browser.close();
  }
  console.log("page: " + passes + " passed, " + failures + " failed");
  process.exit(failures ? 1 : 0);
})();
