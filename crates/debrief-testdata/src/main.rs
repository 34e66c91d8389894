//! `debrief-generate DIR MEGABYTES`: writes generated postmortems into DIR until they add up
//! to MEGABYTES (10^6 bytes), for benchmarking `debrief lint` over a tree.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(dir), Some(megabytes)) = (
        args.first(),
        args.get(1).and_then(|m| m.parse::<u64>().ok()),
    ) else {
        eprintln!("usage: debrief-generate DIR MEGABYTES");
        return ExitCode::from(2);
    };
    let dir = PathBuf::from(dir);
    let target = megabytes * 1_000_000;
    let mut written = 0u64;
    let mut n = 0u64;
    while written < target {
        // Ten folders of postmortems, as teams keep them.
        let folder = dir.join(format!("team-{}", n % 10));
        let path = folder.join(format!("{:05}-postmortem.md", n));
        let text = debrief_testdata::postmortem(0x5eed_0000 + n);
        if let Err(error) =
            std::fs::create_dir_all(&folder).and_then(|()| std::fs::write(&path, &text))
        {
            eprintln!("{}: {error}", path.display());
            return ExitCode::from(2);
        }
        written += text.len() as u64;
        n += 1;
    }
    println!("{n} files, {written} bytes in {}", dir.display());
    ExitCode::SUCCESS
}
