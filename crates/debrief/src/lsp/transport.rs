//! JSON-RPC over stdio with LSP's framing: `Content-Length` headers, a blank line, the
//! message. lsp-server's own reader stops at the first malformed message; this one answers
//! it (parse error, invalid request) and reads on, so that one bad message from an editor
//! does not end the session.

use lsp_server::{ErrorCode, Message, RequestId};
use serde_json::{Value, json};
use std::io::{self, BufRead, Read, Write};

/// The largest message taken: a 10 MB document, escaped, with room to spare.
pub const MAX_MESSAGE_BYTES: usize = 64 << 20;

/// What the reader got.
#[derive(Debug)]
pub enum Incoming {
    /// A well-formed message.
    Message(Message),
    /// Something that is not one: answered with this error, to this id when it had one.
    Malformed {
        id: Option<RequestId>,
        code: ErrorCode,
        message: String,
    },
}

/// Reads the next message; `None` at the end of the input. An I/O failure, or framing that
/// cannot be recovered from, is an error.
pub fn read(input: &mut impl BufRead) -> io::Result<Option<Incoming>> {
    let mut length = None;
    let mut saw_header = false;
    let mut line = String::new();
    loop {
        line.clear();
        if input.read_line(&mut line)? == 0 {
            return if saw_header {
                Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "the input ended inside a message's headers",
                ))
            } else {
                Ok(None)
            };
        }
        let header = line.trim_end_matches(['\r', '\n']);
        if header.is_empty() {
            if saw_header {
                break;
            }
            continue;
        }
        saw_header = true;
        if let Some((name, value)) = header.split_once(':')
            && name.trim().eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse::<usize>().ok();
        }
    }
    let Some(length) = length else {
        return Ok(Some(malformed(
            None,
            ErrorCode::ParseError,
            "a message without a valid Content-Length header".into(),
        )));
    };
    if length > MAX_MESSAGE_BYTES {
        // Read past it, so that the next message is found.
        io::copy(&mut input.take(length as u64), &mut io::sink())?;
        return Ok(Some(malformed(
            None,
            ErrorCode::InvalidRequest,
            format!("a message of {length} bytes; at most {MAX_MESSAGE_BYTES} are taken"),
        )));
    }
    let mut body = vec![0; length];
    input.read_exact(&mut body)?;
    Ok(Some(parse(&body)))
}

/// A message's body, read.
fn parse(body: &[u8]) -> Incoming {
    let value: Value = match serde_json::from_slice(body) {
        Ok(value) => value,
        Err(error) => {
            return malformed(
                None,
                ErrorCode::ParseError,
                format!("the message is not JSON: {error}"),
            );
        }
    };
    let id = match value.get("id") {
        Some(Value::Number(n)) => n
            .as_i64()
            .and_then(|n| i32::try_from(n).ok())
            .map(RequestId::from),
        Some(Value::String(s)) => Some(RequestId::from(s.clone())),
        _ => None,
    };
    match serde_json::from_value::<Message>(value) {
        Ok(message) => Incoming::Message(message),
        Err(error) => malformed(
            id,
            ErrorCode::InvalidRequest,
            format!("the message is not a JSON-RPC request, response or notification: {error}"),
        ),
    }
}

fn malformed(id: Option<RequestId>, code: ErrorCode, message: String) -> Incoming {
    Incoming::Malformed { id, code, message }
}

/// Writes a message.
pub fn write(out: &mut impl Write, message: &Message) -> io::Result<()> {
    message.write(out)
}

/// Writes the error answer to something that was not a message: to its id, or to `null`
/// when it had none, as JSON-RPC asks.
pub fn write_error(
    out: &mut impl Write,
    id: Option<&RequestId>,
    code: ErrorCode,
    message: &str,
) -> io::Result<()> {
    let id = match id {
        Some(id) => serde_json::to_value(id).unwrap_or(Value::Null),
        None => Value::Null,
    };
    let body = json!({
        "jsonrpc": "2.0",
        "id": id,
        "error": {"code": code as i32, "message": message},
    })
    .to_string();
    write!(out, "Content-Length: {}\r\n\r\n{body}", body.len())?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn framed(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[test]
    fn reads_messages_and_answers_what_is_not_one() {
        let input = [
            framed(r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}"#),
            framed("{not json"),
            framed(r#"{"jsonrpc":"2.0","id":7,"method":42}"#),
            framed(r#"{"jsonrpc":"2.0","method":"exit"}"#),
        ]
        .concat();
        let mut input = io::Cursor::new(input.into_bytes());
        let mut got = Vec::new();
        while let Some(incoming) = read(&mut input).expect("read") {
            got.push(incoming);
        }
        assert_eq!(got.len(), 4, "{got:#?}");
        assert!(
            matches!(&got[0], Incoming::Message(Message::Request(r)) if r.method == "initialize")
        );
        assert!(matches!(
            &got[1],
            Incoming::Malformed {
                id: None,
                code: ErrorCode::ParseError,
                ..
            }
        ));
        assert!(matches!(
            &got[2],
            Incoming::Malformed {
                id: Some(_),
                code: ErrorCode::InvalidRequest,
                ..
            }
        ));
        assert!(
            matches!(&got[3], Incoming::Message(Message::Notification(n)) if n.method == "exit")
        );
    }

    #[test]
    fn an_error_without_an_id_goes_to_null() {
        let mut out = Vec::new();
        write_error(&mut out, None, ErrorCode::ParseError, "bad").expect("written");
        let text = String::from_utf8(out).expect("utf-8");
        assert!(
            text.ends_with(r#""id":null,"jsonrpc":"2.0"}"#) || text.contains(r#""id":null"#),
            "{text}"
        );
        assert!(text.starts_with("Content-Length: "), "{text}");
    }
}
