//! A running `soapbox serve` on a free port for the preview's tests: stopped when dropped, and
//! everything it printed read by the panic guard then, since a panic while answering one
//! request leaves the server up and says so only on stderr.

use super::guard;
use super::TestSite;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::thread::JoinHandle;

pub struct Server {
    child: Child,
    pub port: u16,
    /// Drains stderr so the server never blocks on a full pipe; gives back all it read.
    log: Option<JoinHandle<String>>,
}

/// `soapbox serve --port 0` on `site`, once it has said which port it took.
pub fn serve(site: &TestSite) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_soapbox"))
        .args(["serve", "--port", "0", "--root"])
        .arg(site.root())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start soapbox serve");
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let first = lines.next().expect("a first line").unwrap();
    let port = first.split("127.0.0.1:").nth(1).and_then(|s| s.split('/').next()).and_then(|p| p.parse().ok()).unwrap_or_else(|| panic!("no port in: {first}"));
    let log = std::thread::spawn(move || lines.map_while(Result::ok).fold(first + "\n", |log, line| log + &line + "\n"));
    Server { child, port, log: Some(log) }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let status = self.child.wait();
        // The pipe closes with the server, so the log ends.
        let log = self.log.take().and_then(|log| log.join().ok()).unwrap_or_default();
        if let (Ok(status), false) = (status, std::thread::panicking()) {
            guard::assert_ended_cleanly(status, &log);
        }
    }
}
