//! `debrief lsp`: the blameless linter in every editor, over the Language Server Protocol
//! on stdio.
//!
//! One thread reads messages (`transport.rs`, which answers malformed ones and reads on);
//! the main thread keeps the open documents, applies their incremental changes
//! (`text.rs`), and lints a changed document once the typing pauses ([`DEBOUNCE`]), then
//! publishes its diagnostics. Everything else (code actions, hover, symbols, completion,
//! inlay hints: `features.rs`) answers from the latest lint, made again first when the
//! document changed since. `debrief.toml` is found as the command line finds it, nearest
//! the document, and read again when it changes: every open document is linted again.

mod features;
mod text;
mod transport;

use crate::Outcome;
use anyhow::{Context, Result};
use debrief_lint::Config;
use features::Analysis;
use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::Notification as _;
use lsp_types::request::Request as _;
use lsp_types::{
    CodeActionParams, CodeActionProviderCapability, CompletionOptions, CompletionParams,
    DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams,
    DidSaveTextDocumentParams, DocumentSymbolParams, DocumentSymbolResponse, HoverParams,
    HoverProviderCapability, InitializeResult, InlayHintParams, MessageType, OneOf,
    PublishDiagnosticsParams, ServerCapabilities, ServerInfo, ShowMessageParams,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions, Uri, notification, request,
};
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::collections::HashMap;
use std::io::{BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant, SystemTime};

/// How long typing must pause before a changed document is linted: long enough that a
/// burst of keystrokes is linted once, short enough to feel immediate.
pub const DEBOUNCE: Duration = Duration::from_millis(150);

/// How often the configurations in use are checked for changes.
const CONFIG_CHECK: Duration = Duration::from_secs(2);

/// Serves one editor on stdin and stdout until it says `exit`.
pub fn run() -> Result<Outcome> {
    let (sender, receiver) = mpsc::channel();
    std::thread::Builder::new()
        .name("lsp-reader".into())
        .spawn(move || {
            let mut input = BufReader::new(std::io::stdin().lock());
            loop {
                match transport::read(&mut input) {
                    Ok(Some(incoming)) => {
                        if sender.send(incoming).is_err() {
                            break;
                        }
                    }
                    Ok(None) => break,
                    Err(error) => {
                        eprintln!("debrief lsp: reading the editor's messages: {error}");
                        break;
                    }
                }
            }
        })
        .context("starting the reader")?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut server = Server::new(jiff::Zoned::now().date());
    let mut next_config_check = Instant::now() + CONFIG_CHECK;
    loop {
        let now = Instant::now();
        let wake = server
            .next_deadline()
            .map_or(next_config_check, |d| d.min(next_config_check));
        let incoming = receiver.recv_timeout(wake.saturating_duration_since(now));
        let replies = match incoming {
            Ok(transport::Incoming::Message(message)) => server.handle(message),
            Ok(transport::Incoming::Malformed { id, code, message }) => {
                transport::write_error(&mut out, id.as_ref(), code, &message)?;
                Vec::new()
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                let mut replies = server.lint_due(Instant::now());
                if Instant::now() >= next_config_check {
                    replies.extend(server.reload_configs());
                    next_config_check = Instant::now() + CONFIG_CHECK;
                }
                replies
            }
            // The editor closed our input without `exit`.
            Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(Outcome::Findings),
        };
        for reply in &replies {
            transport::write(&mut out, reply).context("writing to the editor")?;
        }
        out.flush().context("writing to the editor")?;
        if let Some(clean) = server.exited {
            return Ok(if clean {
                Outcome::Clean
            } else {
                Outcome::Findings
            });
        }
    }
}

/// An open document.
struct Document {
    text: String,
    version: i32,
    /// Its file, when it has one: where its `debrief.toml` is looked for.
    path: Option<PathBuf>,
    /// The latest lint, while the text has not changed since.
    analysis: Option<Arc<Analysis>>,
}

/// A `debrief.toml` as read, and when it was last changed.
struct LoadedConfig {
    modified: Option<SystemTime>,
    config: Arc<Config>,
    /// The server's public address (`[server] public_url`): rule documentation is linked
    /// to its `/rules` page.
    rules_url: Option<String>,
}

/// The language server's state: documents, configurations, lints waiting for a pause.
pub struct Server {
    today: jiff::civil::Date,
    initialized: bool,
    shutdown: bool,
    /// Set once `exit` came: whether `shutdown` came before it.
    exited: Option<bool>,
    documents: HashMap<Uri, Document>,
    /// Lints waiting for the typing to pause, by when.
    due: HashMap<Uri, Instant>,
    configs: HashMap<PathBuf, LoadedConfig>,
    debounce: Duration,
    /// Given by the editor (`initializationOptions.rulesUrl`); else the configuration's.
    rules_url: Option<String>,
}

