//! Charts as plain SVG: horizontal bars and trend lines, written by hand so that they need
//! no script, no fonts beyond the reader's and no dependency. Every label is escaped.
//!
//! They stay readable when one value dwarfs the others: bars far beyond the rest are drawn
//! broken at a clipped axis with their value written ([`bars`]), and durations are drawn on a
//! logarithmic axis marked in minutes, hours and days ([`duration_trend`]). Labels are
//! shortened to the room they have, with an ellipsis and the full text as a tooltip
//! (`<title>`). Each chart carries a `<title>` and a `<desc>` saying what it shows in words,
//! and all its text is text, so screen readers and search read it.

use debrief_core::milestones::human_duration;
use debrief_html::escape;
use std::fmt::Write;

const WIDTH: f64 = 640.0;
const BAR_HEIGHT: f64 = 22.0;
const LABEL_WIDTH: f64 = 220.0;
const TREND_HEIGHT: f64 = 280.0;
const FONT_SIZE: f64 = 12.0;
/// Colours of the series, in order; readable on white and distinct without colour vision.
const COLOURS: [&str; 4] = ["#2b6cb0", "#c05621", "#2f855a", "#6b46c1"];
/// A bar more than this many times the next one is an outlier, drawn broken.
const OUTLIER_RATIO: f64 = 3.0;
/// Where the longest unbroken bar ends when the axis is clipped, as a share of the room.
const CLIPPED_SHARE: f64 = 0.8;
/// The ticks of the duration axis, in seconds, with their labels.
const DURATION_TICKS: [(f64, &str); 9] = [
    (0.0, "0"),
    (60.0, "1m"),
    (600.0, "10m"),
    (3600.0, "1h"),
    (6.0 * 3600.0, "6h"),
    (86_400.0, "1d"),
    (7.0 * 86_400.0, "1w"),
    (30.0 * 86_400.0, "30d"),
    (365.0 * 86_400.0, "1y"),
];

/// Horizontal bars, one per (label, value), in the order given. When the largest values are
/// more than [`OUTLIER_RATIO`] times the next, the axis is clipped above the rest and those
/// bars are drawn broken, their values written beside them.
pub fn bars(title: &str, rows: &[(String, f64)]) -> String {
    let height = 40.0 + BAR_HEIGHT * rows.len().max(1) as f64;
    let values: Vec<f64> = rows.iter().map(|r| r.1).collect();
    let clip = clip(&values);
    let max = clip.unwrap_or_else(|| values.iter().copied().fold(0.0, f64::max).max(1.0));
    let span = WIDTH - LABEL_WIDTH - 60.0;
    let mut desc: Vec<String> = rows
        .iter()
        .map(|(label, value)| format!("{label}: {}", number(*value)))
        .collect();
    if let Some(clip) = clip {
        desc.push(format!(
            "bars beyond {} are drawn broken, with their values written",
            number(clip.round())
        ));
    }
    let mut out = header(title, &desc.join("; "), height);
    for (i, (label, value)) in rows.iter().enumerate() {
        let y = 30.0 + BAR_HEIGHT * i as f64;
        let h = BAR_HEIGHT - 6.0;
        let broken = clip.is_some_and(|c| *value > c);
        let w = if broken {
            span
        } else {
            (value / max * span * if clip.is_some() { CLIPPED_SHARE } else { 1.0 }).max(1.0)
        };
        let _ = write!(
            out,
            "{}<rect x=\"{LABEL_WIDTH}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"{h:.1}\" fill=\"{}\"/>",
            label_text(label, LABEL_WIDTH - 8.0, y + 15.0, LABEL_WIDTH - 16.0),
            y + 3.0,
            COLOURS[0],
        );
        if broken {
            // A white slanted gap across the bar: the axis is cut there.
            let x = LABEL_WIDTH + span * 0.9;
            let _ = write!(
                out,
                "<path d=\"M{:.1},{:.1} L{:.1},{:.1} L{:.1},{:.1} L{:.1},{:.1} Z\" fill=\"#fff\"/>",
                x - 4.0,
                y + 3.0 + h + 1.0,
                x + 2.0,
                y + 2.0,
                x + 7.0,
                y + 2.0,
                x + 1.0,
                y + 3.0 + h + 1.0
            );
        }
        let _ = writeln!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\"{}>{}</text>",
            LABEL_WIDTH + w + 6.0,
            y + 15.0,
            if broken { " font-weight=\"bold\"" } else { "" },
            number(*value)
        );
    }
    out.push_str("</svg>\n");
    out
}

