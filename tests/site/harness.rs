//! The harness's own tests: the panic guard fires on every sign of a panic (soapbox's exit
//! code, its hook's words, Rust's words, a crash), in made-up runs and in real child
//! processes that panic, and stays quiet on success and on a clean failure; and the suite
//! stays one binary.

use crate::common::guard::{self, panic_sign, HOOK_WORDS, PANIC_EXIT};
use crate::common::TestSite;
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Command, ExitStatus, Output};

/// Set in a child copy of this binary to make `panics_as_soapbox_does` panic.
const CHILD: &str = "SOAPBOX_TEST_GUARD_CHILD";

fn exited(code: i32) -> ExitStatus {
    ExitStatus::from_raw(code << 8)
}

fn signalled(signal: i32) -> ExitStatus {
    ExitStatus::from_raw(signal)
}

/// What soapbox's hook prints (src/main.rs), and a handled error for contrast.
fn hook_says() -> String {
    format!("error: {HOOK_WORDS} (src/render/mod.rs:12); your output folder was not changed\n  = help: this is a bug in soapbox; please report it with the files that caused it\n")
}

const CLEAN_FAILURE: &str = "error: unknown key `colour`\n --> content/site.yaml:6:1\n  = help: did you mean `theme`?\n\nthe build failed with 1 error\n";

#[test]
fn the_guard_fires_on_every_sign_of_a_panic_and_only_then() {
    let panics = [
        ("the hook's words on a clean exit code", exited(1), hook_says()),
        ("the hook's words from a server killed by the harness", signalled(9), hook_says()),
        ("exit code 101 with nothing said", exited(PANIC_EXIT), String::new()),
        ("exit code 101 with a clean-looking error", exited(PANIC_EXIT), CLEAN_FAILURE.to_string()),
        ("Rust's own words, should the hook be gone", exited(1), "thread 'main' panicked at src/main.rs:3:5:\nboom\n".to_string()),
        ("an abort", signalled(6), String::new()),
        ("a segmentation fault", signalled(11), String::new()),
    ];
    for (what, status, stderr) in &panics {
        assert!(panic_sign(*status, stderr).is_some(), "the guard missed {what}");
    }
    let clean = [
        ("a success", exited(0), "built 6 pages, 4 figures\n"),
        ("a handled error", exited(1), CLEAN_FAILURE),
        ("a mistake on the command line", exited(2), "error: unexpected argument '--colour' found\n"),
        ("a server the harness killed", signalled(9), "serving http://127.0.0.1:4000/\n"),
        ("an error that quotes the word `panicked`", exited(1), "error: unknown key `panicked`\n"),
    ];
    for (what, status, stderr) in clean {
        assert_eq!(panic_sign(status, stderr), None, "the guard fired on {what}");
    }
}

/// If the hook is reworded, the guard must learn its new words, or it goes blind to panics.
#[test]
fn the_guard_knows_the_words_of_soapboxs_panic_hook() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut hooks = Vec::new();
    let mut stack = vec![src];
    while let Some(dir) = stack.pop() {
        for path in std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()) {
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") && std::fs::read_to_string(&path).unwrap().contains("panic::set_hook") {
                hooks.push(path);
            }
        }
    }
    assert_eq!(hooks.len(), 1, "one panic hook in src/: {hooks:?}");
    let source = std::fs::read_to_string(&hooks[0]).unwrap();
    assert!(source.contains(HOOK_WORDS), "{} no longer says `{HOOK_WORDS}`: teach the guard its words", hooks[0].display());
}

/// Runs `harness::panics_as_soapbox_does` in a child copy of this test binary.
fn child(panic: Option<&str>) -> Output {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command.args(["harness::panics_as_soapbox_does", "--exact", "--ignored", "--nocapture", "--test-threads=1"]);
    match panic {
        Some(how) => command.env(CHILD, how),
        None => command.env_remove(CHILD),
    };
    command.output().expect("run this test binary again")
}

/// Not a test of its own: a child process for the next test. With `CHILD` set it panics with
/// soapbox's hook in place (`hook`) or with one that prints nothing (`silent`), and the test
/// harness exits with 101 as soapbox's `main` would.
#[test]
#[ignore = "run as a child process by the_guard_sees_real_panics_in_child_processes"]
fn panics_as_soapbox_does() {
    match std::env::var(CHILD).as_deref() {
        Ok("hook") => std::panic::set_hook(Box::new(|_| eprint!("{}", hook_says()))),
        Ok("silent") => std::panic::set_hook(Box::new(|_| {})),
        _ => return,
    }
    panic!("on purpose");
}

#[test]
fn the_guard_sees_real_panics_in_child_processes() {
    let hooked = child(Some("hook"));
    assert_eq!(hooked.status.code(), Some(PANIC_EXIT), "{hooked:?}");
    assert!(String::from_utf8_lossy(&hooked.stderr).contains(HOOK_WORDS), "{hooked:?}");
    // Only the exit code gives a silent panic away.
    let silent = child(Some("silent"));
    assert_eq!(silent.status.code(), Some(PANIC_EXIT), "{silent:?}");
    assert_eq!(guard::panic_words(&String::from_utf8_lossy(&silent.stderr)), None, "{silent:?}");
    for output in [&hooked, &silent] {
        let fired = std::panic::catch_unwind(|| guard::assert_no_panic(output));
        assert!(fired.is_err(), "the guard let a panic pass: {output:?}");
    }
    let calm = child(None);
    assert!(calm.status.success(), "{calm:?}");
    guard::assert_no_panic(&calm);
}

/// The guard leans on soapbox's exit codes: 1 for a handled error, 2 for a command-line
/// mistake, 0 for success, never Rust's 101.
#[test]
fn soapbox_fails_cleanly_with_exit_codes_the_guard_tells_from_a_panic() {
    let site = TestSite::fixture("kinds");
    let run = |args: &[&str]| Command::new(env!("CARGO_BIN_EXE_soapbox")).args(args).arg(site.root()).env("NO_COLOR", "1").output().unwrap();
    let built = run(&["build", "--quiet", "--root"]);
    assert_eq!(built.status.code(), Some(0), "{built:?}");
    site.write("content/figures/column.yaml", "title: T\nsource: S\nchart: column\nunit: count\ndata:\n  - { label: A, value: lots }\n");
    for args in [&["build", "--root"][..], &["check", "--root"]] {
        let failed = run(args);
        assert_eq!(failed.status.code(), Some(1), "{args:?}: {failed:?}");
        assert!(guard::assert_no_panic(&failed).contains("expected a number, found the text \"lots\""), "{args:?}: {failed:?}");
    }
    let mistaken = run(&["build", "--no-such-flag"]);
    assert_eq!(mistaken.status.code(), Some(2), "{mistaken:?}");
    guard::assert_no_panic(&mistaken);
}

/// A test file dropped straight into tests/ would be a binary of its own again, linking the
/// whole library once more; each area belongs in tests/site as a module.
#[test]
fn the_integration_tests_stay_one_binary() {
    let tests = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let loose: Vec<String> = std::fs::read_dir(&tests)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs") || p.is_dir() && p.join("main.rs").exists() && !p.ends_with("site"))
        .map(|p| p.display().to_string())
        .collect();
    assert!(loose.is_empty(), "move these into tests/site as modules (a `mod` line in tests/site/main.rs): {loose:?}");
}
