/* site-builder: moving between editions (languages) of a story.
   Each edition's pages carry Material's words in that language and a lang attribute, which
   instant navigation does not replace: a link into another edition loads the page whole.
   The language selector in the header goes to this page in the chosen edition: the links
   at the top of the article (class sb-editions) say where that is; a page without them
   goes to the edition's home page. */
(function () {
  "use strict";

  function edition(link) {
    return link.getAttribute("hreflang");
  }

  function target(link) {
    var lang = edition(link);
    var here = document.querySelector('.sb-editions a[hreflang="' + lang + '"]');
    return here ? here.href : link.href;
  }

  // Capture phase: before Material's own handlers (instant navigation, its selector).
  document.addEventListener(
    "click",
    function (event) {
      if (event.defaultPrevented || event.button !== 0) return;
      if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      var link = event.target instanceof Element ? event.target.closest("a[hreflang]") : null;
      if (!link || link.target) return;
      if (edition(link) === document.documentElement.lang) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      location.assign(target(link));
    },
    true
  );
})();
