//! A Slack export written for these tests (`tests/data/slack`): an incident channel over
//! three days whose people are in four zones, with joins, bots, a thread, an edit, a
//! deletion, a file, reactions and pins; and a channel of noise. Read from its folder and as
//! a ZIP, it gives the same entries; a hostile or broken export is refused with the file and
//! the reason.

use debrief_import::Error;
use debrief_import::archive::DEFAULT_MAX_BYTES;
use debrief_import::slack::{Filter, Person, SlackImport, SlackOptions, import};
use std::io::Write;
use std::path::{Path, PathBuf};

fn export() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/slack")
}

/// The roster knows one person; the others fall back to their titles or a number.
fn people(person: &Person) -> Option<String> {
    (person.real_name == "Priya Raman").then(|| "the incident commander".to_string())
}

fn options(filter: Filter) -> SlackOptions<'static> {
    SlackOptions {
        channel: "#inc-2041-checkout",
        from: None,
        to: None,
        filter,
        people: &people,
        workspace: "https://acme.slack.com",
        max_bytes: DEFAULT_MAX_BYTES,
        keep_chat: true,
    }
}

fn lines(found: &SlackImport) -> Vec<String> {
    found
        .entries
        .iter()
        .map(|e| format!("{} {}", e.at, debrief_import::merge::written(e)))
        .collect()
}

#[test]
fn an_incident_channel_becomes_entries_with_roles_never_names() {
    let found = import(&export(), &options(Filter::All)).expect("the export");
    insta::assert_json_snapshot!("all-messages", lines(&found));
    assert_eq!(found.days, 3);
    let everything = serde_json::to_string(&found).expect("json");
    for name in [
        "Priya", "Raman", "Tom", "Becker", "Aiko", "Sato", "Marc", "Dubois",
    ] {
        assert!(
            !everything.contains(name),
            "{name} is written: {everything}"
        );
    }
    // The deleted message and the bots are gone; the edit replaced what it edited.
    assert!(!everything.contains("wrong channel"));
    assert!(!everything.contains("Reminder"));
    assert!(everything.contains("Rollback of 4411 done"));
    assert!(
        found.chat.iter().any(|c| c.in_thread),
        "the thread's replies"
    );
}

#[test]
fn pinned_or_reacted_messages_only_and_a_range() {
    let pinned = import(&export(), &options(Filter::Pinned)).expect("the export");
    insta::assert_json_snapshot!("pinned", lines(&pinned));
    let reacted = import(
        &export(),
        &options(Filter::Reaction(":white_check_mark:".into())),
    )
    .expect("the export");
    insta::assert_json_snapshot!("reaction", lines(&reacted));
    // The chat keeps every message whatever becomes an entry.
    assert_eq!(pinned.chat.len(), reacted.chat.len());
    let mut ranged = options(Filter::All);
    ranged.from = Some("2026-06-14T00:00:00Z".parse().expect("instant"));
    ranged.to = Some("2026-06-14T00:10:00Z".parse().expect("instant"));
    let found = import(&export(), &ranged).expect("the export");
    assert_eq!(found.entries.len(), 5, "{:#?}", lines(&found));
    assert_eq!(
        found.days, 3,
        "the days either side are read for their zones"
    );
}

/// The export as a ZIP, with `extra` members added, under `prefix` inside.
fn zipped(dir: &Path, prefix: &str, extra: &[(&str, &[u8])]) -> PathBuf {
    let path = dir.join("export.zip");
    let file = std::fs::File::create(&path).expect("zip file");
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let root = export();
    for entry in walk(&root) {
        let name = entry
            .strip_prefix(&root)
            .expect("inside")
            .to_string_lossy()
            .replace('\\', "/");
        zip.start_file(format!("{prefix}{name}"), options)
            .expect("member");
        zip.write_all(&std::fs::read(&entry).expect("read"))
            .expect("write");
    }
    for (name, bytes) in extra {
        zip.start_file(*name, options).expect("member");
        zip.write_all(bytes).expect("write");
    }
    zip.finish().expect("finish");
    path
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}

