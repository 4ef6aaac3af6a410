// chibo console: the delivery view of a notice follows its messages while some still wait.
// Without this script the page is complete; its "Refresh" link reloads it.
(() => {
  const POLL_MS = 3000;
  const section = document.querySelector(".notices-live[data-progress-url]");
  if (!section) return;
  const url = section.dataset.progressUrl;
  const bar = section.querySelector("progress");
  const label = section.querySelector(".notices-done");
  const template = label ? label.dataset.template : undefined;

  function show(counts) {
    for (const key of ["sent", "waiting", "failed", "unreachable", "acknowledged"]) {
      for (const cell of document.querySelectorAll(`[data-count="${key}"]`)) cell.textContent = String(counts[key]);
    }
    const done = counts.sent + counts.failed + counts.unreachable;
    if (bar) {
      bar.max = Math.max(counts.total, 1);
      bar.value = done;
      bar.textContent = `${done}/${counts.total}`;
    }
    if (label && template) label.textContent = template.replace("{done}", String(done)).replace("{total}", String(counts.total));
    section.dataset.waiting = String(counts.waiting);
  }

  async function poll() {
    try {
      const response = await fetch(url, { headers: { accept: "application/json" }, credentials: "same-origin" });
      if (!response.ok || !(response.headers.get("content-type") || "").includes("application/json")) return;
      const counts = await response.json();
      show(counts);
      if (counts.waiting > 0) setTimeout(poll, POLL_MS);
    } catch {
      // Signed out or offline: the page stays as it is; "Refresh" still works.
    }
  }

  if (Number(section.dataset.waiting) > 0) setTimeout(poll, POLL_MS);
})();