/// Where to clip the axis of bars, if some are outliers: above the largest value that is
/// not, so that it ends at [`CLIPPED_SHARE`] of the room. At most a quarter of the bars (and
/// at least one) may be outliers, and one bar alone is never one.
fn clip(values: &[f64]) -> Option<f64> {
    let mut sorted: Vec<f64> = values
        .iter()
        .copied()
        .filter(|v| v.is_finite() && *v > 0.0)
        .collect();
    if sorted.len() < 2 {
        return None;
    }
    sorted.sort_by(|a, b| b.total_cmp(a));
    let most = (sorted.len() / 4).clamp(1, sorted.len() - 1);
    (1..=most)
        .find(|&k| sorted[k - 1] > OUTLIER_RATIO * sorted[k])
        .map(|k| sorted[k])
}

/// Durations (in seconds) over labelled points (months, quarters) on a logarithmic axis
/// marked in minutes, hours and days, so that a day-long incident does not flatten the
/// ten-minute ones; a missing value breaks the line.
pub fn duration_trend(
    title: &str,
    labels: &[String],
    series: &[(&str, Vec<Option<f64>>)],
) -> String {
    let (left, right, top, bottom) = (60.0, 20.0, 44.0, 56.0);
    let plot_w = WIDTH - left - right;
    let plot_h = TREND_HEIGHT - top - bottom;
    let max = series
        .iter()
        .flat_map(|(_, values)| values.iter().flatten())
        .fold(0.0, |a: f64, b| a.max(*b));
    // The axis runs to the first tick at or above the largest value, and to an hour at least.
    let last_tick = DURATION_TICKS
        .iter()
        .position(|(s, _)| *s >= max.max(3600.0))
        .unwrap_or(DURATION_TICKS.len() - 1);
    let scale = |seconds: f64| (1.0 + seconds.max(0.0) / 60.0).log10();
    let ceiling = scale(DURATION_TICKS[last_tick].0.max(max));
    let x = |i: usize| left + plot_w * (i as f64 + 0.5) / labels.len().max(1) as f64;
    let y = |v: f64| top + plot_h * (1.0 - scale(v) / ceiling);

    let desc: Vec<String> = series
        .iter()
        .map(|(name, values)| {
            let points: Vec<String> = labels
                .iter()
                .zip(values)
                .filter_map(|(label, v)| v.map(|v| format!("{label} {}", seconds(v))))
                .collect();
            format!("{name}: {}", points.join(", "))
        })
        .collect();
    let mut out = header(
        title,
        &format!("{}; logarithmic axis", desc.join("; ")),
        TREND_HEIGHT,
    );
    // The grid, one line per tick, labelled in durations.
    for (seconds, label) in &DURATION_TICKS[..=last_tick] {
        let _ = write!(
            out,
            "<line x1=\"{left}\" y1=\"{0:.1}\" x2=\"{1:.1}\" y2=\"{0:.1}\" stroke=\"{2}\"/>\
             <text x=\"{3:.1}\" y=\"{4:.1}\" text-anchor=\"end\">{label}</text>",
            y(*seconds),
            left + plot_w,
            if *seconds == 0.0 { "#999" } else { "#e2e8f0" },
            left - 6.0,
            y(*seconds) + 4.0,
        );
    }
    let _ = writeln!(
        out,
        "<line x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{:.1}\" stroke=\"#999\"/>\
         <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" font-size=\"10\" fill=\"#4a5568\">logarithmic axis</text>",
        top + plot_h,
        left + plot_w,
        top - 8.0,
    );
    // As many labels along the bottom as fit, evenly spread; the last one always shown.
    let slot = plot_w / labels.len().max(1) as f64;
    let widest = labels.iter().map(|l| text_width(l)).fold(0.0, f64::max);
    let step = ((widest + 8.0) / slot).ceil().max(1.0) as usize;
    let last = labels.len().saturating_sub(1);
    for (i, label) in labels.iter().enumerate() {
        if i == last || (i % step == 0 && last - i >= step) {
            let _ = write!(
                out,
                "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
                x(i),
                top + plot_h + 18.0,
                escape(label)
            );
        }
    }
    out.push('\n');
    for (n, (name, values)) in series.iter().enumerate() {
        let colour = COLOURS[n % COLOURS.len()];
        let mut path = String::new();
        let mut pen_down = false;
        for (i, value) in values.iter().enumerate() {
            match value {
                Some(v) => {
                    let _ = write!(
                        path,
                        "{}{:.1},{:.1} ",
                        if pen_down { "L" } else { "M" },
                        x(i),
                        y(*v)
                    );
                    pen_down = true;
                }
                None => pen_down = false,
            }
        }
        if !path.is_empty() {
            let _ = write!(
                out,
                "<path d=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"{}/>",
                path.trim_end(),
                dash(n)
            );
        }
        for (i, value) in values.iter().enumerate() {
            if let Some(v) = value {
                let _ = write!(
                    out,
                    "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3.5\" fill=\"{colour}\"><title>{}: {} {}</title></circle>",
                    x(i),
                    y(*v),
                    escape(&labels[i]),
                    escape(name),
                    seconds(*v)
                );
            }
        }
        // The legend: a stretch of the series' line, dashed like it, and its name.
        let at = left + 180.0 * n as f64;
        let _ = writeln!(
            out,
            "<line x1=\"{at:.1}\" y1=\"{0:.1}\" x2=\"{1:.1}\" y2=\"{0:.1}\" stroke=\"{colour}\" \
             stroke-width=\"2\"{2}/><circle cx=\"{3:.1}\" cy=\"{0:.1}\" r=\"3.5\" fill=\"{colour}\"/>\
             <text x=\"{4:.1}\" y=\"{5:.1}\">{6}</text>",
            TREND_HEIGHT - 16.0,
            at + 24.0,
            dash(n),
            at + 12.0,
            at + 30.0,
            TREND_HEIGHT - 12.0,
            escape(name)
        );
    }
    out.push_str("</svg>\n");
    out
}

