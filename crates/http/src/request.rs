//! `http.IncomingMessage`: on the server side the request head, on the client side the
//! response head (`statusCode`, `statusMessage`), and the body as a Readable.

use std::borrow::Cow;
use std::cell::{Cell, OnceCell, RefCell};
use std::rc::Rc;

use nodestd_net::Socket;
use nodestd_stream::{Options, Readable};

use crate::headers::Headers;

struct ReqInner {
    method: Cow<'static, str>,
    url: String,
    status_code: u16,
    status_message: String,
    minor: u8,
    headers: Headers,
    raw_headers: Vec<String>,
    trailers: RefCell<Headers>,
    complete: Cell<bool>,
    /// The body stream, made when first asked for or fed (a request whose body nobody
    /// reads and that has none costs no stream): reading it resumes the socket.
    body: OnceCell<Readable>,
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
    /// A request (or, with `body`, a client's response); without `body` the body stream
    /// is made on first use.
    pub(crate) fn new(
        method: Cow<'static, str>,
        url: String,
        minor: u8,
        headers: Headers,
        raw_headers: Vec<String>,
        body: Option<Readable>,
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
                body: body.map_or_else(OnceCell::new, OnceCell::from),
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
            Cow::Borrowed(""),
            String::new(),
            minor,
            headers,
            raw_headers,
            Some(body),
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
        self.inner.body.get_or_init(|| {
            let s = self.inner.socket.clone();
            let body = Readable::new_readable(Options::new().read(move |_: &Readable, _| {
                s.resume();
            }));
            if self.inner.complete.get() {
                // Complete before anyone asked: the stream starts ended, as it would be had
                // it been made with the request and ended with it.
                body.push(None);
            }
            body
        })
    }

    /// Ends the body (the request is complete), if the stream was made; a stream made
    /// later starts ended.
    pub(crate) fn end_body(&self) {
        if let Some(b) = self.inner.body.get() {
            b.push(None);
        }
    }

    /// Adds an `aborted` listener (a client's response cut before its end).
    pub fn on_aborted(&self, f: impl Fn() + 'static) -> nodestd_events::ListenerId {
        self.body()
            .emitter()
            .on(nodestd_events::Named::<()>::new("aborted"), move |_| f())
    }

    /// `req.socket`.
    pub fn socket(&self) -> &Socket {
        &self.inner.socket
    }
}
