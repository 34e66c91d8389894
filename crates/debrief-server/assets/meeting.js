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
            // A list to choose from keeps what was chosen, if it is still there.
            var chosen = old.tagName === "SELECT" ? old.value : null;
            old.innerHTML = replacement.innerHTML;
            if (chosen !== null && old.querySelector('option[value="' + chosen + '"]')) {
              old.value = chosen;
            }
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

  // Notes and drafted action items are judged as they are typed, by the same rules the
  // meeting applies when they are sent: a wish is explained before it is sent, and the
  // scribe sees when a note will bring the facilitator a redirect (the note itself is
  // kept word for word). Nothing is written until the form is sent.
  function change(field) {
    var kind = field.getAttribute("data-check");
    if (kind === "note") {
      var about = document.getElementById("note-about");
      return { kind: "note", about: about ? about.value : "", text: field.value };
    }
    return { kind: kind, text: field.value };
  }
  function show(field, verdict) {
    var out = document.getElementById(field.getAttribute("aria-describedby"));
    if (!out) {
      return;
    }
    var text = "";
    var className = "check";
    if (!verdict) {
      text = "";
    } else if (!verdict.taken) {
      text = "Not yet: " + verdict.reasons.join("; ");
      className = "check refusal";
    } else if (verdict.prompts.length) {
      text = "Kept word for word; the facilitator will be offered a redirect: " +
        verdict.prompts[0];
      className = "check redirect";
    } else if (field.getAttribute("data-check") === "draft") {
      text = "Specific, owned and dated: ready to add.";
      className = "check ready";
    }
    out.textContent = text;
    out.className = className;
  }
  document.querySelectorAll("[data-check]").forEach(function (field) {
    var timer = null;
    var asked = 0;
    field.addEventListener("input", function () {
      window.clearTimeout(timer);
      if (!field.value.trim()) {
        show(field, null);
        return;
      }
      timer = window.setTimeout(function () {
        var mine = ++asked;
        fetch("/api/v1/postmortems/" + id + "/meeting/check", {
          method: "POST",
          credentials: "same-origin",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(change(field))
        })
          .then(function (answer) { return answer.ok ? answer.json() : null; })
          .then(function (verdict) {
            // An answer to an older text does not replace a newer one's.
            if (mine === asked && verdict) {
              show(field, verdict);
            }
          })
          .catch(function () {});
      }, 300);
    });
  });

  var stream = new EventSource("/api/v1/postmortems/" + id + "/meeting/live?after=" + last);
  stream.addEventListener("change", function (event) {
    room.setAttribute("data-last", event.lastEventId);
    var change = JSON.parse(event.data);
    var kind = change.change && change.change.kind;
    // The start and the end change the whole page: the room opens, or gives way to its
    // record. Nothing is being typed in a room that is not running.
    if (kind === "end" || (kind === "start" && room.hasAttribute("data-scheduled"))) {
      stream.close();
      // The room's own address: the page may be the answer to a form that was refused.
      window.location.assign("/postmortems/" + id + "/meeting");
      return;
    }
    refresh();
  });
})();
