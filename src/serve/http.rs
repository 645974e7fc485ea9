//! The preview's HTTP side: files from the current snapshot with their content types, the
//! site's 404 page, `HEAD`, refusal of paths that climb out (`..`, encoded or not), and the
//! live-reload channel (server-sent events) with the script that listens to it. The script
//! and the error overlay are added here, to served HTML only: `build` output never has them.
//!
//! It is a small HTTP/1.1 server of its own, because the preview must keep to its own user:
//! it answers only requests whose `Host` names the address it listens on, so that a web page
//! cannot reach it through a name of its own that it points at 127.0.0.1 (DNS rebinding);
//! and it reads at most [`MAX_HEAD_BYTES`] of a request's head, within [`HEAD_TIME`], so a
//! client can neither fill its memory nor hold a connection open by sending slowly.

use super::{Snapshot, State};
use std::io::{Read, Write};
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const EVENTS: &str = "/__soapbox/events";
const LIVE_JS: &str = "/__soapbox/live.js";
/// The most bytes of a request line and its headers read; a longer head is answered 431.
pub const MAX_HEAD_BYTES: usize = 16 * 1024;
/// How long a client has to send a whole request head.
const HEAD_TIME: Duration = Duration::from_secs(30);
/// Connections held at once; more are closed at once, so threads stay bounded.
const MAX_CONNECTIONS: usize = 1024;

/// Reloads the tab whenever the site's version changes.
const LIVE_SCRIPT: &str = "(function(){var seen=null;var es=new EventSource('/__soapbox/events');\
es.onmessage=function(e){if(seen===null){seen=e.data;return;}if(e.data!==seen){location.reload();}};})();\n";

/// Answers connections, each on a thread of its own, until the process ends.
pub fn spawn(listener: TcpListener, state: Arc<State>) {
    let Ok(local) = listener.local_addr() else { return };
    let open = Arc::new(AtomicUsize::new(0));
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else {
                // Out of file handles, most likely: wait for some to be given back.
                std::thread::sleep(Duration::from_millis(20));
                continue;
            };
            if open.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
                open.fetch_sub(1, Ordering::SeqCst);
                continue;
            }
            let (state, held) = (Arc::clone(&state), Arc::clone(&open));
            let spawned = std::thread::Builder::new().spawn(move || {
                connection(stream, &state, local);
                held.fetch_sub(1, Ordering::SeqCst);
            });
            if spawned.is_err() {
                open.fetch_sub(1, Ordering::SeqCst);
            }
        }
    });
}

/// An answer, before it is written.
struct Reply {
    status: u16,
    content_type: &'static str,
    body: Vec<u8>,
    location: Option<String>,
}

impl Reply {
    fn new(status: u16, content_type: &'static str, body: Vec<u8>) -> Reply {
        Reply { status, content_type, body, location: None }
    }

    fn plain(status: u16, text: &str) -> Reply {
        Reply::new(status, "text/plain; charset=utf-8", format!("{text}\n").into_bytes())
    }
}

/// One request read from a connection.
struct Request {
    method: String,
    target: String,
    host: Option<String>,
    /// The client wants the connection kept for another request.
    keep_alive: bool,
    /// It announced a body, which is not read: the connection is closed after the answer.
    has_body: bool,
}

fn connection(mut stream: TcpStream, state: &State, local: SocketAddr) {
    let _ = stream.set_nodelay(true);
    let mut buffer = Vec::new();
    loop {
        let head = match read_head(&mut stream, &mut buffer) {
            Ok(Some(head)) => head,
            Ok(None) => return,
            Err(Some(reply)) => return write_reply(&mut stream, reply, false, false),
            Err(None) => return,
        };
        let Some(request) = parse_head(&head) else {
            return write_reply(&mut stream, Reply::plain(400, "Bad request."), false, false);
        };
        match &request.host {
            None => return write_reply(&mut stream, Reply::plain(400, "Bad request: no Host header."), false, false),
            Some(host) if !host_allowed(host, local) => {
                let text = format!("This preview answers only at its own address, such as http://{local}/.");
                return write_reply(&mut stream, Reply::plain(421, &text), false, false);
            }
            Some(_) => {}
        }
        let head_only = request.method == "HEAD";
        if request.method != "GET" && !head_only {
            return write_reply(&mut stream, Reply::plain(405, "Only GET and HEAD are supported."), false, false);
        }
        if request.target.split('?').next() == Some(EVENTS) {
            // A tab holds this open for as long as it stays on the page.
            return events(stream, state);
        }
        let keep = request.keep_alive && !request.has_body;
        write_reply(&mut stream, answer(&request.target, &state.current()), head_only, keep);
        if !keep {
            return;
        }
    }
}

