// `make serve` only (the dev server adds this script to the HTML it serves; the
// built site never contains it): reload the page after a successful rebuild,
// show a failed build's error in the page, and return to the site once fixed.
// A build that left this page as it was does not reload it (the author may be
// reading further down): the dev server tags each page it serves with a hash
// of its bytes, here and in a response header, to compare.
(function () {
  "use strict";
  var seen = null;
  var opened = document.currentScript.getAttribute("data-version");
  var source = new EventSource("/__wachhund/events");

  function reloadIfChanged() {
    if (document.getElementById("wachhund-build-error")) { window.location.reload(); return; }
    fetch(window.location.href, {method: "HEAD", cache: "no-store"}).then(function (response) {
      if (response.headers.get("X-Wachhund-Version") !== opened) { window.location.reload(); return; }
      document.documentElement.setAttribute("data-wachhund-build", String(seen));  // checked, unchanged
    }, function () { window.location.reload(); });
  }

  function showError(text) {
    var box = document.getElementById("wachhund-build-error");
    if (!box) {
      box = document.createElement("section");
      box.id = "wachhund-build-error";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:1.5rem;" +
        "background:#fff4d6;color:#3d2700;font:16px/1.5 system-ui,sans-serif;border:6px solid #9b1c1c";
      var heading = document.createElement("h2");
      heading.textContent = "Build fehlgeschlagen";
      var hint = document.createElement("p");
      hint.textContent = "Die Website zeigt noch die letzte fehlerfreie Fassung. Sobald der Fehler behoben " +
        "und die Datei gespeichert ist, lädt diese Seite von selbst neu.";
      var pre = document.createElement("pre");
      pre.style.cssText = "white-space:pre-wrap;font:15px/1.4 ui-monospace,monospace;background:#fff;padding:1rem";
      box.appendChild(heading);
      box.appendChild(hint);
      box.appendChild(pre);
      document.body.appendChild(box);
    }
    box.querySelector("pre").textContent = text;
  }

  source.onmessage = function (event) {
    var state = JSON.parse(event.data);
    if (seen === null) {  // the state when this page was opened
      seen = state.build;
      if (!state.ok) { showError(state.error); }
      return;
    }
    if (state.build === seen) { return; }
    seen = state.build;
    if (state.ok) { reloadIfChanged(); } else { showError(state.error); }
  };
})();
