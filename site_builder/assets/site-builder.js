/* site-builder: static charts become interactive when the reader reaches for one.
   The static SVG is the chart: it needs no script. The Vega runtime (from this site) is
   fetched once the page has loaded and the browser is idle, but only run when the reader
   reaches for a chart in view (pointer over it, a touch, keyboard focus in its figure), so
   that it costs nothing while the page loads; from then on every chart in view goes live,
   one at a time, each when the browser is idle. If it cannot load, the static charts stay as
   they are. The PNG download is drawn here from the figure's image (SVG). */
(function () {
  "use strict";
  var RUNTIME = "__SB_RUNTIME__"; // file name, next to this script; set at build time
  var base = document.currentScript ? document.currentScript.src : document.baseURI;
  var runtime = null;
  var runtimeFailures = 0;

  function loadRuntime() {
    if (!runtime) {
      runtime = new Promise(function (resolve, reject) {
        if (window.vegaEmbed) return resolve(window.vegaEmbed);
        var tag = document.createElement("script");
        tag.src = new URL(RUNTIME, base).href;
        tag.async = true;
        tag.onload = function () {
          if (window.vegaEmbed) resolve(window.vegaEmbed);
          else reject(new Error("runtime without vegaEmbed"));
        };
        tag.onerror = function () {
          // A later chart tries again once (the network may have dropped for a moment);
          // after that the runtime is taken to be blocked: no chart asks again.
          runtimeFailures += 1;
          if (runtimeFailures < 2) runtime = null;
          reject(new Error("runtime failed to load"));
        };
        document.head.appendChild(tag);
      });
    }
    return runtime;
  }

  function loadSpec(path) {
    var url = new URL(path, location.href).href;
    return fetch(url).then(function (response) {
      if (!response.ok) throw new Error("spec: HTTP " + response.status);
      return response.json();
    });
  }

  // Links from marks go to http(s) or to this site only: never javascript: or data:. The
  // build refuses such links already; this holds even for one a transform made.
  function safeLink(uri) {
    var text = String(uri).replace(/[\t\n\r]/g, "").trim();
    if (!/^[a-z][a-z0-9+.\-]*:/i.test(text)) return !/^[\\/]{2}/.test(text);
    try {
      return /^https?:$/.test(new URL(text).protocol);
    } catch (e) {
      return false;
    }
  }

  var NO_LINK = /^(null|undefined|NaN)$/;

  // The view's loader is the one its mark handlers ask before following a link.
  function guardLinks(view) {
    var loader = view.loader();
    var sanitize = loader.sanitize;
    loader.sanitize = function (uri, options) {
      if (options && options.context === "href" && !safeLink(uri)) {
        return Promise.reject(new Error("link refused: not http(s)"));
      }
      // An empty cell reaches here as text ("" + null): that mark links nowhere.
      if (options && options.context === "href" && NO_LINK.test(String(uri).trim())) {
        return Promise.reject(new Error("no link"));
      }
      return sanitize.call(loader, uri, options);
    };
  }

  // Vega shows a tooltip as the pointer moves over a mark; a tap moves nothing (down, up,
  // out), so a reader on a touch screen never saw one. After a tap, the mark tapped gets the
  // move a mouse would have made: its tooltip shows until the next tap elsewhere.
  var tapped = null; // the mark whose tooltip a tap showed

  function tooltipsOnTap(live) {
    var touched = false;
    live.addEventListener("pointerdown", function (event) {
      touched = event.pointerType === "touch" || event.pointerType === "pen";
    });
    live.addEventListener("click", function (event) {
      if (!touched || typeof PointerEvent !== "function") return;
      touched = false;
      tapped = event.target;
      tapped.dispatchEvent(pointer("pointermove", event));
      keepInView(document.getElementById("vg-tooltip-element"));
    });
  }

  // Vega hides a tooltip when the pointer leaves its mark: told so for a tapped mark.
  function hideTapped(event) {
    if (!tapped) return;
    var mark = tapped;
    tapped = null;
    mark.dispatchEvent(pointer("pointerout", event));
    mark.dispatchEvent(new MouseEvent("mouseout", { bubbles: true }));
  }

  // A tap outside the chart takes its tooltip away, as moving the mouse off it would.
  document.addEventListener("pointerdown", function (event) {
    var live = tapped && tapped.closest && tapped.closest(".sb-live");
    if (live && !live.contains(event.target)) hideTapped(event);
  });

  // Set beside the finger, a tooltip wider than the room on either side ran off the
  // phone's screen: it is moved back in.
  function keepInView(tip) {
    if (!tip || !tip.classList.contains("visible")) return;
    var box = tip.getBoundingClientRect();
    var room = document.documentElement.clientWidth;
    var left = Math.max(0, Math.min(box.left, room - box.width));
    if (left !== box.left) tip.style.left = left + "px";
  }

  function pointer(type, event) {
    return new PointerEvent(type, {
      bubbles: true,
      clientX: event ? event.clientX : 0,
      clientY: event ? event.clientY : 0,
      pointerType: "touch",
    });
  }

  // A tooltip as vega-tooltip writes it (`escape`: its sanitizer), less the fields a row has
  // no value for, which Vega-Lite writes as "null".
  function tooltipHtml(value, escape) {
    if (value === null || typeof value !== "object") return escape(value);
    if (Array.isArray(value)) return escape(JSON.stringify(value));
    var html = value.title != null ? "<h2>" + escape(value.title) + "</h2>" : "";
    var rows = Object.keys(value).filter(function (key) {
      var field = value[key];
      return key !== "title" && key !== "image" && field != null && field !== "null";
    });
    if (rows.length) {
      html += "<table>";
      rows.forEach(function (key) {
        var field = value[key];
        if (typeof field === "object") field = JSON.stringify(field);
        html += '<tr><td class="key">' + escape(key) + '</td><td class="value">';
        html += escape(field) + "</td></tr>";
      });
      html += "</table>";
    }
    return html;
  }

  // The phone layout shows (by a container query in the stylesheet) when the chart's box is
  // narrower than data-sb-narrow-below; the live view draws the layout that shows.
  function wantsNarrow(holder) {
    var below = parseFloat(holder.getAttribute("data-sb-narrow-below") || "0");
    return below > 0 && holder.clientWidth < below;
  }

  function enhance(holder) {
    var narrow = wantsNarrow(holder);
    var url = holder.getAttribute(narrow ? "data-sb-spec-narrow" : "data-sb-spec");
    var still = holder.querySelector(narrow ? ".sb-static--narrow" : ".sb-static--wide");
    if (!url || !still) {
      holder.setAttribute("data-sb-state", "static"); // no live spec for the layout shown
      return Promise.resolve();
    }
    holder.sbNarrow = narrow;
    holder.setAttribute("data-sb-state", "loading");
    var live = document.createElement("div");
    live.className = "sb-live";
    return Promise.all([loadRuntime(), loadSpec(url)])
      .then(function (loaded) {
        holder.appendChild(live);
        // Made to run under a strict Content-Security-Policy: expressions are interpreted
        // (no eval or new Function), and no <style> element is injected (the stylesheet has
        // the rules for the live view and its tooltips). The spec is Vega, compiled at build
        // time: no Vega-Lite in the browser.
        holder.sbBound = boundSignals(loaded[1]);
        return loaded[0](live, loaded[1], {
          mode: "vega",
          renderer: "svg",
          actions: false,
          ast: true,
          defaultStyle: false,
          tooltip: {
            disableDefaultStyle: true, // styled by the page's palette (the stylesheet)
            formatTooltip: tooltipHtml,
          },
        });
      })
      .then(function (result) {
        guardLinks(result.view);
        tooltipsOnTap(live);
        holder.sbView = result.view;
        restoreBound(holder, result.view);
        var svg = live.querySelector("svg");
        // One image with one name: the static chart's name and description (its SVG, or the
        // image that stands in for an SVG over budget) also describe the live one; the
        // renderer's roles for each mark are dropped, as in the static one.
        live.removeAttribute("role");
        if (svg) {
          Array.prototype.forEach.call(svg.querySelectorAll("[role]"), function (el) {
            el.removeAttribute("role");
            el.removeAttribute("aria-roledescription");
            el.removeAttribute("aria-label");
          });
          svg.setAttribute("role", "img");
          svg.setAttribute("aria-labelledby", still.getAttribute("aria-labelledby"));
          svg.setAttribute("aria-describedby", still.getAttribute("aria-describedby"));
          // The box of the static chart, so the swap moves nothing: same size, same limits.
          svg.setAttribute("width", still.getAttribute("width"));
          svg.setAttribute("height", still.getAttribute("height"));
          Array.prototype.forEach.call(still.classList, function (name) {
            if (name.indexOf("sb-min-") === 0) svg.classList.add(name); // its smallest width
          });
        }
        holder.setAttribute("data-sb-state", "interactive");
        if (resizer) resizer.observe(holder);
      })
      .catch(function () {
        if (live.parentNode) live.parentNode.removeChild(live);
        holder.setAttribute("data-sb-state", "static");
      });
  }

  // The values a reader set with a chart's controls (sliders, boxes, menus) survive the
  // swap to the other layout: both have the same parameters, by name.
  function boundSignals(spec) {
    return (spec.signals || [])
      .filter(function (signal) {
        return signal && signal.bind;
      })
      .map(function (signal) {
        return signal.name;
      });
  }

  function keptBound(holder, view) {
    var kept = {};
    (holder.sbBound || []).forEach(function (name) {
      try {
        kept[name] = view.signal(name);
      } catch (e) {
        /* not in this layout */
      }
    });
    return kept;
  }

  function restoreBound(holder, view) {
    var kept = holder.sbKept;
    holder.sbKept = null;
    if (!kept) return;
    var set = false;
    (holder.sbBound || []).forEach(function (name) {
      if (!(name in kept)) return;
      try {
        view.signal(name, kept[name]);
        set = true;
      } catch (e) {
        /* not in this layout */
      }
    });
    if (set) view.runAsync();
  }

  // A box that crosses its breakpoint (a phone turned, a window resized) gets the other layout.
  var resizer =
    "ResizeObserver" in window
      ? new ResizeObserver(function (entries) {
          entries.forEach(function (entry) {
            var holder = entry.target;
            // A page that instant navigation replaced: its charts are gone, not narrower.
            if (!holder.isConnected) return resizer.unobserve(holder);
            if (holder.getAttribute("data-sb-state") !== "interactive") return;
            if (wantsNarrow(holder) === holder.sbNarrow) return;
            resizer.unobserve(holder);
            if (holder.sbView) {
              holder.sbKept = keptBound(holder, holder.sbView);
              if (tapped && holder.contains(tapped)) hideTapped(null);
              holder.sbView.finalize();
            }
            var live = holder.querySelector(".sb-live");
            if (live) live.parentNode.removeChild(live);
            holder.removeAttribute("data-sb-state");
            enhance(holder);
          });
        })
      : null;

  // Charts in view, waiting for the reader to reach for one; once the runtime has run, every
  // chart that comes into view goes live by itself.
  var inView = [];
  var wanted = false;
  // Charts to go live, one at a time: each view is built in one long task (parsing its spec,
  // running its dataflow, drawing), so the browser gets the chance to answer the reader
  // between two of them.
  var queue = [];
  var busy = false;

  function goLive(first) {
    var waiting = inView;
    inView = [];
    if (first && waiting.indexOf(first) > 0) {
      waiting.splice(waiting.indexOf(first), 1);
      waiting.unshift(first); // the chart reached for before the others
    }
    waiting.forEach(function (holder) {
      if (queue.indexOf(holder) < 0) queue.push(holder);
    });
    next();
  }

  function next() {
    if (busy) return;
    while (queue.length) {
      var holder = queue.shift();
      // Gone (instant navigation), scrolled away (it comes back through the observer) or
      // already done.
      if (!holder.isConnected || !holder.sbNear || holder.getAttribute("data-sb-state")) continue;
      busy = true;
      enhance(holder).then(function () {
        busy = false;
        idle(next, { timeout: 1000 });
      });
      return;
    }
  }

  function reach(event) {
    if (wanted) return;
    wanted = true;
    var target = event && event.currentTarget;
    var holder =
      target && target.matches && target.matches(".sb-figure__chart")
        ? target
        : target && target.querySelector && target.querySelector(".sb-figure__chart");
    goLive(holder);
  }

  var observer =
    "IntersectionObserver" in window && "fetch" in window
      ? new IntersectionObserver(
          function (entries) {
            entries.forEach(function (entry) {
              var holder = entry.target;
              var at = inView.indexOf(holder);
              holder.sbNear = entry.isIntersecting;
              if (entry.isIntersecting && at < 0) inView.push(holder);
              else if (!entry.isIntersecting && at >= 0) inView.splice(at, 1);
            });
            if (inView.length) whenIdle(); // a chart is near: its runtime may soon be wanted
            if (wanted) goLive();
          },
          { rootMargin: "100px 0px" }
        )
      : null;

  // The runtime's file is fetched (not run) once a chart comes near the view and the browser
  // has nothing else to do: reaching for a chart then waits for its script to run, not for
  // the network, and a reader who never scrolls to a chart never downloads it.
  var prefetched = false;
  function prefetch() {
    if (prefetched || !document.querySelector(".sb-figure__chart[data-sb-spec]")) return;
    if (navigator.connection && navigator.connection.saveData) return; // the reader saves data
    prefetched = true;
    var link = document.createElement("link");
    link.rel = "prefetch";
    link.as = "script";
    link.href = new URL(RUNTIME, base).href;
    document.head.appendChild(link);
  }
  var idle =
    window.requestIdleCallback ||
    function (f) {
      return setTimeout(f, 50);
    };
  // Not while the page loads: the file would take the network from the page's own files.
  function whenIdle() {
    if (document.readyState === "complete") idle(prefetch, { timeout: 5000 });
    else window.addEventListener("load", whenIdle, { once: true });
  }

  function watch() {
    var charts = document.querySelectorAll(".sb-figure__chart[data-sb-spec]:not([data-sb-state])");
    Array.prototype.forEach.call(charts, function (el) {
      if (!observer) return; // older browsers keep the static charts
      observer.observe(el);
      var figure = el.closest("figure") || el;
      ["pointerenter", "pointerdown", "touchstart"].forEach(function (name) {
        el.addEventListener(name, reach, { passive: true, once: true });
      });
      figure.addEventListener("focusin", reach, { once: true });
    });
    Array.prototype.forEach.call(document.querySelectorAll("a[data-sb-png]"), offerPng);
  }

  // The PNG: the figure's download image (an SVG with title, notes and sources, on white)
  // drawn at twice its size. Its link is kept invisible until this script can draw it.
  var PNG_SCALE = 2;

  function offerPng(link) {
    if (link.sbPng || !("toBlob" in HTMLCanvasElement.prototype)) return;
    link.sbPng = true;
    link.addEventListener("click", function (event) {
      event.preventDefault();
      drawPng(link.href).then(
        function (blob) {
          save(blob, link.getAttribute("data-sb-png"));
        },
        function () {
          location.href = link.href; // the SVG, then
        }
      );
    });
    link.parentNode.classList.add("sb-figure__png--ready");
  }

  function drawPng(url) {
    return new Promise(function (resolve, reject) {
      var image = new Image();
      image.onload = function () {
        var canvas = document.createElement("canvas");
        canvas.width = Math.round(image.naturalWidth * PNG_SCALE);
        canvas.height = Math.round(image.naturalHeight * PNG_SCALE);
        var context = canvas.getContext("2d");
        context.fillStyle = "#ffffff";
        context.fillRect(0, 0, canvas.width, canvas.height);
        context.drawImage(image, 0, 0, canvas.width, canvas.height);
        canvas.toBlob(function (blob) {
          if (blob) resolve(blob);
          else reject(new Error("no PNG"));
        }, "image/png");
      };
      image.onerror = reject;
      image.src = url;
    });
  }

  function save(blob, name) {
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = name;
    document.body.appendChild(link);
    link.click();
    document.body.removeChild(link);
    setTimeout(function () {
      URL.revokeObjectURL(link.href);
    }, 10000);
  }

  // An embed page tells the page that frames it how tall it is, so the iframe fits.
  function reportHeight() {
    parent.postMessage(
      { sbEmbedHeight: document.documentElement.scrollHeight, sbEmbed: location.pathname },
      "*"
    );
  }
  if (document.body && document.body.classList.contains("sb-embed") && parent !== window) {
    if ("ResizeObserver" in window) new ResizeObserver(reportHeight).observe(document.body);
    reportHeight();
  }

  // Material's instant navigation swaps pages without reloading scripts: it announces each
  // new page on document$.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(watch);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", watch);
  } else {
    watch();
  }
})();
