/* site-builder: on a page that embeds our charts, fit each chart's iframe to its content.
   Loaded by the embed code offered under each figure (once per chart, so it runs once). */
(function () {
  "use strict";
  if (window.sbEmbedResizer) return;
  window.sbEmbedResizer = true;

  function frames() {
    return document.querySelectorAll("iframe[id^='sb-embed-']");
  }

  // Width and border from here as well as from the iframe's style attribute, which a page
  // with a strict Content-Security-Policy ignores (styles set by script are allowed).
  function fit(frame) {
    frame.style.width = "100%";
    frame.style.border = "0";
  }
  Array.prototype.forEach.call(frames(), fit);

  addEventListener("message", function (event) {
    var height = event.data && event.data.sbEmbedHeight;
    if (typeof height !== "number" || !(height > 0)) return;
    Array.prototype.forEach.call(frames(), function (frame) {
      if (frame.contentWindow === event.source) {
        fit(frame);
        frame.style.height = Math.ceil(height) + "px";
      }
    });
  });
})();
