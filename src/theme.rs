//! The built-in theme: the repo's own `templates/` and `static/`, compiled into the binary.
//!
//! A site without those folders still gets a complete site; a file the site provides replaces
//! the built-in file of the same name (see `load`). A unit test checks that this list matches
//! the folders, so a new theme file cannot be forgotten. The words of the theme in each
//! language sit in `templates/strings/` (read by `strings`), never parsed as templates.

use std::borrow::Cow;

macro_rules! embed_text {
    ($($path:literal),* $(,)?) => { vec![$(($path, include_str!(concat!("../", $path)).to_string())),*] };
}
macro_rules! embed_bytes {
    ($($path:literal),* $(,)?) => { vec![$(($path, Cow::Borrowed(&include_bytes!(concat!("../", $path))[..]))),*] };
}

/// (path from the site root, source) for every built-in template.
pub fn templates() -> Vec<(&'static str, String)> {
    embed_text![
        "templates/404.html",
        "templates/base.html",
        "templates/chart.html",
        "templates/embed.html",
        "templates/figure.html",
        "templates/figures.html",
        "templates/index.html",
        "templates/page.html",
        "templates/privacy.html",
        "templates/section.html",
        "templates/strings/cy.yaml",
        "templates/strings/en.yaml",
    ]
}

/// (path from the site root, bytes) for every built-in static file.
pub fn static_files() -> Vec<(&'static str, Cow<'static, [u8]>)> {
    embed_bytes![
        "static/favicon.svg",
        "static/fonts/OFL.txt",
        "static/fonts/inter-bold.woff2",
        "static/fonts/inter-regular.woff2",
        "static/form.css",
        "static/form.js",
        "static/site.js",
        "static/style.css",
        "static/video.css",
        "static/video.js",
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn files_under(dir: &Path, prefix: &str, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let name = format!("{prefix}/{}", entry.file_name().to_string_lossy());
            if entry.file_type().unwrap().is_dir() {
                files_under(&entry.path(), &name, out);
            } else {
                out.push(name);
            }
        }
    }

    #[test]
    fn embeds_every_theme_file() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        for (folder, embedded) in
            [("templates", templates().into_iter().map(|(p, _)| p).collect::<Vec<_>>()), ("static", static_files().into_iter().map(|(p, _)| p).collect())]
        {
            let mut on_disk = Vec::new();
            files_under(&root.join(folder), folder, &mut on_disk);
            on_disk.sort();
            assert_eq!(on_disk, embedded, "src/theme.rs must list every file in {folder}/");
        }
    }
}
