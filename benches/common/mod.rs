//! What the benches share: timing a piece of the library, and running the binary to measure
//! its wall time and peak memory.

use std::process::Command;
use std::time::{Duration, Instant};

/// The median of `runs` timings of `f`, in milliseconds.
#[allow(dead_code)] // Not every bench times the library.
pub fn median_ms(runs: usize, mut f: impl FnMut()) -> f64 {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2].as_secs_f64() * 1000.0
}

/// Runs `command`, returning wall time, peak resident memory (VmHWM, sampled every 2 ms) and
/// whether it succeeded.
#[allow(dead_code)] // Not every bench runs the binary.
pub fn measure(mut command: Command) -> (Duration, u64, bool) {
    let start = Instant::now();
    let mut child = command.stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null()).spawn().expect("start");
    let mut peak = 0;
    loop {
        if let Ok(status) = std::fs::read_to_string(format!("/proc/{}/status", child.id())) {
            if let Some(kb) = status.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok()) {
                peak = peak.max(kb);
            }
        }
        if let Ok(Some(status)) = child.try_wait() {
            return (start.elapsed(), peak * 1024, status.success());
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}
