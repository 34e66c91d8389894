// The editor, with JavaScript: while the Markdown is typed, the blameless linter checks it (a
// second after the last keystroke, through POST /api/v1/lint); its findings are marked in
// the text (a layer behind the transparent text area, kept aligned with it) and listed
// beside it, each with its rule's explanation and, where the rule has one, a safe fix. The
// preview follows the text (POST /postmortems/{id}/preview?fragment=1, the article the
// server renders and sanitises). What is typed is kept in this browser (localStorage) until
// it is saved, so that a closed tab or a failed save loses nothing. Without this script the
// editor works the same, with a Preview button and no live list.
"use strict";
(function () {
  const form = document.getElementById("editor");
  const area = document.getElementById("markdown");
  const marks = document.getElementById("marks");
  const list = document.getElementById("live-findings");
  const status = document.getElementById("live-status");
  const preview = document.getElementById("preview");
  const draftStatus = document.getElementById("draft-status");
  const rules = document.getElementById("rules");
  if (!form || !area || !marks || !list || !status) return;
  const postmortem = form.dataset.postmortem;
  const version = Number(form.dataset.version);
  const draftKey = "debrief-draft-" + postmortem;
  let timer = null;
  let asked = 0;
  let previewAsked = 0;
  let findings = [];

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

  function range(text, place) {
    const start = offset(text, place.line, place.column);
    const end = Math.max(start, offset(text, place.end_line, place.end_column));
    return [start, end];
  }

  // The marks: the text again, invisible, with each finding's words underlined. The layer
  // scrolls with the text area and wraps as it does.
  function drawMarks() {
    const text = area.value;
    const spans = findings
      .map((f) => range(text, f).concat([f.severity]))
      .filter((r) => r[1] > r[0])
      .sort((a, b) => a[0] - b[0]);
    marks.replaceChildren();
    let at = 0;
    for (const [start, end, severity] of spans) {
      if (start < at) continue; // Overlapping findings: the first one is marked.
      marks.append(document.createTextNode(text.slice(at, start)));
      const mark = document.createElement("mark");
      mark.className = severity;
      mark.textContent = text.slice(start, end);
      marks.append(mark);
      at = end;
    }
    // A last line end needs something after it to take up its line.
    marks.append(document.createTextNode(text.slice(at) + "\n"));
    marks.scrollTop = area.scrollTop;
  }

  function select(place) {
    const [start, end] = range(area.value, place);
    area.focus();
    area.setSelectionRange(start, end);
  }

  function explanation(rule) {
    if (!rules) return null;
    for (const term of rules.querySelectorAll("dt")) {
      if (term.textContent !== rule) continue;
      const text = term.nextElementSibling;
      const details = document.createElement("details");
      const summary = document.createElement("summary");
      summary.textContent = "Why: " + text.dataset.summary;
      const description = document.createElement("p");
      description.textContent = text.textContent;
      const example = document.createElement("p");
      example.className = "example";
      example.textContent =
        "Instead of \u201c" + text.dataset.bad + "\u201d, write \u201c" + text.dataset.good + "\u201d.";
      details.append(summary, description, example);
      return details;
    }
    return null;
  }

  function show(found) {
    findings = found;
    drawMarks();
    list.replaceChildren();
    status.textContent = found.length === 0
      ? "No findings: blameless, and every action item is concrete."
      : found.length + (found.length === 1 ? " finding" : " findings") + " as you write:";
    for (const finding of found) {
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "link";
      button.textContent = "line " + finding.line + ": " + finding.message;
      button.addEventListener("click", () => select(finding));
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
      if (finding.fix) {
        const fix = document.createElement("button");
        fix.type = "button";
        fix.className = "small";
        fix.textContent = "Fix: write \u201c" + finding.fix.text + "\u201d";
        fix.addEventListener("click", function () {
          const [start, end] = range(area.value, finding.fix);
          area.focus();
          area.setRangeText(finding.fix.text, start, end, "end");
          changed();
        });
        item.append(" ", fix);
      }
      const why = explanation(finding.rule);
      if (why) item.append(why);
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

  async function refreshPreview() {
    if (!preview) return;
    const mine = ++previewAsked;
    try {
      const answer = await fetch("/postmortems/" + postmortem + "/preview?fragment=1", {
        method: "POST",
        credentials: "same-origin",
        body: new URLSearchParams(new FormData(form)),
      });
      if (mine !== previewAsked || !answer.ok) return;
      // The server's article renderer sanitises what it writes, as on every page.
      preview.innerHTML = await answer.text();
    } catch (error) {
      // The preview waits for the next change.
    }
  }

  function keepDraft() {
    try {
      localStorage.setItem(
        draftKey,
        JSON.stringify({ version: version, text: area.value, at: new Date().toISOString() })
      );
      if (draftStatus) draftStatus.textContent = "Kept in this browser until you save.";
    } catch (error) {
      // Storage full or refused: the text is still in the page.
    }
  }

  function changed() {
    drawMarks();
    keepDraft();
    clearTimeout(timer);
    timer = setTimeout(function () {
      check();
      refreshPreview();
    }, 1000);
  }

  // A draft of this postmortem kept from an earlier visit. A draft that was sent and is not
  // refused here (no conflict, no error on this page) was saved: it goes. One not sent and
  // different from the text here is offered back, never applied without asking.
  function offerDraft() {
    let draft = null;
    try {
      draft = JSON.parse(localStorage.getItem(draftKey) || "null");
    } catch (error) {
      return;
    }
    if (!draft || typeof draft.text !== "string") return;
    const refused = document.querySelector(".conflict, .error") !== null;
    if (draft.sent && !refused) {
      localStorage.removeItem(draftKey);
      return;
    }
    if (draft.text === area.value || !draftStatus) return;
    draftStatus.textContent =
      "This browser kept text you did not save (" + draft.at + ", based on version " + draft.version + "). ";
    const restore = document.createElement("button");
    restore.type = "button";
    restore.className = "small";
    restore.textContent = "Restore it";
    restore.addEventListener("click", function () {
      area.value = draft.text;
      draftStatus.textContent =
        "Restored. If someone saved since version " + draft.version + ", saving shows their change beside yours.";
      changed();
    });
    const discard = document.createElement("button");
    discard.type = "button";
    discard.className = "small";
    discard.textContent = "Discard it";
    discard.addEventListener("click", function () {
      localStorage.removeItem(draftKey);
      draftStatus.textContent = "Discarded.";
    });
    draftStatus.append(restore, " ", discard);
  }

  // Saving marks the draft as sent; it stays until a page shows the save was taken.
  form.addEventListener("submit", function (event) {
    const previewing = event.submitter && event.submitter.getAttribute("formaction");
    if (previewing) return;
    try {
      const draft = JSON.parse(localStorage.getItem(draftKey) || "null");
      if (draft) localStorage.setItem(draftKey, JSON.stringify(Object.assign(draft, { sent: true })));
    } catch (error) {
      // Nothing kept: nothing to mark.
    }
  });

  area.addEventListener("input", changed);
  area.addEventListener("scroll", () => { marks.scrollTop = area.scrollTop; });
  new ResizeObserver(drawMarks).observe(area);
  form.classList.add("marked");
  offerDraft();
  check();
})();
