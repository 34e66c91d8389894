//! Recurring causes: contributing-factor text from many postmortems, grouped when it says
//! the same thing, deterministically and explainably.
//!
//! Each factor (a bullet, or a paragraph when there are no bullets) becomes a TF-IDF vector
//! over stemmed words, weighted so that words every postmortem uses count for little.
//! Factors are first grouped by their two heaviest words that recur in other postmortems,
//! which keeps the work near linear
//! in the number of factors (an organisation's whole history runs in well under a second);
//! groups are then merged into clusters that share one of those words while the cosine
//! similarity of their centroids is at least [`MERGE_COSINE`]. A cause is a group that spans at least two
//! postmortems; it is named by the longest run of words its postmortems share, and lists
//! the words most of its factors share.

use crate::text::words;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// Centroids at least this similar are one cause.
pub const MERGE_COSINE: f64 = 0.2;
/// Words kept per factor vector (the heaviest).
const TERMS_PER_FACTOR: usize = 12;
/// Shared words shown per cause.
const SHARED_SHOWN: usize = 5;

/// A factor: which postmortem it comes from, and its text.
#[derive(Debug, Clone, Copy)]
pub struct Factor<'a> {
    /// Index of the postmortem in the review's input.
    pub postmortem: usize,
    /// The factor's text.
    pub text: &'a str,
}

/// A cause that recurs across postmortems.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cause {
    /// What it is, as its postmortems say it: the longest run of words (two or three content
    /// words, with the words between them as written) found in at least half of its
    /// postmortems, such as "target group deregistration"; the shared words, joined, when no
    /// run recurs.
    pub name: String,
    /// The words most of its factors share (each as first written), heaviest first.
    pub shared: Vec<String>,
    /// The postmortems behind it (indexes into the input), in input order.
    pub postmortems: Vec<usize>,
    /// Its texts (indexes into the factors given), in input order.
    pub members: Vec<usize>,
    /// The stems of the shared words, to find them in the postmortems' own words.
    #[serde(skip)]
    pub stems: Vec<String>,
    /// Mean cosine similarity of its factors to their centroid: how alike they are.
    pub cohesion: f64,
}

/// A sparse vector: (term id, weight), sorted by term id, L2-normalised.
type Vector = Vec<(u32, f64)>;

