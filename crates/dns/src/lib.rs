//! Node's [`dns`](https://nodejs.org/docs/latest-v20.x/api/dns.html) module.
//!
//! - [`callback::lookup`] / [`promises::lookup`] and `lookup_service`: the system resolver
//!   (getaddrinfo / getnameinfo, so `/etc/hosts` and nsswitch apply) on the loop's worker
//!   pool in the slow lane (libuv's `UV__WORK_SLOW_IO`: at most half the pool, so a flood of
//!   lookups cannot starve fs work), with Node's argument checks and errors (`ENOTFOUND`
//!   with errno -3008 and syscall `getaddrinfo`, `EAI_AGAIN`, ...). Both forms come from one
//!   table of rows (`nodestd_loop::async_forms!`).
//! - [`set_default_result_order`] / [`get_default_result_order`].
//! - Every name goes through Node's `toASCII` (UTS #46 on the `idna` crate) first, so
//!   `bücher.test` is asked as `xn--bcher-kva.test`, while errors keep the name as given.
//! - [`Resolver`]: Node's `dns.Resolver` (c-ares 1.34 in Node): its own servers
//!   ([`Resolver::set_servers`]/[`Resolver::get_servers`]), `timeout` and `tries` as c-ares
//!   uses them (try `t` waits the server's timeout, 250..=5000 ms, `<< (t / servers)` less up
//!   to half at random), [`Resolver::cancel`], every `resolve*` method and `reverse`, with
//!   Node's result shapes ([`Records`]) and c-ares' codes (`ENODATA`, `ENOTFOUND`,
//!   `ESERVFAIL`, `EREFUSED`, `ETIMEOUT`, `ECANCELLED`, `EBADNAME`, `ECONNREFUSED`, ...). Each
//!   query runs off the loop thread and its result is delivered in the poll phase. Answers
//!   are checked as c-ares checks them (`runtime.rs`): one for another id or question (name
//!   compared without regard to case: Node does not turn on DNS 0x20), type or class, or from
//!   another address or port, is dropped and the query keeps waiting; a malformed one fails
//!   the try; a truncated one moves the query to TCP for its remaining tries; SERVFAIL,
//!   NOTIMP and REFUSED end it at once, as Node asks with `ARES_FLAG_NOCHECKRESP`.
//! - Both forms of the resolver: [`promises::Resolver`] (= [`Resolver`], [`Query`] futures)
//!   and [`callback::Resolver`] (`new dns.Resolver()`, each method taking Node's callback),
//!   and the module-level `resolve*`/`reverse` of both forms ([`callback::resolve4`],
//!   [`promises::resolve4`] ...) on the thread's default resolver with [`set_servers`] /
//!   [`get_servers`]; every form comes from one table of rows (`typed!` in `resolver.rs`).
//! - [`decode_answer`]: a response's bytes to Node's `resolveAny` shapes, the fuzz entry.
//!
//! nodestd-net's `connect` resolves host names through [`callback::lookup`], as Node's
//! `lookupAndConnect` does.
//!
//! The `dns-query` example is the command-line contract an outside suite tests against a
//! real DNS server and node's twin (`tests/node/dns-query.js`).
//!
//! The only `unsafe` is the audited `sys` module (getaddrinfo, getnameinfo).
//!
//! Platforms: Linux is what is tested. `lookup` and `lookupService` need the C library's
//! getaddrinfo and getnameinfo (the audited `sys.rs`); the Resolver reads its servers from
//! `/etc/resolv.conf` and `reverse` reads `/etc/hosts`, as c-ares does on Unix.
//!
//! Deliberate deviations from Node:
//! - `lookup` of an empty hostname or an IP literal answers through the pool's completion
//!   (poll phase) rather than on the next tick.
//! - The Resolver's messages are built and parsed by the crate's own wire code (not c-ares
//!   and not hickory, see below). Servers are ordered by consecutive failures as c-ares
//!   orders them, but a failed server is never probed (c-ares, five seconds after a failure,
//!   sends a copy of one query in ten to it at random). Like Node's channel, it sends no
//!   EDNS record and caches nothing. Of `/etc/resolv.conf` only the `nameserver` lines and
//!   `options timeout:` are read: c-ares' `rotate` (a random server per query) and `use-vc`
//!   (TCP only) are not.
//!   A try times out at its deadline; Node notices c-ares' timeouts only on a timer of
//!   `min(timeout, 1000)` ms, so its `ETIMEOUT` comes later (the codes are the same).
//!   All queries of the process share one runtime thread (`runtime.rs`), c-ares' sockets
//!   being on Node's loop thread instead. Over TCP each try has a connection of its own,
//!   where c-ares shares one per server among a channel's queries (so a malformed frame
//!   fails only the try it answers, not every query on the connection).
//! - Node queues every resolver callback as a native immediate (cares_wrap's
//!   `QueueResponseCallback`). Here answers are delivered in the poll phase, and outcomes
//!   known at the call (`EBADNAME`, a hosts-file `reverse`, `cancel()`'s `ECANCELLED`) after
//!   the current resolver callback's return when made inside one (Node's order, tested),
//!   else by `set_immediate`, so behind JS immediates queued before them, which Node's
//!   native immediates would overtake.
//! - The default resolver (`dns.setServers`, `dns.resolve4` ...) is per thread.
//! - `reverse` looks in `/etc/hosts` first, as c-ares does (only that file's lines for the
//!   address, without c-ares' merging of lines that share a name), and any DNS failure but
//!   `ECANCELLED` ends it with `ENOTFOUND`, as in Node.
//! - `resolveAny` lists the addresses first, then the other records in the answer's order
//!   (Node does not order RRsets either).

