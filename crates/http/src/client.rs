//! `http.request` / `http.get` and `http.ClientRequest` (`lib/_http_client.js`): the request
//! head framed as `_storeHeader` frames it (`Host`, `Connection` from the agent, a
//! `Content-Length` for a single `end(data)`, chunked otherwise for methods with a body),
//! the body a Writable; the response head parsed by httparse with llhttp's error names
//! (`HPE_*`), its body framed by hand (Content-Length, chunked with trailers, read until
//! close, none for HEAD/1xx/204/304); Node's errors (`socket hang up` ECONNRESET, `aborted`
//! on a cut response) and events (`socket`, `response`, `continue`, `information`,
//! `timeout`, `abort`, `close`).

use std::cell::RefCell;
use std::path::PathBuf;
use std::rc::Rc;

use nodestd_events::{ListenerId, Named};
use nodestd_net::{LookupFn, NetError, Socket};
use nodestd_stream::{Bytes, Callback, Chunk, Error, Options, Readable, Writable};

use crate::IncomingMessage;
use crate::agent::{Agent, AgentOptions, Conn, ConnectParams, global_agent, on_free};
use crate::headers::{Headers, latin1};

/// The `agent` option.
#[derive(Clone, Default)]
pub enum AgentChoice {
    /// `undefined`: the global agent ([`global_agent`], or https's).
    #[default]
    Global,
    /// An agent of one's own.
    Agent(Agent),
    /// `agent: false`: a new default agent (no keep-alive) for this request.
    None,
}

/// `http.request(options)`'s options.
#[derive(Clone)]
pub struct RequestOptions {
    /// `protocol` (`http:`; [`crate::https::request`] sets `https:`).
    pub protocol: String,
    /// `host` / `hostname` (default `localhost`).
    pub host: Option<String>,
    /// `port` (default 80, 443 for https).
    pub port: Option<u16>,
    /// `socketPath`: a Unix-domain socket instead of host and port.
    pub socket_path: Option<PathBuf>,
    /// `method` (default `GET`).
    pub method: String,
    /// `path` (default `/`), with the query.
    pub path: String,
    /// `headers`, in order.
    pub headers: Vec<(String, String)>,
    /// `setHost` (default true): add a `Host` header.
    pub set_host: bool,
    /// `agent`.
    pub agent: AgentChoice,
    /// `timeout` in ms: `req.setTimeout(timeout)` once the socket is there.
    pub timeout: Option<u64>,
    /// `family` for the host's lookup (0, 4, 6).
    pub family: u8,
    /// `lookup`: a custom lookup function.
    pub lookup: Option<LookupFn>,
    /// `auth` (`user:password`): an `Authorization: Basic` header.
    pub auth: Option<String>,
    /// https's TLS options (set by [`crate::https::request`]).
    pub tls: Option<crate::https::TlsOptions>,
}

impl Default for RequestOptions {
    fn default() -> RequestOptions {
        RequestOptions {
            protocol: "http:".into(),
            host: None,
            port: None,
            socket_path: None,
            method: "GET".into(),
            path: "/".into(),
            headers: Vec::new(),
            set_host: true,
            agent: AgentChoice::Global,
            timeout: None,
            family: 0,
            lookup: None,
            auth: None,
            tls: None,
        }
    }
}

impl RequestOptions {
    /// The options of a URL (`urlToHttpOptions`), as `http.request(url, options)` merges them.
    ///
    /// # Errors
    /// `ERR_INVALID_URL` for a string that is not a URL.
    pub fn from_url(url: &str) -> Result<RequestOptions, Error> {
        let u = nodestd_url::URL::parse(url, None).map_err(|e| {
            Error::from_error_with_code(
                e.code().to_owned(),
                NetError::code_only(e.code(), e.message()),
            )
        })?;
        let o = u.to_http_options().map_err(|e| {
            Error::from_error_with_code(
                e.code().to_owned(),
                NetError::code_only(e.code(), e.message()),
            )
        })?;
        Ok(RequestOptions {
            protocol: o.protocol,
            host: Some(o.hostname),
            port: o.port,
            path: o.path,
            auth: o.auth,
            ..RequestOptions::default()
        })
    }
}

/// The body framing of the response being parsed.
#[derive(Debug, Clone, Copy)]
enum Body {
    Length(u64),
    ChunkSize,
    ChunkData(u64),
    ChunkDataEnd,
    Trailers,
    UntilClose,
}

#[derive(Debug, Clone, Copy)]
enum Phase {
    Head,
    Body(Body),
    Done,
}

struct ReqState {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    /// The stored head (`_header`), until it goes out with the first bytes.
    header: Option<Vec<u8>>,
    header_stored: bool,
    header_sent: bool,
    chunked: bool,
    use_chunked_by_default: bool,
    should_keep_alive: bool,
    conn: Option<Rc<Conn>>,
    /// Bytes and their callbacks (writes, the end) waiting for the socket (Node's
    /// `outputData`).
    pending: Vec<u8>,
    pending_cbs: Vec<Callback>,
    res: Option<IncomingMessage>,
    phase: Phase,
    timeout: Option<u64>,
    had_error: bool,
    aborted: bool,
    /// The socket went back to the agent (or was given up): the request no longer owns it.
    released: bool,
    reused: bool,
    keep_alive_hint: Option<u64>,
    agent: Agent,
}

