//! The review over an organisation's whole history: 100,000 typical generated postmortems,
//! read once (not measured), then reviewed (measured). The whole path from files is
//! `scripts/bench-review.sh`.

use criterion::{Criterion, criterion_group, criterion_main};
use debrief_review::{Entry, Options, review};
use std::hint::black_box;

const POSTMORTEMS: u64 = 100_000;

// The allocator of the debrief binary, so the figure is the one users get.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn entries() -> Vec<Entry> {
    (0..POSTMORTEMS)
        .map(|n| {
            let text = debrief_testdata::typical(0x7e57_0000 + n);
            let read = debrief_core::read(&text);
            Entry::new(
                format!("{n}.md"),
                &read.postmortem,
                &read.analysis,
                Some(true),
            )
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let entries = entries();
    let options = Options {
        from: Some(jiff::civil::date(2024, 1, 1)),
        to: Some(jiff::civil::date(2026, 12, 31)),
        today: jiff::civil::date(2026, 11, 21),
    };
    let mut group = c.benchmark_group("review");
    group.sample_size(10);
    group.bench_function("100k postmortems, from parsed documents", |b| {
        b.iter(|| review(black_box(&entries), &options))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