/// The next request head on `stream` (bytes already read wait in `buffer`): `Ok(None)` when
/// the client closed between requests, `Err` with the answer to give when it broke a limit.
fn read_head(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Result<Option<Vec<u8>>, Option<Reply>> {
    let deadline = Instant::now() + HEAD_TIME;
    let mut searched: usize = 0;
    let mut chunk = [0u8; 4096];
    loop {
        // Blank lines before a request are allowed (RFC 9112, 2.2).
        let blank = buffer.iter().take_while(|b| matches!(b, b'\r' | b'\n')).count();
        buffer.drain(..blank);
        searched = searched.saturating_sub(blank);
        if let Some(end) = head_end(buffer, searched) {
            if end > MAX_HEAD_BYTES {
                return Err(Some(Reply::plain(431, "The request's headers are too large.")));
            }
            let rest = buffer.split_off(end);
            return Ok(Some(std::mem::replace(buffer, rest)));
        }
        if buffer.len() > MAX_HEAD_BYTES {
            return Err(Some(Reply::plain(431, "The request's headers are too large.")));
        }
        searched = buffer.len().saturating_sub(3);
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            return Err(None);
        }
        match stream.read(&mut chunk) {
            Ok(0) if buffer.is_empty() => return Ok(None),
            Ok(0) => return Err(None),
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return Err(None),
        }
    }
}

/// Where the head ends (after its blank line), looking from byte `from` on.
fn head_end(buffer: &[u8], from: usize) -> Option<usize> {
    let at = from.min(buffer.len());
    memchr::memmem::find(&buffer[at..], b"\r\n\r\n").map(|i| at + i + 4).or_else(|| memchr::memmem::find(&buffer[at..], b"\n\n").map(|i| at + i + 2))
}

fn parse_head(head: &[u8]) -> Option<Request> {
    let text = std::str::from_utf8(head).ok()?;
    let mut lines = text.lines().map(|l| l.trim_end_matches('\r'));
    let mut parts = lines.next()?.split(' ');
    let (method, target, version) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || method.is_empty() || !method.bytes().all(|b| b.is_ascii_uppercase()) {
        return None;
    }
    let http_11 = match version {
        "HTTP/1.1" => true,
        "HTTP/1.0" => false,
        _ => return None,
    };
    let mut request = Request { method: method.to_string(), target: target.to_string(), host: None, keep_alive: http_11, has_body: false };
    for line in lines.filter(|l| !l.is_empty()) {
        let (name, value) = line.split_once(':')?;
        let value = value.trim();
        match name.to_ascii_lowercase().as_str() {
            // Two Host headers could each tell a different story: refused.
            "host" if request.host.is_some() => return None,
            "host" => request.host = Some(value.to_string()),
            "connection" if value.eq_ignore_ascii_case("close") => request.keep_alive = false,
            "connection" if value.eq_ignore_ascii_case("keep-alive") => request.keep_alive = true,
            "content-length" => request.has_body |= value != "0",
            "transfer-encoding" => request.has_body = true,
            _ => {}
        }
    }
    Some(request)
}

/// Whether `host` (a `Host` header) names the address the preview listens on at `local`:
/// `localhost` or a loopback address when it listens on loopback, the address itself when it
/// listens on one (`--bind`), or any address when it listens on all of them. A port, if given,
/// must be its own. A name other than `localhost` is never accepted, since that is what a
/// rebinding page would send.
pub fn host_allowed(host: &str, local: SocketAddr) -> bool {
    let (name, port) = match host.strip_prefix('[') {
        Some(rest) => match rest.split_once(']') {
            Some((name, "")) => (name, None),
            Some((name, port)) => match port.strip_prefix(':') {
                Some(port) => (name, Some(port)),
                None => return false,
            },
            None => return false,
        },
        None => match host.split_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (host, None),
        },
    };
    if port.is_some_and(|p| p.parse::<u16>() != Ok(local.port())) {
        return false;
    }
    let bound = local.ip();
    if name.eq_ignore_ascii_case("localhost") {
        return bound.is_loopback() || bound.is_unspecified();
    }
    match name.parse::<IpAddr>() {
        Ok(ip) => ip == bound || bound.is_unspecified() || (ip.is_loopback() && bound.is_loopback()),
        Err(_) => false,
    }
}

