//! Output shared by the commands: diagnostics and durations as text. The JSON shapes live
//! in `debrief_wire`.

use debrief_core::Diagnostic;
use std::path::Path;

/// `path:line:column: severity[rule]: message`, the form editors and CI logs understand.
pub fn diagnostic_line(path: &Path, d: &Diagnostic) -> String {
    let mut line = format!(
        "{}:{}:{}: {}[{}]: {}",
        path.display(),
        d.span.line,
        d.span.column,
        d.severity,
        d.rule,
        d.message
    );
    if let Some(suggestion) = &d.suggestion {
        line.push_str(&format!(" (suggestion: {suggestion})"));
    }
    line
}

/// A duration for people: `23m`, `1h 05m`, `2d 3h`; `-` when unknown.
pub fn human_duration(seconds: Option<i64>) -> String {
    seconds.map_or_else(|| "-".to_string(), debrief_core::milestones::human_duration)
}
