//! Charts as plain SVG: horizontal bars and trend lines, written by hand so that they need
//! no script, no fonts beyond the reader's and no dependency. Every label is escaped.

use std::fmt::Write;

const WIDTH: f64 = 640.0;
const BAR_HEIGHT: f64 = 22.0;
const LABEL_WIDTH: f64 = 220.0;
const TREND_HEIGHT: f64 = 260.0;
/// Colours of the series, in order; readable on white and distinct without colour vision.
const COLOURS: [&str; 4] = ["#2b6cb0", "#c05621", "#2f855a", "#6b46c1"];

/// Escapes text for XML and HTML.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// Horizontal bars, one per (label, value), in the order given.
pub fn bars(title: &str, rows: &[(String, f64)]) -> String {
    let height = 40.0 + BAR_HEIGHT * rows.len().max(1) as f64;
    let max = rows.iter().map(|r| r.1).fold(0.0, f64::max).max(1.0);
    let span = WIDTH - LABEL_WIDTH - 60.0;
    let mut out = header(title, height);
    for (i, (label, value)) in rows.iter().enumerate() {
        let y = 30.0 + BAR_HEIGHT * i as f64;
        let w = (value / max * span).max(1.0);
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>\
             <rect x=\"{LABEL_WIDTH}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"{:.1}\" fill=\"{}\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            LABEL_WIDTH - 8.0,
            y + 15.0,
            escape(&shorten(label, 32)),
            y + 3.0,
            BAR_HEIGHT - 6.0,
            COLOURS[0],
            LABEL_WIDTH + w + 6.0,
            y + 15.0,
            number(*value)
        );
    }
    out.push_str("</svg>\n");
    out
}

/// Trend lines over labelled points (months); a missing value breaks the line.
pub fn trend(
    title: &str,
    unit: &str,
    labels: &[String],
    series: &[(&str, Vec<Option<f64>>)],
) -> String {
    let (left, right, top, bottom) = (60.0, 20.0, 40.0, 50.0);
    let plot_w = WIDTH - left - right;
    let plot_h = TREND_HEIGHT - top - bottom;
    let max = series
        .iter()
        .flat_map(|(_, values)| values.iter().flatten())
        .fold(0.0, |a: f64, b| a.max(*b))
        .max(1.0);
    let x = |i: usize| left + plot_w * (i as f64 + 0.5) / labels.len().max(1) as f64;
    let y = |v: f64| top + plot_h * (1.0 - v / max);
    let mut out = header(title, TREND_HEIGHT);
    // Axes and the scale.
    let _ = writeln!(
        out,
        "<line x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{:.1}\" stroke=\"#999\"/>\
         <line x1=\"{left}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"#999\"/>\
         <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{} {}</text>\
         <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">0</text>",
        top + plot_h,
        top + plot_h,
        left + plot_w,
        top + plot_h,
        left - 6.0,
        top + 4.0,
        number(max),
        escape(unit),
        left - 6.0,
        top + plot_h + 4.0
    );
    // At most twelve month labels, evenly spread.
    let step = labels.len().div_ceil(12).max(1);
    for (i, label) in labels.iter().enumerate().step_by(step) {
        let _ = write!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            x(i),
            top + plot_h + 18.0,
            escape(label)
        );
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
                "<path d=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"/>",
                path.trim_end()
            );
        }
        for (i, value) in values.iter().enumerate() {
            if let Some(v) = value {
                let _ = write!(
                    out,
                    "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3\" fill=\"{colour}\"><title>{}: {} {}</title></circle>",
                    x(i),
                    y(*v),
                    escape(&labels[i]),
                    number(*v),
                    escape(unit)
                );
            }
        }
        let _ = writeln!(
            out,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"12\" height=\"12\" fill=\"{colour}\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            left + 160.0 * n as f64,
            TREND_HEIGHT - 20.0,
            left + 160.0 * n as f64 + 16.0,
            TREND_HEIGHT - 10.0,
            escape(name)
        );
    }
    out.push_str("</svg>\n");
    out
}

fn header(title: &str, height: f64) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{height:.0}\" \
         viewBox=\"0 0 {WIDTH} {height:.0}\" font-family=\"sans-serif\" font-size=\"12\" \
         role=\"img\" aria-label=\"{0}\">\n<title>{0}</title>\
         <text x=\"10\" y=\"18\" font-size=\"14\" font-weight=\"bold\">{0}</text>\n",
        escape(title)
    )
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let cut: String = text.chars().take(max - 1).collect();
        format!("{cut}…")
    }
}

fn number(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    }
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
    }

    #[test]
    fn a_missing_month_breaks_the_line() {
        let labels: Vec<String> = ["2026-01", "2026-02", "2026-03"].map(String::from).to_vec();
        let svg = trend(
            "Detect",
            "min",
            &labels,
            &[("median", vec![Some(10.0), None, Some(5.0)])],
        );
        assert_eq!(
            svg.matches(" M").count() + usize::from(svg.contains("d=\"M")),
            2,
            "{svg}"
        );
    }
}
