//! `debrief user add` against the embedded store.

mod common;

use assert_cmd::Command;
use common::{debrief, stderr, stdout, tempdir};
use std::path::Path;

/// `debrief user add ARGS --data DATA`, with the password in `DEBRIEF_PASSWORD` when given.
fn user_add(data: &Path, args: &[&str], password: Option<&str>) -> Command {
    let mut command = debrief();
    command
        .args(["user", "add"])
        .args(args)
        .arg("--data")
        .arg(data);
    match password {
        Some(password) => command.env("DEBRIEF_PASSWORD", password),
        None => command.env_remove("DEBRIEF_PASSWORD"),
    };
    command
}

const PASSWORD: Option<&str> = Some("a long enough password");

#[test]
fn the_first_admin_is_added_from_the_command_line() {
    let dir = tempdir();
    let data = dir.path().join("data");
    let added = user_add(
        &data,
        &["priya", "--function", "SRE", "--role", "admin"],
        PASSWORD,
    )
    .assert()
    .success();
    assert!(stdout(&added).contains("added priya (SRE, admin) with id 1"));
    assert!(data.join("debrief.sqlite3").is_file());

    // The password can come on standard input; a taken name is refused with exit 2.
    let added = user_add(&data, &["dev", "--function", "Dev"], None)
        .write_stdin("another long password\n")
        .assert()
        .success();
    assert!(stdout(&added).contains("added dev (Dev, contributor) with id 2"));
    let taken = user_add(&data, &["priya", "--function", "SRE"], PASSWORD)
        .assert()
        .code(2);
    assert!(stderr(&taken).contains("the username \"priya\" is taken"));
}

#[test]
fn a_short_password_is_refused_and_nothing_is_added() {
    let dir = tempdir();
    let data = dir.path().join("data");
    let refused = user_add(&data, &["priya", "--function", "SRE"], Some("short"))
        .assert()
        .code(2);
    assert!(stderr(&refused).contains("at least 12 characters"));
    let added = user_add(&data, &["priya", "--function", "SRE"], PASSWORD)
        .assert()
        .success();
    assert!(stdout(&added).contains("with id 1"));
}
