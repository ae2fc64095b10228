//! `http-hello --port P`: the contract of issue 14 (twin: tests/node/http-hello.js).
//! `GET /` hello world, `POST /echo` the body back, `GET /headers` `JSON.stringify(req.headers)`,
//! `GET /slow?ms=N` after N ms, else 404; SIGTERM closes the server gracefully, exit 0.

mod common;

use nodestd_http::create_server;
use nodestd_stream::Chunk;

/// `?ms=N` as the twin reads it: digits only, 0..=60000, anything else 0.
fn slow_ms(url: &str) -> u64 {
    let query = url.split_once('?').map(|(_, q)| q).unwrap_or("");
    let ms = query
        .split('&')
        .filter_map(|kv| kv.split_once('=').or(Some((kv, ""))))
        .find(|(k, _)| *k == "ms")
        .map(|(_, v)| v)
        .unwrap_or("");
    if ms.is_empty() || !ms.bytes().all(|b| b.is_ascii_digit()) {
        return 0;
    }
    ms.parse::<u64>().ok().filter(|&n| n <= 60_000).unwrap_or(0)
}

fn main() {
    let exit = nodestd_loop::run(|| {
        let opts = common::contract_options();
        let server = create_server(opts, |req, res| {
            let url = req.url();
            let path = url.split('?').next().unwrap_or(url);
            match (req.method(), path) {
                ("GET", "/") => {
                    res.set_header("Content-Type", "text/plain");
                    res.end(b"hello world");
                }
                ("POST", "/echo") => {
                    res.write_head(200, &[("Content-Type", "application/octet-stream")]);
                    let body = req.body().clone();
                    let (r, b) = (res.clone(), body.clone());
                    body.on_data(move |c: &Chunk| {
                        if !r.write(c.as_bytes()) {
                            b.pause();
                            let b = b.clone();
                            r.socket().once_drain(move || b.resume());
                        }
                    });
                    let r = res.clone();
                    body.on_end(move || r.end(b""));
                }
                ("GET", "/headers") => {
                    res.set_header("Content-Type", "application/json");
                    res.end(req.headers().to_json().as_bytes());
                }
                ("GET", "/slow") => {
                    let ms = slow_ms(url);
                    nodestd_loop::set_timeout(ms, move || {
                        res.set_header("Content-Type", "text/plain");
                        res.end(format!("slept {ms}").as_bytes());
                    });
                }
                _ => {
                    res.set_header("Content-Type", "text/plain");
                    res.set_status_code(404);
                    res.end(b"not found");
                }
            }
        });
        common::serve(server);
    });
    let _ = exit;
}