impl Server {
    /// A server that has not been initialised yet.
    pub fn new(today: jiff::civil::Date) -> Server {
        Server {
            today,
            initialized: false,
            shutdown: false,
            exited: None,
            documents: HashMap::new(),
            due: HashMap::new(),
            configs: HashMap::new(),
            debounce: DEBOUNCE,
            rules_url: None,
        }
    }

    /// The earliest lint waiting for a pause.
    fn next_deadline(&self) -> Option<Instant> {
        self.due.values().min().copied()
    }

    /// The answers and notifications a message brings.
    pub fn handle(&mut self, message: Message) -> Vec<Message> {
        match message {
            Message::Request(request) => self.request(request),
            Message::Notification(notification) => self.notification(notification),
            // Answers to requests this server never makes.
            Message::Response(_) => Vec::new(),
        }
    }

    fn request(&mut self, request: Request) -> Vec<Message> {
        let id = request.id.clone();
        if request.method == request::Initialize::METHOD {
            return vec![self.initialize(request)];
        }
        if !self.initialized {
            return vec![error(
                id,
                ErrorCode::ServerNotInitialized,
                "the server is not initialised yet".into(),
            )];
        }
        if self.shutdown {
            return vec![error(
                id,
                ErrorCode::InvalidRequest,
                "the server is shutting down".into(),
            )];
        }
        let answer = match request.method.as_str() {
            request::Shutdown::METHOD => {
                self.shutdown = true;
                Ok(Value::Null)
            }
            request::CodeActionRequest::METHOD => {
                self.with_params(request.params, |s, p: CodeActionParams| {
                    let uri = p.text_document.uri;
                    let rules_url = s.rules_url_for(&uri);
                    s.analysis(&uri)
                        .map(|a| json(a.code_actions(&uri, p.range, rules_url.as_deref())))
                })
            }
            request::HoverRequest::METHOD => {
                self.with_params(request.params, |s, p: HoverParams| {
                    let at = p.text_document_position_params;
                    s.analysis(&at.text_document.uri)
                        .map(|a| json(a.hover(at.position)))
                })
            }
            request::DocumentSymbolRequest::METHOD => {
                self.with_params(request.params, |s, p: DocumentSymbolParams| {
                    s.analysis(&p.text_document.uri)
                        .map(|a| json(DocumentSymbolResponse::Nested(a.symbols())))
                })
            }
            request::Completion::METHOD => {
                self.with_params(request.params, |s, p: CompletionParams| {
                    let at = p.text_document_position;
                    let config = s.config_for(&at.text_document.uri).config;
                    let today = s.today;
                    s.analysis(&at.text_document.uri)
                        .map(|a| json(a.completion(at.position, &config.roster.roles(), today)))
                })
            }
            request::InlayHintRequest::METHOD => {
                self.with_params(request.params, |s, p: InlayHintParams| {
                    s.analysis(&p.text_document.uri)
                        .map(|a| json(a.inlay_hints()))
                })
            }
            other => Err((
                ErrorCode::MethodNotFound,
                format!("debrief lsp does not answer {other}"),
            )),
        };
        vec![match answer {
            Ok(result) => Message::Response(Response::new_ok(id, result)),
            Err((code, message)) => error(id, code, message),
        }]
    }

    /// Runs `answer` on the request's parameters, or says why they are not what it takes.
    fn with_params<P: DeserializeOwned>(
        &mut self,
        params: Value,
        answer: impl FnOnce(&mut Server, P) -> Result<Value, (ErrorCode, String)>,
    ) -> Result<Value, (ErrorCode, String)> {
        let params = serde_json::from_value(params)
            .map_err(|e| (ErrorCode::InvalidParams, format!("invalid parameters: {e}")))?;
        answer(self, params)
    }