/// Finds the recurring causes among factors, most postmortems first.
pub fn recurring(factors: &[Factor<'_>]) -> Vec<Cause> {
    // Terms: stems, with the most frequent written form of each for display.
    let mut ids: HashMap<std::rc::Rc<str>, u32> = HashMap::new();
    let mut stems: Vec<String> = Vec::new();
    let mut written: Vec<String> = Vec::new();
    let mut documents: Vec<Vec<(u32, f64)>> = Vec::with_capacity(factors.len());
    let mut lower = String::new();
    for factor in factors {
        let mut counts: BTreeMap<u32, f64> = BTreeMap::new();
        for word in words(factor.text) {
            let next = u32::try_from(ids.len()).unwrap_or(u32::MAX);
            let id = *ids.entry(word.stem.clone()).or_insert(next);
            if id as usize == written.len() {
                written.push(String::new());
                stems.push(word.stem.to_string());
            }
            if written[id as usize].is_empty() {
                // The first way it was written names it: deterministic, and no counting per
                // occurrence.
                crate::text::lowercase(word.written, &mut lower);
                written[id as usize].push_str(&lower);
            }
            *counts.entry(id).or_default() += 1.0;
        }
        documents.push(counts.into_iter().collect());
    }
    // Document frequency is counted per postmortem, so that one postmortem repeating a word
    // in every bullet does not make it common.
    let mut df = vec![0u32; ids.len()];
    let mut seen: HashMap<(usize, u32), ()> = HashMap::new();
    for (factor, terms) in factors.iter().zip(&documents) {
        for (term, _) in terms {
            if seen.insert((factor.postmortem, *term), ()).is_none() {
                df[*term as usize] += 1;
            }
        }
    }
    let postmortems = factors
        .iter()
        .map(|f| f.postmortem)
        .max()
        .map_or(0, |m| m + 1) as f64;
    let vectors: Vec<Vector> = documents
        .iter()
        .map(|terms| {
            let mut weighted: Vec<(u32, f64)> = terms
                .iter()
                .map(|&(term, tf)| {
                    let idf =
                        ((1.0 + postmortems) / (1.0 + f64::from(df[term as usize]))).ln() + 1.0;
                    (term, (1.0 + tf.ln()) * idf)
                })
                .collect();
            // The heaviest terms; ties by term id, so the result never depends on hashing.
            weighted.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            weighted.truncate(TERMS_PER_FACTOR);
            weighted.sort_by_key(|t| t.0);
            normalise(&mut weighted);
            weighted
        })
        .collect();

    // Candidate groups: the two heaviest terms of each factor among those another postmortem
    // uses too. TF-IDF makes a factor's rarest words its heaviest, and a word no other
    // postmortem uses cannot make a cause recur; a factor with no such word recurs nowhere.
    let mut groups: BTreeMap<(u32, u32), Vec<usize>> = BTreeMap::new();
    for (i, vector) in vectors.iter().enumerate() {
        let mut heaviest: Vec<&(u32, f64)> = vector
            .iter()
            .filter(|(term, _)| df[*term as usize] >= 2)
            .collect();
        heaviest.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        match heaviest.as_slice() {
            [] => {}
            [only] => groups.entry((only.0, u32::MAX)).or_default().push(i),
            [first, second, ..] => groups.entry((first.0, second.0)).or_default().push(i),
        }
    }
    // Merge groups into clusters that share one of their two heaviest terms while the
    // centroids are similar enough. Largest groups first, so small ones join the big ones
    // they resemble; ties by key, so the result never depends on hashing.
    let mut ordered: Vec<((u32, u32), Vec<usize>)> = groups.into_iter().collect();
    ordered.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(&b.0)));
    // Each cluster: its members, the sum of their vectors, and that sum normalised.
    let mut clusters: Vec<(Vec<usize>, BTreeMap<u32, f64>, Vector)> = Vec::new();
    let mut by_term: HashMap<u32, Vec<usize>> = HashMap::new();
    for ((lead, second), members) in ordered {
        let c = centroid(&members, &vectors);
        let mut candidates: Vec<usize> = [lead, second]
            .iter()
            .filter_map(|t| by_term.get(t))
            .flatten()
            .copied()
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        let best = candidates
            .into_iter()
            .map(|k| (cosine(&c, &clusters[k].2), k))
            .filter(|(s, _)| *s >= MERGE_COSINE)
            .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)));
        let k = match best {
            Some((_, k)) => k,
            None => {
                clusters.push((Vec::new(), BTreeMap::new(), Vec::new()));
                clusters.len() - 1
            }
        };
        // Adding to a running sum keeps a merge proportional to the group, not the cluster.
        let (cluster_members, sum, normalised) = &mut clusters[k];
        for &i in &members {
            for &(term, weight) in &vectors[i] {
                *sum.entry(term).or_default() += weight;
            }
        }
        cluster_members.extend(members);
        *normalised = sum.iter().map(|(t, w)| (*t, *w)).collect();
        normalise(normalised);
        for term in [lead, second] {
            let list = by_term.entry(term).or_default();
            if !list.contains(&k) {
                list.push(k);
            }
        }
    }
    let clusters: Vec<Vec<usize>> = clusters.into_iter().map(|(m, _, _)| m).collect();

    let mut causes: Vec<Cause> = clusters
        .into_iter()
        .filter_map(|mut members| {
            members.sort_unstable();
            let mut postmortems: Vec<usize> =
                members.iter().map(|&i| factors[i].postmortem).collect();
            postmortems.dedup();
            postmortems.sort_unstable();
            postmortems.dedup();
            if postmortems.len() < 2 {
                return None;
            }
            let c = centroid(&members, &vectors);
            let cohesion = members
                .iter()
                .map(|&i| cosine(&vectors[i], &c))
                .sum::<f64>()
                / members.len() as f64;
            let shared = shared_terms(&members, &vectors, &c);
            let stems = shared
                .iter()
                .filter_map(|&term| stems.get(term as usize).cloned())
                .collect();
            let shared: Vec<String> = shared
                .iter()
                .map(|&term| written[term as usize].clone())
                .collect();
            Some(Cause {
                name: shared_phrase(factors, &members).unwrap_or_else(|| shared.join(", ")),
                shared,
                postmortems,
                members,
                stems,
                cohesion,
            })
        })
        .collect();
    causes.sort_by(|a, b| {
        b.postmortems
            .len()
            .cmp(&a.postmortems.len())
            .then(b.cohesion.total_cmp(&a.cohesion))
            .then(a.name.cmp(&b.name))
    });
    causes
}

