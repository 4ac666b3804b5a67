// Kiln dashboard: keeps the "12 s ago" and "in 8 s" texts current between polls, using the server's
// clock (body data-now) so a skewed browser clock does not show wrong countdowns.
(function () {
  "use strict";
  var serverNow = Date.parse(document.body.getAttribute("data-now") || "");
  var skew = isNaN(serverNow) ? 0 : serverNow - Date.now();

  function span(ms) {
    var s = Math.max(0, Math.round(Math.abs(ms) / 1000));
    if (s < 60) return s + " s";
    if (s < 3600) return Math.floor(s / 60) + " min";
    if (s < 86400) {
      var m = Math.floor((s % 3600) / 60);
      return Math.floor(s / 3600) + " h" + (m ? " " + m + " min" : "");
    }
    return Math.floor(s / 86400) + " d";
  }

  function tick() {
    var now = Date.now() + skew;
    document.querySelectorAll("time.ago").forEach(function (el) {
      el.textContent = span(now - Date.parse(el.getAttribute("datetime"))) + " ago";
    });
    document.querySelectorAll("time.countdown").forEach(function (el) {
      var left = Date.parse(el.getAttribute("datetime")) - now;
      el.textContent = left > 0 ? "in " + span(left) : "due";
    });
  }

  // A fragment carries the server's time too: re-sync after each swap.
  document.body.addEventListener("htmx:afterSwap", function (event) {
    var date = event.detail.xhr && Date.parse(event.detail.xhr.getResponseHeader("Date") || "");
    if (date && !isNaN(date)) skew = date - Date.now();
    tick();
  });
  // What a re-initialization did is said to screen readers too.
  document.body.addEventListener("htmx:afterSettle", function (event) {
    var note = event.detail.elt && event.detail.elt.querySelector && event.detail.elt.querySelector(".note");
    var announce = document.getElementById("announce");
    if (note && announce) announce.textContent = note.textContent;
  });
  setInterval(tick, 1000);
  tick();
})();
