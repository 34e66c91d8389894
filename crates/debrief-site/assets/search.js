// Search every postmortem in the browser: search.json holds each one's facts and words.
(function () {
  var input = document.getElementById("search");
  var results = document.getElementById("results");
  if (!input || !results) return;
  var entries = null;
  function load() {
    if (entries) return Promise.resolve(entries);
    return fetch("search.json").then(function (r) { return r.json(); }).then(function (data) {
      entries = data.map(function (e) {
        e.haystack = [e.title, e.date || "", e.severity || "", e.services.join(" "), e.tags.join(" "), e.text]
          .join(" ").toLowerCase();
        return e;
      });
      return entries;
    });
  }
  function show(found) {
    results.textContent = "";
    found.slice(0, 50).forEach(function (e) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = e.url;
      link.textContent = e.title;
      item.appendChild(link);
      if (e.date) item.appendChild(document.createTextNode(" (" + e.date + ")"));
      if (e.draft) item.appendChild(document.createTextNode(" [draft]"));
      results.appendChild(item);
    });
    if (found.length === 0) {
      var none = document.createElement("li");
      none.textContent = "No postmortem matches.";
      results.appendChild(none);
    }
    results.hidden = false;
  }
  input.addEventListener("input", function () {
    var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    if (words.length === 0) { results.hidden = true; return; }
    load().then(function (all) {
      show(all.filter(function (e) {
        return words.every(function (w) { return e.haystack.indexOf(w) !== -1; });
      }));
    });
  });
})();
