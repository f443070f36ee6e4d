// Small progressive enhancements; every page works without this file.
// No inline handlers anywhere: the Content-Security-Policy forbids them.
(function () {
  "use strict";
  // Bring the highlighted evidence span into view and give it focus, so a
  // reader following a source link lands on the sentence.
  function focusSpan() {
    var id = decodeURIComponent(location.hash.slice(1));
    if (id.indexOf("span-") !== 0) return;
    var anchor = document.getElementById(id);
    if (!anchor) return;
    var mark = anchor.nextElementSibling;
    var target = mark && mark.tagName === "MARK" ? mark : anchor;
    target.setAttribute("tabindex", "-1");
    target.classList.add("focus");
    target.scrollIntoView({ block: "center" });
    target.focus({ preventScroll: true });
  }
  document.addEventListener("DOMContentLoaded", focusSpan);
  window.addEventListener("hashchange", focusSpan);
})();
