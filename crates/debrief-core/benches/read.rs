//! Reading plus metrics on a realistic document, in bytes per second.
//!
//! Two inputs: a generated multi-day postmortem of a few tens of kilobytes (front matter,
//! summary, impact with quantities, a timeline of a few hundred entries written as lists,
//! bold timestamps, bracketed times and a table, root-cause prose, lessons and action
//! items), and the classic example from the test fixtures. Each iteration reads the text and
//! analyses its timeline, as an editor integration does on every keystroke.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

/// The classic example postmortem.
const CLASSIC: &str = include_str!("../tests/fixtures/classic.md");

/// Reads the document and computes its milestones and metrics.
fn read_and_analyse(text: &str) {
    // Reading computes the milestones and metrics too (`Read::analysis`).
    let read = debrief_core::read(black_box(text));
    black_box(read.analysis.metrics);
}

fn bench_read(c: &mut Criterion) {
    let generated = debrief_testdata::postmortem(debrief_testdata::BENCH_SEED);
    let read = debrief_core::read(&generated);
    let entries = read.postmortem.timeline_entries().count();
    let diagnostics = read.diagnostics.len();
    eprintln!(
        "generated document: {} bytes, {entries} timeline entries, {diagnostics} diagnostics",
        generated.len()
    );
    for diagnostic in &read.diagnostics {
        eprintln!(
            "  {}:{} {} {}",
            diagnostic.span.line, diagnostic.span.column, diagnostic.rule, diagnostic.message
        );
    }
    let analysis = debrief_core::analyse(&read.postmortem);
    eprintln!(
        "  {} sections, {} action items, metrics {:?}",
        read.postmortem.sections.len(),
        read.postmortem.action_items().count(),
        analysis.metrics
    );
    assert!(analysis.metrics.duration_s.is_some(), "no duration");
    assert!(
        (30 * 1024..=60 * 1024).contains(&generated.len()),
        "document is {} bytes",
        generated.len()
    );
    assert!(entries >= 300, "only {entries} timeline entries");
    assert!(diagnostics <= 3, "{diagnostics} diagnostics");

    let mut group = c.benchmark_group("read");
    group.throughput(Throughput::Bytes(
        u64::try_from(generated.len()).unwrap_or(u64::MAX),
    ));
    group.bench_function("generated", |b| b.iter(|| read_and_analyse(&generated)));
    group.throughput(Throughput::Bytes(
        u64::try_from(CLASSIC.len()).unwrap_or(u64::MAX),
    ));
    group.bench_function("classic", |b| b.iter(|| read_and_analyse(CLASSIC)));
    group.finish();
}

criterion_group!(benches, bench_read);
criterion_main!(benches);
