//! What the contract examples share: `--port P`, issue 14's server settings, and the
//! banner-then-SIGTERM life of the process.

use std::io::Write;
use std::rc::Rc;

use nodestd_http::{Server, ServerOptions};

/// `--port P` (0 when absent).
pub fn port_arg() -> u16 {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == "--port")
        .and_then(|i| args.get(i + 1))
        .and_then(|p| p.parse().ok())
        .unwrap_or(0)
}

/// The contract's `http.createServer` settings.
pub fn contract_options() -> ServerOptions {
    ServerOptions {
        headers_timeout: 4000,
        request_timeout: 10_000,
        keep_alive_timeout: 5000,
        connections_checking_interval: 250,
        ..ServerOptions::default()
    }
}

/// Listens on 127.0.0.1:`--port`, prints `listening on PORT` when ready, and on SIGTERM
/// closes the server (in-flight requests finish) and exits 0.
pub fn serve(server: Server) {
    let srv = Rc::new(server);
    let s2 = Rc::clone(&srv);
    srv.listen(port_arg(), Some("127.0.0.1"), move || {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "listening on {}", s2.port().unwrap_or(0));
        let _ = out.flush();
    })
    .expect("listen");
    nodestd_process::on_signal("SIGTERM", move |_| {
        srv.close(|| nodestd_loop::exit(0));
    })
    .expect("SIGTERM");
}
