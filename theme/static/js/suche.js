// Starts the Pagefind UI on /suche/ and runs the query from ?q= (the header form).
(function () {
  var el = document.getElementById("suche");
  if (!el || typeof PagefindUI === "undefined") return;
  var ui = new PagefindUI({
    element: "#suche",
    bundlePath: el.getAttribute("data-bundle"),
    showSubResults: true,
    showImages: false,
    resetStyles: false,
    translations: { placeholder: "Blog durchsuchen", zero_results: "Keine Treffer für [SEARCH_TERM]" }
  });
  var q = new URLSearchParams(window.location.search).get("q");
  if (q) ui.triggerSearch(q);
})();