/// `http.ClientRequest`: the request's head and body (a Writable: [`ClientRequest::write`],
/// [`ClientRequest::end`], or [`ClientRequest::stream`] to `pipe` into), and its events.
#[derive(Clone)]
pub struct ClientRequest {
    stream: Writable,
    st: Rc<RefCell<ReqState>>,
}

fn hang_up() -> Error {
    NetError::code_only("ECONNRESET", "socket hang up").into_stream_error()
}

fn parse_error(code: &str, reason: &str) -> Error {
    NetError::code_only(code, &format!("Parse Error: {reason}")).into_stream_error()
}

/// Base64 of `user:password` for `auth`.
fn base64(input: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for c in input.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= c.len() {
                out.push(T[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// `http.request(options, cb)`: `cb` is a one-time `response` listener. The request is sent
/// when it ends ([`ClientRequest::end`]).
///
/// # Panics
/// Outside a running loop.
pub fn request(opts: RequestOptions, cb: impl Fn(&IncomingMessage) + 'static) -> ClientRequest {
    let req = ClientRequest::new(opts);
    req.once_response(cb);
    req
}

/// `http.request(url, options, cb)`: the URL's parts over `opts`.
///
/// # Errors
/// `ERR_INVALID_URL` (thrown by Node).
#[doc(alias = "request")]
pub fn request_url(
    url: &str,
    cb: impl Fn(&IncomingMessage) + 'static,
) -> Result<ClientRequest, Error> {
    Ok(request(RequestOptions::from_url(url)?, cb))
}

/// `http.get(options, cb)`: a request that is ended at once.
pub fn get(opts: RequestOptions, cb: impl Fn(&IncomingMessage) + 'static) -> ClientRequest {
    let req = request(opts, cb);
    req.end();
    req
}

/// `http.get(url, cb)`.
///
/// # Errors
/// `ERR_INVALID_URL` (thrown by Node).
#[doc(alias = "get")]
pub fn get_url(url: &str, cb: impl Fn(&IncomingMessage) + 'static) -> Result<ClientRequest, Error> {
    Ok(get(RequestOptions::from_url(url)?, cb))
}

const NO_BODY_METHODS: &[&str] = &["GET", "HEAD", "DELETE", "OPTIONS", "TRACE", "CONNECT"];

impl ClientRequest {
    /// `new ClientRequest(options)`: the head is prepared and the agent asked for a socket.
    pub fn new(opts: RequestOptions) -> ClientRequest {
        let https = opts.protocol == "https:";
        let default_port = if https { 443 } else { 80 };
        let port = opts.port.unwrap_or(default_port);
        let host = opts.host.clone().unwrap_or_else(|| "localhost".into());
        let agent = match &opts.agent {
            AgentChoice::Global if https => crate::https::global_agent(),
            AgentChoice::Global => global_agent(),
            AgentChoice::Agent(a) => a.clone(),
            AgentChoice::None => Agent::new(AgentOptions::default()),
        };
        let method = opts.method.to_ascii_uppercase();
        let mut headers = opts.headers.clone();
        let has =
            |h: &[(String, String)], n: &str| h.iter().any(|(k, _)| k.eq_ignore_ascii_case(n));
        if let Some(auth) = &opts.auth
            && !has(&headers, "authorization")
        {
            headers.push((
                "Authorization".into(),
                format!("Basic {}", base64(auth.as_bytes())),
            ));
        }
        if opts.set_host && !has(&headers, "host") && opts.socket_path.is_none() {
            let mut h = if host.contains(':') && !host.starts_with('[') {
                format!("[{host}]")
            } else {
                host.clone()
            };
            if port != default_port {
                h.push_str(&format!(":{port}"));
            }
            headers.push(("Host".into(), h));
        }
        // An agent that may reuse the socket asks for keep-alive.
        let mut should_keep_alive = agent.keep_alive() || agent.options().max_sockets.is_some();
        if let Some((_, v)) = headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("connection"))
            && v.to_ascii_lowercase().contains("close")
        {
            should_keep_alive = false;
        }
        let st = Rc::new(RefCell::new(ReqState {
            use_chunked_by_default: !NO_BODY_METHODS.contains(&method.as_str()),
            method,
            path: opts.path.clone(),
            headers,
            header: None,
            header_stored: false,
            header_sent: false,
            chunked: false,
            should_keep_alive,
            conn: None,
            pending: Vec::new(),
            pending_cbs: Vec::new(),
            res: None,
            phase: Phase::Head,
            timeout: opts.timeout,
            had_error: false,
            aborted: false,
            released: false,
            reused: false,
            keep_alive_hint: None,
            agent: agent.clone(),
        }));
        let (s1, s2, s3) = (Rc::clone(&st), Rc::clone(&st), Rc::clone(&st));
        let stream: Writable = Writable::new_writable(
            Options::new()
                .emit_close(true)
                .auto_destroy(false)
                .write(move |s, chunk: Chunk, cb| {
                    ClientRequest::wrap(s, &s1).write_generic(chunk.into_bytes(), cb)
                })
                .final_(move |s, cb| ClientRequest::wrap(s, &s2).on_final(cb))
                .destroy(move |s, err, cb| {
                    let e = ClientRequest::wrap(s, &s3).on_destroy(err);
                    cb.call(e);
                }),
        );
        let req = ClientRequest { stream, st };
        let name = Agent::get_name(&host, port, opts.family);
        let params = ConnectParams {
            host,
            port,
            socket_path: opts.socket_path,
            family: opts.family,
            lookup: opts.lookup,
            tls: opts
                .tls
                .map(|t| crate::https::TlsConnect::new(&t, opts.host.as_deref())),
        };
        let name = match &params.socket_path {
            Some(p) => format!("{name}:{}", p.display()),
            None => name,
        };
        agent.add_request(&req, name, params);
        if req.get_header("expect").is_some() {
            // Node stores and sends the head at once for `Expect: 100-continue`; the body
            // waits for the `continue` event.
            req.flush_headers();
        }
        req
    }

    fn wrap(s: &Writable, st: &Rc<RefCell<ReqState>>) -> ClientRequest {
        ClientRequest {
            stream: s.clone(),
            st: Rc::clone(st),
        }
    }

    /// The request body as a Writable (to `pipe` into).
    pub fn stream(&self) -> &Writable {
        &self.stream
    }

    // ----- headers -----

    /// `req.setHeader(name, value)` (before the head is stored).
    #[doc(alias = "setHeader")]
    pub fn set_header(&self, name: &str, value: &str) {
        let mut st = self.st.borrow_mut();
        if st.header_stored {
            return;
        }
        st.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        st.headers.push((name.to_owned(), value.to_owned()));
    }

    /// `req.getHeader(name)`.
    #[doc(alias = "getHeader")]
    pub fn get_header(&self, name: &str) -> Option<String> {
        self.st
            .borrow()
            .headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    }

    /// `req.removeHeader(name)`.
    #[doc(alias = "removeHeader")]
    pub fn remove_header(&self, name: &str) {
        let mut st = self.st.borrow_mut();
        if !st.header_stored {
            st.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        }
    }

    /// `req.headersSent`.
    pub fn headers_sent(&self) -> bool {
        self.st.borrow().header_sent
    }

    /// `req.reusedSocket`: the socket came from the agent's free list.
    pub fn reused_socket(&self) -> bool {
        self.st.borrow().reused
    }

    /// `req.method`.
    pub fn method(&self) -> String {
        self.st.borrow().method.clone()
    }

    /// `req.path`.
    pub fn path(&self) -> String {
        self.st.borrow().path.clone()
    }

    /// `req.socket` (once assigned; `None` after it went back to the agent).
    pub fn socket(&self) -> Option<Socket> {
        let st = self.st.borrow();
        st.conn
            .as_ref()
            .filter(|_| !st.released)
            .map(|c| c.tcp.clone())
    }

    /// `_storeHeader`: the request line, the headers, `Connection`, and the framing header.
    fn store_header(&self, content_length: Option<usize>) {
        let mut st = self.st.borrow_mut();
        if st.header_stored {
            return;
        }
        st.header_stored = true;
        let mut h = format!("{} {} HTTP/1.1\r\n", st.method, st.path);
        let (mut connection, mut cont_len, mut te) = (false, false, false);
        let mut chunked = false;
        for (n, v) in &st.headers {
            h.push_str(&format!("{n}: {v}\r\n"));
            match n.to_ascii_lowercase().as_str() {
                "connection" => connection = true,
                "content-length" => cont_len = true,
                "transfer-encoding" => {
                    te = true;
                    chunked = v.to_ascii_lowercase().trim_end().ends_with("chunked");
                }
                _ => {}
            }
        }
        if !connection {
            h.push_str(if st.should_keep_alive {
                "Connection: keep-alive\r\n"
            } else {
                "Connection: close\r\n"
            });
        }
        if !cont_len && !te {
            if let Some(n) = content_length {
                if n > 0 || st.use_chunked_by_default {
                    h.push_str(&format!("Content-Length: {n}\r\n"));
                }
            } else if st.use_chunked_by_default {
                h.push_str("Transfer-Encoding: chunked\r\n");
                chunked = true;
            }
        }
        h.push_str("\r\n");
        st.chunked = chunked;
        st.header = Some(h.into_bytes());
    }

    // ----- writing -----

    /// `req.write(chunk)`: the head goes with the first bytes (chunked when the length is
    /// not known); returns the stream's backpressure answer.
    pub fn write(&self, chunk: impl Into<Chunk>) -> bool {
        self.store_header(None);
        self.stream.write(chunk.into())
    }

    /// `req.write(chunk, cb)`.
    #[doc(alias = "write")]
    pub fn write_with(
        &self,
        chunk: impl Into<Chunk>,
        cb: impl FnOnce(Option<Error>) + 'static,
    ) -> bool {
        self.store_header(None);
        self.stream.write_with(chunk.into(), cb)
    }

    /// `req.end()`: sends the request (the head alone when nothing was written).
    pub fn end(&self) {
        self.store_header(Some(0));
        self.stream.end();
    }

    /// `req.end(data)`: with no earlier write, the head gets `Content-Length`.
    #[doc(alias = "end")]
    pub fn end_with(&self, chunk: impl Into<Chunk>) {
        let chunk = chunk.into();
        self.store_header(Some(chunk.as_bytes().len()));
        self.stream.end_with(chunk);
    }

    /// `req.flushHeaders()`: the head goes out now.
    #[doc(alias = "flushHeaders")]
    pub fn flush_headers(&self) {
        self.store_header(None);
        self.send(Vec::new(), None);
    }

    /// The request's `_write`: frames `data` (chunked or not), the head first.
    fn write_generic(&self, data: Bytes, cb: Callback) {
        self.store_header(None);
        let chunked = self.st.borrow().chunked;
        let mut out = Vec::with_capacity(data.len() + 16);
        if chunked && !data.is_empty() {
            out.extend_from_slice(format!("{:x}\r\n", data.len()).as_bytes());
            out.extend_from_slice(&data);
            out.extend_from_slice(b"\r\n");
        } else {
            out.extend_from_slice(&data);
        }
        self.send(out, Some(cb));
    }

    /// `_final`: the last chunk of a chunked body.
    fn on_final(&self, cb: Callback) {
        self.store_header(Some(0));
        let chunked = self.st.borrow().chunked;
        let out = if chunked {
            b"0\r\n\r\n".to_vec()
        } else {
            Vec::new()
        };
        self.send(out, Some(cb));
    }

    /// Puts bytes (after the head, if it has not gone) on the socket, or keeps them until
    /// the socket is there.
    fn send(&self, data: Vec<u8>, cb: Option<Callback>) {
        let (conn, out) = {
            let mut st = self.st.borrow_mut();
            let out = if st.header_sent {
                data
            } else if st.conn.is_some() {
                st.header_sent = true;
                let mut h = st.header.take().unwrap_or_default();
                h.extend_from_slice(&data);
                h
            } else {
                st.pending.extend_from_slice(&data);
                st.pending_cbs.extend(cb);
                return;
            };
            (st.conn.clone(), out)
        };
        let Some(conn) = conn else { return };
        self.send_now(&conn, out, cb.into_iter().collect());
    }

    fn send_now(&self, conn: &Conn, out: Vec<u8>, cbs: Vec<Callback>) {
        if out.is_empty() {
            for cb in cbs {
                cb.ok();
            }
            return;
        }
        if cbs.is_empty() {
            conn.stream.write(Chunk::from(out));
        } else {
            conn.stream.write_with(Chunk::from(out), move |e| {
                for cb in cbs {
                    cb.call(e.clone());
                }
            });
        }
    }

    // ----- the socket -----

    /// `req.onSocket(socket)`: attached on the next tick (`onSocketNT`).
    pub(crate) fn on_socket(&self, conn: Rc<Conn>, reused: bool) {
        let req = self.clone();
        nodestd_loop::next_tick(move || req.tick_on_socket(conn, reused));
    }

    fn tick_on_socket(&self, conn: Rc<Conn>, reused: bool) {
        if self.stream.destroyed() {
            // Destroyed before it had a socket: the socket goes back (`_destroy`'s path).
            if reused || !conn.stream.destroyed() {
                on_free(&conn, None);
            }
            return;
        }
        *conn.owner.borrow_mut() = Some(self.clone());
        conn.buf.borrow_mut().clear();
        let timeout = {
            let mut st = self.st.borrow_mut();
            st.conn = Some(Rc::clone(&conn));
            st.reused = reused;
            st.timeout
        };
        if let Some(ms) = timeout {
            conn.tcp.set_timeout(ms);
        } else if let Some(ms) = self.st.borrow().agent.options().timeout
            && conn.tcp.timeout() != Some(ms)
        {
            conn.tcp.set_timeout(ms);
        }
        let _ = self
            .stream
            .emitter()
            .emit(Named::<Socket>::new("socket"), conn.tcp.clone());
        let (header, pending, cbs) = {
            let mut st = self.st.borrow_mut();
            let header = if st.header_stored && !st.header_sent {
                st.header_sent = true;
                st.header.take().unwrap_or_default()
            } else {
                Vec::new()
            };
            (
                header,
                std::mem::take(&mut st.pending),
                std::mem::take(&mut st.pending_cbs),
            )
        };
        let mut out = header;
        out.extend_from_slice(&pending);
        self.send_now(&conn, out, cbs);
    }

    /// `req.emit('error', err)` as `_http_client.js` does it (at once, not through
    /// `destroy`); the request's `close` follows the socket's.
    fn emit_error(&self, e: Error) {
        self.st.borrow_mut().had_error = true;
        let _ = self.stream.emitter().emit(Named::<Error>::new("error"), e);
    }

    pub(crate) fn on_conn_data(&self, conn: &Rc<Conn>) {
        if let Err(e) = self.parse(conn) {
            // `socketOnData`'s parse failure: the socket is destroyed, then the error.
            conn.stream.destroy(None);
            self.emit_error(e);
        }
    }

    /// `socketOnEnd`: the server's FIN.
    pub(crate) fn on_conn_end(&self, conn: &Rc<Conn>) {
        let phase = self.st.borrow().phase;
        match phase {
            Phase::Body(Body::UntilClose) => {
                self.st.borrow_mut().phase = Phase::Done;
                self.response_complete(conn, None);
            }
            Phase::Head if self.st.borrow().res.is_none() && !self.st.borrow().had_error => {
                self.emit_error(hang_up());
            }
            _ => {}
        }
        conn.stream.destroy(None);
    }

    /// `socketErrorListener`.
    pub(crate) fn on_conn_error(&self, e: &Error) {
        let (had_error, has_res) = {
            let st = self.st.borrow();
            (st.had_error, st.res.is_some())
        };
        if !had_error && !has_res {
            self.emit_error(e.clone());
        }
    }

    pub(crate) fn on_conn_timeout(&self) {
        let _ = self.stream.emitter().emit(Named::<()>::new("timeout"), ());
    }

    /// `socketCloseListener`.
    pub(crate) fn on_conn_close(&self, _conn: &Rc<Conn>) {
        let (res, had_error, done) = {
            let st = self.st.borrow();
            (
                st.res.clone(),
                st.had_error,
                matches!(st.phase, Phase::Done),
            )
        };
        match res {
            Some(res) if !done && !res.complete() => {
                let _ = res.body().emitter().emit(Named::<()>::new("aborted"), ());
                self.st.borrow_mut().released = true;
                self.stream.destroy(None);
                res.body().destroy(Some(
                    NetError::code_only("ECONNRESET", "aborted").into_stream_error(),
                ));
                return;
            }
            Some(_) => {}
            None if !had_error => self.emit_error(hang_up()),
            None => {}
        }
        self.st.borrow_mut().released = true;
        self.stream.destroy(None);
    }

    /// `_destroy`: the socket is destroyed too unless the request is done with it; before a
    /// response, a destroy without an error is still `socket hang up` (unless aborted).
    fn on_destroy(&self, err: Option<Error>) -> Option<Error> {
        let (conn, released, res, aborted, had_error) = {
            let st = self.st.borrow();
            (
                st.conn.clone(),
                st.released,
                st.res.clone(),
                st.aborted,
                st.had_error,
            )
        };
        if released {
            return err;
        }
        self.st.borrow_mut().released = true;
        if let Some(res) = &res
            && !res.complete()
        {
            res.body().resume();
        }
        if let Some(c) = conn {
            *c.owner.borrow_mut() = None;
            if res.as_ref().is_none_or(|r| !r.complete()) {
                c.stream.destroy(None);
                if let Some(r) = &res {
                    // A cut response: `aborted`, then its error.
                    let _ = r.body().emitter().emit(Named::<()>::new("aborted"), ());
                    r.body().destroy(Some(
                        NetError::code_only("ECONNRESET", "aborted").into_stream_error(),
                    ));
                }
            }
        }
        match err {
            Some(e) => Some(e),
            None if res.is_none() && !aborted && !had_error => Some(hang_up()),
            None => None,
        }
    }

    /// `req.destroy(err)`.
    pub fn destroy(&self, err: Option<Error>) {
        self.stream.destroy(err);
    }

    /// `req.abort()` (deprecated in Node): `abort` is emitted, and the request destroyed
    /// without an error.
    pub fn abort(&self) {
        if self.st.borrow().aborted {
            return;
        }
        self.st.borrow_mut().aborted = true;
        // Node's order: `close` (the destroy's tick) before `abort`.
        self.stream.destroy(None);
        let req = self.clone();
        nodestd_loop::next_tick(move || {
            let _ = req.stream.emitter().emit(Named::<()>::new("abort"), ());
        });
    }

    /// `req.setTimeout(ms)`: the socket's inactivity timeout, `timeout` re-emitted here.
    #[doc(alias = "setTimeout")]
    pub fn set_timeout(&self, ms: u64) -> &ClientRequest {
        self.st.borrow_mut().timeout = Some(ms);
        if let Some(c) = self.st.borrow().conn.as_ref() {
            c.tcp.set_timeout(ms);
        }
        self
    }

    // ----- events -----

    /// Adds a one-time `response` listener.
    pub fn once_response(&self, f: impl Fn(&IncomingMessage) + 'static) -> ListenerId {
        self.stream
            .emitter()
            .once(Named::<IncomingMessage>::new("response"), f)
    }
    /// Adds a `socket` listener.
    pub fn on_socket_event(&self, f: impl Fn(&Socket) + 'static) -> ListenerId {
        self.stream.emitter().on(Named::<Socket>::new("socket"), f)
    }
    /// Adds an `error` listener.
    pub fn on_error(&self, f: impl Fn(&Error) + 'static) -> ListenerId {
        self.stream.on_error(f)
    }
    /// Adds a `close` listener.
    pub fn on_close(&self, f: impl Fn() + 'static) -> ListenerId {
        self.stream.on_close(f)
    }
    /// Adds a `finish` listener (the whole request was handed to the socket).
    pub fn on_finish(&self, f: impl Fn() + 'static) -> ListenerId {
        self.stream.on_finish(f)
    }
    /// Adds a `drain` listener.
    pub fn on_drain(&self, f: impl Fn() + 'static) -> ListenerId {
        self.stream.on_drain(f)
    }
    /// Adds a `timeout` listener.
    pub fn on_timeout(&self, f: impl Fn() + 'static) -> ListenerId {
        self.stream
            .emitter()
            .on(Named::<()>::new("timeout"), move |_| f())
    }
    /// Adds a `continue` listener (`100 Continue` arrived).
    pub fn on_continue(&self, f: impl Fn() + 'static) -> ListenerId {
        self.stream
            .emitter()
            .on(Named::<()>::new("continue"), move |_| f())
    }
    /// Adds an `information` listener (another 1xx: its status code).
    pub fn on_information(&self, f: impl Fn(u16) + 'static) -> ListenerId {
        self.stream
            .emitter()
            .on(Named::<u16>::new("information"), move |c| f(*c))
    }
    /// Adds an `abort` listener.
    pub fn on_abort(&self, f: impl Fn() + 'static) -> ListenerId {
        self.stream
            .emitter()
            .on(Named::<()>::new("abort"), move |_| f())
    }

    // ----- the response -----

    fn parse(&self, conn: &Rc<Conn>) -> Result<(), Error> {
        loop {
            let phase = self.st.borrow().phase;
            match phase {
                Phase::Done => {
                    if conn.buf.borrow().is_empty() {
                        return Ok(());
                    }
                    // Bytes after the response: Node's parser ignores them until the next
                    // request; the connection is not reused.
                    self.st.borrow_mut().should_keep_alive = false;
                    conn.buf.borrow_mut().clear();
                    return Ok(());
                }
                Phase::Head => {
                    if !self.parse_head(conn)? {
                        return Ok(());
                    }
                }
                Phase::Body(b) => {
                    if !self.parse_body(conn, b)? {
                        return Ok(());
                    }
                }
            }
        }
    }

    fn parse_head(&self, conn: &Rc<Conn>) -> Result<bool, Error> {
        let parsed = {
            let buf = conn.buf.borrow();
            parse_response_head(&buf)?
        };
        let Some((len, code, reason, minor, raw)) = parsed else {
            return Ok(false);
        };
        conn.buf.borrow_mut().drain(..len);
        if (100..200).contains(&code) {
            let name = if code == 100 {
                "continue"
            } else {
                "information"
            };
            if code == 100 {
                let _ = self.stream.emitter().emit(Named::<()>::new(name), ());
            } else {
                let _ = self.stream.emitter().emit(Named::<u16>::new(name), code);
            }
            return Ok(true);
        }
        let mut headers = Headers::new();
        let mut raw_headers = Vec::new();
        let (mut cl, mut te, mut conn_hdr) = (None::<String>, None::<String>, None::<String>);
        for (n, v) in &raw {
            headers.add_line(n, v);
            raw_headers.push(n.clone());
            raw_headers.push(v.clone());
            match n.to_ascii_lowercase().as_str() {
                "content-length" => {
                    if cl.is_some() {
                        return Err(parse_error(
                            "HPE_UNEXPECTED_CONTENT_LENGTH",
                            "Duplicate Content-Length",
                        ));
                    }
                    cl = Some(v.trim().to_owned());
                }
                "transfer-encoding" => {
                    te = Some(match te {
                        Some(t) => format!("{t}, {v}"),
                        None => v.clone(),
                    });
                }
                "connection" => {
                    conn_hdr = Some(match conn_hdr {
                        Some(t) => format!("{t}, {v}"),
                        None => v.clone(),
                    });
                }
                _ => {}
            }
        }
        let is_head = self.st.borrow().method == "HEAD";
        let chunked = te.as_ref().is_some_and(|t| {
            t.rsplit(',')
                .next()
                .is_some_and(|l| l.trim().eq_ignore_ascii_case("chunked"))
        });
        let length = match &cl {
            Some(v) => {
                if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) || v.len() > 19 {
                    return Err(parse_error(
                        "HPE_INVALID_CONTENT_LENGTH",
                        "Invalid character in Content-Length",
                    ));
                }
                if chunked {
                    return Err(parse_error(
                        "HPE_UNEXPECTED_CONTENT_LENGTH",
                        "Content-Length can't be present with Transfer-Encoding",
                    ));
                }
                Some(v.parse::<u64>().unwrap_or(0))
            }
            None => None,
        };
        let conn_v = conn_hdr.unwrap_or_default().to_ascii_lowercase();
        let server_keeps = if minor >= 1 {
            !conn_v.contains("close")
        } else {
            conn_v.contains("keep-alive")
        };
        let body = if is_head || code == 204 || code == 304 {
            Body::Length(0)
        } else if chunked {
            Body::ChunkSize
        } else if let Some(n) = length {
            Body::Length(n)
        } else {
            Body::UntilClose
        };
        let keep_alive_hint = headers.get("keep-alive").and_then(|v| {
            v.split(',').find_map(|p| {
                let (k, val) = p.split_once('=')?;
                (k.trim().eq_ignore_ascii_case("timeout"))
                    .then(|| val.trim().parse::<u64>().ok())
                    .flatten()
            })
        });
        {
            let mut st = self.st.borrow_mut();
            if !server_keeps || matches!(body, Body::UntilClose) {
                st.should_keep_alive = false;
            }
            st.keep_alive_hint = keep_alive_hint;
            st.phase = Phase::Body(body);
        }
        let tcp = conn.tcp.clone();
        let s2 = conn.stream.clone();
        let body_stream = Readable::new_readable(Options::new().read(move |_: &Readable, _| {
            s2.resume();
        }));
        let res = IncomingMessage::new_response(
            (code, reason),
            minor,
            headers,
            raw_headers,
            body_stream,
            tcp,
        );
        self.st.borrow_mut().res = Some(res.clone());
        let (req, c) = (self.clone(), Rc::clone(conn));
        res.body().on_end(move || req.response_on_end(&c));
        let listeners = self
            .stream
            .emitter()
            .listener_count(Named::<IncomingMessage>::new("response"));
        let _ = self
            .stream
            .emitter()
            .emit(Named::<IncomingMessage>::new("response"), res.clone());
        if listeners == 0 {
            // `res._dump()`: nobody reads the body.
            res.body().resume();
        }
        Ok(true)
    }

    fn push_body(&self, conn: &Rc<Conn>, data: Vec<u8>) {
        let res = self.st.borrow().res.clone();
        if let Some(res) = res
            && !res.body().push(Some(Chunk::from(data)))
        {
            conn.stream.pause();
        }
    }

    fn parse_body(&self, conn: &Rc<Conn>, body: Body) -> Result<bool, Error> {
        let set = |b: Body| self.st.borrow_mut().phase = Phase::Body(b);
        match body {
            Body::Length(0) => {
                self.st.borrow_mut().phase = Phase::Done;
                self.response_complete(conn, None);
                Ok(true)
            }
            Body::Length(n) | Body::ChunkData(n) => {
                let data: Vec<u8> = {
                    let mut buf = conn.buf.borrow_mut();
                    if buf.is_empty() {
                        return Ok(false);
                    }
                    let take = (n as usize).min(buf.len());
                    buf.drain(..take).collect()
                };
                let left = n - data.len() as u64;
                set(match body {
                    Body::Length(_) => Body::Length(left),
                    _ if left == 0 => Body::ChunkDataEnd,
                    _ => Body::ChunkData(left),
                });
                self.push_body(conn, data);
                Ok(true)
            }
            Body::UntilClose => {
                let data = std::mem::take(&mut *conn.buf.borrow_mut());
                if !data.is_empty() {
                    self.push_body(conn, data);
                }
                Ok(false)
            }
            Body::ChunkSize => {
                let line = {
                    let buf = conn.buf.borrow();
                    let Some(pos) = buf.windows(2).position(|w| w == b"\r\n") else {
                        if buf.len() > 1024 {
                            return Err(parse_error(
                                "HPE_INVALID_CHUNK_SIZE",
                                "Invalid character in chunk size",
                            ));
                        }
                        return Ok(false);
                    };
                    let line = buf[..pos].to_vec();
                    drop(buf);
                    conn.buf.borrow_mut().drain(..pos + 2);
                    line
                };
                let size_part = line.split(|&b| b == b';').next().unwrap_or(b"");
                let size_part = size_part
                    .iter()
                    .copied()
                    .take_while(|b| *b != b' ' && *b != b'\t')
                    .collect::<Vec<u8>>();
                if size_part.is_empty()
                    || size_part.len() > 16
                    || !size_part.iter().all(u8::is_ascii_hexdigit)
                {
                    return Err(parse_error(
                        "HPE_INVALID_CHUNK_SIZE",
                        "Invalid character in chunk size",
                    ));
                }
                let size = u64::from_str_radix(std::str::from_utf8(&size_part).unwrap_or("0"), 16)
                    .unwrap_or(0);
                set(if size == 0 {
                    Body::Trailers
                } else {
                    Body::ChunkData(size)
                });
                Ok(true)
            }
            Body::ChunkDataEnd => {
                {
                    let mut buf = conn.buf.borrow_mut();
                    if buf.len() < 2 {
                        return Ok(false);
                    }
                    if &buf[..2] != b"\r\n" {
                        return Err(parse_error("HPE_STRICT", "Expected LF after chunk data"));
                    }
                    buf.drain(..2);
                }
                set(Body::ChunkSize);
                Ok(true)
            }
            Body::Trailers => {
                let block: Vec<u8> = {
                    let mut buf = conn.buf.borrow_mut();
                    if buf.starts_with(b"\r\n") {
                        buf.drain(..2);
                        Vec::new()
                    } else {
                        let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") else {
                            if buf.len() > 16 * 1024 {
                                return Err(parse_error("HPE_HEADER_OVERFLOW", "Header overflow"));
                            }
                            return Ok(false);
                        };
                        buf.drain(..end + 4).collect()
                    }
                };
                let mut t = Headers::new();
                if !block.is_empty() {
                    let mut hs = [httparse::EMPTY_HEADER; 64];
                    match httparse::parse_headers(&block, &mut hs) {
                        Ok(httparse::Status::Complete((_, parsed))) => {
                            for h in parsed {
                                t.add_line(h.name, &latin1(h.value));
                            }
                        }
                        _ => {
                            return Err(parse_error(
                                "HPE_INVALID_HEADER_TOKEN",
                                "Invalid header token",
                            ));
                        }
                    }
                }
                self.st.borrow_mut().phase = Phase::Done;
                self.response_complete(conn, Some(t));
                Ok(true)
            }
        }
    }

    fn response_complete(&self, _conn: &Rc<Conn>, trailers: Option<Headers>) {
        let res = self.st.borrow().res.clone();
        if let Some(res) = res {
            if let Some(t) = trailers {
                res.set_trailers(t);
            }
            res.set_complete();
            res.body().push(None);
        }
    }

    /// `responseOnEnd`: the socket goes back to the agent once the request has finished
    /// too, or is closed.
    fn response_on_end(&self, conn: &Rc<Conn>) {
        let keep = self.st.borrow().should_keep_alive;
        if !keep {
            if conn.owner.borrow().is_some() {
                conn.destroy_soon();
            }
            return;
        }
        if self.stream.writable_finished() {
            self.response_keep_alive(conn);
        } else {
            let (req, c) = (self.clone(), Rc::clone(conn));
            self.stream.once_finish(move || req.response_keep_alive(&c));
        }
    }

    /// `responseKeepAlive`: the request lets go of the socket; `close` then the socket's
    /// `free` on the next tick.
    fn response_keep_alive(&self, conn: &Rc<Conn>) {
        let hint = {
            let mut st = self.st.borrow_mut();
            if st.released {
                return;
            }
            st.released = true;
            st.keep_alive_hint
        };
        *conn.owner.borrow_mut() = None;
        if self.st.borrow().timeout.is_some() {
            conn.tcp.set_timeout(0);
        }
        let (req, c) = (self.clone(), Rc::clone(conn));
        nodestd_loop::next_tick(move || {
            req.stream.destroy(None);
            on_free(&c, hint);
        });
    }
}

type ParsedHead = (usize, u16, String, u8, Vec<(String, String)>);

/// Parses a response head: `Ok(None)` while incomplete; errors named as llhttp names them.
fn parse_response_head(buf: &[u8]) -> Result<Option<ParsedHead>, Error> {
    let mut n = 64;
    loop {
        let mut hs = vec![httparse::EMPTY_HEADER; n];
        let mut res = httparse::Response::new(&mut hs);
        match res.parse(buf) {
            Ok(httparse::Status::Partial) => {
                if buf.len() > 16 * 1024 {
                    return Err(parse_error("HPE_HEADER_OVERFLOW", "Header overflow"));
                }
                return Ok(None);
            }
            Ok(httparse::Status::Complete(len)) => {
                if len > 16 * 1024 + 1024 {
                    return Err(parse_error("HPE_HEADER_OVERFLOW", "Header overflow"));
                }
                let raw = res
                    .headers
                    .iter()
                    .map(|h| (h.name.to_owned(), latin1(h.value)))
                    .collect();
                return Ok(Some((
                    len,
                    res.code.unwrap_or(0),
                    res.reason.unwrap_or("").to_owned(),
                    res.version.unwrap_or(1),
                    raw,
                )));
            }
            Err(httparse::Error::TooManyHeaders) if n < 4096 => n *= 4,
            Err(httparse::Error::Version) => {
                return Err(parse_error(
                    "HPE_INVALID_CONSTANT",
                    "Expected HTTP/, RTSP/ or ICE/",
                ));
            }
            Err(httparse::Error::Status) => {
                return Err(parse_error("HPE_INVALID_STATUS", "Invalid status code"));
            }
            Err(httparse::Error::HeaderValue) => {
                return Err(parse_error(
                    "HPE_INVALID_HEADER_TOKEN",
                    "Invalid header value char",
                ));
            }
            Err(httparse::Error::HeaderName | httparse::Error::Token) => {
                return Err(parse_error(
                    "HPE_INVALID_HEADER_TOKEN",
                    "Invalid header token",
                ));
            }
            Err(_) => {
                return Err(parse_error("HPE_INVALID_CONSTANT", "Expected HTTP/"));
            }
        }
    }
}
