//! The contributing factors a review meeting named, drawn as a cause-and-effect (fishbone)
//! diagram: the incident at the head, one bone per category, alternately above and below the
//! spine, each factor a branch of its bone with its whys beneath it.
//!
//! Plain SVG written here, like the other charts: no script, presentation attributes only
//! (the pages' Content-Security-Policy allows no inline style), every text escaped. Texts
//! are shortened to the room their bone has, the whole kept as a tooltip (`<title>`), and
//! the diagram's `<desc>` says every factor and why in words.

use debrief_core::meeting::Factor;
use debrief_html::escape;
use std::fmt::Write;

const WIDTH: f64 = 760.0;
const LEFT: f64 = 10.0;
/// Where the spine ends and the head begins.
const HEAD_X: f64 = 600.0;
const LINE: f64 = 15.0;
const FONT_SIZE: f64 = 11.0;
/// About how wide a character of the font is, to shorten texts to their room.
const CHAR_WIDTH: f64 = 6.2;

/// The diagram of `factors` leading to `effect` (the incident); `None` without factors.
pub fn svg(effect: &str, factors: &[Factor]) -> Option<String> {
    if factors.is_empty() {
        return None;
    }
    // Categories in the order they were first named, each with its factors.
    let mut bones: Vec<(&str, Vec<&Factor>)> = Vec::new();
    for factor in factors {
        let category = factor.category.trim();
        match bones
            .iter_mut()
            .find(|(c, _)| c.eq_ignore_ascii_case(category))
        {
            Some((_, list)) => list.push(factor),
            None => bones.push((category, vec![factor])),
        }
    }
    let lines = |list: &[&Factor]| list.iter().map(|f| 1 + f.whys.len()).sum::<usize>();
    let tallest = bones.iter().map(|(_, l)| lines(l)).max().unwrap_or(1);
    // Room for the category's name, then a line per factor and why.
    let bone_height = LINE * (tallest as f64 + 2.0);
    let spine_y = bone_height + 10.0;
    let height = 2.0 * bone_height + 20.0;
    let columns = bones.len().div_ceil(2);
    let step = (HEAD_X - LEFT - 20.0) / columns as f64;
    let room = ((step - 16.0) / CHAR_WIDTH).max(8.0) as usize;

    let desc: Vec<String> = factors
        .iter()
        .map(|f| {
            let mut said = format!("{}: {}", f.category.trim(), f.text);
            for why in &f.whys {
                said.push_str(&format!("; why? {why}"));
            }
            said
        })
        .collect();
    let mut out = String::new();
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"fishbone\" width=\"{WIDTH}\" \
         height=\"{height:.0}\" viewBox=\"0 0 {WIDTH} {height:.0}\" font-family=\"sans-serif\" \
         font-size=\"{FONT_SIZE}\" role=\"img\" aria-labelledby=\"fishbone-title fishbone-desc\">\n\
         <title id=\"fishbone-title\">Contributing factors of {}</title>\n\
         <desc id=\"fishbone-desc\">{}</desc>\n\
         <line x1=\"{LEFT}\" y1=\"{spine_y:.1}\" x2=\"{HEAD_X}\" y2=\"{spine_y:.1}\" stroke=\"#2d3748\" stroke-width=\"2\"/>\n",
        escape(effect),
        escape(&desc.join(". "))
    );
    // The head: the incident, in a box, over as many lines as it needs.
    let head_room = ((WIDTH - HEAD_X - 14.0) / CHAR_WIDTH) as usize;
    let head_lines = wrap(effect, head_room, 4);
    let head_height = LINE * head_lines.len() as f64 + 10.0;
    let _ = writeln!(
        out,
        "<rect x=\"{HEAD_X}\" y=\"{:.1}\" width=\"{:.0}\" height=\"{head_height:.1}\" fill=\"#fff5f5\" stroke=\"#c53030\"/>",
        spine_y - head_height / 2.0,
        WIDTH - HEAD_X - 2.0
    );
    for (i, line) in head_lines.iter().enumerate() {
        let y = spine_y - head_height / 2.0 + 5.0 + LINE * (i as f64 + 0.75);
        let _ = writeln!(
            out,
            "<text x=\"{:.1}\" y=\"{y:.1}\" fill=\"#1a202c\">{}</text>",
            HEAD_X + 6.0,
            escape(line)
        );
    }
    for (i, (category, list)) in bones.iter().enumerate() {
        let above = i % 2 == 0;
        let x0 = LEFT + 10.0 + step * (i / 2) as f64;
        // A bone runs from its category's name, away from the spine, to the spine, slanting
        // towards the head.
        let tip_y = if above {
            spine_y - bone_height + LINE
        } else {
            spine_y + bone_height - LINE
        };
        let foot_x = x0 + 24.0;
        let _ = writeln!(
            out,
            "<line x1=\"{x0:.1}\" y1=\"{tip_y:.1}\" x2=\"{foot_x:.1}\" y2=\"{spine_y:.1}\" stroke=\"#4a5568\" stroke-width=\"1.5\"/>"
        );
        let name_y = if above { tip_y - 4.0 } else { tip_y + 12.0 };
        text(&mut out, x0, name_y, category, room, "#1a202c", true);
        // Its factors, each followed by its whys, one line each, read from top to bottom:
        // from under the category's name down to the spine above it, from the spine down
        // below it.
        let first_y = if above {
            spine_y - LINE * lines(list) as f64 + 4.0
        } else {
            spine_y + LINE
        };
        let mut row = 0.0;
        for factor in list {
            for (depth, words) in std::iter::once(&factor.text)
                .chain(&factor.whys)
                .enumerate()
            {
                let y = first_y + LINE * row;
                row += 1.0;
                // Where the bone is at this height.
                let along = (y - spine_y).abs() / (tip_y - spine_y).abs();
                let bone_x = foot_x - (foot_x - x0) * along;
                let indent = if depth == 0 { 6.0 } else { 18.0 };
                let (shown, colour) = if depth == 0 {
                    (words.to_string(), "#1a202c")
                } else {
                    (format!("why? {words}"), "#4a5568")
                };
                if depth == 0 {
                    let _ = writeln!(
                        out,
                        "<line x1=\"{bone_x:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"#a0aec0\"/>",
                        y - 4.0,
                        bone_x + indent - 2.0,
                        y - 4.0
                    );
                }
                let width = room.saturating_sub((indent / CHAR_WIDTH) as usize).max(8);
                text(&mut out, bone_x + indent, y, &shown, width, colour, false);
            }
        }
    }
    out.push_str("</svg>");
    Some(out)
}

