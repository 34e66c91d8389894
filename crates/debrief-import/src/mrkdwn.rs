//! Slack's message markup ("mrkdwn") as plain Markdown: mentions of people become their
//! roles, channel and group mentions their names, links Markdown links, and Slack's three
//! escapes their characters.

/// `text` as Markdown on one line, with `<@U123>` written as `role("U123")`.
pub fn to_markdown(text: &str, role: &mut dyn FnMut(&str) -> String) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('<') {
        out.push_str(&unescape(&rest[..open]));
        let after = &rest[open + 1..];
        let Some(close) = after.find('>') else {
            out.push_str(&unescape(&rest[open..]));
            rest = "";
            break;
        };
        out.push_str(&reference(&after[..close], role));
        rest = &after[close + 1..];
    }
    out.push_str(&unescape(rest));
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One `<...>` reference of Slack's markup.
fn reference(inside: &str, role: &mut dyn FnMut(&str) -> String) -> String {
    let (target, label) = match inside.split_once('|') {
        Some((target, label)) => (target, Some(label)),
        None => (inside, None),
    };
    if let Some(user) = target.strip_prefix('@') {
        // The label is the person's name at the time: never written.
        return role(user);
    }
    if let Some(channel) = target.strip_prefix('#') {
        return format!("#{}", label.unwrap_or(channel));
    }
    if let Some(special) = target.strip_prefix('!') {
        return match special.split('^').next().unwrap_or(special) {
            // Broadcasts and groups are written as words: a handle reads as a person.
            "here" => "everyone here".to_string(),
            "channel" | "everyone" => "everyone in the channel".to_string(),
            "subteam" => label.map_or_else(
                || "a group".to_string(),
                |l| format!("the {} group", unescape(l).trim_start_matches('@')),
            ),
            // A date as its fallback text; anything else as its label.
            _ => label.map_or_else(String::new, unescape),
        };
    }
    let target = unescape(target);
    match label {
        Some(label) if !label.is_empty() => {
            let label = unescape(label).replace(['[', ']'], "");
            format!("[{label}]({target})")
        }
        _ => format!("<{target}>"),
    }
}

/// Slack escapes exactly three characters.
fn unescape(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roles(user: &str) -> String {
        match user {
            "U1" => "the on-call SRE".to_string(),
            _ => "a responder".to_string(),
        }
    }

    #[test]
    fn people_become_roles_and_references_markdown() {
        let text = "<@U1|priya> can you check <#C9|payments-alerts>? <!here> see \
                    <https://grafana.example/d/1|the dashboard> &amp; <https://x.example/a?b=1&amp;c=2> \
                    p99 &gt; 2s <!subteam^S1|@db-oncall>";
        assert_eq!(
            to_markdown(text, &mut roles),
            "the on-call SRE can you check #payments-alerts? everyone here see \
             [the dashboard](https://grafana.example/d/1) & <https://x.example/a?b=1&c=2> \
             p99 > 2s the db-oncall group"
        );
    }

    #[test]
    fn unclosed_references_and_lines_are_kept_as_text() {
        assert_eq!(to_markdown("a < b\nand\tc", &mut roles), "a < b and c");
    }
}
