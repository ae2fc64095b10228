//! `http-cluster` (issue 17): req/s of the `cluster-hello` example with 2 workers (the
//! round-robin primary hands each connection to a worker) under wrk, 64 connections, 10 s
//! (2 s with `--quick`); Node's side runs its cluster twin the same way.

use std::process::Command;

use crate::net::{ServerProc, emit_value, wrk};

/// `http-cluster`.
pub fn http_cluster(quick: bool) {
    let exe = crate::example("nodestd-cluster", "cluster-hello");
    let mut cmd = Command::new(exe);
    cmd.args(["--workers", "2"]);
    let server = ServerProc::start(cmd);
    if !quick {
        // An unmeasured second of warm-up, as the other workloads warm up.
        wrk(server.port, 1);
    }
    let r = wrk(server.port, if quick { 2 } else { 10 });
    emit_value("http-cluster", "req/s", r.req_per_sec);
}
