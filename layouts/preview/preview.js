// The preview's behaviour: page size, the large view, and (when served) following rebuilds.
(function () {
  "use strict";
  const root = document.documentElement;
  const app = () => document.getElementById("app");

  // Page size on screen, remembered between visits.
  function applySize(px) { root.style.setProperty("--page-w", px + "px"); }
  let saved = null;
  try { saved = localStorage.getItem("preview-page-w"); } catch (e) { /* file: pages may refuse storage */ }
  if (saved) applySize(saved);
  function bindSize() {
    const zoom = document.getElementById("zoom");
    if (!zoom) return;
    if (saved) zoom.value = saved;
    zoom.oninput = () => {
      saved = zoom.value;
      applySize(saved);
      try { localStorage.setItem("preview-page-w", saved); } catch (e) { /* ignore */ }
    };
  }

  // The large view: click a page; arrows move, Esc closes.
  const box = document.getElementById("lightbox");
  let shown = null;
  function pages() { return Array.from(document.querySelectorAll("figure.page")); }
  function open(number) {
    const page = document.getElementById("page-" + number);
    if (!page) { close(); return; }
    shown = number;
    box.querySelector("img").src = page.dataset.large;
    const notes = Array.from(page.querySelectorAll(".badge")).map(b => b.title).join(" · ");
    box.querySelector("figcaption").textContent = "p." + number + (notes ? " — " + notes : "");
    box.hidden = false;
  }
  function close() { box.hidden = true; shown = null; }
  function step(delta) {
    const numbers = pages().map(p => Number(p.dataset.page));
    const at = numbers.indexOf(shown) + delta;
    if (at >= 0 && at < numbers.length) open(numbers[at]);
  }
  document.addEventListener("click", (event) => {
    const sheet = event.target.closest("a.sheet");
    if (sheet) { event.preventDefault(); open(Number(sheet.closest("figure.page").dataset.page)); return; }
    const row = event.target.closest("tr.article");
    if (row && row.dataset.start) { event.preventDefault(); focusPage(row.dataset.start); }
  });
  box.querySelector(".close").onclick = close;
  box.querySelector(".prev").onclick = () => step(-1);
  box.querySelector(".next").onclick = () => step(1);
  box.addEventListener("click", (event) => { if (event.target === box) close(); });
  document.addEventListener("keydown", (event) => {
    if (box.hidden) return;
    if (event.key === "Escape") close();
    if (event.key === "ArrowLeft") step(-1);
    if (event.key === "ArrowRight") step(1);
  });

  function focusPage(number) {
    const page = document.getElementById("page-" + number);
    if (!page) return;
    page.scrollIntoView({ behavior: "smooth", block: "center" });
    page.classList.add("target");
    setTimeout(() => page.classList.remove("target"), 1600);
  }

  bindSize();
  if (!document.body.hasAttribute("data-live")) return;

  // Live: the server announces each state change; a finished build replaces the page's content.
  const status = () => document.getElementById("status");
  function showBusy(message) {
    const s = status();
    s.className = "status busy";
    s.textContent = "rebuilding… " + (message || "");
    app().classList.add("stale");
  }
  async function refresh() {
    const response = await fetch("/", { cache: "no-store" });
    const doc = new DOMParser().parseFromString(await response.text(), "text/html");
    const fresh = doc.getElementById("app");
    app().replaceWith(fresh);
    bindSize();
    if (shown !== null) open(shown);
  }
  function showMoving() {
    // The pages up to an edit are shown; those after it, which it moves, are being laid out.
    const s = status();
    s.className = "status busy";
    s.textContent = "laying out the pages that move…";
  }
  function showIdle() {
    const s = status();
    const failed = app().dataset.errors !== "0";
    s.className = "status " + (failed ? "bad" : "live");
    s.textContent = failed ? "rebuild failed" : "live: rebuilds on save";
  }
  function connect() {
    const events = new EventSource("/events");
    events.addEventListener("state", (event) => {
      const state = JSON.parse(event.data);
      if (state.status === "building") showBusy(state.message);
      else if (String(state.version) !== app().dataset.version) refresh();
      else if (state.status === "moving") showMoving();
      else showIdle();
    });
    events.onerror = () => {
      const s = status();
      s.className = "status bad";
      s.textContent = "server stopped: showing the last pages";
    };
  }
  connect();
})();
