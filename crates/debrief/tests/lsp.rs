//! `debrief lsp` driven as an editor drives it: the binary on a pipe, JSON-RPC with LSP's
//! framing. Initialise, open, change (incremental), the diagnostics it publishes, a code
//! action applied, hover, symbols, completion, inlay hints, `debrief.toml` changed under
//! it, a malformed message answered while the session goes on, shutdown and exit.

mod common;

use common::lsp::Client;
use serde_json::{Value, json};
use std::time::Duration;

fn codes(diagnostics: &[Value]) -> Vec<&str> {
    diagnostics
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect()
}

const DOCUMENT: &str = "---
title: Checkout errors
date: 2026-06-14
---
# Checkout errors

## Summary

Priya Raman restarted the cache. Who approved the change?

## Impact

1,200 checkouts failed over 38 minutes.

## Timeline (UTC)

- 14:02 [started] The cache deploy starts
- 14:05 [detected] The error-rate alert pages
- 14:09 [acknowledged] The on-call engineer takes the page
- 14:30 [mitigated] The deploy is rolled back
- 14:40 [resolved] Error rates are back to normal

## Root cause analysis

The cache client had no connection limit.

## Action items

- [ ] Add a connection limit to the cache client (owner: platform, due: 2099-07-01)
";

/// Applies a WorkspaceEdit's edits for `uri` to `text`, as an editor does.
fn apply(text: &str, edits: &[Value]) -> String {
    let offset = |position: &Value| {
        let (line, character) = (
            position["line"].as_u64().expect("line") as usize,
            position["character"].as_u64().expect("character") as usize,
        );
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        // The test's text is ASCII: characters are bytes.
        start + character
    };
    let mut edits: Vec<&Value> = edits.iter().collect();
    edits.sort_by_key(|e| std::cmp::Reverse(offset(&e["range"]["start"])));
    let mut text = text.to_string();
    for edit in edits {
        let (start, end) = (
            offset(&edit["range"]["start"]),
            offset(&edit["range"]["end"]),
        );
        text.replace_range(start..end, edit["newText"].as_str().expect("text"));
    }
    text
}

