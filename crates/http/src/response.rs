//! `http.ServerResponse`: Node's `OutgoingMessage._storeHeader` framing rules.

use std::cell::{Cell, RefCell};
use std::fmt::Write as _;
use std::rc::Rc;
use std::time::{SystemTime, UNIX_EPOCH};

use nodestd_net::Socket;
use nodestd_stream::Chunk;

use crate::status::status_text;

/// What the response tells its connection when it finishes.
pub(crate) type FinishHook = Box<dyn FnOnce(bool)>;

pub(crate) struct ResInner {
    pub(crate) socket: Socket,
    pub(crate) status_code: Cell<u16>,
    pub(crate) status_message: RefCell<Option<String>>,
    headers: RefCell<Vec<(String, String)>>,
    /// The stored header block (`_header`), once `writeHead` or the first write made it.
    header: RefCell<Option<Vec<u8>>>,
    header_sent: Cell<bool>,
    chunked: Cell<bool>,
    /// `_last`: the connection closes after this response.
    pub(crate) last: Cell<bool>,
    has_body: Cell<bool>,
    finished: Cell<bool>,
    /// On the wire (Node's `socket._httpMessage`); until then output waits in `pending`.
    attached: Cell<bool>,
    pending: RefCell<Vec<u8>>,
    pub(crate) should_keep_alive: Cell<bool>,
    /// `_expect_continue` and `_sent100`: a response to `Expect: 100-continue` whose head
    /// goes out without a `100 Continue` first does not keep the connection alive.
    expect_continue: Cell<(bool, bool)>,
    use_chunked_by_default: bool,
    keep_alive_timeout_ms: u64,
    on_finish: RefCell<Option<FinishHook>>,
    finish_listeners: RefCell<Vec<Box<dyn FnOnce()>>>,
    /// `res.on('timeout')` listeners (added by [`ServerResponse::set_timeout`]).
    timeout_listeners: RefCell<Vec<Rc<dyn Fn()>>>,
    /// `_trailer`: the trailer lines of [`ServerResponse::add_trailers`].
    trailer: RefCell<String>,
    /// `_maxRequestsPerSocket` (0: none) and `maxRequestsOnConnectionReached`.
    max_requests: Cell<(u32, bool)>,
}

/// `http.ServerResponse`: status, headers, and a body written to the connection.
#[derive(Clone)]
pub struct ServerResponse {
    pub(crate) inner: Rc<ResInner>,
}

impl ServerResponse {
    pub(crate) fn new(
        socket: Socket,
        should_keep_alive: bool,
        use_chunked_by_default: bool,
        is_head: bool,
        keep_alive_timeout_ms: u64,
        on_finish: FinishHook,
    ) -> ServerResponse {
        ServerResponse {
            inner: Rc::new(ResInner {
                socket,
                status_code: Cell::new(200),
                status_message: RefCell::new(None),
                headers: RefCell::new(Vec::new()),
                header: RefCell::new(None),
                header_sent: Cell::new(false),
                chunked: Cell::new(false),
                last: Cell::new(false),
                has_body: Cell::new(!is_head),
                finished: Cell::new(false),
                attached: Cell::new(false),
                pending: RefCell::new(Vec::new()),
                should_keep_alive: Cell::new(should_keep_alive),
                expect_continue: Cell::new((false, false)),
                use_chunked_by_default,
                keep_alive_timeout_ms,
                on_finish: RefCell::new(Some(on_finish)),
                finish_listeners: RefCell::new(Vec::new()),
                timeout_listeners: RefCell::new(Vec::new()),
                trailer: RefCell::new(String::new()),
                max_requests: Cell::new((0, false)),
            }),
        }
    }

    /// `res.statusCode`.
    pub fn status_code(&self) -> u16 {
        self.inner.status_code.get()
    }

    /// `res.statusCode = code`.
    pub fn set_status_code(&self, code: u16) {
        self.inner.status_code.set(code);
    }

    /// `res.statusMessage = msg`.
    pub fn set_status_message(&self, msg: &str) {
        *self.inner.status_message.borrow_mut() = Some(msg.to_owned());
    }

    /// `res.setHeader(name, value)`: replaces any value of that name (case-insensitive).
    #[doc(alias = "setHeader")]
    pub fn set_header(&self, name: &str, value: &str) {
        self.remove_header(name);
        self.inner
            .headers
            .borrow_mut()
            .push((name.to_owned(), value.to_owned()));
    }

    /// `res.getHeader(name)`.
    #[doc(alias = "getHeader")]
    pub fn get_header(&self, name: &str) -> Option<String> {
        self.inner
            .headers
            .borrow()
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    }

    /// `res.hasHeader(name)`.
    #[doc(alias = "hasHeader")]
    pub fn has_header(&self, name: &str) -> bool {
        self.get_header(name).is_some()
    }

    /// `res.removeHeader(name)`.
    #[doc(alias = "removeHeader")]
    pub fn remove_header(&self, name: &str) {
        self.inner
            .headers
            .borrow_mut()
            .retain(|(n, _)| !n.eq_ignore_ascii_case(name));
    }

