//! Node.js's [`http`](https://nodejs.org/docs/latest-v20.x/api/http.html) module for Rust
//! (the server side), on nodestd-net's sockets and the nodestd event loop, with Node v20's
//! wire behaviour (`lib/_http_server.js`, `_http_outgoing.js`, `_http_incoming.js` over
//! llhttp), and Koa's middleware model.
//!
//! # Main types
//!
//! - [`create_server`] → [`Server`] (`http.Server`): [`ServerOptions`] holds Node's limits
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
//!
//! # Cargo features
//!
//! None. Dependencies: nodestd-loop, nodestd-stream, nodestd-net, httparse
//! (request heads), httpdate (the `Date` header), serde_json (`JSON.stringify(headers)`).
//!
//! # Deviations from Node
//!
//! - **Server side only**: no `http.request`/`get`/`Agent` (client) and no https yet.
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
//! - **Server events beyond `request` take one listener each** ([`Server::on_check_continue`],
//!   `on_check_expectation`, `on_client_error`, `on_upgrade`, `on_connect`; a later call
//!   replaces the listener); no `dropRequest` or server `timeout` event, and only the
//!   response gets `timeout` ([`ServerResponse::set_timeout`]). A [`ClientError`] has
//!   `code` and `message` but not `bytesParsed`/`rawPacket`; where httparse and llhttp
//!   refuse a head for different reasons (a bare LF, odd bytes in the request line) the code
//!   may differ from Node's. `addTrailers` on a body that is not chunked is ignored (Node
//!   throws `ERR_HTTP_TRAILER_INVALID`).
//! - A request whose body is not read is not `_dump`ed until its response ends.
//! - Koa-mini's [`Context`] keeps `status`, `body`, `type` and `state`; no `ctx.throw`,
//!   cookies or content negotiation.
#![forbid(unsafe_code)]

mod compose;
mod headers;
mod request;
mod response;
mod server;
mod status;

pub use compose::{App, Context, Middleware, MiddlewareError, MwFuture, Next, compose};
pub use headers::{HeaderValue, Headers};
pub use request::IncomingMessage;
pub use response::ServerResponse;
pub use server::{ClientError, Server, ServerOptions, create_server};
pub use status::{METHODS, status_text};