/// Every other series is dashed, so that lines are told apart without colour.
fn dash(series: usize) -> &'static str {
    if series % 2 == 1 {
        " stroke-dasharray=\"6 3\""
    } else {
        ""
    }
}

fn header(title: &str, desc: &str, height: f64) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{height:.0}\" \
         viewBox=\"0 0 {WIDTH} {height:.0}\" font-family=\"sans-serif\" font-size=\"{FONT_SIZE}\" \
         role=\"img\" aria-label=\"{0}\">\n<title>{0}</title><desc>{1}</desc>\
         <text x=\"10\" y=\"18\" font-size=\"14\" font-weight=\"bold\">{2}</text>\n",
        escape(title),
        escape(desc),
        escape(&shorten(title, WIDTH - 20.0, 14.0)),
    )
}

/// A label ending at `x`, shortened to `room` pixels; a shortened one carries its full text
/// as a tooltip.
fn label_text(label: &str, x: f64, y: f64, room: f64) -> String {
    let short = shorten(label, room, FONT_SIZE);
    let tooltip = if short == label {
        String::new()
    } else {
        format!("<title>{}</title>", escape(label))
    };
    format!(
        "<text x=\"{x:.1}\" y=\"{y:.1}\" text-anchor=\"end\">{tooltip}{}</text>",
        escape(&short)
    )
}

/// The text cut to fit `room` pixels at `size`, with an ellipsis when cut.
fn shorten(text: &str, room: f64, size: f64) -> String {
    let scale = size / FONT_SIZE;
    if text_width(text) * scale <= room {
        return text.to_string();
    }
    let mut out = String::new();
    let mut width = text_width("…") * scale;
    for c in text.chars() {
        width += char_width(c) * scale;
        if width > room {
            break;
        }
        out.push(c);
    }
    let mut out = out.trim_end().to_string();
    out.push('…');
    out
}

/// The width of text at [`FONT_SIZE`] in a common sans-serif, estimated generously (from
/// DejaVu Sans, wider than most), so that what is said to fit does.
fn text_width(text: &str) -> f64 {
    text.chars().map(char_width).sum()
}

fn char_width(c: char) -> f64 {
    let em = match c {
        'i' | 'j' | 'l' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' => 0.3,
        ' ' | 'f' | 't' | 'r' | '(' | ')' | '[' | ']' | '-' | 'I' => 0.4,
        'm' | 'w' => 0.95,
        'M' | 'W' => 1.0,
        'A'..='Z' => 0.72,
        '0'..='9' => 0.64,
        c if c.is_ascii() => 0.62,
        c if c as u32 >= 0x2E80 => 1.0,
        _ => 0.7,
    };
    em * FONT_SIZE
}

fn number(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    }
}