    /// `res.headersSent`.
    pub fn headers_sent(&self) -> bool {
        self.inner.header_sent.get()
    }

    /// `res.writableEnded` (here: `end` was called).
    pub fn finished(&self) -> bool {
        self.inner.finished.get()
    }

    /// `res.writeContinue()`: `HTTP/1.1 100 Continue`.
    #[doc(alias = "writeContinue")]
    pub fn write_continue(&self) {
        let (expected, _) = self.inner.expect_continue.get();
        self.inner.expect_continue.set((expected, true));
        self.inner
            .socket
            .write(Chunk::from(&b"HTTP/1.1 100 Continue\r\n\r\n"[..]));
    }

    /// `res.writeHead(code, headers)`: stores the header block now, as Node does (so a
    /// body whose length is not known yet is chunked).
    #[doc(alias = "writeHead")]
    pub fn write_head(&self, code: u16, headers: &[(&str, &str)]) {
        self.inner.status_code.set(code);
        for (n, v) in headers {
            self.set_header(n, v);
        }
        self.store_header(None);
    }

    /// `res.setTimeout(ms, f)`: the socket's timeout (`socket.setTimeout(ms)`), with `f`
    /// as a `timeout` listener of the response. When the socket times out, the response on
    /// it calls its listeners; with none, the socket is destroyed (Node's
    /// `socketOnTimeout`).
    #[doc(alias = "setTimeout")]
    pub fn set_timeout(&self, ms: u64, f: impl Fn() + 'static) {
        self.inner.timeout_listeners.borrow_mut().push(Rc::new(f));
        self.inner.socket.set_timeout(ms);
    }

    /// Emits `timeout`; returns whether there was a listener.
    pub(crate) fn emit_timeout(&self) -> bool {
        let listeners = self.inner.timeout_listeners.borrow().clone();
        for f in &listeners {
            f();
        }
        !listeners.is_empty()
    }

    /// `res.addTrailers(headers)`: trailer fields sent after a chunked body's last chunk
    /// (ignored when the body is not chunked).
    #[doc(alias = "addTrailers")]
    pub fn add_trailers(&self, headers: &[(&str, &str)]) {
        let mut t = self.inner.trailer.borrow_mut();
        t.clear();
        for (n, v) in headers {
            let _ = write!(t, "{n}: {v}\r\n");
        }
    }

    /// `res._expect_continue = true` (the request had `Expect: 100-continue`).
    pub(crate) fn set_expect_continue(&self) {
        let (_, sent) = self.inner.expect_continue.get();
        self.inner.expect_continue.set((true, sent));
    }

    /// `_maxRequestsPerSocket` and whether this request reached it.
    pub(crate) fn set_max_requests(&self, max: u32, reached: bool) {
        self.inner.max_requests.set((max, reached));
    }

    /// `res.on('finish', f)`.
    #[doc(alias = "on")]
    pub fn on_finish(&self, f: impl FnOnce() + 'static) {
        self.inner.finish_listeners.borrow_mut().push(Box::new(f));
    }

    /// Node's `_storeHeader`: the status line, the user's headers, then `Date`,
    /// `Connection`, `Keep-Alive` and the framing header.
    fn store_header(&self, content_length: Option<usize>) {
        if self.inner.header.borrow().is_some() {
            return;
        }
        let i = &self.inner;
        let code = i.status_code.get();
        if code == 204 || code == 304 || (100..200).contains(&code) {
            i.has_body.set(false);
        }
        let mut h = String::with_capacity(256);
        let _ = write!(h, "HTTP/1.1 {code} ");
        match &*i.status_message.borrow() {
            Some(msg) => h.push_str(msg),
            None => h.push_str(status_text(code)),
        }
        h.push_str("\r\n");
        let (mut date, mut connection, mut cont_len, mut te) = (false, false, false, false);
        for (n, v) in i.headers.borrow().iter() {
            h.push_str(n);
            h.push_str(": ");
            h.push_str(v);
            h.push_str("\r\n");
            if n.eq_ignore_ascii_case("date") {
                date = true;
            } else if n.eq_ignore_ascii_case("connection") {
                connection = true;
                if v.to_ascii_lowercase().contains("close") {
                    i.last.set(true);
                }
            } else if n.eq_ignore_ascii_case("content-length") {
                cont_len = true;
            } else if n.eq_ignore_ascii_case("transfer-encoding") {
                te = true;
                if v.to_ascii_lowercase().ends_with("chunked") {
                    i.chunked.set(true);
                }
            }
        }
        if !date {
            h.push_str("Date: ");
            utc_date(|d| h.push_str(d));
            h.push_str("\r\n");
        }
        if !connection {
            if i.expect_continue.get() == (true, false) {
                // Node's writeHead: `if (this._expect_continue && !this._sent100)`.
                i.should_keep_alive.set(false);
            }
            let send_keep_alive =
                i.should_keep_alive.get() && (cont_len || i.use_chunked_by_default);
            let (max, reached) = i.max_requests.get();
            if send_keep_alive && reached {
                // Node says so without making this response the last.
                h.push_str("Connection: close\r\n");
            } else if send_keep_alive {
                h.push_str("Connection: keep-alive\r\n");
                // Node: `if (this._keepAliveTimeout ...)`, in ms: 500 says `timeout=0`.
                if i.keep_alive_timeout_ms > 0 {
                    let _ = write!(h, "Keep-Alive: timeout={}", i.keep_alive_timeout_ms / 1000);
                    if max > 0 {
                        let _ = write!(h, ", max={max}");
                    }
                    h.push_str("\r\n");
                }
            } else {
                i.last.set(true);
                h.push_str("Connection: close\r\n");
            }
        }
        if !cont_len && !te {
            if !i.has_body.get() {
                i.chunked.set(false);
            } else if !i.use_chunked_by_default {
                i.last.set(true);
            } else if let Some(n) = content_length {
                let _ = write!(h, "Content-Length: {n}\r\n");
            } else {
                h.push_str("Transfer-Encoding: chunked\r\n");
                i.chunked.set(true);
            }
        }
        h.push_str("\r\n");
        *i.header.borrow_mut() = Some(h.into_bytes());
    }

