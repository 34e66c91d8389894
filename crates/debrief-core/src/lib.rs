//! The postmortem document: its model, a tolerant reader, a canonical writer, and timeline
//! milestones and metrics.
//!
//! debrief-core does no I/O: no files, no network, no database, no clock. Everything it
//! needs (the text, today's date, configuration) is passed in, so the CLI, the server and an
//! editor integration call the same code on every keystroke.
//!
//! ```
//! let read = debrief_core::read("# Postmortem: Outage, 2026-06-14\n\n## Timeline (UTC)\n\n- 14:02 Deploy starts\n- 14:05 Alert fires\n- 14:25 Error rate returns to baseline\n");
//! let analysis = debrief_core::milestones::analyse(&read.postmortem);
//! assert_eq!(analysis.metrics.time_to_detect_s, Some(180));
//! assert_eq!(analysis.metrics.duration_s, Some(1380));
//! ```

pub mod diagnostic;
pub mod edit;
pub mod kind;
pub mod meeting;
pub mod milestones;
pub mod model;
pub mod phrases;
pub mod read;
pub mod rule;
pub mod stem;
pub mod template;
pub mod when;
mod write;
pub mod zone;

pub use diagnostic::{Diagnostic, LineIndex, Severity, Span};
pub use milestones::{Analysis, Metrics, analyse};
pub use model::Postmortem;
pub use read::{Read, ReadOptions, SourceMap, normalise, read, read_with};
pub use rule::RuleId;
pub use write::{capitalised, slug, write};
