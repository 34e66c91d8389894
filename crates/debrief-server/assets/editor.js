// The editor's live lint: while the Markdown is typed, the blameless linter checks it (a
// second after the last keystroke) through POST /api/v1/lint, and its findings are listed
// under the text; choosing one selects its words in the text. Without this script the
// editor works the same, without the live list.
"use strict";
(function () {
  const area = document.getElementById("markdown");
  const list = document.getElementById("live-findings");
  const status = document.getElementById("live-status");
  if (!area || !list || !status) return;
  let timer = null;
  let asked = 0;

  // The offset in the text of a line and a column (both from 1, columns in characters).
  function offset(text, line, column) {
    let at = 0;
    for (let l = 1; l < line; l++) {
      const next = text.indexOf("\n", at);
      if (next < 0) return text.length;
      at = next + 1;
    }
    return Math.min(at + column - 1, text.length);
  }

  function show(findings) {
    list.replaceChildren();
    status.textContent = findings.length === 0
      ? "No findings: blameless, and every action item is concrete."
      : findings.length + (findings.length === 1 ? " finding" : " findings") + " as you write:";
    for (const finding of findings) {
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "link";
      button.textContent = "line " + finding.line + ": " + finding.message;
      button.addEventListener("click", function () {
        const text = area.value;
        area.focus();
        area.setSelectionRange(
          offset(text, finding.line, finding.column),
          offset(text, finding.end_line, finding.end_column)
        );
      });
      const rule = document.createElement("span");
      rule.className = "rule";
      rule.textContent = " " + finding.rule;
      item.append(button, rule);
      if (finding.suggestion) {
        const suggestion = document.createElement("span");
        suggestion.className = "suggestion";
        suggestion.textContent = " " + finding.suggestion;
        item.append(suggestion);
      }
      list.append(item);
    }
  }

  async function check() {
    const mine = ++asked;
    try {
      const answer = await fetch("/api/v1/lint", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        credentials: "same-origin",
        body: JSON.stringify({ markdown: area.value }),
      });
      if (mine !== asked) return; // A later check is on its way.
      if (!answer.ok) {
        status.textContent = "The live check is not available (" + answer.status + ").";
        return;
      }
      show((await answer.json()).diagnostics);
    } catch (error) {
      if (mine === asked) status.textContent = "The live check cannot reach the server.";
    }
  }

  area.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(check, 1000);
  });
  check();
})();
