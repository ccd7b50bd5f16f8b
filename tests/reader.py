"""What a reader sees of each figure in a real browser: which chart images are visible, which
chart text falls outside its drawing, which axis labels print over each other, how big the
chart is, how much the page moved.

Used by the browser tests; measured on the page as drawn (bounding boxes and computed
styles), not on the markup.
"""

from __future__ import annotations

from typing import Any

# Layout shifts, as the browser scores them, from the moment the page starts.
RECORD_SHIFTS = """
window.__sbShifts = [];
window.__sbObserver = new PerformanceObserver(list => {
  for (const e of list.getEntries()) window.__sbShifts.push(e.value);
});
window.__sbObserver.observe({type: "layout-shift", buffered: true});
"""

_FIGURES = """
() => Array.from(document.querySelectorAll(".sb-figure__chart")).map(holder => {
  const shown = el => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 &&
      el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true});
  };
  const images = Array.from(
    holder.querySelectorAll(":scope > .sb-static, :scope > .sb-live svg.marks")
  ).filter(shown);
  const clipped = [];
  const hidden = [];
  const overlapping = [];
  const view = holder.getBoundingClientRect();
  for (const image of images) {
    if (image.tagName.toLowerCase() !== "svg") continue;
    const box = image.getBoundingClientRect();
    for (const text of image.querySelectorAll("text")) {
      const r = text.getBoundingClientRect();
      if (!r.width || !text.textContent.trim()) continue;
      if (r.left < box.left - 1 || r.right > box.right + 1 ||
          r.top < box.top - 1 || r.bottom > box.bottom + 1) {
        clipped.push(text.textContent.trim());  // outside its drawing: never seen
      } else if (r.left < view.left - 1 || r.right > view.right + 1) {
        hidden.push(text.textContent.trim());  // outside the figure's box: seen by scrolling
      }
    }
    // An axis's labels read across or upright (a slanted one's box is not its ink).
    for (const axis of image.querySelectorAll(".role-axis-label")) {
      const labels = Array.from(axis.querySelectorAll("text")).filter(t =>
        t.textContent.trim() && shown(t) &&
        !/rotate\\((?!-?(?:0|90|180|270)\\))/.test(t.getAttribute("transform") || ""));
      const boxes = labels.map(t => t.getBoundingClientRect());
      for (let i = 1; i < boxes.length; i++) {
        const a = boxes[i - 1], b = boxes[i];
        if (a.left < b.right - 1 && b.left < a.right - 1 &&
            a.top < b.bottom - 1 && b.top < a.bottom - 1) {
          overlapping.push(labels[i - 1].textContent.trim() + " / " +
                           labels[i].textContent.trim());
        }
      }
    }
  }
  const size = el => {
    const r = el.getBoundingClientRect();
    return [Math.round(r.width * 10) / 10, Math.round(r.height * 10) / 10];
  };
  return {
    id: holder.closest("figure") ? holder.closest("figure").id : "",
    state: holder.dataset.sbState || "",
    images: images.map(el => el.classList.contains("sb-static") ?
      (el.classList.contains("sb-static--narrow") ? "narrow" : "wide") : "live"),
    sizes: images.map(size),
    clipped: clipped,
    hidden: hidden,
    overlapping: overlapping,
    scrolls: holder.getAttribute("role") === "group",
    overflowing: holder.scrollWidth > holder.clientWidth + 1,
  };
})
"""


def figures(page: Any) -> list[dict[str, Any]]:
    """One record per figure on the page: visible images, clipped text, sizes, state."""
    return list(page.evaluate(_FIGURES))


def shifts(page: Any) -> float:
    """The layout shift scored so far (needs RECORD_SHIFTS as an init script)."""
    return float(page.evaluate("() => (window.__sbShifts || []).reduce((a, b) => a + b, 0)"))


def reset_shifts(page: Any) -> None:
    """Forget the shifts so far, those not yet delivered too: score only what comes next."""
    page.evaluate("() => { window.__sbObserver.takeRecords(); window.__sbShifts = []; }")
