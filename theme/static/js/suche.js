// Starts the Pagefind UI on /suche/ and runs the query from ?q= (the header form).
(function () {
  var el = document.getElementById("suche");
  if (!el || typeof PagefindUI === "undefined") return;
  // A large blog is indexed in several bundles (one per group of years); search them all.
  var merge = (el.getAttribute("data-merge") || "").split(" ").filter(Boolean)
    .map(function (path) { return { bundlePath: path }; });
  var ui = new PagefindUI({
    element: "#suche",
    bundlePath: el.getAttribute("data-bundle"),
    mergeIndex: merge,
    showSubResults: true,
    showImages: false,
    resetStyles: false,
    translations: { placeholder: "Blog durchsuchen", zero_results: "Keine Treffer für [SEARCH_TERM]" }
  });
  var q = new URLSearchParams(window.location.search).get("q");
  if (q) ui.triggerSearch(q);
})();
