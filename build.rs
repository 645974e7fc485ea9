//! Gives the crate its code hash, `SOAPBOX_CODE_HASH`: see `src/code_hash.rs`.

#[path = "src/code_hash.rs"]
mod code_hash;

fn main() {
    for folder in code_hash::FOLDERS {
        // A folder here makes cargo run this again when any file under it changes.
        println!("cargo:rerun-if-changed={folder}");
    }
    let root = std::path::PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let hash = code_hash::of_tree(&root, &code_hash::FOLDERS).unwrap_or_else(|e| panic!("hashing soapbox's source: {e}"));
    println!("cargo:rustc-env=SOAPBOX_CODE_HASH={hash:016x}");
}
