//! `debrief-generate DIR MEGABYTES`: writes generated postmortems into DIR until they add up
//! to MEGABYTES (10^6 bytes), for benchmarking `debrief lint` over a tree.
//!
//! `debrief-generate --typical DIR COUNT`: writes COUNT typical single-day postmortems of a
//! few kilobytes, for seeding a server or reviewing an organisation's history.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().is_some_and(|a| a == "--typical") {
        args.remove(0);
        return typical(&args);
    }
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

fn typical(args: &[String]) -> ExitCode {
    let (Some(dir), Some(count)) = (
        args.first(),
        args.get(1).and_then(|c| c.parse::<u64>().ok()),
    ) else {
        eprintln!("usage: debrief-generate --typical DIR COUNT");
        return ExitCode::from(2);
    };
    let dir = PathBuf::from(dir);
    let mut written = 0u64;
    for n in 0..count {
        let folder = dir.join(format!("team-{}", n % 10));
        let path = folder.join(format!("{n:06}-postmortem.md"));
        let text = debrief_testdata::typical(0x7e57_0000 + n);
        if let Err(error) =
            std::fs::create_dir_all(&folder).and_then(|()| std::fs::write(&path, &text))
        {
            eprintln!("{}: {error}", path.display());
            return ExitCode::from(2);
        }
        written += text.len() as u64;
    }
    println!("{count} files, {written} bytes in {}", dir.display());
    ExitCode::SUCCESS
}
