//! Node's `https` module on rustls (the `ring` provider, chosen explicitly): a TLS stream
//! over a net socket (rustls is sans-IO: the socket's bytes go through `read_tls` /
//! `process_new_packets`, the plaintext is pushed to a Duplex, and what rustls wants to send
//! is written to the socket), [`request`] / [`get`] with `ca`, `rejectUnauthorized` and
//! `servername`, the https global agent, and [`create_server`] from PEM `key` and `cert`.

use std::cell::{Cell, RefCell};
use std::io::{Read, Write};
use std::rc::Rc;
use std::sync::Arc;

use nodestd_events::{ListenerId, Named};
use nodestd_net::{self as net, NetError, Socket};
use nodestd_stream::{Chunk, Duplex, Error, Options};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{ClientConfig, ClientConnection, Connection, RootCertStore, ServerConfig};

use crate::agent::Agent;
use crate::client::{ClientRequest, RequestOptions};
use crate::{IncomingMessage, ServerOptions, ServerResponse};

/// The TLS options of `https.request` (`tls.connect`'s).
#[derive(Debug, Clone)]
pub struct TlsOptions {
    /// `ca`: PEM certificates to trust in place of the system's roots.
    pub ca: Option<Vec<u8>>,
    /// `rejectUnauthorized` (default true).
    pub reject_unauthorized: bool,
    /// `servername`: the SNI and the name the certificate is checked against (default: the
    /// host, when it is not an IP address).
    pub servername: Option<String>,
}

impl Default for TlsOptions {
    fn default() -> TlsOptions {
        TlsOptions {
            ca: None,
            reject_unauthorized: true,
            servername: None,
        }
    }
}

/// The ring provider (the tree already builds ring; aws-lc-rs is not pulled in). rustls
/// 0.23.48 deprecates it for lacking post-quantum key exchange, a deliberate choice here.
#[allow(deprecated)]
fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// A TLS error as Node names it (`err.code`, `err.message`).
fn tls_error(e: &rustls::Error, host: &str) -> Error {
    use rustls::CertificateError as C;
    let (code, msg): (String, String) = match e {
        rustls::Error::InvalidCertificate(c) => match c {
            C::UnknownIssuer => (
                "UNABLE_TO_VERIFY_LEAF_SIGNATURE".into(),
                "unable to verify the first certificate".into(),
            ),
            C::Expired | C::ExpiredContext { .. } => {
                ("CERT_HAS_EXPIRED".into(), "certificate has expired".into())
            }
            C::NotValidYet | C::NotValidYetContext { .. } => (
                "CERT_NOT_YET_VALID".into(),
                "certificate is not yet valid".into(),
            ),
            C::NotValidForName | C::NotValidForNameContext { .. } => {
                let names = match c {
                    C::NotValidForNameContext { presented, .. } => presented
                        .iter()
                        .map(|n| {
                            // rustls prints `DnsName("a")` / `IpAddress(1.2.3.4)`.
                            let inner = |p: &str| {
                                n.strip_prefix(p)
                                    .and_then(|r| r.strip_suffix(')'))
                                    .map(|r| r.trim_matches('"').to_owned())
                            };
                            if let Some(ip) = inner("IpAddress(") {
                                format!("IP Address:{ip}")
                            } else if let Some(d) = inner("DnsName(") {
                                format!("DNS:{d}")
                            } else if n.parse::<std::net::IpAddr>().is_ok() {
                                format!("IP Address:{n}")
                            } else {
                                format!("DNS:{n}")
                            }
                        })
                        .collect::<Vec<_>>()
                        .join(", "),
                    _ => String::new(),
                };
                let msg = if net::is_ip(host) != 0 {
                    format!(
                        "Hostname/IP does not match certificate's altnames: IP: {host} is not in the cert's list: {names}"
                    )
                } else {
                    format!(
                        "Hostname/IP does not match certificate's altnames: Host: {host}. is not in the cert's altnames: {names}"
                    )
                };
                ("ERR_TLS_CERT_ALTNAME_INVALID".into(), msg)
            }
            other => ("ERR_TLS_CERT".into(), format!("{other:?}")),
        },
        other => ("ERR_SSL".into(), other.to_string()),
    };
    NetError::code_only(&code, &msg).into_stream_error()
}

