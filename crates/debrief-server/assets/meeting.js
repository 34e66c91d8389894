// The review meeting's room, live: the page's lists (`data-live`) follow the meeting's
// server-sent events, so every participant sees each change within a second, on any
// instance. Only the lists are replaced, never the forms, so what is being typed stays; a
// dropped connection reconnects by itself and, with the last change it saw, misses nothing.
(function () {
  "use strict";
  var room = document.getElementById("room");
  if (!room || !window.EventSource) {
    return;
  }
  var id = room.getAttribute("data-postmortem");
  var last = room.getAttribute("data-last") || "0";
  var refreshing = false;
  var again = false;

  // Reads the page again and puts its lists in place of these.
  function refresh() {
    if (refreshing) {
      again = true;
      return;
    }
    refreshing = true;
    fetch("/postmortems/" + id + "/meeting", { credentials: "same-origin" })
      .then(function (answer) { return answer.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html");
        document.querySelectorAll("[data-live]").forEach(function (old) {
          var name = old.getAttribute("data-live");
          var replacement = fresh.querySelector('[data-live="' + name + '"]');
          if (replacement) {
            old.innerHTML = replacement.innerHTML;
          }
        });
      })
      .catch(function () {})
      .then(function () {
        refreshing = false;
        if (again) {
          again = false;
          refresh();
        }
      });
  }

  // The part under way's time box, counting: minutes and seconds used of those it has,
  // marked once it runs over. The server's text stays for whoever has no script.
  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }
  function tick() {
    var clock = document.getElementById("clock");
    if (!clock) {
      return;
    }
    var since = Number(clock.getAttribute("data-since"));
    var minutes = Number(clock.getAttribute("data-minutes"));
    var used = Math.max(0, Math.floor(Date.now() / 1000) - since);
    var over = used > minutes * 60;
    clock.textContent = Math.floor(used / 60) + ":" + pad(used % 60) + " of " + minutes +
      ":00" + (over ? ", over its time: enough, let's move on?" : "");
    clock.className = over ? "over" : "";
  }
  tick();
  window.setInterval(tick, 1000);

  var stream = new EventSource("/api/v1/postmortems/" + id + "/meeting/live?after=" + last);
  stream.addEventListener("change", function (event) {
    room.setAttribute("data-last", event.lastEventId);
    var change = JSON.parse(event.data);
    if (change.change && change.change.kind === "end") {
      stream.close();
      window.location.reload();
      return;
    }
    refresh();
  });
})();
