//! The English stemmer every part of debrief uses, so that "migrations", "migrated" and
//! "migration" are one word wherever words are compared: the review's recurring causes and
//! the server's search snippets.

use rust_stemmers::{Algorithm, Stemmer};
use std::borrow::Cow;
use std::sync::OnceLock;

/// The Snowball (Porter 2) stem of a lower-case English word: `migrations` → `migrat`.
pub fn stem(word: &str) -> Cow<'_, str> {
    static STEMMER: OnceLock<Stemmer> = OnceLock::new();
    STEMMER
        .get_or_init(|| Stemmer::create(Algorithm::English))
        .stem(word)
}

#[cfg(test)]
mod tests {
    use super::stem;

    #[test]
    fn forms_of_a_word_share_a_stem() {
        for word in ["migration", "migrations", "migrated", "migrating"] {
            assert_eq!(stem(word), "migrat", "{word}");
        }
        assert_eq!(stem("ingresses"), "ingress");
        assert_eq!(stem("dns"), "dns");
    }
}
