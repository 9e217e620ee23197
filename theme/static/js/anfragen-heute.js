// "heute: N Tage" beside an open question's printed figure. The printed figure counts to
// the question's Stand and stays as it is (same sources, same bytes); this line only adds
// today's count in the reader's browser. Without JS nothing is missing.
(function () {
  "use strict";
  var DAY = 24 * 60 * 60 * 1000;
  var now = new Date();
  var today = Date.UTC(now.getFullYear(), now.getMonth(), now.getDate());
  var lines = document.querySelectorAll("[data-anfrage-seit]");
  for (var i = 0; i < lines.length; i++) {
    var parts = lines[i].getAttribute("data-anfrage-seit").split("-");
    var since = Date.UTC(+parts[0], +parts[1] - 1, +parts[2]);
    var days = Math.round((today - since) / DAY);
    if (!(days >= 0)) continue;
    lines[i].textContent = "Heute: " + (days === 1 ? "1 Tag" : days + " Tage") + " seit der Anfrage.";
    lines[i].hidden = false;
  }
})();
