//! Node.js's [`http`](https://nodejs.org/docs/latest-v20.x/api/http.html) and
//! [`https`](https://nodejs.org/docs/latest-v20.x/api/https.html) modules for Rust, on
//! nodestd-net's sockets and the nodestd event loop, with Node v20's wire behaviour
//! (`lib/_http_server.js`, `_http_client.js`, `_http_agent.js`, `_http_outgoing.js`,
//! `_http_incoming.js` over llhttp), TLS by rustls, and Koa's middleware model.
//!
//! # Main types
//!
//! - [`create_server`] → [`Server`] (`http.Server`, its events in [`events`]: `request`,
//!   `connection`, `close`, `listening`, `error`, `checkContinue`, `checkExpectation`,
//!   `clientError`, `upgrade`, `connect`, with [`Server::on`], `once`, `off`,
//!   `listener_count`): [`ServerOptions`] holds Node's limits
//!   and timeouts (`headersTimeout`, `requestTimeout` → 408, `keepAliveTimeout`,
//!   `connectionsCheckingInterval`, `maxHeaderSize` → 431, `maxHeadersCount`);
//!   [`Server::listen`], [`Server::close`] (stops accepting, closes idle connections, lets
//!   in-flight requests finish), [`Server::close_idle_connections`].
//! - [`IncomingMessage`]: `method`, `url`, `httpVersion`, `headers` ([`Headers`], Node's
//!   lower-casing and duplicate rules, `set-cookie` an array), `rawHeaders`, `trailers`,
//!   `complete`, the body as a [`nodestd_stream::Readable`].
//! - [`ServerResponse`]: `statusCode`, `statusMessage`, `setHeader`/`getHeader`/
//!   `removeHeader`/`hasHeader`, `writeHead`, `write`, `end`, `headersSent`,
//!   `writeContinue`; `Date`, `Connection`, `Keep-Alive`, `Content-Length` or chunked
//!   exactly as `_storeHeader` adds them.
//! - Keep-alive and pipelining, `Expect: 100-continue` (417 for another expectation), a
//!   missing `Host` on HTTP/1.1 → 400; malformed requests (bad request line or header, both
//!   `Content-Length` and `Transfer-Encoding`, duplicate `Content-Length`, a last
//!   transfer-coding other than chunked, bad chunk framing) → `400 Bad Request` with
//!   `Connection: close`, then the connection closes; the server goes on.
//! - [`compose`], [`Next`], [`App`], [`Context`]: koa-compose and a Koa-mini application.
//! - Client: [`request`] / [`get`] (and [`request_url`] / [`get_url`]) → [`ClientRequest`]
//!   (a Writable: `write`, `end`, `setHeader`/`getHeader`/`removeHeader`, `flushHeaders`,
//!   chunked when no length is known, `Content-Length` for a single `end(data)`; events
//!   `socket`, `response`, `continue`, `information`, `timeout`, `abort`, `error`, `close`;
//!   `setTimeout`, `abort`, `destroy`); the response is an [`IncomingMessage`] with
//!   `statusCode`, `statusMessage`, headers by Node's rules, `rawHeaders`, `trailers`, and
//!   `aborted`. Errors as Node's: `socket hang up` (ECONNRESET), `aborted` on a cut
//!   response, the socket's own (`connect ECONNREFUSED …`, `getaddrinfo ENOTFOUND …`),
//!   llhttp's parse errors by name (`HPE_INVALID_STATUS`, `HPE_INVALID_CHUNK_SIZE`, …).
//! - [`Agent`] ([`AgentOptions`]: keepAlive, keepAliveMsecs, maxSockets, maxFreeSockets,
//!   maxTotalSockets, timeout, [`Scheduling`] `lifo` by default), free-socket reuse,
//!   `destroy`, and [`global_agent`] (Node 20's: keepAlive, timeout 5000).
//! - [`https`]: `createServer({ key, cert })` from PEM, `request`/`get` with `ca`,
//!   `rejectUnauthorized` and `servername`, on rustls with the ring provider.
//!
//! # Cargo features
//!
//! None. Dependencies: nodestd-loop, nodestd-stream, nodestd-events, nodestd-net,
//! nodestd-url (`request(url)`), httparse
//! (request and response heads), httpdate (the `Date` header), serde_json
//! (`JSON.stringify(headers)`), rustls and rustls-pki-types (https).
//!
//! # Platforms
//!
//! Linux is what is tested (nodestd-net's sockets on the loop's epoll). Building needs a C
//! compiler: rustls runs on the `ring` provider, which compiles its C and assembly with the
//! `cc` crate. Without a `ca` option, https clients trust the system bundle
//! `/etc/ssl/certs/ca-certificates.crt`.
//!
//! # Deviations from Node
//!
//! - **Client**: parse errors carry `code` and `message` but not `bytesParsed`/`rawPacket`;
//!   no `createConnection`, `localAddress`, `insecureHTTPParser`, `joinDuplicateHeaders`,
//!   `maxHeaderSize` options, no `upgrade`/`connect` events, no `addTrailers`; header values
//!   are strings. A response's `close` and the socket's return to the agent follow Node's
//!   order in the tested cases (`tests/http_client.rs`), not proven in general. The
//!   response head is parsed by httparse: on odd bytes the `HPE_*` name may differ from
//!   llhttp's.
//! - **Agent**: no `agent.getName` beyond host, port and family, no `createConnection`
//!   override, no `agentRemove` event; a free socket that receives data drops it.
//! - **https**: TLS by rustls (ring provider; TLS 1.2 and 1.3 only, no client
//!   certificates, no session resumption, no `secureOptions`/`ciphers`/`pfx`). Without `ca`
//!   the roots are the system bundle's (`/etc/ssl/certs/ca-certificates.crt`). Certificate
//!   errors use Node's codes (`UNABLE_TO_VERIFY_LEAF_SIGNATURE`, `CERT_HAS_EXPIRED`,
//!   `ERR_TLS_CERT_ALTNAME_INVALID`, …); a self-signed leaf reads
//!   `UNABLE_TO_VERIFY_LEAF_SIGNATURE`, where Node says `DEPTH_ZERO_SELF_SIGNED_CERT`. The
//!   https server hands each TLS connection to the http server once its handshake is done
//!   (Node's `secureConnection`), as a [`nodestd_net::Socket::layered`] over the TCP socket
//!   (Node's `TLSSocket`): `req.socket()` has the peer's address, `encrypted()` is true, and
//!   the timeouts, `close` and `closeIdleConnections` apply as on http. Its `connection`,
//!   `secureConnection` and `tlsClientError` events are the TLS listener's
//!   ([`https::Server::net`]; Node's https server is one object), and `tlsClientError`'s
//!   socket is the TCP connection, not a TLS socket. `handshakeTimeout` is Node's (120 s by
//!   default, [`https::ServerTlsOptions`]). rustls's handshake failures have other codes
//!   than OpenSSL's: `tlsClientError` gets `ERR_SSL` where node says `ERR_SSL_HTTP_REQUEST`
//!   and the like, and rustls answers a bad hello with an alert where OpenSSL closes.
//! - net's `autoSelectFamily` is off for the client's connections (see nodestd-net).
//! - **Pipelining follows Node's parser by a model**: requests are parsed ahead and their
//!   responses queued (Node's `state.outgoing`); after body bytes or trailers parsing goes
//!   on a `setImmediate` later, where Node's parser lets the tick queue and microtasks run
//!   (`MakeCallback`). The responses and refusals on the wire are Node's in the
//!   differential; the exact turn of the loop a handler runs in may differ.
//! - A queued response's output is buffered without a bound (Node pauses reading past
//!   the socket's high-water mark).
//! - **The request head is parsed by httparse**, with llhttp's refusals added by hand
//!   (unknown methods, duplicate or bad `Content-Length`, both framings, a last
//!   transfer-coding other than chunked, data after a closing request, the 16 KiB count of
//!   the URL and header names and values); where the two differ on odd input (obsolete
//!   line folding, bare LF line ends, bytes llhttp rejects in a field value) the status may
//!   differ from Node's. For an incomplete head the 431 count is an estimate.
//! - Header values are strings (`setHeader` with an array is not offered).
//! - **Server events are typed** ([`events`]: listeners get Node's arguments as a tuple, by
//!   reference) and go through the net server's emitter (nodestd-events' `EventEmitter`:
//!   any number of listeners, `on`/`once`/`off`/`listenerCount`, Node's order, Node's own
//!   `connection`, `listening` and `request` listeners counted as Node counts them). No
//!   `dropRequest` or server `timeout` event, and only the response
//!   gets `timeout` ([`ServerResponse::set_timeout`]). A [`ClientError`] has
//!   `code` and `message` but not `bytesParsed`/`rawPacket`; where httparse and llhttp
//!   refuse a head for different reasons (a bare LF, odd bytes in the request line) the code
//!   may differ from Node's. `addTrailers` on a body that is not chunked is ignored (Node
//!   throws `ERR_HTTP_TRAILER_INVALID`).
//! - A request whose body is not read is not `_dump`ed until its response ends.
//! - Koa-mini's [`Context`] keeps `status`, `body`, `type` and `state`; no `ctx.throw`,
//!   cookies or content negotiation.
#![forbid(unsafe_code)]

mod agent;
mod client;
mod compose;
mod headers;
pub mod https;
mod request;
mod response;
mod server;
mod status;

pub use agent::{Agent, AgentOptions, Scheduling, global_agent};
pub use client::{AgentChoice, ClientRequest, RequestOptions, get, get_url, request, request_url};
pub use compose::{App, Context, Middleware, MiddlewareError, MwFuture, Next, compose};
pub use headers::{HeaderValue, Headers};
pub use request::IncomingMessage;
pub use response::ServerResponse;
pub use server::{ClientError, Server, ServerOptions, create_server, events};
pub use status::{METHODS, status_text};
