//! Lists input files: each path as given, directories walked recursively in
//! sorted order (hidden entries skipped), sizes read from metadata.

use std::path::{Component, Path, PathBuf};

use crate::Skip;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    pub path: PathBuf,
    /// The path as recorded in captures (lexically cleaned, `/`-separated).
    pub origin: String,
    pub size: u64,
}

/// Expands `paths` into files; unreadable paths become skips.
pub fn collect_inputs(paths: &[PathBuf]) -> (Vec<InputFile>, Vec<Skip>) {
    let mut files = Vec::new();
    let mut skips = Vec::new();
    for path in paths {
        visit(path, true, &mut files, &mut skips);
    }
    (files, skips)
}

fn visit(path: &Path, named: bool, files: &mut Vec<InputFile>, skips: &mut Vec<Skip>) {
    let origin = origin_of(path);
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
                visit(&entry, false, files, skips);
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

/// `./a//b/../c.txt` → `a/c.txt` (lexical only: no file system look-up, so
/// the origin stays what the user typed, not this machine's absolute path).
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
        assert_eq!(files[0].size, 2);
        assert_eq!(skips.len(), 1);
    }
}
