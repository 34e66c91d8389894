//! `debrief explain`: the rules, from their one definition.

use crate::Outcome;
use crate::cli::ExplainArgs;
use anyhow::{Result, bail};
use debrief_lint::{RULES, Rule};
use std::fmt::Write as _;

pub fn run(args: ExplainArgs) -> Result<Outcome> {
    match args.rule {
        None => print!("{}", list()),
        Some(id) => match debrief_core::RuleId::parse(&id).and_then(debrief_lint::rule) {
            Some(rule) => print!("{}", explain(rule)),
            None => {
                let near: Vec<&str> = RULES
                    .iter()
                    .map(|r| r.id.as_str())
                    .filter(|r| r.contains(id.as_str()) || id.contains(r))
                    .collect();
                let hint = if near.is_empty() {
                    String::new()
                } else {
                    format!(" (did you mean {}?)", near.join(", "))
                };
                bail!("unknown rule `{id}`{hint}; `debrief explain` lists the rules");
            }
        },
    }
    Ok(Outcome::Clean)
}

fn list() -> String {
    let width = RULES.iter().map(|r| r.id.as_str().len()).max().unwrap_or(0);
    let mut out = String::new();
    for category in [
        debrief_lint::Category::Blame,
        debrief_lint::Category::ActionItem,
        debrief_lint::Category::Structure,
    ] {
        let _ = writeln!(out, "{}:", category.name());
        for rule in RULES.iter().filter(|r| r.category == category) {
            let _ = writeln!(
                out,
                "  {:<width$}  {:<7}  {}",
                rule.id,
                rule.severity.name(),
                rule.summary
            );
        }
        out.push('\n');
    }
    out.push_str("`debrief explain RULE` shows one rule; debrief.toml's [lint.severity] changes severities.\n");
    out
}

/// One rule's documentation, wrapped for a terminal.
pub fn explain(rule: &Rule) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} ({}, {} by default)\n",
        rule.id,
        rule.category.name(),
        rule.severity.name()
    );
    let _ = writeln!(out, "{}\n", rule.summary);
    let _ = writeln!(out, "{}\n", wrap(rule.description, 80));
    let _ = writeln!(out, "Reported:");
    for line in rule.bad.lines() {
        let _ = writeln!(out, "    {line}");
    }
    let _ = writeln!(out, "\nInstead:");
    for line in rule.good.lines() {
        let _ = writeln!(out, "    {line}");
    }
    let _ = writeln!(
        out,
        "\nTo change its severity or turn it off, in debrief.toml:\n\n    [lint.severity]\n    {} = \"info\"   # or \"warning\", \"error\", \"off\"",
        rule.id
    );
    let _ = writeln!(
        out,
        "\nTo silence one occurrence, on the line before it:\n\n    <!-- debrief-disable-next-line {} -->",
        rule.id
    );
    out
}

fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = 0;
    for word in text.split_whitespace() {
        if line > 0 && line + 1 + word.len() > width {
            out.push('\n');
            line = 0;
        } else if line > 0 {
            out.push(' ');
            line += 1;
        }
        out.push_str(word);
        line += word.len();
    }
    out
}
