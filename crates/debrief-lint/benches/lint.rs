//! Linting a realistic generated postmortem, against reading it alone, in bytes per second.
//!
//! `cargo bench -p debrief-lint --bench lint`

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use debrief_lint::{Config, Options, lint};
use std::hint::black_box;

fn bench_lint(c: &mut Criterion) {
    let text = debrief_testdata::postmortem(debrief_testdata::BENCH_SEED);
    let config = Config::default();
    let options = Options::new(&config, jiff::civil::date(2026, 6, 1));
    let mut group = c.benchmark_group("lint");
    group.throughput(Throughput::Bytes(
        u64::try_from(text.len()).unwrap_or(u64::MAX),
    ));
    group.bench_function("read", |b| b.iter(|| debrief_core::read(black_box(&text))));
    group.bench_function("read+lint", |b| b.iter(|| lint(black_box(&text), &options)));
    group.finish();
}

criterion_group!(benches, bench_lint);
criterion_main!(benches);
