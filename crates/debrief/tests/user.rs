//! `debrief user add` against the embedded store.

mod common;

use assert_cmd::assert::Assert;
use common::{debrief, tempdir};

trait Has {
    fn stdout_has(self, text: &str);
    fn stderr_has(self, text: &str);
}

impl Has for Assert {
    fn stdout_has(self, text: &str) {
        let out = String::from_utf8_lossy(&self.get_output().stdout).into_owned();
        assert!(out.contains(text), "stdout {out:?} lacks {text:?}");
    }

    fn stderr_has(self, text: &str) {
        let err = String::from_utf8_lossy(&self.get_output().stderr).into_owned();
        assert!(err.contains(text), "stderr {err:?} lacks {text:?}");
    }
}

#[test]
fn the_first_admin_is_added_from_the_command_line() {
    let dir = tempdir();
    let data = dir.path().join("data");
    debrief()
        .args([
            "user",
            "add",
            "priya",
            "--function",
            "SRE",
            "--role",
            "admin",
        ])
        .arg("--data")
        .arg(&data)
        .env("DEBRIEF_PASSWORD", "a long enough password")
        .assert()
        .success()
        .stdout_has("added priya (SRE, admin) with id 1");
    assert!(data.join("debrief.sqlite3").is_file());

    // The password can come on standard input; a taken name is refused with exit 2.
    debrief()
        .args(["user", "add", "dev", "--function", "Dev"])
        .arg("--data")
        .arg(&data)
        .env_remove("DEBRIEF_PASSWORD")
        .write_stdin("another long password\n")
        .assert()
        .success()
        .stdout_has("added dev (Dev, contributor) with id 2");
    debrief()
        .args(["user", "add", "priya", "--function", "SRE"])
        .arg("--data")
        .arg(&data)
        .env("DEBRIEF_PASSWORD", "a long enough password")
        .assert()
        .code(2)
        .stderr_has("the username \"priya\" is taken");
}

#[test]
fn a_short_password_is_refused_and_nothing_is_added() {
    let dir = tempdir();
    let data = dir.path().join("data");
    debrief()
        .args(["user", "add", "priya", "--function", "SRE"])
        .arg("--data")
        .arg(&data)
        .env("DEBRIEF_PASSWORD", "short")
        .assert()
        .code(2)
        .stderr_has("at least 12 characters");
    debrief()
        .args(["user", "add", "priya", "--function", "SRE"])
        .arg("--data")
        .arg(&data)
        .env("DEBRIEF_PASSWORD", "a long enough password")
        .assert()
        .success()
        .stdout_has("with id 1");
}
