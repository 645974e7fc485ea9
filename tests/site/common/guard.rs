//! The panic guard: tells a run of soapbox that panicked from one that failed cleanly.
//!
//! soapbox's panic hook (src/main.rs) prints its own message instead of Rust's "panicked at",
//! so looking for that word alone would let a panic pass as a clean failure. A panic that
//! unwinds out of `main` exits with 101, where a handled error exits with 1 and a mistake on
//! the command line with 2; a panic on a thread the process outlives (a preview's request)
//! leaves only the hook's words. So the guard reads both the exit code and the words.

use std::process::{ExitStatus, Output};

/// What soapbox's panic hook says, and none of its handled errors say.
pub const HOOK_WORDS: &str = "soapbox hit an internal problem";

/// Rust's exit code for a program whose `main` panicked.
pub const PANIC_EXIT: i32 = 101;

/// The signal the harness itself sends to stop a server or cut a build short.
const SIGKILL: i32 = 9;

/// Why a finished run looks like a panic, or `None` if it succeeded or failed cleanly.
pub fn panic_sign(status: ExitStatus, stderr: &str) -> Option<String> {
    match (status.code(), signal(status)) {
        (Some(PANIC_EXIT), _) => Some(format!("it exited with {PANIC_EXIT}, Rust's code for a panic")),
        (None, Some(signal)) if signal != SIGKILL => Some(format!("signal {signal} ended it (an abort, a stack overflow or a crash)")),
        _ => panic_words(stderr).map(str::to_string),
    }
}

/// The panic messages in a run's output: the hook's, and Rust's own should the hook be gone.
pub fn panic_words(stderr: &str) -> Option<&'static str> {
    if stderr.contains(HOOK_WORDS) {
        Some("soapbox's panic hook spoke")
    } else if stderr.contains("panicked at") {
        Some("Rust reported a panic")
    } else {
        None
    }
}

/// Fails the test if the run panicked; returns its stderr.
pub fn assert_no_panic(output: &Output) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_ended_cleanly(output.status, &stderr);
    stderr
}

/// Fails the test if a run that said `said` (its stderr, or a terminal's text) panicked.
pub fn assert_ended_cleanly(status: ExitStatus, said: &str) {
    if let Some(sign) = panic_sign(status, said) {
        panic!("soapbox panicked: {sign} ({status}):\n{said}");
    }
}

#[cfg(unix)]
fn signal(status: ExitStatus) -> Option<i32> {
    std::os::unix::process::ExitStatusExt::signal(&status)
}

#[cfg(not(unix))]
fn signal(_: ExitStatus) -> Option<i32> {
    None
}
