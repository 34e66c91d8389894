//! A Slack export as it arrives: the ZIP Slack sends, or the folder it unpacks to. Both are
//! read the same way, one file at a time, and a ZIP is read defensively: a member whose path
//! leaves the archive's root, a member that expands far beyond its compressed size, or an
//! archive larger in total than the limit is refused with the member's name and the reason,
//! before anything is imported.

use crate::Error;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Component, Path, PathBuf};

/// What an archive may expand to, all members together, unless told otherwise: 8 GiB.
pub const DEFAULT_MAX_BYTES: u64 = 8 << 30;

/// The most a member may expand relative to its compressed size, beyond the first
/// [`RATIO_FLOOR`] bytes. JSON compresses about 10:1; 200:1 is a bomb.
pub const MAX_RATIO: u64 = 200;

/// Below this a member's ratio is not judged: tiny files compress oddly well.
pub const RATIO_FLOOR: u64 = 1 << 20;

/// An export to read: a folder, or a ZIP of one.
pub enum Archive {
    /// An unpacked export.
    Folder(PathBuf),
    /// Slack's ZIP.
    Zip {
        /// Where it is, for messages.
        path: PathBuf,
        /// The archive, opened.
        zip: zip::ZipArchive<BufReader<File>>,
        /// Bytes the whole archive may expand to.
        max_bytes: u64,
        /// Bytes read so far.
        read: u64,
    },
}

impl Archive {
    /// Opens `path`: a folder, or a ZIP (by its content, not its name). Checks every
    /// member's path and declared size first, so a hostile archive is refused whole.
    pub fn open(path: &Path, max_bytes: u64) -> Result<Archive, Error> {
        let shown = path.display().to_string();
        let metadata = std::fs::metadata(path)
            .map_err(|e| Error::new(&shown, format!("cannot read it: {e}")))?;
        if metadata.is_dir() {
            return Ok(Archive::Folder(path.to_path_buf()));
        }
        let file =
            File::open(path).map_err(|e| Error::new(&shown, format!("cannot open it: {e}")))?;
        let zip = zip::ZipArchive::new(BufReader::new(file)).map_err(|e| {
            Error::new(
                &shown,
                format!("neither a folder nor a ZIP archive a Slack export comes as: {e}"),
            )
        })?;
        let mut archive = Archive::Zip {
            path: path.to_path_buf(),
            zip,
            max_bytes,
            read: 0,
        };
        archive.check()?;
        Ok(archive)
    }

