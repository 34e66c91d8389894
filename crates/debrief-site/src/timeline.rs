//! A postmortem's timeline drawn on a time axis: every entry a tick, milestones marked and
//! named, the start and the end of the axis labelled with their times (UTC).

use debrief_html::escape;
use jiff::Timestamp;
use std::fmt::Write;

const WIDTH: f64 = 760.0;
const HEIGHT: f64 = 120.0;
const LEFT: f64 = 20.0;
const RIGHT: f64 = 20.0;
const AXIS_Y: f64 = 60.0;

/// One entry to draw: when, what, and its milestone if any.
pub struct Point<'a> {
    /// When it happened.
    pub at: Timestamp,
    /// What happened (shown on hover).
    pub text: &'a str,
    /// Its milestone's name.
    pub milestone: Option<&'static str>,
}

/// The timeline as SVG; `None` when there is nothing to draw.
pub fn svg(points: &[Point<'_>]) -> Option<String> {
    let first = points.iter().map(|p| p.at).min()?;
    let last = points.iter().map(|p| p.at).max()?;
    let span = (last.as_second() - first.as_second()).max(60) as f64;
    let x = |at: Timestamp| {
        LEFT + (WIDTH - LEFT - RIGHT) * (at.as_second() - first.as_second()) as f64 / span
    };
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"timeline\" width=\"{WIDTH}\" height=\"{HEIGHT}\" \
         viewBox=\"0 0 {WIDTH} {HEIGHT}\" font-family=\"sans-serif\" font-size=\"11\" role=\"img\" \
         aria-label=\"Timeline from {first} to {last}\">\n\
         <line x1=\"{LEFT}\" y1=\"{AXIS_Y}\" x2=\"{:.1}\" y2=\"{AXIS_Y}\" stroke=\"#718096\"/>\n",
        WIDTH - RIGHT
    );
    for point in points {
        let px = x(point.at);
        let _ = writeln!(
            out,
            "<line x1=\"{px:.1}\" y1=\"{:.1}\" x2=\"{px:.1}\" y2=\"{:.1}\" stroke=\"#a0aec0\"><title>{} {}</title></line>",
            AXIS_Y - 5.0,
            AXIS_Y + 5.0,
            point.at.strftime("%Y-%m-%d %H:%M"),
            escape(point.text)
        );
    }
    // Milestones above the axis, alternating heights so that close ones stay readable.
    let mut milestones: Vec<&Point<'_>> = points.iter().filter(|p| p.milestone.is_some()).collect();
    milestones.sort_by_key(|p| p.at);
    for (n, point) in milestones.iter().enumerate() {
        let px = x(point.at);
        let label_y = if n % 2 == 0 { 22.0 } else { 38.0 };
        let name = point.milestone.unwrap_or_default();
        let _ = writeln!(
            out,
            "<circle cx=\"{px:.1}\" cy=\"{AXIS_Y}\" r=\"5\" fill=\"#c05621\"><title>{name}: {}</title></circle>\
             <line x1=\"{px:.1}\" y1=\"{:.1}\" x2=\"{px:.1}\" y2=\"{:.1}\" stroke=\"#c05621\"/>\
             <text x=\"{px:.1}\" y=\"{label_y}\" text-anchor=\"middle\">{name}</text>",
            escape(point.text),
            label_y + 4.0,
            AXIS_Y - 6.0
        );
    }
    let _ = writeln!(
        out,
        "<text x=\"{LEFT}\" y=\"{:.1}\">{}</text><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>\n</svg>",
        AXIS_Y + 24.0,
        first.strftime("%Y-%m-%d %H:%M UTC"),
        WIDTH - RIGHT,
        AXIS_Y + 24.0,
        last.strftime("%Y-%m-%d %H:%M UTC")
    );
    Some(out)
}
