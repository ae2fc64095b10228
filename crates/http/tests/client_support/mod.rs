//! Shared by the client tests: the node peer server (`tests/node/client_peer.js`), node's
//! client scripts, a line log, and Node's error fields.

#![allow(dead_code)]

use std::cell::RefCell;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::rc::Rc;

use nodestd_net::NetError;
use nodestd_stream::Error;

/// A script of `tests/node/`.
pub fn script(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/node")
        .join(name)
}

/// The node peer server; killed when dropped.
pub struct Peer {
    child: Child,
    pub port: u16,
}

impl Peer {
    /// Starts `node client_peer.js args…` and reads its port. A missing node fails loudly.
    pub fn start(args: &[&str]) -> Peer {
        let mut child = Command::new("node")
            .arg(script("client_peer.js"))
            .args(args)
            .stdout(Stdio::piped())
            .spawn()
            .expect("node (v20) must be installed: it is the specification");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .trim()
            .strip_prefix("listening on ")
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("bad banner {line:?}"));
        Peer { child, port }
    }

    /// Runs node's client script `name` against the peer (`node name PORT args…`) and
    /// returns what it printed.
    pub fn node_client(&self, name: &str) -> String {
        self.node_client_with(name, &[])
    }

    /// [`Peer::node_client`] with more arguments.
    pub fn node_client_with(&self, name: &str, args: &[&str]) -> String {
        let out = Command::new("node")
            .arg(script(name))
            .arg(self.port.to_string())
            .args(args)
            .output()
            .expect("node (v20) must be installed: it is the specification");
        assert!(
            out.status.success(),
            "node {name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A log of lines.
#[derive(Clone, Default)]
pub struct Lines(Rc<RefCell<Vec<String>>>);

impl Lines {
    pub fn push(&self, s: impl Into<String>) {
        self.0.borrow_mut().push(s.into());
    }
    pub fn text(&self) -> String {
        self.0.borrow().iter().map(|l| format!("{l}\n")).collect()
    }
}

/// Runs `f(lines, done)` on a new loop; `done` must be called at the end (it is not needed
/// for the loop to end, but a case that never calls it fails).
pub fn run_cases(f: impl FnOnce(&Lines, Rc<dyn Fn()>) + 'static) -> String {
    let lines = Lines::default();
    let finished = Rc::new(RefCell::new(false));
    let (l, fin) = (lines.clone(), finished.clone());
    let exit = nodestd_loop::run(move || {
        let fin = fin.clone();
        f(&l, Rc::new(move || *fin.borrow_mut() = true));
    });
    assert_eq!(exit.code(), 0, "{exit:?}");
    assert!(
        *finished.borrow(),
        "the cases did not finish:\n{}",
        lines.text()
    );
    lines.text()
}

/// `message|code|errno|syscall|address|port|hostname`, as client_cases.js prints an error.
pub fn err_line(e: &Error) -> String {
    let u = |o: Option<String>| o.unwrap_or_else(|| "undefined".into());
    if let Some(d) = e.downcast_ref::<nodestd_dns::Error>() {
        return format!(
            "{}|{}|{}|{}|undefined|undefined|{}",
            d.message(),
            d.code(),
            u(d.errno().map(|n| n.to_string())),
            u(d.syscall().map(str::to_owned)),
            u(d.hostname().map(str::to_owned)),
        );
    }
    match NetError::from_stream_error(e) {
        Some(n) => format!(
            "{}|{}|{}|{}|{}|{}|undefined",
            n.message(),
            n.code(),
            u(n.errno_value().map(|n| n.to_string())),
            u(n.syscall().map(str::to_owned)),
            u(n.address().map(str::to_owned)),
            u(n.port().map(|p| p.to_string())),
        ),
        None => format!("{e}|?|?|?|?|?|?"),
    }
}

/// Starts `node tests/node/SCRIPT args…` (stdin piped: a script may end at its EOF), reads
/// its banner `listening on PORT`, and forwards its later stdout lines. A missing node fails
/// loudly.
pub fn start_node_server(
    script_name: &str,
    args: &[&std::ffi::OsStr],
) -> (u16, Child, std::sync::mpsc::Receiver<String>) {
    let mut child = Command::new("node")
        .arg(script(script_name))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("node (v20) must be installed: it is the specification");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let banner = lines.next().expect("a banner").unwrap();
    let port = banner
        .strip_prefix("listening on ")
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("bad banner {banner:?}"));
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for l in lines.map_while(Result::ok) {
            let _ = tx.send(l);
        }
    });
    (port, child, rx)
}
