//! Gives the crate its code hash, `SOAPBOX_CODE_HASH` (see `src/code_hash.rs`), and the commit
//! it was built from, `SOAPBOX_COMMIT` (see `src/build_info.rs`).

#[path = "src/code_hash.rs"]
mod code_hash;

#[path = "src/build_info.rs"]
mod build_info;

fn main() {
    for folder in code_hash::FOLDERS {
        // A folder here makes cargo run this again when any file under it changes.
        println!("cargo:rerun-if-changed={folder}");
    }
    let root = std::path::PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let hash = code_hash::of_tree(&root, &code_hash::FOLDERS).unwrap_or_else(|e| panic!("hashing soapbox's source: {e}"));
    println!("cargo:rustc-env=SOAPBOX_CODE_HASH={hash:016x}");
    // A new commit, or another branch checked out, runs this again.
    for path in build_info::watched(&root) {
        println!("cargo:rerun-if-changed={}", path.display());
    }
    println!("cargo:rustc-env=SOAPBOX_COMMIT={}", build_info::describe(&root));
}