#[test]
fn the_zip_gives_what_the_folder_gives() {
    let dir = tempfile::tempdir().expect("dir");
    let folder = import(&export(), &options(Filter::All)).expect("folder");
    for prefix in ["", "acme-export/"] {
        let zip = zipped(dir.path(), prefix, &[]);
        let found = import(&zip, &options(Filter::All)).expect("zip");
        assert_eq!(lines(&found), lines(&folder), "prefix {prefix:?}");
        assert_eq!(found.chat, folder.chat);
    }
}

fn refused(path: &Path, options: &SlackOptions<'_>) -> Error {
    match import(path, options) {
        Ok(found) => panic!("imported {} entries", found.entries.len()),
        Err(error) => error,
    }
}

#[test]
fn hostile_and_broken_exports_are_refused_with_the_file_and_the_reason() {
    let dir = tempfile::tempdir().expect("dir");
    // A member that would land outside the folder it is unpacked in.
    let zip = zipped(
        dir.path(),
        "",
        &[("../../etc/cron.d/x", b"* * * * * root true")],
    );
    let error = refused(&zip, &options(Filter::All));
    assert!(
        error.file.ends_with("export.zip: ../../etc/cron.d/x"),
        "{error}"
    );
    assert!(
        error.reason.contains("outside the archive's root"),
        "{error}"
    );

    // A bomb: 64 MiB of zeros that deflate to a few kilobytes.
    let zeros = vec![0u8; 64 << 20];
    let zip = zipped(
        dir.path(),
        "",
        &[("inc-2041-checkout/2026-06-16.json", &zeros)],
    );
    let error = refused(&zip, &options(Filter::All));
    assert!(error.reason.contains("a ZIP bomb"), "{error}");

    // More than the archive may expand to, all members together.
    let zip = zipped(dir.path(), "", &[]);
    let mut small = options(Filter::All);
    small.max_bytes = 2_000;
    let error = refused(&zip, &small);
    assert!(error.reason.contains("--max-bytes"), "{error}");

    // Not an archive at all, and a folder that is not an export.
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "hello").expect("write");
    let error = refused(&text, &options(Filter::All));
    assert!(
        error.reason.contains("neither a folder nor a ZIP"),
        "{error}"
    );
    let error = refused(dir.path(), &options(Filter::All));
    assert!(error.reason.contains("no channels.json"), "{error}");

    // A day that is not JSON: the file, the line and the column.
    let broken = dir.path().join("broken");
    copy(&export(), &broken);
    std::fs::write(
        broken.join("inc-2041-checkout/2026-06-14.json"),
        "[\n  {\"ts\": \"1781395392.000100\", \"user\": \"U01\", \"text\": \"a\"},\n  {\"ts\": oops}\n]",
    )
    .expect("write");
    let error = refused(&broken, &options(Filter::All));
    assert!(
        error
            .file
            .ends_with("inc-2041-checkout/2026-06-14.json:3:10"),
        "{error}"
    );
    assert!(error.reason.starts_with("it is not valid JSON"), "{error}");
    std::fs::write(
        broken.join("inc-2041-checkout/2026-06-14.json"),
        "{\"messages\": []}",
    )
    .expect("write");
    let error = refused(&broken, &options(Filter::All));
    assert!(error.reason.contains("a JSON array of messages"), "{error}");

    // A channel the export does not have names the ones it has.
    let mut elsewhere = options(Filter::All);
    elsewhere.channel = "inc-9999";
    let error = refused(&export(), &elsewhere);
    assert_eq!(
        error.reason,
        "there is no channel \"inc-9999\"; the export has general, inc-2041-checkout"
    );
}

fn copy(from: &Path, to: &Path) {
    for file in walk(from) {
        let target = to.join(file.strip_prefix(from).expect("inside"));
        std::fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
        std::fs::copy(&file, &target).expect("copy");
    }
}