/// Accepts any certificate (`rejectUnauthorized: false`), still checking the handshake's
/// signatures with the provider.
#[derive(Debug)]
struct NoVerify(Arc<rustls::crypto::CryptoProvider>);

impl ServerCertVerifier for NoVerify {
    fn verify_server_cert(
        &self,
        _: &CertificateDer<'_>,
        _: &[CertificateDer<'_>],
        _: &ServerName<'_>,
        _: &[u8],
        _: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }
    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }
    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }
    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// The system's roots, read once per thread from the usual bundle (empty if none).
fn system_roots() -> RootCertStore {
    thread_local! {
        static ROOTS: RootCertStore = {
            let mut store = RootCertStore::empty();
            for path in ["/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt"] {
                if let Ok(pem) = std::fs::read(path) {
                    for c in CertificateDer::pem_slice_iter(&pem).flatten() {
                        let _ = store.add(c);
                    }
                    break;
                }
            }
            store
        };
    }
    ROOTS.with(Clone::clone)
}

fn client_config(t: &TlsOptions) -> Result<Arc<ClientConfig>, Error> {
    let p = provider();
    let builder = ClientConfig::builder_with_provider(Arc::clone(&p))
        .with_safe_default_protocol_versions()
        .map_err(|e| tls_error(&e, ""))?;
    let config = if t.reject_unauthorized {
        let roots = match &t.ca {
            Some(pem) => {
                let mut store = RootCertStore::empty();
                for c in CertificateDer::pem_slice_iter(pem) {
                    let c = c.map_err(|e| {
                        NetError::code_only("ERR_OSSL_PEM_NO_START_LINE", &e.to_string())
                            .into_stream_error()
                    })?;
                    store.add(c).map_err(|e| tls_error(&e, ""))?;
                }
                store
            }
            None => system_roots(),
        };
        builder.with_root_certificates(roots).with_no_client_auth()
    } else {
        builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(NoVerify(p)))
            .with_no_client_auth()
    };
    Ok(Arc::new(config))
}

/// What a request's agent needs to make a TLS connection.
#[derive(Clone)]
pub(crate) struct TlsConnect {
    config: Result<Arc<ClientConfig>, Error>,
    servername: Option<String>,
}

impl TlsConnect {
    pub(crate) fn new(t: &TlsOptions, host: Option<&str>) -> TlsConnect {
        TlsConnect {
            config: client_config(t),
            servername: t
                .servername
                .clone()
                .or_else(|| host.filter(|h| net::is_ip(h) == 0).map(str::to_owned)),
        }
    }
}

/// `tls.connect({ socket })` for a client: the TLS stream over `tcp`.
pub(crate) fn wrap(tcp: &Socket, tls: &TlsConnect, host: &str) -> Duplex {
    let name = tls.servername.clone().unwrap_or_else(|| host.to_owned());
    let server_name = ServerName::try_from(name.clone()).or_else(|_| {
        ServerName::try_from(host.to_owned()).map_err(|e| {
            NetError::code_only("ERR_INVALID_ARG_VALUE", &e.to_string()).into_stream_error()
        })
    });
    let conn = match (&tls.config, server_name) {
        (Ok(cfg), Ok(sn)) => ClientConnection::new(Arc::clone(cfg), sn)
            .map(Connection::Client)
            .map_err(|e| tls_error(&e, &name)),
        (Err(e), _) => Err(e.clone()),
        (_, Err(e)) => Err(e),
    };
    match conn {
        Ok(c) => tls_stream(tcp, c, name, false),
        Err(e) => {
            let d = tls_stream(
                tcp,
                Connection::Client(
                    ClientConnection::new(
                        client_config(&TlsOptions::default()).expect("default config"),
                        ServerName::try_from("localhost").expect("a name"),
                    )
                    .expect("a connection"),
                ),
                name,
                false,
            );
            let d2 = d.clone();
            nodestd_loop::next_tick(move || d2.destroy(Some(e)));
            d
        }
    }
}

/// What to do once the handshake completes: a server's connection is handed to the http
/// server then (Node's `secureConnection`).
type OnSecure = Box<dyn FnOnce(&Duplex)>;

struct TlsState {
    conn: Connection,
    tcp: Socket,
    host: String,
    secure: bool,
    ended: bool,
    on_secure: Option<OnSecure>,
}

