//! What the store keeps of a document besides its Markdown: the facts lists filter on, read
//! from the canonical model with the workflow's fields written into its front matter.

use super::versions::Workflow;
use super::{Postmortem, Result, StoreError};
use debrief_core::model::Milestone;
use debrief_wire::document::ActionItem;

/// The largest postmortem stored, in bytes of Markdown: a thousand pages of text. The API
/// takes a JSON body large enough for any document this size however its text escapes, so
/// that whatever is exported can be imported again.
pub const MAX_DOCUMENT_BYTES: usize = 1024 * 1024;

/// What the store keeps of a document besides its Markdown.
pub(super) struct DocumentFacts {
    pub title: String,
    pub restricted: bool,
    pub severity: Option<String>,
    pub date: Option<String>,
    pub services: Vec<String>,
    pub tags: Vec<String>,
    /// The teams the front matter names: a label lists filter on, not part of the summary.
    pub teams: Vec<String>,
    pub resolved_at: Option<i64>,
    /// The action items, in document order.
    pub actions: Vec<ActionFact>,
    pub markdown: String,
}

/// An action item as the store keeps it beside the document.
pub(super) struct ActionFact {
    pub item: ActionItem,
    /// The owner as users are matched by: lower case, without a leading `@`.
    pub owner_key: Option<String>,
}

impl ActionFact {
    fn of(item: &debrief_core::model::ActionItem) -> ActionFact {
        let mut item = ActionItem::from(item);
        item.owner = item
            .owner
            .map(|o| o.trim().to_string())
            .filter(|o| !o.is_empty());
        ActionFact {
            owner_key: item.owner.as_deref().map(owner_key),
            item,
        }
    }

    /// `open`, `done` or `declined`, as the row keeps it.
    pub fn state(&self) -> &'static str {
        if self.item.declined.is_some() {
            "declined"
        } else if self.item.done {
            "done"
        } else {
            "open"
        }
    }
}

/// An owner or a user's name as the two are compared: lower case, without a leading `@`.
pub(super) fn owner_key(name: &str) -> String {
    name.trim().trim_start_matches('@').to_lowercase()
}

/// Services and tags as kept on the row (`labels`, JSON).
#[derive(serde::Serialize, serde::Deserialize)]
pub(super) struct Labels {
    pub services: Vec<String>,
    pub tags: Vec<String>,
}

impl DocumentFacts {
    /// The postmortem as this write left it. Built from what was written rather than read
    /// back afterwards: a read after the commit could already see a later writer's version,
    /// and answering with that version's ETag would let the caller overwrite it unseen.
    #[expect(clippy::too_many_arguments, reason = "one answer, described in full")]
    pub(super) fn postmortem(
        self,
        settings: &crate::workflow::Settings,
        now: i64,
        id: i64,
        version: i64,
        workflow: &Workflow,
        created_at: i64,
        updated_at: i64,
    ) -> Postmortem {
        let labels = self.labels();
        Postmortem {
            id,
            version,
            title: self.title,
            status: workflow.state,
            restricted: self.restricted,
            severity: self.severity,
            date: self.date,
            services: labels.services,
            tags: labels.tags,
            created_at,
            updated_at,
            assignment: crate::workflow::assignment(
                settings,
                now,
                created_at,
                self.resolved_at,
                workflow.facilitator.as_ref().map(|f| f.1.clone()),
                workflow.scribe.as_ref().map(|s| s.1.clone()),
            ),
            markdown: self.markdown,
        }
    }
}

impl DocumentFacts {
    /// Services and tags, sorted and without repeats.
    fn labels(&self) -> Labels {
        let sorted = |values: &[String]| {
            let mut values = values.to_vec();
            values.sort();
            values.dedup();
            values
        };
        Labels {
            services: sorted(&self.services),
            tags: sorted(&self.tags),
        }
    }

    /// [`Self::labels`] as the row keeps them.
    pub(super) fn labels_json(&self) -> String {
        serde_json::to_string(&self.labels())
            .unwrap_or_else(|_| r#"{"services":[],"tags":[]}"#.into())
    }

    /// Writes the workflow's fields into the document and reads off its facts.
    pub(super) fn of(
        document: &mut debrief_core::Postmortem,
        workflow: &Workflow,
    ) -> DocumentFacts {
        let meta = &mut document.meta;
        meta.status = Some(workflow.state.as_str().to_string());
        // An assignment made here replaces what the text says; without one, a name the
        // document carries (an imported postmortem's facilitator) is kept, not lost.
        if let Some((_, username)) = &workflow.facilitator {
            meta.facilitator = Some(username.clone());
        }
        if let Some((_, username)) = &workflow.scribe {
            meta.scribe = Some(username.clone());
        }
        DocumentFacts::read(document)
    }

    /// The facts of a document as it stands.
    pub(super) fn read(document: &debrief_core::Postmortem) -> DocumentFacts {
        let analysis = debrief_core::analyse(document);
        let entries: Vec<_> = document.timeline_entries().collect();
        let resolved_at = [Milestone::Resolved, Milestone::Mitigated]
            .into_iter()
            .find_map(|m| analysis.entry_of(m))
            .and_then(|i| entries.get(i))
            .map(|entry| entry.at.as_second());
        let meta = &document.meta;
        DocumentFacts {
            title: meta.title.trim().to_string(),
            restricted: meta.restricted,
            severity: meta.severity.clone(),
            date: meta.date.map(|d| d.to_string()),
            services: meta.services.clone(),
            tags: meta.tags.clone(),
            teams: meta.teams(),
            resolved_at,
            actions: document.action_items().map(ActionFact::of).collect(),
            markdown: debrief_core::write(document),
        }
    }
}

/// Reads Markdown the store will keep, refusing what cannot be rewritten without loss.
pub(super) fn read_document(markdown: &str) -> Result<debrief_core::Postmortem> {
    if markdown.len() > MAX_DOCUMENT_BYTES {
        return Err(StoreError::Invalid(format!(
            "the document is {} bytes; a postmortem may have at most {MAX_DOCUMENT_BYTES}",
            markdown.len()
        )));
    }
    let read = debrief_core::read(markdown);
    if !read.rewritable() {
        let reason = read
            .diagnostics
            .iter()
            .find(|d| d.severity == debrief_core::Severity::Error)
            .map_or_else(
                || "the front matter cannot be read".to_string(),
                |d| {
                    format!(
                        "line {}, column {}: {}",
                        d.span.line, d.span.column, d.message
                    )
                },
            );
        return Err(StoreError::Invalid(reason));
    }
    if read.postmortem.meta.title.trim().is_empty() {
        return Err(StoreError::Invalid(
            "a postmortem needs a title (front matter `title:` or `# Postmortem: ...`)".into(),
        ));
    }
    Ok(read.postmortem)
}
