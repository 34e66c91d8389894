//! Helpers shared by the binary's end-to-end tests.

#![allow(
    dead_code,
    reason = "each test file uses a different subset of the helpers"
)]

pub mod lsp;
pub mod serve;
pub mod webdriver;

use assert_cmd::Command;
use assert_cmd::assert::Assert;
use std::fs;
use std::path::Path;
use tempfile::TempDir;

/// The `debrief` binary built by Cargo for this test run.
pub fn debrief() -> Command {
    Command::cargo_bin("debrief").expect("cargo builds the debrief binary for integration tests")
}

pub fn tempdir() -> TempDir {
    tempfile::tempdir().expect("create a temporary directory")
}

pub fn write(path: &Path, contents: impl AsRef<[u8]>) {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).expect("create the parent directory");
    }
    fs::write(path, contents).expect("write a test file");
}

pub fn read(path: &Path) -> Vec<u8> {
    fs::read(path).expect("read a test file")
}

pub fn stdout(assert: &Assert) -> String {
    String::from_utf8(assert.get_output().stdout.clone()).expect("stdout is UTF-8")
}

pub fn stderr(assert: &Assert) -> String {
    String::from_utf8(assert.get_output().stderr.clone()).expect("stderr is UTF-8")
}