/// Sends what rustls wants to send.
fn flush_tls(st: &Rc<RefCell<TlsState>>, cb: Option<nodestd_stream::Callback>) {
    let (out, tcp) = {
        let mut s = st.borrow_mut();
        let mut out = Vec::new();
        while s.conn.wants_write() {
            if s.conn.write_tls(&mut out).is_err() {
                break;
            }
        }
        (out, s.tcp.clone())
    };
    match (out.is_empty(), cb) {
        (true, Some(cb)) => cb.ok(),
        (true, None) => {}
        (false, Some(cb)) => {
            tcp.write_with(Chunk::from(out), move |e| cb.call(e));
        }
        (false, None) => {
            tcp.write(Chunk::from(out));
        }
    }
}

/// The plaintext Duplex of a TLS connection over `tcp` (half-open for a server's
/// connection, as Node's http server makes its sockets).
fn tls_stream(tcp: &Socket, conn: Connection, host: String, allow_half_open: bool) -> Duplex {
    tls_stream_then(tcp, conn, host, allow_half_open, None)
}

/// [`tls_stream`], with `on_secure` called with the stream once the handshake completes.
fn tls_stream_then(
    tcp: &Socket,
    conn: Connection,
    host: String,
    allow_half_open: bool,
    on_secure: Option<OnSecure>,
) -> Duplex {
    let st = Rc::new(RefCell::new(TlsState {
        conn,
        tcp: tcp.clone(),
        host,
        secure: false,
        ended: false,
        on_secure,
    }));
    let (s1, s2, s3, s4) = (
        Rc::clone(&st),
        Rc::clone(&st),
        Rc::clone(&st),
        Rc::clone(&st),
    );
    let stream: Duplex = Duplex::new_duplex(
        Options::new()
            .allow_half_open(allow_half_open)
            .read(move |_, _| {
                let tcp = s1.borrow().tcp.clone();
                tcp.resume();
            })
            .write(move |_, chunk: Chunk, cb| {
                let r = s2.borrow_mut().conn.writer().write_all(chunk.as_bytes());
                match r {
                    Ok(()) => flush_tls(&s2, Some(cb)),
                    Err(e) => cb.err(
                        NetError::code_only("ERR_SSL_WRITE", &e.to_string()).into_stream_error(),
                    ),
                }
            })
            .final_(move |_, cb| {
                s3.borrow_mut().conn.send_close_notify();
                flush_tls(&s3, None);
                let tcp = s3.borrow().tcp.clone();
                tcp.end();
                cb.ok();
            })
            .destroy(move |_, err, cb| {
                let tcp = {
                    let mut s = s4.borrow_mut();
                    s.on_secure = None;
                    s.tcp.clone()
                };
                if !tcp.destroyed() {
                    tcp.destroy(None);
                }
                cb.call(err);
            }),
    );
    // The first flight (a client's hello) goes out now; the socket keeps it until connected.
    flush_tls(&st, None);
    let (w, s) = (stream.clone(), Rc::clone(&st));
    let data = tcp.on_data(move |chunk| on_tls_data(&s, &w, chunk.as_bytes()));
    let (w, s) = (stream.clone(), Rc::clone(&st));
    let end = tcp.on_end(move || {
        if !std::mem::replace(&mut s.borrow_mut().ended, true) {
            w.push(None);
        }
    });
    let w = stream.clone();
    let error = tcp.on_error(move |e| {
        if !w.destroyed() {
            w.destroy(Some(e.clone()));
        }
    });
    let w = stream.clone();
    let t = tcp.clone();
    let close_id: Rc<Cell<Option<ListenerId>>> = Rc::default();
    let id = Rc::clone(&close_id);
    let close = tcp.on_close(move || {
        if !w.destroyed() {
            w.destroy(None);
        }
        // The listeners hold the TLS state, which holds the socket: let go of them, so
        // the closed connection's memory is freed.
        t.off_data(data);
        t.off("end", end);
        t.off("error", error);
        if let Some(me) = id.take() {
            t.off("close", me);
        }
    });
    close_id.set(Some(close));
    stream
}

