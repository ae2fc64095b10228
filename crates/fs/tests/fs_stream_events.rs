//! The events of fs's file streams, in node's order (issue 13): the file is opened in the
//! stream's `construct` (`open` with the descriptor, then `ready`), an open that fails is
//! `error` then `close`, a descriptor given in the options is not opened, and a stream
//! destroyed while opening still opens, then closes. The scenarios are
//! `tests/node/stream_events.js`; node's output is recorded in
//! `tests/node/stream_events.expected`.

use std::cell::RefCell;
use std::path::PathBuf;
use std::rc::Rc;

use nodestd_events::Named;
use nodestd_fs as fs;
use support::remove;

mod support;
use nodestd_stream::{Chunk, Readable, Stream};

const EXPECTED: &str = include_str!("node/stream_events.expected");

type Log = Rc<RefCell<Vec<String>>>;

/// Logs a stream's events as the node script does (`name: event[ detail]`).
fn watch<R: 'static, W: 'static>(log: &Log, name: &'static str, s: &Stream<R, W>) {
    let em = s.emitter();
    let l = Rc::clone(log);
    em.on(fs::open_event(), move |_fd| {
        l.borrow_mut().push(format!("{name}: open fd"))
    });
    for ev in ["ready", "end", "finish", "close"] {
        let l = Rc::clone(log);
        em.on(Named::<()>::new(ev), move |_| {
            l.borrow_mut().push(format!("{name}: {ev}"))
        });
    }
    let l = Rc::clone(log);
    s.on_error(move |e| {
        let (code, syscall) = e
            .downcast_ref::<fs::Error>()
            .map_or(("?", "?"), |e| (e.code(), e.syscall().unwrap_or("?")));
        l.borrow_mut()
            .push(format!("{name}: error {code} {syscall}"));
    });
}

/// As [`watch`], with the `data` events of a read stream.
fn watch_read(log: &Log, name: &'static str, r: &Readable) {
    let l = Rc::clone(log);
    r.on_data(move |c: &Chunk| {
        l.borrow_mut()
            .push(format!("{name}: data {}", c.as_bytes().len()))
    });
    watch(log, name, r);
}

/// The scenarios of `stream_events.js`, each started when the one before has closed.
fn scenario(i: usize, dir: Rc<PathBuf>, log: Log) {
    let p = |n: &str| dir.join(n);
    let next = {
        let (dir, log) = (Rc::clone(&dir), Rc::clone(&log));
        move || scenario(i + 1, Rc::clone(&dir), Rc::clone(&log))
    };
    match i {
        0 => {
            let r = fs::create_read_stream(p("a.txt"), Default::default());
            watch_read(&log, "read", &r);
            r.on_close(next);
        }
        1 => {
            let r = fs::create_read_stream(p("missing.txt"), Default::default());
            watch_read(&log, "read missing", &r);
            r.on_close(next);
        }
        2 => {
            let fd = fs::open_sync(p("a.txt"), fs::OpenFlags::READ, 0o666).unwrap();
            let opts = fs::ReadStreamOptions {
                fd: Some(fd),
                start: Some(6),
                ..Default::default()
            };
            let r = fs::create_read_stream("", opts);
            watch_read(&log, "read fd", &r);
            r.on_close(next);
        }
        3 => {
            let w = fs::create_write_stream(p("b.txt"), Default::default());
            watch(&log, "write", &w);
            w.write(Chunk::from("abc"));
            w.end_with(Chunk::from("def"));
            w.on_close(next);
        }
        4 => {
            let w = fs::create_write_stream(&*dir, Default::default());
            watch(&log, "write dir", &w);
            w.on_close(next);
        }
        5 => {
            let r = fs::create_read_stream(p("a.txt"), Default::default());
            watch_read(&log, "read destroyed", &r);
            r.destroy(None);
            r.on_close(next);
        }
        _ => {}
    }
}

fn setup(tag: &str) -> PathBuf {
    let dir =
        fs::mkdtemp_sync(std::env::temp_dir().join(format!("nodestd-fs-events-{tag}-"))).unwrap();
    fs::write_file_sync(dir.join("a.txt"), "hello world", Default::default()).unwrap();
    dir
}

#[test]
fn stream_events_come_in_nodes_order() {
    let dir = setup("ours");
    let log: Log = Rc::default();
    let (d, l) = (Rc::new(dir.clone()), Rc::clone(&log));
    let exit = nodestd_loop::run(move || scenario(0, d, l));
    assert_eq!(exit.code(), 0);
    assert_eq!(
        fs::read_file_sync(dir.join("b.txt"), Default::default()).unwrap(),
        b"abcdef"
    );
    remove(&dir);
    let got = log.borrow().join("\n");
    assert_eq!(got, EXPECTED.trim_end());
}

/// The fixture is node's output: re-recorded from live node when it is installed.
#[test]
fn the_fixture_is_nodes_order() {
    let dir = setup("node");
    let out = support::node_output("the_fixture_is_nodes_order", "stream_events.js", &dir, &[]);
    remove(&dir);
    if let Some(out) = out {
        assert_eq!(out, EXPECTED);
    }
}
