// Progressive enhancement for OZG tables: click a column header to sort,
// type into the box above a table to filter rows. Without JS the full table is there.
(function () {
  "use strict";
  function cellValue(row, index) {
    var cell = row.children[index];
    if (!cell) return "";
    var marked = cell.querySelector("[data-sort]");
    if (marked) return marked.getAttribute("data-sort");
    var time = cell.querySelector("time");
    if (time) return time.getAttribute("datetime");
    return cell.textContent.trim();
  }
  function compare(a, b) {
    var na = parseFloat(a), nb = parseFloat(b);
    if (!isNaN(na) && !isNaN(nb) && String(na) === a.replace(/^0+(?=\d)/, "") ) return na - nb;
    if (a === "" || a === "–") return 1;
    if (b === "" || b === "–") return -1;
    return a.localeCompare(b, "de", { numeric: true });
  }
  function enhance(table) {
    var body = table.tBodies[0];
    if (!body || body.rows.length < 2 || !table.tHead) return;
    var headers = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(headers, function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(headers, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (r1, r2) {
          var result = compare(cellValue(r1, index), cellValue(r2, index));
          return ascending ? result : -result;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
    var label = document.createElement("label");
    label.className = "ozg-filter";
    label.textContent = "Tabelle filtern: ";
    var input = document.createElement("input");
    input.type = "search";
    input.setAttribute("aria-controls", table.id);
    var status = document.createElement("span");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    label.appendChild(input);
    label.appendChild(status);
    input.addEventListener("input", function () {
      var needle = input.value.trim().toLowerCase();
      var shown = 0;
      Array.prototype.forEach.call(body.rows, function (row) {
        var match = !needle || row.textContent.toLowerCase().indexOf(needle) !== -1;
        row.hidden = !match;
        if (match) shown += 1;
      });
      status.textContent = shown + " Zeilen angezeigt";
    });
    var wrap = table.parentNode;
    wrap.parentNode.insertBefore(label, wrap);
  }
  // A status table folds its rows into grids in a narrow column (wachhund.css); Chromium then
  // no longer reads it as a table. Explicit roles keep rows, headers and cells announced as such.
  function keepRoles(table) {
    var roles = { THEAD: "rowgroup", TBODY: "rowgroup", TFOOT: "rowgroup", TR: "row", TD: "cell" };
    table.setAttribute("role", "table");
    Array.prototype.forEach.call(table.querySelectorAll("thead, tbody, tfoot, tr, th, td"), function (el) {
      var role = el.tagName === "TH" ? (el.getAttribute("scope") === "row" ? "rowheader" : "columnheader") : roles[el.tagName];
      el.setAttribute("role", role);
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll("table.ozg-table[id]"), enhance);
  Array.prototype.forEach.call(document.querySelectorAll("table[data-kommune]"), keepRoles);
})();