fn on_tls_data(st: &Rc<RefCell<TlsState>>, stream: &Duplex, mut data: &[u8]) {
    let mut plain = Vec::new();
    let mut closed = false;
    let mut failure = None;
    let mut became_secure = false;
    {
        let mut s = st.borrow_mut();
        while !data.is_empty() {
            match s.conn.read_tls(&mut data) {
                Ok(0) | Err(_) => break,
                Ok(_) => {}
            }
            match s.conn.process_new_packets() {
                Ok(io) => {
                    if io.peer_has_closed() {
                        closed = true;
                    }
                }
                Err(e) => {
                    failure = Some(tls_error(&e, &s.host));
                    break;
                }
            }
            let mut buf = [0u8; 16 * 1024];
            loop {
                match s.conn.reader().read(&mut buf) {
                    Ok(0) => {
                        closed = true;
                        break;
                    }
                    Ok(n) => plain.extend_from_slice(&buf[..n]),
                    Err(_) => break,
                }
            }
        }
        if !s.secure && !s.conn.is_handshaking() && failure.is_none() {
            s.secure = true;
            became_secure = true;
        }
    }
    let on_secure = if became_secure {
        st.borrow_mut().on_secure.take()
    } else {
        None
    };
    // Alerts and handshake answers.
    flush_tls(st, None);
    if let Some(e) = failure {
        stream.destroy(Some(e));
        return;
    }
    if became_secure {
        if let Some(f) = on_secure {
            f(stream);
        }
        let _ = stream.emitter().emit(Named::<()>::new("secureConnect"), ());
    }
    if !plain.is_empty() && !stream.push(Some(Chunk::from(plain))) {
        st.borrow().tcp.pause();
    }
    if closed && !std::mem::replace(&mut st.borrow_mut().ended, true) {
        stream.push(None);
    }
}

/// Adds a `secureConnect` listener to a TLS stream (the handshake completed).
pub fn on_secure_connect(stream: &Duplex, f: impl Fn() + 'static) -> ListenerId {
    stream
        .emitter()
        .on(Named::<()>::new("secureConnect"), move |_| f())
}

/// `https.globalAgent` (Node 20: `keepAlive: true`, `timeout: 5000`, as http's).
pub fn global_agent() -> Agent {
    crate::agent::global_for(true)
}

/// `https.request(options, cb)`: `protocol` is `https:`, the port 443 by default, and
/// `tls` (default: the system's roots, `rejectUnauthorized`).
pub fn request(
    mut opts: RequestOptions,
    tls: TlsOptions,
    cb: impl Fn(&IncomingMessage) + 'static,
) -> ClientRequest {
    opts.protocol = "https:".into();
    opts.tls = Some(tls);
    crate::client::request(opts, cb)
}

/// `https.get(options, cb)`.
pub fn get(
    opts: RequestOptions,
    tls: TlsOptions,
    cb: impl Fn(&IncomingMessage) + 'static,
) -> ClientRequest {
    let req = request(opts, tls, cb);
    req.end();
    req
}

/// `https.createServer({ key, cert, handshakeTimeout })`'s TLS options.
#[derive(Debug, Clone)]
pub struct ServerTlsOptions {
    /// `key`: the private key (PKCS#8, PKCS#1 or SEC1 PEM).
    pub key: Vec<u8>,
    /// `cert`: the certificate chain (PEM), leaf first.
    pub cert: Vec<u8>,
    /// `handshakeTimeout` in ms (default 120 000; 0: none): a connection idle this long
    /// before its handshake completes gets `tlsClientError` with `ERR_TLS_HANDSHAKE_TIMEOUT`
    /// (and, with no `clientError` listener on the http server, is destroyed). Like Node's,
    /// it is the socket's inactivity timeout, restarted by each byte, and ends with the
    /// handshake.
    pub handshake_timeout: u64,
}

impl Default for ServerTlsOptions {
    fn default() -> ServerTlsOptions {
        ServerTlsOptions {
            key: Vec::new(),
            cert: Vec::new(),
            handshake_timeout: 120_000,
        }
    }
}

/// The TLS listener's own events, on [`Server::net`]'s emitter (Node's `tls.Server`
/// events): `connection` (the TCP socket), `close`, `error` and `listening` are the net
/// server's.
pub mod events {
    use nodestd_events::event;
    use nodestd_net::Socket;
    use nodestd_stream::Error;

