//! Lists input files: each path as given, directories walked recursively in
//! sorted order (hidden entries skipped), sizes read from metadata.
//!
//! A file's origin (what captures record and exports publish) never holds a
//! local path: it is the file's path relative to the folder named on the
//! command line (a named file's origin is its file name), or that path
//! joined to a URL the user gives to say where the bytes came from. Names of
//! this machine's folders, user and projects stay out of the archive.

use std::path::{Component, Path, PathBuf};

use crate::Skip;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    pub path: PathBuf,
    /// The origin recorded in captures: the path relative to the named
    /// folder (`/`-separated), or under `--origin URL`.
    pub origin: String,
    pub size: u64,
}

/// Expands `paths` into files; unreadable paths become skips.
pub fn collect_inputs(paths: &[PathBuf]) -> (Vec<InputFile>, Vec<Skip>) {
    collect_inputs_from(paths, None)
}

/// Like [`collect_inputs`], with origins under `origin_base` (a URL saying
/// where the bytes came from) when given: a named file takes the URL itself
/// unless it ends in `/`; files under a named folder take the URL joined
/// with their relative path.
pub fn collect_inputs_from(
    paths: &[PathBuf],
    origin_base: Option<&str>,
) -> (Vec<InputFile>, Vec<Skip>) {
    let mut files = Vec::new();
    let mut skips = Vec::new();
    for path in paths {
        let named = Named { path, origin_base };
        visit(&named, path, true, &mut files, &mut skips);
    }
    (files, skips)
}

/// One path named on the command line, which origins are relative to.
struct Named<'a> {
    path: &'a Path,
    origin_base: Option<&'a str>,
}

impl Named<'_> {
    /// The origin of `path`, found at or under the named path.
    fn origin(&self, path: &Path) -> String {
        let relative = match path.strip_prefix(self.path) {
            Ok(rest) if !rest.as_os_str().is_empty() => origin_of(rest),
            // The named path itself: its file name alone.
            _ => self
                .path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
        };
        match self.origin_base {
            Some(base) if path == self.path && !base.ends_with('/') => base.to_string(),
            Some(base) => format!("{}/{}", base.trim_end_matches('/'), relative),
            None => relative,
        }
    }
}

fn visit(
    from: &Named<'_>,
    path: &Path,
    named: bool,
    files: &mut Vec<InputFile>,
    skips: &mut Vec<Skip>,
) {
    let origin = from.origin(path);
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => {
            skips.push(Skip::file(&origin, format!("cannot read: {e}")));
            return;
        }
    };
    if meta.is_dir() {
        let mut entries: Vec<PathBuf> = match std::fs::read_dir(path) {
            Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
            Err(e) => {
                skips.push(Skip::file(&origin, format!("cannot list directory: {e}")));
                return;
            }
        };
        entries.sort();
        for entry in entries {
            let hidden = entry
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with('.'));
            if !hidden {
                visit(from, &entry, false, files, skips);
            }
        }
    } else if meta.is_file() {
        files.push(InputFile {
            path: path.to_path_buf(),
            origin,
            size: meta.len(),
        });
    } else if named {
        skips.push(Skip::file(&origin, "not a regular file"));
    }
}

/// `./a//b/../c.txt` → `a/c.txt` (lexical only: no file system look-up).
pub fn origin_of(path: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut absolute = false;
    for component in path.components() {
        match component {
            Component::RootDir => absolute = true,
            Component::Prefix(p) => parts.push(p.as_os_str().to_string_lossy().into_owned()),
            Component::CurDir => {}
            Component::ParentDir => {
                if parts.last().is_some_and(|p| p != "..") {
                    parts.pop();
                } else if !absolute {
                    parts.push("..".into());
                }
            }
            Component::Normal(n) => parts.push(n.to_string_lossy().into_owned()),
        }
    }
    let joined = parts.join("/");
    if absolute {
        format!("/{joined}")
    } else {
        joined
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_cleaned_lexically() {
        assert_eq!(origin_of(Path::new("./a//b/../c.txt")), "a/c.txt");
        assert_eq!(origin_of(Path::new("../x")), "../x");
        assert_eq!(origin_of(Path::new("/srv/x/./y")), "/srv/x/y");
    }

    #[test]
    fn origins_under_a_url() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("d/sub")).unwrap();
        std::fs::write(dir.path().join("d/sub/z.txt"), "z").unwrap();
        std::fs::write(dir.path().join("one.txt"), "1").unwrap();
        let (files, _) =
            collect_inputs_from(&[dir.path().join("d")], Some("https://example.org/files/"));
        assert_eq!(files[0].origin, "https://example.org/files/sub/z.txt");
        let (files, _) = collect_inputs_from(
            &[dir.path().join("one.txt")],
            Some("https://example.org/memo.txt"),
        );
        assert_eq!(files[0].origin, "https://example.org/memo.txt");
    }

    #[test]
    fn walks_directories_sorted_and_skips_hidden() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("b/sub")).unwrap();
        std::fs::write(dir.path().join("b/sub/z.txt"), "z").unwrap();
        std::fs::write(dir.path().join("b/a.txt"), "a").unwrap();
        std::fs::write(dir.path().join("b/.hidden"), "h").unwrap();
        std::fs::write(dir.path().join("c.txt"), "cc").unwrap();
        let (files, skips) = collect_inputs(&[
            dir.path().join("c.txt"),
            dir.path().join("b"),
            dir.path().join("missing"),
        ]);
        let names: Vec<String> = files
            .iter()
            .map(|f| {
                f.path
                    .strip_prefix(dir.path())
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        assert_eq!(names, ["c.txt", "b/a.txt", "b/sub/z.txt"]);
        // Origins are relative to what was named: no part of the temporary
        // folder's absolute path is recorded.
        let origins: Vec<&str> = files.iter().map(|f| f.origin.as_str()).collect();
        assert_eq!(origins, ["c.txt", "a.txt", "sub/z.txt"]);
        assert_eq!(skips[0].origin, "missing");
        assert_eq!(files[0].size, 2);
        assert_eq!(skips.len(), 1);
    }
}
