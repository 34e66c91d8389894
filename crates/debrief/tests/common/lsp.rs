//! An editor's side of a `debrief lsp` session: the binary on a pipe, JSON-RPC with LSP's
//! framing. Shared by the session test and the latency bench.

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// An editor's side of the session.
pub struct Client {
    pub child: Child,
    input: ChildStdin,
    messages: mpsc::Receiver<Value>,
    next_id: i64,
    /// Notifications that arrived while waiting for something else.
    pending: Vec<Value>,
}

impl Client {
    /// `debrief lsp` started from `binary`.
    pub fn start(binary: &str) -> Client {
        let mut child = Command::new(binary)
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start debrief lsp");
        let input = child.stdin.take().expect("stdin");
        let output = child.stdout.take().expect("stdout");
        let (sender, messages) = mpsc::channel();
        std::thread::spawn(move || {
            let mut output = BufReader::new(output);
            loop {
                let mut length = None;
                loop {
                    let mut line = String::new();
                    if output.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    if line == "\r\n" {
                        break;
                    }
                    if let Some(value) = line.strip_prefix("Content-Length: ") {
                        length = value.trim().parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; length.expect("every message has a Content-Length")];
                output.read_exact(&mut body).expect("the message");
                let value = serde_json::from_slice(&body).expect("the server writes JSON");
                if sender.send(value).is_err() {
                    return;
                }
            }
        });
        Client {
            child,
            input,
            messages,
            next_id: 1,
            pending: Vec::new(),
        }
    }

    pub fn write_raw(&mut self, body: &[u8]) {
        write!(self.input, "Content-Length: {}\r\n\r\n", body.len()).expect("write");
        self.input.write_all(body).expect("write");
        self.input.flush().expect("flush");
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        let body = json!({"jsonrpc": "2.0", "method": method, "params": params});
        self.write_raw(body.to_string().as_bytes());
    }

    /// A request and its answer (the whole response: `result` or `error`).
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        let body = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params});
        self.write_raw(body.to_string().as_bytes());
        self.wait(|m| m["id"] == id)
    }

    /// The next message that `wanted` takes; others are kept for later.
    pub fn wait(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        if let Some(at) = self.pending.iter().position(&wanted) {
            return self.pending.remove(at);
        }
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let message = self
                .messages
                .recv_timeout(left)
                .unwrap_or_else(|_| panic!("nothing wanted came; kept: {:#?}", self.pending));
            if wanted(&message) {
                return message;
            }
            self.pending.push(message);
        }
    }

    /// The next diagnostics published for `uri` at `version`.
    pub fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let published = self.wait(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"] == version
        });
        published["params"]["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }
}