#[test]
fn an_editor_session_from_initialize_to_exit() {
    let dir = common::tempdir();
    let file = dir.path().join("2026-06-14-checkout.md");
    common::write(&file, DOCUMENT);
    common::write(
        &dir.path().join("debrief.toml"),
        "[roster]\n\"Priya Raman\" = \"the on-call SRE\"\n\n[server]\npublic_url = \"https://debrief.acme.example\"\n",
    );
    let uri = format!("file://{}", file.display());
    let mut client = Client::start(env!("CARGO_BIN_EXE_debrief"));

    // Before initialize, a request is refused; then the capabilities.
    let early = client.request("textDocument/hover", json!({}));
    assert_eq!(early["error"]["code"], -32002, "{early}");
    let initialized = client.request(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": {},
               "initializationOptions": {"debounceMs": 50}}),
    );
    let capabilities = &initialized["result"]["capabilities"];
    assert_eq!(
        capabilities["textDocumentSync"]["change"], 2,
        "incremental: {initialized}"
    );
    for provider in [
        "hoverProvider",
        "codeActionProvider",
        "documentSymbolProvider",
        "completionProvider",
        "inlayHintProvider",
    ] {
        assert!(
            !capabilities[provider].is_null(),
            "{provider}: {initialized}"
        );
    }
    client.notify("initialized", json!({}));

    // Open: the findings, with their rule, its documentation and the suggestion.
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": DOCUMENT}}),
    );
    let diagnostics = client.diagnostics(&uri, 1);
    assert_eq!(
        codes(&diagnostics),
        ["named-individual", "who-question"],
        "{diagnostics:#?}"
    );
    let named = &diagnostics[0];
    assert_eq!(named["range"]["start"], json!({"line": 8, "character": 0}));
    assert_eq!(
        named["codeDescription"]["href"],
        "https://debrief.acme.example/rules#named-individual"
    );
    assert_eq!(named["source"], "debrief");
    assert!(
        named["relatedInformation"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("the on-call SRE")),
        "{named}"
    );

    // An incremental change rewrites the who-question; typing pauses; it is linted once.
    // Two changes, the second in the text the first left.
    let who = DOCUMENT.find("Who approved").expect("the question")
        - DOCUMENT.find("Priya").expect("its line");
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [
            {"range": {"start": {"line": 8, "character": who}, "end": {"line": 8, "character": who + 24}},
             "text": "How was the change approved?"},
            {"range": {"start": {"line": 12, "character": 2}, "end": {"line": 12, "character": 3}},
             "text": "3"},
        ]}),
    );
    let mut text = DOCUMENT
        .replace("Who approved the change?", "How was the change approved?")
        .replace("1,200", "1,300");
    let diagnostics = client.diagnostics(&uri, 2);
    assert_eq!(
        codes(&diagnostics),
        ["named-individual"],
        "{diagnostics:#?}"
    );

    // Hover on the name: its rule, explained.
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 8, "character": 3}}),
    );
    let shown = hover["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_default();
    assert!(
        shown.contains("named-individual") && shown.contains("A person is named in the narrative"),
        "{hover}"
    );

    // The code actions on the name: its role (the safe fix) and silencing it; the fix
    // applied as the editor applies it.
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": diagnostics[0]["range"],
               "context": {"diagnostics": diagnostics}}),
    );
    let actions = actions["result"].as_array().expect("actions").clone();
    let titles: Vec<&str> = actions.iter().filter_map(|a| a["title"].as_str()).collect();
    assert_eq!(
        titles,
        [
            "Write “The on-call SRE” (named-individual)",
            "Disable named-individual for this line"
        ],
        "{actions:#?}"
    );
    let silence = &actions[1]["edit"]["changes"][&uri];
    assert_eq!(
        apply(&text, silence.as_array().expect("edits"))
            .lines()
            .nth(8),
        Some("<!-- debrief-disable-next-line named-individual -->")
    );
    let fix = actions[0]["edit"]["changes"][&uri]
        .as_array()
        .expect("edits")
        .clone();
    text = apply(&text, &fix);
    assert!(
        text.contains("The on-call SRE restarted the cache."),
        "{text}"
    );
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 3},
               "contentChanges": fix.iter().map(|e| json!({"range": e["range"], "text": e["newText"]})).collect::<Vec<_>>()}),
    );
    assert_eq!(codes(&client.diagnostics(&uri, 3)), Vec::<&str>::new());

    // Hover: a milestone tag says what it marks and its figure.
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 17, "character": 10}}),
    );
    let shown = hover["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_default();
    assert!(
        shown.contains("[detected]") && shown.contains("time to detect 3m"),
        "{hover}"
    );

    // Symbols: the sections, the timeline's entries under it.
    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    let sections: Vec<&str> = symbols["result"]
        .as_array()
        .expect("symbols")
        .iter()
        .filter_map(|s| s["name"].as_str())
        .collect();
    assert_eq!(
        sections,
        [
            "Summary",
            "Impact",
            "Timeline (UTC)",
            "Root cause analysis",
            "Action items"
        ],
        "{symbols}"
    );
    assert_eq!(
        symbols["result"][2]["children"].as_array().map(Vec::len),
        Some(5)
    );

    // Inlay hints: the figures on the timeline's heading.
    let hints = client.request(
        "textDocument/inlayHint",
        json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 40, "character": 0}}}),
    );
    assert_eq!(hints["result"][0]["position"]["line"], 14, "{hints}");
    assert_eq!(
        hints["result"][0]["label"],
        "time to detect 3m · acknowledge 7m · mitigate 28m · resolve 38m",
        "{hints}"
    );

    // A malformed message is answered, and the session goes on.
    client.write_raw(b"{\"jsonrpc\": \"2.0\", \"id\": ");
    let refused = client.wait(|m| m["id"].is_null() && !m["error"].is_null());
    assert_eq!(refused["error"]["code"], -32700, "{refused}");
    let unknown = client.request("textDocument/rename", json!({}));
    assert_eq!(unknown["error"]["code"], -32601, "{unknown}");
    let bad = client.request("textDocument/hover", json!({"textDocument": 3}));
    assert_eq!(bad["error"]["code"], -32602, "{bad}");

    // Completion: milestone tags after "[", roster roles for "owner:".
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 4}, "contentChanges": [
            {"range": {"start": {"line": 20, "character": 0}, "end": {"line": 20, "character": 0}},
             "text": "- 14:45 [re\n"}]}),
    );
    let completion = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": {"line": 20, "character": 11}}),
    );
    let labels: Vec<&str> = completion["result"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["label"].as_str())
        .collect();
    assert_eq!(labels, ["resolved"], "{completion}");
    assert_eq!(completion["result"][0]["textEdit"]["newText"], "resolved]");
    let _ = client.diagnostics(&uri, 4);
    // An owner from the roster, on an action item.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 5}, "contentChanges": [
            {"range": {"start": {"line": 30, "character": 0}, "end": {"line": 30, "character": 0}},
             "text": "- [ ] Page on pool saturation (owner: "}]}),
    );
    let completion = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": {"line": 30, "character": 38}}),
    );
    assert_eq!(
        completion["result"][0]["label"], "the on-call SRE",
        "{completion}"
    );
    let _ = client.diagnostics(&uri, 5);

    // debrief.toml changes: the open document is linted again under it.
    std::thread::sleep(Duration::from_millis(1100));
    common::write(
        &dir.path().join("debrief.toml"),
        "[lint]\nrequired_sections = [\"summary\", \"impact\", \"timeline\", \"root_cause\", \"action_items\", \"lucky\"]\n",
    );
    let relinted = client
        .wait(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["version"] == 5);
    let diagnostics = relinted["params"]["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        codes(&diagnostics).contains(&"missing-section"),
        "{diagnostics:#?}"
    );
    assert!(
        diagnostics.iter().all(|d| d["codeDescription"].is_null()),
        "no server is named any more: {diagnostics:#?}"
    );

    // Shutdown, then exit: code 0.
    let shutdown = client.request("shutdown", Value::Null);
    assert_eq!(shutdown["result"], Value::Null, "{shutdown}");
    client.notify("exit", Value::Null);
    let status = client.child.wait().expect("exit");
    assert!(status.success(), "{status}");
}

#[test]
fn exit_without_shutdown_is_code_1() {
    let mut client = Client::start(env!("CARGO_BIN_EXE_debrief"));
    client.request("initialize", json!({"capabilities": {}}));
    client.notify("exit", Value::Null);
    let status = client.child.wait().expect("exit");
    assert_eq!(status.code(), Some(1));
}