    /// Refuses a ZIP whose members leave its root or whose declared sizes exceed the limits.
    fn check(&mut self) -> Result<(), Error> {
        let Archive::Zip {
            path,
            zip,
            max_bytes,
            ..
        } = self
        else {
            return Ok(());
        };
        let mut total: u64 = 0;
        for index in 0..zip.len() {
            let member = zip.by_index_raw(index).map_err(|e| {
                Error::new(&path.display().to_string(), format!("a damaged ZIP: {e}"))
            })?;
            let name = member
                .name()
                .map_err(|e| {
                    Error::new(
                        &path.display().to_string(),
                        format!("member {index} has a name that cannot be read: {e}"),
                    )
                })?
                .to_string();
            let at = format!("{}: {name}", path.display());
            if member.enclosed_name().is_none() || !inside(&name) {
                return Err(Error::new(
                    &at,
                    "its path leads outside the archive's root; the archive is refused".into(),
                ));
            }
            let (size, packed) = (member.size(), member.compressed_size().max(1));
            if size > RATIO_FLOOR && size / packed > MAX_RATIO {
                return Err(Error::new(
                    &at,
                    format!(
                        "it expands {}:1 ({size} bytes from {packed}), more than {MAX_RATIO}:1: \
                         a ZIP bomb, not an export",
                        size / packed
                    ),
                ));
            }
            total = total.saturating_add(size);
            if total > *max_bytes {
                return Err(Error::new(
                    &path.display().to_string(),
                    format!(
                        "it expands to more than {max_bytes} bytes; import from the unpacked \
                         folder or raise the limit (--max-bytes)"
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Where the export is, for messages.
    pub fn shown(&self) -> String {
        match self {
            Archive::Folder(path) | Archive::Zip { path, .. } => path.display().to_string(),
        }
    }

    /// The export's files, as paths from its root with `/` between folders.
    pub fn files(&mut self) -> Result<Vec<String>, Error> {
        match self {
            Archive::Folder(root) => {
                let mut out = Vec::new();
                walk(root, root, &mut out)?;
                out.sort();
                Ok(out)
            }
            Archive::Zip { zip, .. } => {
                let mut names: Vec<String> = zip
                    .file_names()
                    // Every name was read when the archive was checked.
                    .filter_map(Result::ok)
                    .filter(|n| !n.ends_with('/'))
                    .map(|n| n.to_string())
                    .collect();
                names.sort();
                Ok(names)
            }
        }
    }

    /// Runs `read` over the file at `name` (as [`Archive::files`] gives it), reading a ZIP
    /// member through a guard that stops at its declared size and at the archive's limit,
    /// whatever its header claimed.
    pub fn read<T>(
        &mut self,
        name: &str,
        read: impl FnOnce(&mut dyn Read) -> Result<T, Error>,
    ) -> Result<T, Error> {
        match self {
            Archive::Folder(root) => {
                let path = root.join(name);
                let file = File::open(&path).map_err(|e| {
                    Error::new(&path.display().to_string(), format!("cannot open it: {e}"))
                })?;
                read(&mut BufReader::new(file))
            }
            Archive::Zip {
                path,
                zip,
                max_bytes,
                read: so_far,
            } => {
                let at = format!("{}: {name}", path.display());
                let member = zip
                    .by_name(name)
                    .map_err(|e| Error::new(&at, format!("cannot read it: {e}")))?;
                let declared = member.size();
                let allowed = declared.min(max_bytes.saturating_sub(*so_far));
                let mut guarded = Guard {
                    inner: member,
                    left: allowed,
                    declared,
                };
                let result = read(&mut guarded);
                *so_far += allowed - guarded.left;
                result
            }
        }
    }
}

/// Whether a member's name stays inside the archive: no absolute path, no `..`, no drive.
fn inside(name: &str) -> bool {
    let path = Path::new(name);
    !name.starts_with('/')
        && !name.starts_with('\\')
        && !name.contains(":\\")
        && path
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
        && !name.split(['/', '\\']).any(|part| part == "..")
}

/// Reads at most `left` bytes; more than that is an error, not a silent cut.
struct Guard<R> {
    inner: R,
    left: u64,
    declared: u64,
}

impl<R: Read> Read for Guard<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.left == 0 {
            // One byte more than allowed means the member lied about its size or the
            // archive's limit is reached.
            let mut probe = [0u8; 1];
            return match self.inner.read(&mut probe)? {
                0 => Ok(0),
                _ => Err(std::io::Error::other(format!(
                    "it holds more than the {} bytes it declares, or the archive's limit is reached",
                    self.declared
                ))),
            };
        }
        let most = usize::try_from(self.left)
            .unwrap_or(usize::MAX)
            .min(buf.len());
        let n = self.inner.read(&mut buf[..most])?;
        self.left -= n as u64;
        Ok(n)
    }
}

/// The files under `dir`, relative to `root`.
fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) -> Result<(), Error> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| Error::new(&dir.display().to_string(), format!("cannot list it: {e}")))?;
    for entry in entries {
        let entry = entry
            .map_err(|e| Error::new(&dir.display().to_string(), format!("cannot list it: {e}")))?;
        let path = entry.path();
        let kind = entry
            .file_type()
            .map_err(|e| Error::new(&path.display().to_string(), format!("cannot read it: {e}")))?;
        if kind.is_dir() {
            walk(root, &path, out)?;
        } else if kind.is_file()
            && let Ok(relative) = path.strip_prefix(root)
        {
            let parts: Vec<String> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            out.push(parts.join("/"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_leave_the_root_are_outside() {
        for name in ["channels.json", "incident/2026-06-14.json", "./users.json"] {
            assert!(inside(name), "{name}");
        }
        for name in [
            "../etc/passwd",
            "incident/../../x.json",
            "/etc/passwd",
            "C:\\Windows\\x",
            "a\\..\\..\\b",
        ] {
            assert!(!inside(name), "{name}");
        }
    }
}