    event!(
        /// `'secureConnection'`: a connection whose handshake completed, as the socket the
        /// http server serves (`encrypted`). The https server's own listener, first, hands
        /// it to the http server.
        pub SecureConnection = "secureConnection" => Socket
    );
    event!(
        /// `'tlsClientError'`: `(err, socket)` for a connection whose handshake failed or
        /// timed out; the socket is the TCP connection. The https server's own listener,
        /// first, emits the http server's `clientError` when it has listeners (they own the
        /// socket) and otherwise destroys the socket, as Node's does.
        pub TlsClientError = "tlsClientError" => (Error, Socket)
    );
}

/// `https.Server`: a TLS listener in front of an [`crate::Server`].
#[derive(Clone)]
pub struct Server {
    tls: net::Server,
    http: crate::Server,
    closing: Rc<Cell<bool>>,
}

fn bad_pem(what: &str, e: impl std::fmt::Display) -> Error {
    NetError::code_only(
        "ERR_OSSL_PEM_NO_START_LINE",
        &format!("error:0480006C:PEM routines::no start line ({what}: {e})"),
    )
    .into_stream_error()
}

/// `https.createServer({ key, cert, ...options }, handler)`.
///
/// ```no_run
/// use nodestd_http::https::{self, ServerTlsOptions};
///
/// nodestd_loop::run(|| {
///     let tls = ServerTlsOptions {
///         key: std::fs::read("key.pem").unwrap(),
///         cert: std::fs::read("cert.pem").unwrap(),
///         handshake_timeout: 10_000,
///     };
///     let server = https::create_server(tls, Default::default(), |_req, res| res.end(b"hi"))
///         .expect("PEM key and certificate");
///     server.on_tls_client_error(|err, _socket| eprintln!("handshake: {err}"));
///     server.listen(8443, None, || {}).unwrap();
/// });
/// ```
///
/// # Errors
/// A key or certificate that is not PEM, or that rustls refuses.
#[doc(alias = "createServer")]
pub fn create_server(
    tls: ServerTlsOptions,
    opts: ServerOptions,
    handler: impl Fn(IncomingMessage, ServerResponse) + 'static,
) -> Result<Server, Error> {
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(&tls.cert)
        .collect::<Result<_, _>>()
        .map_err(|e| bad_pem("cert", e))?;
    if certs.is_empty() {
        return Err(bad_pem("cert", "no certificate"));
    }
    let key = PrivateKeyDer::from_pem_slice(&tls.key).map_err(|e| bad_pem("key", e))?;
    let mut config = ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| tls_error(&e, ""))?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| tls_error(&e, ""))?;
    // Node's https server offers `http/1.1` by ALPN.
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    let config = Arc::new(config);
    let http = crate::create_server(opts, handler);
    let tls_server = net::Server::new(net::ServerOptions {
        allow_half_open: true,
        // As the http server's sockets: `noDelay` defaults to true.
        no_delay: true,
        ..Default::default()
    });
    let em = tls_server.emitter().downgrade();
    let handshake_timeout = tls.handshake_timeout;
    tls_server.on_connection(move |tcp| {
        let Ok(sc) = rustls::ServerConnection::new(Arc::clone(&config)) else {
            tcp.destroy(None);
            return;
        };
        let secure = Rc::new(Cell::new(false));
        // A handshake that fails, or stalls for `handshakeTimeout`: `tlsClientError`, once
        // (destroying the socket for it errors the stream again: Node's `kErrorEmitted`).
        let client_error = {
            let (em, tcp, secure) = (em.clone(), tcp.clone(), Rc::clone(&secure));
            let reported = Rc::new(Cell::new(false));
            move |e: &Error| {
                if secure.get() || reported.replace(true) {
                    return;
                }
                if let Some(em) = em.upgrade() {
                    let _ = em.emit(events::TlsClientError, (e.clone(), tcp.clone()));
                }
            }
        };
        let timer = (handshake_timeout > 0).then(|| {
            let client_error = client_error.clone();
            let id = tcp.on_timeout(move || {
                client_error(
                    &NetError::code_only("ERR_TLS_HANDSHAKE_TIMEOUT", "TLS handshake timeout")
                        .into_stream_error(),
                );
            });
            tcp.set_timeout(handshake_timeout);
            // The listener holds the socket: let go of it when the socket closes (a
            // completed handshake removes it earlier).
            let t = tcp.clone();
            let me: Rc<Cell<Option<ListenerId>>> = Rc::default();
            let m = Rc::clone(&me);
            me.set(Some(tcp.on_close(move || {
                t.off("timeout", id);
                if let Some(me) = m.take() {
                    t.off("close", me);
                }
            })));
            id
        });
        // Node's https server serves a connection from `secureConnection`: the TLS socket (a
        // `net.Socket` over the TCP handle, `encrypted`) goes to the http server once the
        // handshake is done, so the head clock starts then.
        let (em, under) = (em.clone(), tcp.clone());
        let serve: OnSecure = Box::new(move |stream: &Duplex| {
            secure.set(true);
            if let Some(id) = timer {
                under.off("timeout", id);
                under.set_timeout(0);
            }
            if let Some(em) = em.upgrade() {
                let socket = Socket::layered(stream.clone(), Some(&under), true);
                let _ = em.emit(events::SecureConnection, socket);
            }
        });
        let stream = tls_stream_then(
            tcp,
            Connection::Server(sc),
            String::new(),
            true,
            Some(serve),
        );
        // A failed handshake destroys the connection, then `tlsClientError`; later errors
        // are the served socket's.
        stream.on_error(move |e| client_error(e));
    });
    // Node's own listeners, added by its `https.Server` constructor before any of the
    // program's: `secureConnection` serves the connection, `tlsClientError` goes to
    // `clientError` or destroys the socket.
    let h = http.clone();
    tls_server
        .emitter()
        .on(events::SecureConnection, move |socket| {
            h.serve(socket.clone())
        });
    let h = http.clone();
    tls_server
        .emitter()
        .on(events::TlsClientError, move |(err, socket)| {
            if !h.emit_client_error(err, socket) {
                socket.destroy(Some(err.clone()));
            }
        });
    Ok(Server {
        tls: tls_server,
        http,
        closing: Rc::new(Cell::new(false)),
    })
}

