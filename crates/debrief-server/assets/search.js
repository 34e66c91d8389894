// Search as you type on the list of postmortems: a moment after the last change to the
// search or a filter, the results are fetched (the same page, `fragment=1`: the results
// alone, rendered and escaped by the server) and put in place, and the address follows, so
// that reloading or sharing it shows the same list. Without this script the form's Filter
// button does the same.
"use strict";
(function () {
  const form = document.querySelector("form.filters[role=search]");
  const results = document.getElementById("results");
  if (!form || !results) return;
  let timer = null;
  let asked = 0;

  async function refresh() {
    const mine = ++asked;
    const query = new URLSearchParams(new FormData(form));
    for (const [name, value] of Array.from(query.entries())) {
      if (value === "") query.delete(name);
    }
    const address = form.action + (query.toString() ? "?" + query.toString() : "");
    query.set("fragment", "1");
    try {
      const answer = await fetch(form.action + "?" + query.toString(), { credentials: "same-origin" });
      if (mine !== asked || !answer.ok) return;
      results.innerHTML = await answer.text();
      history.replaceState(null, "", address);
    } catch (error) {
      // The Filter button still works.
    }
  }

  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 300);
  });
})();