//!
//! ## Why the DNS codec is hand-written, not hickory-proto
//!
//! Issue 16 asked for hickory and the house rule is a well-kept crate for the hard parts, so
//! hickory-proto 0.25.2 was put side by side with `wire.rs` + `decode.rs` (a scratch program
//! including both, 2026-12-06): every response the test server gives (28 names x 12 query
//! types, 336 messages), decoded by each and turned into Node's shapes (hickory's names
//! escaped by hand from its raw labels, as c-ares does), and timed in release mode.
//!
//! - Exactness: 326 equal, 10 differ, and in each of the 10 node (c-ares 1.34) agrees with
//!   `wire.rs` (`tests/dns_query.rs` checks these names against node). hickory rejects the
//!   whole message where c-ares accepts it: CAA tags as they come (`ISSUE`, `is-sue`, tags
//!   longer than 15 bytes; it also lower-cases the tag it returns) and rdata longer than its
//!   fields (a 5-byte `A`, a 17-byte `AAAA`, bytes after an MX name: c-ares skips them). It
//!   accepts what c-ares rejects (an empty TXT, a CAA without a value): that part could be
//!   checked by hand, the rejections could not, since they fail `Message::from_vec` for
//!   every query whose answer holds such a record.
//! - Speed (ns per message, parse / parse + Node's shapes): 2 A records 260 / 591 against
//!   hickory's 780 / 1207; ANY with 3 records 339 / 931 against 1153 / 1668; one CAA 190 /
//!   518 against 1827 / 2116; SOA 319 / 539 against 737 / 1003; encoding a query 112 ns
//!   against 878 ns.
//!
//! hickory-resolver was not adopted either: its retry policy (attempts per name server with
//! its own ordering by response time, no per-try doubling of the timeout) and its error
//! kinds are not c-ares', whose tries, `timeout << (try / servers)` waits, SERVFAIL/REFUSED
//! skipping and codes Node shows; the resolver keeps that by hand (`runtime.rs`). The test
//! server stays the crate's own small one (`tests/common/server.rs`): the odd records it
//! serves (the CAA tags above, over-long and short rdata, a broken HTTPS) do not fit
//! hickory's record types (its `A` is four bytes), which hickory-server's zones are made of.

mod decode;
mod error;
mod lookup;
mod resolver;
mod runtime;
mod sys;
mod wire;

pub use decode::{AddressTtl, AnyRecord, Caa, Mx, Naptr, Records, Soa, Srv, decode_answer};
pub use error::Error;
pub use lookup::{
    ADDRCONFIG, ALL, Lookup, LookupAddress, LookupOptions, Order, Service, V4MAPPED,
    get_default_result_order, set_default_result_order,
};
pub use resolver::{Query, Resolver, ResolverOptions, get_servers, set_servers};

/// The functions with a callback and a promise form, one row each.
macro_rules! dns_forms {
    ($($form:tt)*) => {
        nodestd_loop::async_forms! { $($form)*
            /// `dns.lookup(hostname, options)`.
            fn lookup(hostname: &str, options: crate::LookupOptions) -> crate::Lookup =
                crate::lookup::lookup_job(hostname, options)?;
            /// `dns.lookupService(address, port)`.
            #[doc(alias = "lookupService")]
            fn lookup_service(address: &str, port: f64) -> crate::Service =
                crate::lookup::lookup_service_job(address, port)?;
        }
    };
}

/// The callback forms (`dns.lookup(host, options, cb)`, `dns.resolve4(host, cb)`,
/// `new dns.Resolver()` ...).
pub mod callback {
    dns_forms!(callback<crate::Error, Slow>;);
    pub use crate::resolver::CallbackResolver as Resolver;
    pub use crate::resolver::default_callback::*;
}

/// The promise forms (`dns.promises.lookup(host, options)`, `dns.promises.resolve4(host)`,
/// `new dns.promises.Resolver()` ...).
pub mod promises {
    dns_forms!(promise<crate::Error, Slow>;);
    pub use crate::Resolver;
    pub use crate::resolver::default_promise::*;
}
