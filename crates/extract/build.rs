//! Embeds every lexicon file found under `lexicons/<language>/*.toml`, so a
//! language is added by adding a folder: no code names the languages.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs, io};

fn main() -> io::Result<()> {
    let root =
        PathBuf::from(env::var("CARGO_MANIFEST_DIR").map_err(io::Error::other)?).join("lexicons");
    println!("cargo:rerun-if-changed=lexicons");
    let mut table = String::from(
        "/// Every embedded lexicon file as (`<language>/<file>.toml`, contents), sorted.\n\
         pub(crate) static EMBEDDED_FILES: &[(&str, &str)] = &[\n",
    );
    for (relative, path) in lexicon_files(&root)? {
        println!("cargo:rerun-if-changed={}", path.display());
        writeln!(
            table,
            "    ({relative:?}, include_str!({:?})),",
            path.display().to_string()
        )
        .map_err(io::Error::other)?;
    }
    table.push_str("];\n");
    let out = PathBuf::from(env::var("OUT_DIR").map_err(io::Error::other)?);
    fs::write(out.join("embedded_lexicons.rs"), table)
}

/// (`lang/file.toml`, absolute path) for each TOML file one folder down.
fn lexicon_files(root: &Path) -> io::Result<Vec<(String, PathBuf)>> {
    let mut files = Vec::new();
    for lang in fs::read_dir(root)? {
        let lang = lang?;
        if !lang.file_type()?.is_dir() {
            continue;
        }
        let lang_name = lang.file_name().to_string_lossy().into_owned();
        for file in fs::read_dir(lang.path())? {
            let file = file?;
            let name = file.file_name().to_string_lossy().into_owned();
            if name.ends_with(".toml") {
                files.push((format!("{lang_name}/{name}"), file.path()));
            }
        }
    }
    files.sort();
    Ok(files)
}