/// Seconds as "2h 05m", to the minute.
fn seconds(value: f64) -> String {
    human_duration((value / 60.0).round() as i64 * 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_escaped_and_bars_scale_to_the_largest() {
        let svg = bars("Causes", &[("<script>".into(), 4.0), ("b & c".into(), 2.0)]);
        assert!(svg.contains("&lt;script&gt;") && !svg.contains("<script>"));
        assert!(svg.contains("b &amp; c"));
        assert!(
            svg.contains("width=\"360.0\"") && svg.contains("width=\"180.0\""),
            "{svg}"
        );
        assert_eq!(svg.matches("<svg").count(), svg.matches("</svg>").count());
        assert!(
            svg.contains("<desc>&lt;script&gt;: 4; b &amp; c: 2</desc>"),
            "{svg}"
        );
    }

    #[test]
    fn an_outlier_bar_is_broken_and_the_others_keep_their_length() {
        let rows: Vec<(String, f64)> = [("outlier", 54.0), ("a", 4.0), ("b", 2.0), ("c", 3.0)]
            .into_iter()
            .map(|(l, v)| (l.to_string(), v))
            .collect();
        let svg = bars("Hours to resolve", &rows);
        // The axis is clipped at 4: it ends at 80% of the 360 pixels, 2 at half that.
        assert!(svg.contains("width=\"288.0\""), "{svg}");
        assert!(svg.contains("width=\"144.0\""), "{svg}");
        // The outlier runs the whole room, is cut by a gap, and says its value in bold.
        assert!(svg.contains("width=\"360.0\""), "{svg}");
        assert_eq!(svg.matches("fill=\"#fff\"").count(), 1, "{svg}");
        assert!(svg.contains("font-weight=\"bold\">54</text>"), "{svg}");
        assert!(svg.contains("bars beyond 4 are drawn broken"), "{svg}");
        // Values close together are not clipped.
        assert_eq!(clip(&[5.0, 4.0, 3.0]), None);
        assert_eq!(clip(&[54.0]), None);
        assert_eq!(clip(&[54.0, 2.0]), Some(2.0));
    }

    #[test]
    fn long_labels_are_shortened_with_the_full_text_as_a_tooltip() {
        let long = "Kubernetes ingress controller Traefik v2 configuration caused outage";
        let svg = bars(
            "Causes",
            &[(long.to_string(), 2.0), ("short".to_string(), 1.0)],
        );
        assert!(svg.contains(&format!("<title>{long}</title>")), "{svg}");
        let shown = svg
            .split(&format!("<title>{long}</title>"))
            .nth(1)
            .and_then(|rest| rest.split("</text>").next())
            .expect("the shortened label");
        assert!(shown.ends_with('…') && long.starts_with(shown.trim_end_matches('…')));
        assert!(text_width(shown) <= LABEL_WIDTH - 16.0, "{shown}");
        assert!(svg.contains(">short</text>") && !svg.contains("<title>short</title>"));
    }

    #[test]
    fn durations_on_a_log_axis_keep_short_ones_apart() {
        let labels: Vec<String> = ["2026-Q1", "2026-Q2", "2026-Q3"].map(String::from).to_vec();
        // Five minutes, ten minutes, and a 54-hour outlier.
        let svg = duration_trend(
            "Resolve",
            &labels,
            &[(
                "time to resolve",
                vec![Some(300.0), Some(600.0), Some(194_400.0)],
            )],
        );
        let cy = |label: &str| -> f64 {
            let at = svg.find(&format!("<title>{label}:")).expect(label);
            let before = &svg[..at];
            let start = before.rfind("cy=\"").expect("cy") + 4;
            before[start..]
                .split('"')
                .next()
                .and_then(|v| v.parse().ok())
                .expect("a number")
        };
        let bottom = TREND_HEIGHT - 56.0;
        // On a linear axis both would sit within a pixel of the bottom.
        assert!(bottom - cy("2026-Q1") > 30.0, "{svg}");
        assert!(cy("2026-Q1") - cy("2026-Q2") > 10.0, "{svg}");
        assert!(
            svg.contains(">1w</text>") && !svg.contains(">30d</text>"),
            "{svg}"
        );
        assert!(svg.contains("<title>2026-Q3: time to resolve 2d 6h</title>"));
        assert!(svg.contains("<desc>time to resolve: 2026-Q1 5m, 2026-Q2 10m, 2026-Q3 2d 6h; logarithmic axis</desc>"), "{svg}");
    }

    #[test]
    fn a_missing_point_breaks_the_line() {
        let labels: Vec<String> = ["2026-01", "2026-02", "2026-03"].map(String::from).to_vec();
        let svg = duration_trend(
            "Detect",
            &labels,
            &[("median", vec![Some(600.0), None, Some(300.0)])],
        );
        assert_eq!(
            svg.matches(" M").count() + usize::from(svg.contains("d=\"M")),
            2,
            "{svg}"
        );
    }

    #[test]
    fn month_labels_that_would_overlap_are_thinned() {
        let labels: Vec<String> = (1..=36)
            .map(|m| format!("{}-{:02}", 2020 + (m - 1) / 12, (m - 1) % 12 + 1))
            .collect();
        let values = vec![Some(600.0); 36];
        let svg = duration_trend("Detect", &labels, &[("median", values)]);
        let shown: Vec<&str> = labels
            .iter()
            .map(String::as_str)
            .filter(|l| svg.contains(&format!("text-anchor=\"middle\">{l}</text>")))
            .collect();
        assert!(shown.len() < 36 && shown.len() >= 6, "{shown:?}");
        assert_eq!(shown.last(), Some(&"2022-12"), "the last label is shown");
        assert_eq!(shown.first(), Some(&"2020-01"));
    }
}
