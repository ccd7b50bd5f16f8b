// The live preview's reload (`site-builder serve` adds it to each page it serves, in place of
// MkDocs' own). When a rebuild ends, the page's content is fetched and swapped in, as
// Material's instant navigation swaps pages: the stylesheets and scripts stay, parsed and
// run already, which is most of what a whole reload costs. The page reloads whole instead
// when a stylesheet or script changed (`shell` names what they hold), without Material's
// instant navigation, or when anything goes wrong.
(function (epoch, requestId, shell) {
  "use strict";
  // Replaced as instant navigation replaces them; the container holds the page's content.
  var PARTS = [
    "title",
    "meta[name=description]",
    "[data-md-component=announce]",
    "[data-md-component=container]",
    "[data-md-component=header-topic]",
    "[data-md-component=outdated]",
    "[data-md-component=skip]",
  ];
  var req, timeout;
  var named = loads(document); // this script runs as the page is parsed

  function instant() {
    try {
      var config = JSON.parse(document.getElementById("__config").textContent);
      return (
        config.features.indexOf("navigation.instant") >= 0 &&
        !!window.document$ &&
        typeof window.document$.next === "function"
      );
    } catch (e) {
      return false;
    }
  }

  // The stylesheets and scripts a page names (mkdocs.yml may have named a new one), as
  // served: the page's own scripts add others (the chart runtime).
  function loads(doc) {
    var found = [];
    doc.querySelectorAll("link[rel=stylesheet], script[src]").forEach(function (el) {
      // Absolute: Material makes its own links so in the page it runs in.
      found.push(new URL(el.getAttribute("href") || el.getAttribute("src"), location.href).href);
    });
    return found.join(" ");
  }

  function swapIn(html) {
    var next = new DOMParser().parseFromString(html, "text/html");
    var mark = next.querySelector("script[data-sb-shell]");
    if (!mark || mark.getAttribute("data-sb-shell") !== shell) return false;
    if (loads(next) !== named) return false;
    var container = "[data-md-component=container]";
    if (!document.querySelector(container) || !next.querySelector(container)) return false;
    PARTS.forEach(function (selector) {
      var old = document.querySelector(selector);
      var fresh = next.querySelector(selector);
      if (old && fresh) old.replaceWith(document.adoptNode(fresh));
    });
    // Scripts a page's Markdown holds run again, as they do after instant navigation.
    document.querySelectorAll(container + " script").forEach(function (old) {
      var script = document.createElement("script");
      old.getAttributeNames().forEach(function (name) {
        script.setAttribute(name, old.getAttribute(name));
      });
      script.textContent = old.textContent;
      old.replaceWith(script);
    });
    window.document$.next(document);
    return true;
  }

  function refresh(now) {
    if (!instant()) {
      location.reload();
      return;
    }
    fetch(location.href, { cache: "no-store" })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.text();
      })
      .then(function (html) {
        if (!swapIn(html)) {
          location.reload();
          return;
        }
        epoch = now;
        poll();
      })
      .catch(function () {
        location.reload();
      });
  }

  function poll() {
    req = new XMLHttpRequest();
    req.onloadend = function () {
      var now = parseFloat(this.responseText);
      if (now > epoch) {
        refresh(now);
      } else {
        timeout = setTimeout(poll, this.status === 200 ? 0 : 3000);
      }
    };
    req.open("GET", "/livereload/" + epoch + "/" + requestId);
    req.send();
  }

  function stop() {
    if (req) req.abort();
    if (timeout) clearTimeout(timeout);
    req = timeout = undefined;
  }

  window.addEventListener("load", function () {
    if (document.visibilityState === "visible") poll();
  });
  window.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") {
      poll();
    } else {
      stop();
    }
  });
  window.addEventListener("beforeunload", stop);
})(__EPOCH__, __REQUEST__, "__SHELL__");