impl Server {
    /// `server.listen(port, host, cb)`.
    ///
    /// # Errors
    /// As [`net::Server::listen_port`].
    pub fn listen(
        &self,
        port: u16,
        host: Option<&str>,
        cb: impl FnOnce() + 'static,
    ) -> Result<&Server, NetError> {
        let cb = RefCell::new(Some(cb));
        self.tls.listen_port(port, host, move || {
            if let Some(cb) = cb.borrow_mut().take() {
                cb();
            }
        })?;
        self.http.start_tracking();
        Ok(self)
    }

    /// The port listened on.
    pub fn port(&self) -> Option<u16> {
        self.tls.port()
    }

    /// `server.close(cb)`: stops accepting; idle connections close, in-flight requests
    /// finish (their responses say `Connection: close`), and `cb` runs once the last
    /// connection is gone.
    pub fn close(&self, cb: impl FnOnce() + 'static) {
        if self.closing.replace(true) {
            return;
        }
        self.http.pre_close();
        let cb = RefCell::new(Some(cb));
        self.tls.close(Some(Box::new(move |_| {
            if let Some(cb) = cb.borrow_mut().take() {
                cb();
            }
        })));
    }

    /// `server.closeIdleConnections()`.
    #[doc(alias = "closeIdleConnections")]
    pub fn close_idle_connections(&self) {
        self.http.close_idle_connections();
    }

    /// The TLS listener (`net.Server`): its `connection` event carries the TCP sockets, and
    /// its emitter has the TLS events ([`events`]).
    pub fn net(&self) -> &net::Server {
        &self.tls
    }

    /// `server.on('secureConnection', f)`: a connection whose handshake completed (after the
    /// https server's own listener, which serves it).
    #[doc(alias = "on")]
    pub fn on_secure_connection(&self, f: impl Fn(&Socket) + 'static) -> ListenerId {
        self.tls.emitter().on(events::SecureConnection, f)
    }

    /// `server.on('tlsClientError', f)`: a handshake that failed or timed out
    /// (`ERR_TLS_HANDSHAKE_TIMEOUT`), with the TCP socket (after the https server's own
    /// listener: `clientError` or the socket destroyed).
    #[doc(alias = "on")]
    pub fn on_tls_client_error(&self, f: impl Fn(&Error, &Socket) + 'static) -> ListenerId {
        self.tls
            .emitter()
            .on(events::TlsClientError, move |(e, s)| f(e, s))
    }

    /// The http server behind the TLS listener.
    pub fn http(&self) -> &crate::Server {
        &self.http
    }
}