fn write_reply(stream: &mut TcpStream, reply: Reply, head_only: bool, keep: bool) {
    let reason = match reply.status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        421 => "Misdirected Request",
        431 => "Request Header Fields Too Large",
        _ => "",
    };
    let mut head = format!(
        "HTTP/1.1 {} {reason}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n",
        reply.status,
        reply.content_type,
        reply.body.len()
    );
    if let Some(location) = &reply.location {
        head.push_str(&format!("Location: {location}\r\n"));
    }
    if reply.status == 405 {
        head.push_str("Allow: GET, HEAD\r\n");
    }
    head.push_str(if keep { "\r\n" } else { "Connection: close\r\n\r\n" });
    let _ = stream.set_write_timeout(Some(HEAD_TIME));
    let written = stream.write_all(head.as_bytes()).and_then(|()| if head_only { Ok(()) } else { stream.write_all(&reply.body) });
    if written.and_then(|()| stream.flush()).is_ok() && !keep {
        // Unread bytes (an oversized head, a body) would turn the close into a reset that
        // loses the answer; say that no more is coming, and let the client close.
        let _ = stream.shutdown(std::net::Shutdown::Write);
        let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
        let mut sink = [0u8; 4096];
        let mut drained = 0;
        while drained < 1 << 20 {
            match stream.read(&mut sink) {
                Ok(n) if n > 0 => drained += n,
                _ => break,
            }
        }
    }
}

/// The site path a request asks for (`asks/index.html`), or the status that refuses it.
pub fn site_path(url: &str) -> Result<String, u16> {
    let raw = url.split(['?', '#']).next().unwrap_or_default();
    if !raw.starts_with('/') {
        return Err(400);
    }
    let decoded = percent_decode(raw).ok_or(400u16)?;
    if decoded.contains('\0') || decoded.contains('\\') {
        return Err(400);
    }
    if decoded.split('/').any(|segment| segment == ".." || segment == ".") {
        return Err(400);
    }
    let path = decoded.trim_start_matches('/');
    Ok(if path.is_empty() || path.ends_with('/') { format!("{path}index.html") } else { path.to_string() })
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

pub fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or_default() {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "woff2" => "font/woff2",
        "csv" => "text/csv; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "xml" => "application/xml",
        "json" => "application/json",
        "webmanifest" => "application/manifest+json",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "ics" => crate::headers::CALENDAR,
        _ => "application/octet-stream",
    }
}

fn answer(target: &str, snapshot: &Snapshot) -> Reply {
    if target == LIVE_JS {
        return Reply::new(200, "text/javascript; charset=utf-8", LIVE_SCRIPT.as_bytes().to_vec());
    }
    let path = match site_path(target) {
        Ok(path) => path,
        Err(status) => return Reply::plain(status, "Bad request."),
    };
    if let Some(bytes) = snapshot.files.get(path.as_str()) {
        let body = if path.ends_with(".html") { live(bytes, snapshot) } else { bytes.to_vec() };
        return Reply::new(200, content_type(&path), body);
    }
    if snapshot.files.contains_key(format!("{path}/index.html").as_str()) {
        return Reply { location: Some(format!("/{path}/")), ..Reply::new(301, "text/plain; charset=utf-8", Vec::new()) };
    }
    let body = match snapshot.files.get("404.html") {
        Some(page) => live(page, snapshot),
        None => live(b"<!doctype html><html lang=en><title>Not found</title><h1>Not found</h1><p>There is no page at this address.</p></html>", snapshot),
    };
    Reply::new(404, "text/html; charset=utf-8", body)
}

/// A served page: the live-reload script, and the build error over the page if there is one.
fn live(html: &[u8], snapshot: &Snapshot) -> Vec<u8> {
    let html = String::from_utf8_lossy(html);
    let mut extra = format!("<script src=\"{LIVE_JS}\"></script>");
    if let Some(error) = &snapshot.error {
        extra.push_str(&format!(
            "<div id=\"soapbox-error\" role=\"alert\" style=\"position:fixed;inset:0;z-index:2147483647;overflow:auto;margin:0;padding:2rem;background:#0b1f3aee;color:#fff;font:15px/1.5 ui-monospace,monospace;white-space:pre-wrap\"><strong>The last change did not build. This is the last good version of the page.</strong>\n\n{}</div>",
            crate::escape::xml(error)
        ));
    }
    match html.rfind("</body>") {
        Some(i) => format!("{}{extra}{}", &html[..i], &html[i..]).into_bytes(),
        None => format!("{html}{extra}").into_bytes(),
    }
}

