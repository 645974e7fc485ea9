//! The preview's HTTP side: files from the current snapshot with their content types, the
//! site's 404 page, `HEAD`, refusal of paths that climb out (`..`, encoded or not), and the
//! live-reload channel (server-sent events) with the script that listens to it. The script
//! and the error overlay are added here, to served HTML only: `build` output never has them.

use super::{Snapshot, State};
use std::io::Write;
use std::sync::Arc;
use std::time::Duration;
use tiny_http::{Header, Request, Response, StatusCode};

const EVENTS: &str = "/__soapbox/events";
const LIVE_JS: &str = "/__soapbox/live.js";
const WORKERS: usize = 8;

/// Reloads the tab whenever the site's version changes.
const LIVE_SCRIPT: &str = "(function(){var seen=null;var es=new EventSource('/__soapbox/events');\
es.onmessage=function(e){if(seen===null){seen=e.data;return;}if(e.data!==seen){location.reload();}};})();\n";

/// Answers requests on worker threads until the process ends.
pub fn spawn(server: tiny_http::Server, state: Arc<State>) {
    let server = Arc::new(server);
    for _ in 0..WORKERS {
        let server = Arc::clone(&server);
        let state = Arc::clone(&state);
        std::thread::spawn(move || {
            while let Ok(request) = server.recv() {
                if request.url().split('?').next() == Some(EVENTS) {
                    // A tab holds this open for as long as it stays on the page.
                    let state = Arc::clone(&state);
                    std::thread::spawn(move || events(request, &state));
                } else {
                    answer(request, &state.current());
                }
            }
        });
    }
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).unwrap_or_else(|_| Header::from_bytes(&b"X-Soapbox"[..], &b"1"[..]).expect("a valid header"))
}

fn respond(request: Request, status: u16, content_type: &str, body: Vec<u8>) {
    let response = Response::from_data(body)
        .with_status_code(StatusCode(status))
        .with_header(header("Content-Type", content_type))
        .with_header(header("Cache-Control", "no-store"))
        .with_header(header("X-Content-Type-Options", "nosniff"));
    let _ = request.respond(response);
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
        _ => "application/octet-stream",
    }
}

fn answer(request: Request, snapshot: &Snapshot) {
    if !matches!(request.method(), tiny_http::Method::Get | tiny_http::Method::Head) {
        return respond(request, 405, "text/plain; charset=utf-8", b"Only GET and HEAD are supported.\n".to_vec());
    }
    if request.url() == LIVE_JS {
        return respond(request, 200, "text/javascript; charset=utf-8", LIVE_SCRIPT.as_bytes().to_vec());
    }
    let path = match site_path(request.url()) {
        Ok(path) => path,
        Err(status) => return respond(request, status, "text/plain; charset=utf-8", b"Bad request.\n".to_vec()),
    };
    if let Some(bytes) = snapshot.files.get(path.as_str()) {
        let body = if path.ends_with(".html") { live(bytes, snapshot) } else { bytes.to_vec() };
        return respond(request, 200, content_type(&path), body);
    }
    if snapshot.files.contains_key(format!("{path}/index.html").as_str()) {
        let location = format!("/{path}/");
        let response = Response::empty(StatusCode(301)).with_header(header("Location", &location));
        let _ = request.respond(response);
        return;
    }
    let body = match snapshot.files.get("404.html") {
        Some(page) => live(page, snapshot),
        None => live(b"<!doctype html><html lang=en><title>Not found</title><h1>Not found</h1><p>There is no page at this address.</p></html>", snapshot),
    };
    respond(request, 404, "text/html; charset=utf-8", body);
}

/// A served page: the live-reload script, and the build error over the page if there is one.
fn live(html: &[u8], snapshot: &Snapshot) -> Vec<u8> {
    let html = String::from_utf8_lossy(html);
    let mut extra = format!("<script src=\"{LIVE_JS}\"></script>");
    if let Some(error) = &snapshot.error {
        extra.push_str(&format!(
            "<div id=\"soapbox-error\" role=\"alert\" style=\"position:fixed;inset:0;z-index:2147483647;overflow:auto;margin:0;padding:2rem;background:#0b1f3aee;color:#fff;font:15px/1.5 ui-monospace,monospace;white-space:pre-wrap\"><strong>The last change did not build. This is the last good version of the page.</strong>\n\n{}</div>",
            crate::chart::escape_xml(error)
        ));
    }
    match html.rfind("</body>") {
        Some(i) => format!("{}{extra}{}", &html[..i], &html[i..]).into_bytes(),
        None => format!("{html}{extra}").into_bytes(),
    }
}

/// A server-sent event stream: the current version now, then each new one, flushed as it
/// happens (written straight to the socket: a response body would be buffered).
fn events(request: Request, state: &State) {
    let mut writer = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n";
    let mut seen = state.current().version;
    let mut message = format!("{head}data: {seen}\n\n");
    loop {
        if writer.write_all(message.as_bytes()).and_then(|()| writer.flush()).is_err() {
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
    fn served_pages_get_the_reload_script_and_any_error() {
        let mut snapshot = Snapshot::default();
        let page = live(b"<html><body><p>Hi</p></body></html>", &snapshot);
        assert_eq!(String::from_utf8(page).unwrap(), "<html><body><p>Hi</p><script src=\"/__soapbox/live.js\"></script></body></html>");
        snapshot.error = Some("error: <bad>".into());
        let page = String::from_utf8(live(b"<html><body><p>Hi</p></body></html>", &snapshot)).unwrap();
        assert!(page.contains("<p>Hi</p>") && page.contains("error: &lt;bad&gt;") && page.contains("role=\"alert\""));
    }
}
