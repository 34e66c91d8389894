//! Nothing panics on user input: arbitrary text made of Markdown's and postmortems' pieces
//! lints, every finding points inside the text at character boundaries, and fixing is safe.

use debrief_lint::{Config, Options, lint};
use proptest::prelude::*;

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("# Postmortem: X, 2026-01-01\n".to_string()),
        Just("## Timeline (UTC)\n".to_string()),
        Just("## Action items\n".to_string()),
        Just("- [ ] Be more careful (owner: Priya, due: 2 weeks)\n".to_string()),
        Just("- 14:02 [detected] Alert fires\n".to_string()),
        Just("| 2021-06-22 08:21 | Who broke it? |\n|---|---|\n".to_string()),
        Just("Priya’s typo should have been caught. ".to_string()),
        Just("“operator error” ".to_string()),
        Just("`code` ".to_string()),
        Just("```\nfenced\n".to_string()),
        Just("> quoted @handle\n".to_string()),
        Just("<!-- debrief-disable-next-line -->\n".to_string()),
        Just("---\ntitle: [x\n".to_string()),
        Just("\r\n".to_string()),
        Just("https://x.y/z?a=b ".to_string()),
        "[a-zA-Z@#*_()\\[\\]:,.!?' \n-]{0,20}",
        "\\PC{0,12}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_lints_without_panicking(pieces in prop::collection::vec(piece(), 0..24)) {
        let text: String = pieces.concat();
        let mut config = Config::default();
        config.roster.add("Priya", Some("the on-call engineer"));
        let linted = lint(&text, &Options::new(&config, jiff::civil::date(2026, 1, 1)));
        for f in &linted.findings {
            prop_assert!(f.range.start <= f.range.end && f.range.end <= linted.text.len());
            prop_assert!(linted.text.is_char_boundary(f.range.start) && linted.text.is_char_boundary(f.range.end));
            prop_assert!(f.diagnostic.span.line >= 1 && f.diagnostic.span.column >= 1);
        }
        let (fixed, _) = linted.apply_fixes();
        let _ = lint(&fixed, &Options::new(&config, jiff::civil::date(2026, 1, 1)));
    }
}