/// A server-sent event stream: the current version now, then each new one, flushed as it
/// happens.
fn events(mut stream: TcpStream, state: &State) {
    let _ = stream.set_write_timeout(Some(HEAD_TIME));
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n";
    let mut seen = state.current().version;
    let mut message = format!("{head}data: {seen}\n\n");
    loop {
        if stream.write_all(message.as_bytes()).and_then(|()| stream.flush()).is_err() {
            return; // The tab went away.
        }
        let version = state.wait_change(seen, Duration::from_secs(15));
        message = if version == seen { ": keep-alive\n\n".to_string() } else { format!("data: {version}\n\n") };
        seen = version;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_map_to_files_and_never_climb() {
        assert_eq!(site_path("/"), Ok("index.html".into()));
        assert_eq!(site_path("/asks/?x=1"), Ok("asks/index.html".into()));
        assert_eq!(site_path("/style.css"), Ok("style.css".into()));
        assert_eq!(site_path("/figures/t%C5%B7/"), Ok("figures/tŷ/index.html".into()));
        for bad in ["/../Cargo.toml", "/%2e%2e/x", "/a/%2E%2E/%2E%2E/etc/passwd", "/..%2fx", "/a\\..\\b", "/%00", "/%zz", "x"] {
            assert_eq!(site_path(bad), Err(400), "{bad}");
        }
    }

    #[test]
    fn case_18_only_the_preview_s_own_address_is_answered() {
        let loopback: SocketAddr = "127.0.0.1:8000".parse().unwrap();
        for good in ["localhost:8000", "LOCALHOST:8000", "127.0.0.1:8000", "127.0.0.1", "localhost", "[::1]:8000"] {
            assert!(host_allowed(good, loopback), "{good}");
        }
        for bad in ["evil.example:8000", "localhost:8001", "localhost.evil.example:8000", "192.168.1.5:8000", "", "[::1", "127.0.0.1:x", "localhost:8000:1"] {
            assert!(!host_allowed(bad, loopback), "{bad}");
        }
        let lan: SocketAddr = "192.168.1.5:8000".parse().unwrap();
        assert!(host_allowed("192.168.1.5:8000", lan));
        assert!(!host_allowed("localhost:8000", lan) && !host_allowed("phone.local:8000", lan));
        let all: SocketAddr = "0.0.0.0:8000".parse().unwrap();
        assert!(host_allowed("10.0.0.7:8000", all) && host_allowed("localhost:8000", all) && !host_allowed("evil.example:8000", all));
    }

    #[test]
    fn case_18_heads_are_parsed_and_their_ends_found() {
        let request = parse_head(b"GET /a HTTP/1.1\r\nHost: localhost:1\r\nContent-Length: 3\r\n\r\n").unwrap();
        assert_eq!((request.method.as_str(), request.target.as_str(), request.host.as_deref()), ("GET", "/a", Some("localhost:1")));
        assert!(request.keep_alive && request.has_body);
        assert!(parse_head(b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n").is_none());
        assert!(parse_head(b"\x00\x01 NONSENSE\r\n\r\n").is_none());
        assert_eq!(head_end(b"GET / HTTP/1.1\r\n\r\nGET", 0), Some(18));
    }

    #[test]
    fn served_pages_get_the_reload_script_and_any_error() {
        let mut snapshot = Snapshot::default();
        let page = live(b"<html><body><p>Hi</p></body></html>", &snapshot);
        assert_eq!(String::from_utf8(page).unwrap(), "<html><body><p>Hi</p><script src=\"/__soapbox/live.js\"></script></body></html>");
        snapshot.error = Some("error: <bad>".into());
        let page = String::from_utf8(live(b"<html><body><p>Hi</p></body></html>", &snapshot)).unwrap();
        assert!(page.contains("<p>Hi</p>") && page.contains("error: &lt;bad&gt;") && page.contains("role=\"alert\""));
    }
}
