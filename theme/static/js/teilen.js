// Share on Mastodon: the reader names their instance, the script opens its share page.
// A form cannot do it (the CSP allows forms to post only to this site); nothing is stored.
(function () {
  "use strict";
  var HOST = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+(:[0-9]{1,5})?$/i;
  var button = document.querySelector(".share-mastodon");
  var form = document.getElementById("mastodon-teilen");
  if (!button || !form) return;
  var input = form.querySelector("input");
  var error = form.querySelector(".share-error");
  button.hidden = false;
  button.addEventListener("click", function () {
    form.hidden = !form.hidden;
    button.setAttribute("aria-expanded", String(!form.hidden));
    if (!form.hidden) input.focus();
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    // "https://social.example/@name" or "@name@social.example" → "social.example"
    var host = input.value.trim().replace(/^https?:\/\//i, "").replace(/^@?[^@\/]*@/, "").split("/")[0];
    if (!HOST.test(host)) {
      error.textContent = "Bitte den Namen Ihrer Instanz eingeben, z. B. mastodon.social.";
      return;
    }
    error.textContent = "";
    window.location.assign("https://" + host + "/share?text=" + encodeURIComponent(form.getAttribute("data-text")));
  });
})();