    fn initialize(&mut self, request: Request) -> Message {
        if self.initialized {
            return error(
                request.id,
                ErrorCode::InvalidRequest,
                "the server is initialised already".into(),
            );
        }
        let options = request.params.get("initializationOptions");
        if let Some(ms) = options
            .and_then(|o| o.get("debounceMs"))
            .and_then(Value::as_u64)
        {
            self.debounce = Duration::from_millis(ms.min(5_000));
        }
        self.rules_url = options
            .and_then(|o| o.get("rulesUrl"))
            .and_then(Value::as_str)
            .map(str::to_string);
        self.initialized = true;
        let capabilities = ServerCapabilities {
            text_document_sync: Some(TextDocumentSyncCapability::Options(
                TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(TextDocumentSyncKind::INCREMENTAL),
                    save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                    ..TextDocumentSyncOptions::default()
                },
            )),
            hover_provider: Some(HoverProviderCapability::Simple(true)),
            code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
            document_symbol_provider: Some(OneOf::Left(true)),
            completion_provider: Some(CompletionOptions {
                trigger_characters: Some(vec!["[".into(), ":".into(), " ".into()]),
                ..CompletionOptions::default()
            }),
            inlay_hint_provider: Some(OneOf::Left(true)),
            ..ServerCapabilities::default()
        };
        let result = InitializeResult {
            capabilities,
            server_info: Some(ServerInfo {
                name: "debrief".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
        };
        Message::Response(Response::new_ok(request.id, result))
    }

    fn notification(&mut self, notification: Notification) -> Vec<Message> {
        let method = notification.method.as_str();
        if method == notification::Exit::METHOD {
            self.exited = Some(self.shutdown);
            return Vec::new();
        }
        if !self.initialized {
            return Vec::new();
        }
        fn params<P: DeserializeOwned>(value: Value) -> Option<P> {
            serde_json::from_value(value).ok()
        }
        match method {
            notification::DidOpenTextDocument::METHOD => {
                let Some(p) = params::<DidOpenTextDocumentParams>(notification.params) else {
                    return Vec::new();
                };
                let uri = p.text_document.uri;
                let path = path_of(&uri);
                self.documents.insert(
                    uri.clone(),
                    Document {
                        text: p.text_document.text,
                        version: p.text_document.version,
                        path,
                        analysis: None,
                    },
                );
                self.publish(&uri).into_iter().collect()
            }
            notification::DidChangeTextDocument::METHOD => {
                let Some(p) = params::<DidChangeTextDocumentParams>(notification.params) else {
                    return Vec::new();
                };
                let uri = p.text_document.uri;
                if let Some(document) = self.documents.get_mut(&uri) {
                    text::apply(&mut document.text, p.content_changes);
                    document.version = p.text_document.version;
                    document.analysis = None;
                    self.due.insert(uri, Instant::now() + self.debounce);
                }
                Vec::new()
            }
            notification::DidSaveTextDocument::METHOD => {
                let Some(p) = params::<DidSaveTextDocumentParams>(notification.params) else {
                    return Vec::new();
                };
                // A save is a pause: what waits is linted now.
                if self.due.remove(&p.text_document.uri).is_some() {
                    return self.publish(&p.text_document.uri).into_iter().collect();
                }
                Vec::new()
            }
            notification::DidCloseTextDocument::METHOD => {
                let Some(p) = params::<DidCloseTextDocumentParams>(notification.params) else {
                    return Vec::new();
                };
                let uri = p.text_document.uri;
                self.documents.remove(&uri);
                self.due.remove(&uri);
                // Its findings go with it.
                vec![diagnostics_of(uri, Vec::new(), None)]
            }
            _ => Vec::new(),
        }
    }

    /// Lints the documents whose pause has come, and publishes their diagnostics.
    pub fn lint_due(&mut self, now: Instant) -> Vec<Message> {
        let ready: Vec<Uri> = self
            .due
            .iter()
            .filter(|(_, at)| **at <= now)
            .map(|(uri, _)| uri.clone())
            .collect();
        ready
            .into_iter()
            .filter_map(|uri| {
                self.due.remove(&uri);
                self.publish(&uri)
            })
            .collect()
    }

    /// Reads again every configuration that changed on disk; the documents under one that
    /// did are linted again, and an unreadable one is said.
    fn reload_configs(&mut self) -> Vec<Message> {
        let changed: Vec<PathBuf> = self
            .configs
            .iter()
            .filter(|(path, loaded)| modified(path) != loaded.modified)
            .map(|(path, _)| path.clone())
            .collect();
        if changed.is_empty() {
            return Vec::new();
        }
        let mut messages = Vec::new();
        for path in &changed {
            self.configs.remove(path);
            if let Err(problem) = self.load_config(path) {
                messages.push(show_message(MessageType::WARNING, problem));
            }
        }
        let uris: Vec<Uri> = self.documents.keys().cloned().collect();
        for uri in uris {
            if let Some(document) = self.documents.get_mut(&uri) {
                document.analysis = None;
            }
            messages.extend(self.publish(&uri));
        }
        messages
    }

    /// Lints a document (if it changed) and its diagnostics as a notification.
    fn publish(&mut self, uri: &Uri) -> Option<Message> {
        let version = self.documents.get(uri)?.version;
        let analysis = self.analysis(uri).ok()?;
        let rules_url = self.rules_url_for(uri);
        Some(diagnostics_of(
            uri.clone(),
            analysis.diagnostics(uri, rules_url.as_deref()),
            Some(version),
        ))
    }

    /// The latest lint of an open document, made now if it changed since.
    fn analysis(&mut self, uri: &Uri) -> Result<Arc<Analysis>, (ErrorCode, String)> {
        if let Some(analysis) = self.documents.get(uri).and_then(|d| d.analysis.clone()) {
            return Ok(analysis);
        }
        let config = self.config_for(uri).config;
        let today = self.today;
        let document = self.documents.get_mut(uri).ok_or_else(|| {
            (
                ErrorCode::InvalidParams,
                format!("{} is not open", uri.as_str()),
            )
        })?;
        let mut options = debrief_lint::Options::new(&config, today);
        if let Some(path) = &document.path {
            options.read = debrief_core::ReadOptions::for_path(path);
        }
        let analysis = Arc::new(Analysis::new(&document.text, &options));
        document.analysis = Some(analysis.clone());
        Ok(analysis)
    }

    /// The configuration of a document: the nearest `debrief.toml` above its file, or the
    /// defaults.
    fn config_for(&mut self, uri: &Uri) -> LoadedConfigView {
        let path = self
            .documents
            .get(uri)
            .and_then(|d| d.path.as_deref())
            .and_then(|p| p.parent())
            .and_then(nearest_config);
        let Some(path) = path else {
            return LoadedConfigView::default();
        };
        if !self.configs.contains_key(&path)
            && let Err(problem) = self.load_config(&path)
        {
            eprintln!("debrief lsp: {problem}");
        }
        self.configs
            .get(&path)
            .map(|loaded| LoadedConfigView {
                config: loaded.config.clone(),
                rules_url: loaded.rules_url.clone(),
            })
            .unwrap_or_default()
    }

    /// Reads `path` into the cache; a configuration that cannot be used is kept as the
    /// defaults (so that it is not read on every keystroke), and the problem returned.
    fn load_config(&mut self, path: &Path) -> Result<(), String> {
        let modified = modified(path);
        let read = std::fs::read_to_string(path)
            .map_err(|e| format!("{}: {e}", path.display()))
            .and_then(|text| {
                let config = Config::from_toml(&text).map_err(|e| {
                    format!("{}:{}:{}: {}", path.display(), e.line, e.column, e.message)
                })?;
                let rules_url = debrief_server::config::ServerConfig::from_toml(&text)
                    .ok()
                    .and_then(|s| s.public_url)
                    .map(|url| format!("{}/rules", url.trim_end_matches('/')));
                Ok((config, rules_url))
            });
        let (config, rules_url, problem) = match read {
            Ok((config, rules_url)) => (config, rules_url, None),
            Err(problem) => (Config::default(), None, Some(problem)),
        };
        self.configs.insert(
            path.to_path_buf(),
            LoadedConfig {
                modified,
                config: Arc::new(config),
                rules_url,
            },
        );
        problem.map_or(Ok(()), |p| {
            Err(format!("{p}; the defaults apply until it is fixed"))
        })
    }

    /// Where a document's rule documentation is: the editor's setting, else its
    /// configuration's server.
    fn rules_url_for(&mut self, uri: &Uri) -> Option<String> {
        self.rules_url
            .clone()
            .or_else(|| self.config_for(uri).rules_url)
    }
}

/// What a document's configuration gives.
#[derive(Default)]
struct LoadedConfigView {
    config: Arc<Config>,
    rules_url: Option<String>,
}

/// The `debrief.toml` nearest `dir`, at or above it.
fn nearest_config(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .map(|d| d.join(crate::config::CONFIG_FILE))
        .find(|p| p.is_file())
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// The file a `file:` URI names, its escapes undone.
fn path_of(uri: &Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    let mut bytes = Vec::with_capacity(rest.len());
    let raw = rest.as_bytes();
    let mut i = 0;
    while i < raw.len() {
        if raw[i] == b'%'
            && let Some(byte) = raw
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            bytes.push(byte);
            i += 3;
            continue;
        }
        bytes.push(raw[i]);
        i += 1;
    }
    let path = String::from_utf8(bytes).ok()?;
    // `file://host/path` names another machine; `file:///path` this one.
    let path = path.strip_prefix("localhost").unwrap_or(&path);
    path.starts_with('/').then(|| PathBuf::from(path))
}

fn json(value: impl serde::Serialize) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

fn error(id: RequestId, code: ErrorCode, message: String) -> Message {
    Message::Response(Response::new_err(id, code as i32, message))
}

fn diagnostics_of(
    uri: Uri,
    diagnostics: Vec<lsp_types::Diagnostic>,
    version: Option<i32>,
) -> Message {
    Message::Notification(Notification::new(
        notification::PublishDiagnostics::METHOD.into(),
        PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        },
    ))
}

fn show_message(typ: MessageType, message: String) -> Message {
    Message::Notification(Notification::new(
        notification::ShowMessage::METHOD.into(),
        ShowMessageParams { typ, message },
    ))
}
