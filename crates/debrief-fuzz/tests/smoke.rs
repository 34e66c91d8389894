//! A short, seeded fuzz run with the tests: mutations of the reader's fixtures must neither
//! panic nor put a finding outside its text. The long runs are `debrief-fuzz --seconds N`.

use debrief_fuzz::{Failure, Rng, check, mutate};

#[test]
fn mutated_documents_never_panic() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../debrief-core/tests/data");
    let seeds: Vec<String> = std::fs::read_dir(dir)
        .expect("fixtures")
        .filter_map(Result::ok)
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .collect();
    assert!(!seeds.is_empty());
    let mut rng = Rng::new(20_261_205);
    for _ in 0..3_000 {
        let mut input = seeds[rng.below(seeds.len())].clone();
        let other = &seeds[rng.below(seeds.len())];
        for _ in 0..=rng.below(6) {
            input = mutate(&input, other, &mut rng);
        }
        match check(&input) {
            Ok(()) | Err(Failure::NotIdempotent) => {}
            Err(failure) => panic!("{failure}\n--- input ---\n{input}"),
        }
    }
}