    /// `res.write(chunk)`: sends the headers first if they have not gone; returns the
    /// socket's backpressure answer.
    pub fn write(&self, data: &[u8]) -> bool {
        if self.inner.finished.get() {
            return false;
        }
        self.store_header(None);
        self.send(data, false)
    }

    fn send(&self, data: &[u8], last: bool) -> bool {
        let i = &self.inner;
        let mut out = if i.header_sent.get() {
            Vec::with_capacity(data.len() + 16)
        } else {
            i.header_sent.set(true);
            let mut v = i.header.borrow_mut().take().unwrap_or_default();
            v.reserve(data.len() + 16);
            v
        };
        if i.has_body.get() {
            if i.chunked.get() {
                if !data.is_empty() {
                    let _ = write!(VecWriter(&mut out), "{:x}\r\n", data.len());
                    out.extend_from_slice(data);
                    out.extend_from_slice(b"\r\n");
                }
                if last {
                    out.extend_from_slice(b"0\r\n");
                    out.extend_from_slice(i.trailer.borrow().as_bytes());
                    out.extend_from_slice(b"\r\n");
                }
            } else {
                out.extend_from_slice(data);
            }
        }
        if out.is_empty() {
            return true;
        }
        if !i.attached.get() {
            // Queued behind an earlier response: buffered (without a bound yet).
            i.pending.borrow_mut().extend_from_slice(&out);
            return true;
        }
        i.socket.write(Chunk::from(out))
    }

    /// `res.end(data)`: the last write; Node sets `Content-Length` when the headers have
    /// not been stored yet.
    pub fn end(&self, data: &[u8]) {
        if self.inner.finished.get() {
            return;
        }
        self.store_header(Some(data.len()));
        self.send(data, true);
        self.inner.finished.set(true);
        if self.inner.attached.get() {
            self.schedule_finish();
        }
    }

    /// Puts a queued response on the wire: its buffered output goes out, and if it has
    /// ended its `finish` follows.
    pub(crate) fn attach(&self) {
        self.inner.attached.set(true);
        let pending = std::mem::take(&mut *self.inner.pending.borrow_mut());
        if !pending.is_empty() {
            self.inner.socket.write(Chunk::from(pending));
        }
        if self.inner.finished.get() {
            self.schedule_finish();
        }
    }

    fn schedule_finish(&self) {
        let hook = self.inner.on_finish.borrow_mut().take();
        let listeners = std::mem::take(&mut *self.inner.finish_listeners.borrow_mut());
        let last = self.inner.last.get();
        nodestd_loop::next_tick(move || {
            for f in listeners {
                f();
            }
            if let Some(h) = hook {
                h(last);
            }
        });
    }

    /// The connection's socket (`res.socket`).
    pub fn socket(&self) -> &Socket {
        &self.inner.socket
    }
}

/// `fmt::Write` into a byte vector (the chunk-size lines).
struct VecWriter<'a>(&'a mut Vec<u8>);

impl std::fmt::Write for VecWriter<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.extend_from_slice(s.as_bytes());
        Ok(())
    }
}

/// Node's `utcDate()` (`lib/internal/http.js`): the `Date` value, made once per second and
/// cached (Node clears its cache with a timer at the next second; here the cache is keyed by
/// the second, which gives the same strings).
fn utc_date(f: impl FnOnce(&str)) {
    thread_local! {
        static CACHE: RefCell<(u64, String)> = const { RefCell::new((u64::MAX, String::new())) };
    }
    let now = SystemTime::now();
    let sec = now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    CACHE.with_borrow_mut(|(at, text)| {
        if *at != sec {
            *at = sec;
            *text = httpdate::fmt_http_date(now);
        }
        f(text);
    });
}