/// A text at (x, y), shortened to `room` characters with its whole as a tooltip.
fn text(out: &mut String, x: f64, y: f64, words: &str, room: usize, colour: &str, bold: bool) {
    let words = words.split_whitespace().collect::<Vec<_>>().join(" ");
    let weight = if bold { " font-weight=\"bold\"" } else { "" };
    let shown = shorten(&words, room);
    let tooltip = if shown == words {
        String::new()
    } else {
        format!("<title>{}</title>", escape(&words))
    };
    let _ = writeln!(
        out,
        "<text x=\"{x:.1}\" y=\"{y:.1}\" fill=\"{colour}\"{weight}>{tooltip}{}</text>",
        escape(&shown)
    );
}

/// `words` in at most `room` characters, an ellipsis standing for the rest.
fn shorten(words: &str, room: usize) -> String {
    if words.chars().count() <= room {
        return words.to_string();
    }
    let kept: String = words.chars().take(room.saturating_sub(1)).collect();
    format!("{}…", kept.trim_end())
}

/// `words` over at most `max` lines of `room` characters, the last shortened.
fn wrap(words: &str, room: usize, max: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in words.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= room => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    if lines.len() > max {
        let rest = lines.split_off(max - 1).join(" ");
        lines.push(shorten(&rest, room));
    }
    lines.iter_mut().for_each(|l| *l = shorten(l, room));
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn factor(category: &str, text: &str, whys: &[&str]) -> Factor {
        Factor {
            category: category.into(),
            text: text.into(),
            whys: whys.iter().map(|w| w.to_string()).collect(),
        }
    }

    #[test]
    fn draws_a_bone_per_category_and_says_everything_in_words() {
        let factors = [
            factor(
                "Change",
                "The retry budget was shared by every queue.",
                &[
                    "It was set per service in 2024.",
                    "Queues were added without a review of it.",
                    "No check says a budget is shared.",
                ],
            ),
            factor("Monitoring", "Queue depth was charted per hour.", &[]),
            factor("change", "The deploy ran at peak.", &[]),
        ];
        let svg = svg("Queue stalled", &factors).expect("a diagram");
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        // Two bones: "change" joins "Change".
        assert_eq!(svg.matches("font-weight=\"bold\"").count(), 2);
        assert_eq!(
            svg.matches("why? ").count(),
            2 * 3,
            "each why drawn and described"
        );
        assert!(svg.contains("<desc id=\"fishbone-desc\">Change: The retry budget"));
        assert!(svg.contains("No check says a budget is shared."));
        assert!(
            !svg.contains("style="),
            "no inline style: the pages' CSP forbids it"
        );
        assert_eq!(svg.matches("<text").count(), svg.matches("</text>").count());
    }

    #[test]
    fn escapes_every_text_and_shortens_long_ones() {
        let long = "a ".repeat(200);
        let factors = [factor(
            "<script>",
            &long,
            &["</text><script>alert(1)</script>"],
        )];
        let svg = svg("<img src=x onerror=alert(1)>", &factors).expect("a diagram");
        assert!(!svg.contains("<script>"), "{svg}");
        assert!(!svg.contains("<img"), "{svg}");
        assert!(svg.contains("&lt;script&gt;"));
        assert!(svg.contains('…'), "a long factor is shortened");
        assert!(svg.contains("<title>a a a"), "its whole text is a tooltip");
    }

    #[test]
    fn no_factor_no_diagram() {
        assert_eq!(svg("Queue stalled", &[]), None);
    }
}