/// The longest contiguous run of content words found in the factors of at least half of the
/// cause's postmortems (two at least), the most widely found of those: a name in the
/// postmortems' own words. Runs are compared by stems ("deregistration delays" and "deregistration delay"
/// agree) and shown as first written, with the words between them ("target group of the
/// ALB").
fn shared_phrase(factors: &[Factor<'_>], members: &[usize]) -> Option<String> {
    const LONGEST: usize = 3;
    // For each run of stems: the postmortems it occurs in, and where it was first written.
    let mut runs: HashMap<Vec<std::rc::Rc<str>>, Run<'_>> = HashMap::new();
    for (order, &i) in members.iter().enumerate() {
        let text = factors[i].text;
        let found = words(text);
        let base = text.as_ptr() as usize;
        for n in 2..=LONGEST {
            for (k, window) in found.windows(n).enumerate() {
                let start = window[0].written.as_ptr() as usize - base;
                let last = window[n - 1].written;
                let end = last.as_ptr() as usize - base + last.len();
                let span = &text[start..end];
                // A run across a sentence or a list item is no phrase.
                if span.contains(['.', ';', ':', '\n', '(', ')', '[', ']']) {
                    continue;
                }
                let key: Vec<std::rc::Rc<str>> = window.iter().map(|w| w.stem.clone()).collect();
                let entry = runs
                    .entry(key)
                    .or_insert_with(|| (Vec::new(), order * 1000 + k, span));
                if !entry.0.contains(&factors[i].postmortem) {
                    entry.0.push(factors[i].postmortem);
                }
            }
        }
    }
    let mut all: Vec<usize> = members.iter().map(|&i| factors[i].postmortem).collect();
    all.sort_unstable();
    all.dedup();
    let enough = 2.max(all.len().div_ceil(2));
    runs.into_iter()
        .filter(|(_, (postmortems, _, _))| postmortems.len() >= enough)
        .max_by(|(a_key, (a_pm, a_at, _)), (b_key, (b_pm, b_at, _))| {
            a_key
                .len()
                .cmp(&b_key.len())
                .then(a_pm.len().cmp(&b_pm.len()))
                .then(b_at.cmp(a_at))
        })
        .map(|(_, (_, _, span))| span.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Where a run of stems occurs: its postmortems, the order it was first met in, and the text
/// it was first written as.
type Run<'a> = (Vec<usize>, usize, &'a str);

/// The terms at least half the members contain, heaviest in the centroid first.
fn shared_terms(members: &[usize], vectors: &[Vector], centroid: &Vector) -> Vec<u32> {
    let mut terms: Vec<(u32, f64)> = centroid
        .iter()
        .filter(|(term, _)| {
            let having = members
                .iter()
                .filter(|&&i| vectors[i].binary_search_by_key(term, |t| t.0).is_ok())
                .count();
            having * 2 >= members.len()
        })
        .copied()
        .collect();
    terms.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    terms
        .into_iter()
        .take(SHARED_SHOWN)
        .map(|(t, _)| t)
        .collect()
}

fn centroid(members: &[usize], vectors: &[Vector]) -> Vector {
    let mut sum: BTreeMap<u32, f64> = BTreeMap::new();
    for &i in members {
        for &(term, weight) in &vectors[i] {
            *sum.entry(term).or_default() += weight;
        }
    }
    let mut vector: Vector = sum.into_iter().collect();
    normalise(&mut vector);
    vector
}

fn normalise(vector: &mut Vector) {
    let norm = vector.iter().map(|(_, w)| w * w).sum::<f64>().sqrt();
    if norm > 0.0 {
        for (_, w) in vector.iter_mut() {
            *w /= norm;
        }
    }
}

/// Cosine similarity of two normalised sparse vectors sorted by term.
fn cosine(a: &Vector, b: &Vector) -> f64 {
    let (mut i, mut j, mut dot) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                dot += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    dot
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_cause_in_other_words_is_one_cause() {
        let factors = [
            Factor {
                postmortem: 0,
                text: "The ingress controller ran out of connections under load.",
            },
            Factor {
                postmortem: 0,
                text: "Runbooks were out of date.",
            },
            Factor {
                postmortem: 1,
                text: "Ingress controllers exhausted their connection pool.",
            },
            Factor {
                postmortem: 2,
                text: "A certificate expired on the gateway.",
            },
            Factor {
                postmortem: 3,
                text: "The ingress controller connection limit was too low.",
            },
        ];
        let causes = recurring(&factors);
        assert_eq!(causes.len(), 1, "{causes:?}");
        assert_eq!(causes[0].postmortems, [0, 1, 3]);
        assert!(
            causes[0].shared.iter().any(|w| w.starts_with("ingress")),
            "{causes:?}"
        );
        // Named by the run of words its postmortems share, as first written.
        assert_eq!(causes[0].name, "ingress controller");
    }

    #[test]
    fn a_cause_is_named_in_its_postmortems_words() {
        let factors = [
            Factor {
                postmortem: 0,
                text: "ALB target group deregistration delay was lowered for faster rolls.",
            },
            Factor {
                postmortem: 1,
                text: "The deregistration delay of the target group was too short.",
            },
            Factor {
                postmortem: 2,
                text: "Nodes drained before the target group deregistration finished.",
            },
        ];
        let causes = recurring(&factors);
        assert_eq!(causes.len(), 1, "{causes:?}");
        assert_eq!(causes[0].name, "target group deregistration");
    }
}
