//! `debrief-fuzz [--seconds N] [--seed S] [--strict] [CORPUS...]`: mutates the Markdown
//! documents under the given directories (or a built-in seed) for N seconds and checks every
//! input ([`debrief_fuzz::check`]). Prints executions and failures by kind; writes each
//! failing input under `fuzz-failures/`, and exits 1 on a panic or a finding out of range
//! (and, with `--strict`, on formatting that is not idempotent).

use debrief_fuzz::{Failure, Rng, check, mutate};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn main() {
    let mut seconds = 10u64;
    let mut seed = 1u64;
    let mut strict = false;
    let mut dirs = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--seconds" => seconds = args.next().and_then(|s| s.parse().ok()).unwrap_or(seconds),
            "--seed" => seed = args.next().and_then(|s| s.parse().ok()).unwrap_or(seed),
            "--strict" => strict = true,
            _ => dirs.push(PathBuf::from(arg)),
        }
    }
    let mut seeds: Vec<String> = Vec::new();
    for dir in &dirs {
        collect(dir, &mut seeds);
    }
    if seeds.is_empty() {
        seeds.push(
            "---\ntitle: Seed\ndate: 2026-06-14\n---\n\n## Summary\n\nA deploy failed.\n\n\
             ## Timeline (UTC)\n\n- 14:02 Deploy starts\n- 14:05 [detected] Alert fires\n\
             - 14:25 Error rate returns to baseline\n\n## Action items\n\n\
             - [ ] Add a canary (owner: SRE, due: 2 weeks)\n"
                .to_string(),
        );
    }
    let mut rng = Rng::new(seed);
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let (mut executions, mut fatal, mut not_idempotent) = (0u64, 0u64, 0u64);
    std::panic::set_hook(Box::new(|_| {}));
    while Instant::now() < deadline {
        let base = &seeds[rng.below(seeds.len())];
        let other = &seeds[rng.below(seeds.len())];
        let mut input = base.clone();
        for _ in 0..=rng.below(8) {
            input = mutate(&input, other, &mut rng);
        }
        executions += 1;
        if let Err(what) = check(&input) {
            if what == Failure::NotIdempotent {
                not_idempotent += 1;
            } else {
                fatal += 1;
            }
            let dir = Path::new("fuzz-failures");
            let _ = std::fs::create_dir_all(dir);
            let file = dir.join(format!("failure-{seed}-{executions}.md"));
            let _ = std::fs::write(&file, &input);
            eprintln!("{}: {what}", file.display());
        }
    }
    println!(
        "{executions} executions in {seconds} s from {} seeds (seed {seed}): \
         {fatal} panics or findings out of range, {not_idempotent} not idempotent",
        seeds.len()
    );
    if fatal > 0 || (strict && not_idempotent > 0) {
        std::process::exit(1);
    }
}

fn collect(dir: &Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "md")
            && let Ok(text) = std::fs::read_to_string(&path)
        {
            out.push(text);
        }
    }
}
