//! `http.IncomingMessage`: on the server side the request head, on the client side the
//! response head (`statusCode`, `statusMessage`), and the body as a Readable.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use nodestd_net::Socket;
use nodestd_stream::Readable;

use crate::headers::Headers;

struct ReqInner {
    method: String,
    url: String,
    status_code: u16,
    status_message: String,
    minor: u8,
    headers: Headers,
    raw_headers: Vec<String>,
    trailers: RefCell<Headers>,
    complete: Cell<bool>,
    body: Readable,
    socket: Socket,
}

/// `http.IncomingMessage`: `method`, `url`, `httpVersion`, `headers`, `rawHeaders`,
/// `trailers`, `complete`, and the body ([`IncomingMessage::body`], a Readable: `on_data`,
/// `on_end`, `pipe`, `pause`/`resume`).
#[derive(Clone)]
pub struct IncomingMessage {
    inner: Rc<ReqInner>,
}

impl IncomingMessage {
    pub(crate) fn new(
        method: String,
        url: String,
        minor: u8,
        headers: Headers,
        raw_headers: Vec<String>,
        body: Readable,
        socket: Socket,
    ) -> IncomingMessage {
        IncomingMessage {
            inner: Rc::new(ReqInner {
                method,
                url,
                status_code: 0,
                status_message: String::new(),
                minor,
                headers,
                raw_headers,
                trailers: RefCell::new(Headers::new()),
                complete: Cell::new(false),
                body,
                socket,
            }),
        }
    }

    /// A client's response (`statusCode`, `statusMessage`; no method or url).
    pub(crate) fn new_response(
        status: (u16, String),
        minor: u8,
        headers: Headers,
        raw_headers: Vec<String>,
        body: Readable,
        socket: Socket,
    ) -> IncomingMessage {
        let mut m = IncomingMessage::new(
            String::new(),
            String::new(),
            minor,
            headers,
            raw_headers,
            body,
            socket,
        );
        let inner = Rc::get_mut(&mut m.inner).expect("just made");
        (inner.status_code, inner.status_message) = status;
        m
    }

    /// `res.statusCode` (a client's response; 0 on the server side).
    pub fn status_code(&self) -> u16 {
        self.inner.status_code
    }

    /// `res.statusMessage` (a client's response; empty on the server side).
    pub fn status_message(&self) -> &str {
        &self.inner.status_message
    }

    /// `req.method` (empty for a client's response, where Node has `null`).
    pub fn method(&self) -> &str {
        &self.inner.method
    }

    /// `req.url` (empty for a client's response).
    pub fn url(&self) -> &str {
        &self.inner.url
    }

    /// `req.httpVersion` (`'1.1'` or `'1.0'`).
    pub fn http_version(&self) -> String {
        format!("1.{}", self.inner.minor)
    }

    /// `req.headers`, by Node's joining rules.
    pub fn headers(&self) -> &Headers {
        &self.inner.headers
    }

    /// `req.rawHeaders`: names and values as received, alternating.
    pub fn raw_headers(&self) -> &[String] {
        &self.inner.raw_headers
    }

    /// `req.trailers` (filled once the body has ended).
    pub fn trailers(&self) -> Headers {
        self.inner.trailers.borrow().clone()
    }

    pub(crate) fn set_trailers(&self, t: Headers) {
        *self.inner.trailers.borrow_mut() = t;
    }

    /// `req.complete`: the whole request has been received.
    pub fn complete(&self) -> bool {
        self.inner.complete.get()
    }

    pub(crate) fn set_complete(&self) {
        self.inner.complete.set(true);
    }

    /// The body, a Readable of the request's bytes (`req` itself is one in Node).
    pub fn body(&self) -> &Readable {
        &self.inner.body
    }

    /// Adds an `aborted` listener (a client's response cut before its end).
    pub fn on_aborted(&self, f: impl Fn() + 'static) -> nodestd_events::ListenerId {
        self.inner
            .body
            .emitter()
            .on(nodestd_events::Named::<()>::new("aborted"), move |_| f())
    }

    /// `req.socket`.
    pub fn socket(&self) -> &Socket {
        &self.inner.socket
    }
}
