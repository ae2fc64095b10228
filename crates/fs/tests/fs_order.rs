//! The order of completions of fs's promise and callback forms (issue 13): a promise form's
//! work is queued on the worker pool at the call, as Node's is, so with one worker thread it
//! completes before a callback form called after it. The scenario is
//! `tests/node/completion_order.js`; node's output (`UV_THREADPOOL_SIZE=1`) is recorded in
//! `tests/node/completion_order.expected`. The same scenario with promise forms that start
//! their work only when first polled (what `fs::promises` did before) gives another order.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::process::Command;
use std::rc::Rc;

use nodestd_fs as fs;
use support::remove;

mod support;

const CHILD: &str = "NODESTD_FS_ORDER_CHILD";
const EXPECTED: &str = include_str!("node/completion_order.expected");

type Boxed<T> = Pin<Box<dyn Future<Output = fs::Result<T>>>>;

struct Scenario {
    out: RefCell<Vec<String>>,
    dir: PathBuf,
    lazy: bool,
    left: Cell<u32>,
}

impl Scenario {
    fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// Logs a completion as the node script does: the label, and the error's code if any.
    fn log<T>(&self, label: &str, r: &fs::Result<T>) {
        let line = match r {
            Ok(_) => label.to_owned(),
            Err(e) => format!("{label} {}", e.code()),
        };
        self.out.borrow_mut().push(line);
    }

    /// A promise form: the real one (work queued at the call), or, when `lazy`, the old
    /// shape whose work is queued when the future is first polled.
    fn promise<T: Send + 'static>(
        &self,
        real: impl FnOnce() -> fs::Result<Boxed<T>>,
        sync: impl FnOnce() -> fs::Result<T> + Send + 'static,
    ) -> Boxed<T> {
        if self.lazy {
            Box::pin(async move { nodestd_loop::spawn_blocking(sync).await.unwrap() })
        } else {
            real().unwrap()
        }
    }

    /// Awaits `fut` in a task and logs its completion.
    fn then<T: 'static>(self: &Rc<Self>, label: &'static str, fut: Boxed<T>) {
        let s = Rc::clone(self);
        nodestd_loop::spawn_local(async move {
            let r = fut.await;
            s.log(label, &r);
        });
    }

    /// A callback that logs its completion.
    fn cb<T>(self: &Rc<Self>, label: &'static str) -> impl FnOnce(fs::Result<T>) + 'static {
        let s = Rc::clone(self);
        move |r| s.log(label, &r)
    }
}

fn boxed<T: 'static>(p: impl Future<Output = fs::Result<T>> + 'static) -> fs::Result<Boxed<T>> {
    Ok(Box::pin(p))
}

fn phase1(s: &Rc<Scenario>) {
    let (a, b) = (s.path("a"), s.path("b"));
    let done = |label: &'static str| {
        let s = Rc::clone(s);
        move |r: &fs::Result<Vec<u8>>| {
            s.log(label, r);
            s.left.set(s.left.get() - 1);
            if s.left.get() == 0 {
                phase2(&s);
            }
        }
    };
    let a2 = a.clone();
    let read_a = s.promise(
        || boxed(fs::promises::read_file(&a, Default::default())),
        move || fs::read_file_sync(a2, Default::default()),
    );
    let done_a = done("promise readFile a");
    nodestd_loop::spawn_local(async move { done_a(&read_a.await) });
    let done_b = done("callback readFile b");
    fs::callback::read_file(b, Default::default(), move |r| done_b(&r)).unwrap();
}

fn phase2(s: &Rc<Scenario>) {
    let (a, b, sub) = (s.path("a"), s.path("b"), s.path("sub"));
    let missing = s.path("a.missing");
    let a2 = a.clone();
    let stat_a = s.promise(|| boxed(fs::promises::stat(&a)), move || fs::stat_sync(a2));
    s.then("promise stat a", stat_a);
    fs::callback::stat(&b, s.cb("callback stat b")).unwrap();
    let m2 = missing.clone();
    let access = s.promise(
        || boxed(fs::promises::access(&missing, 0)),
        move || fs::access_sync(m2, 0),
    );
    s.then("promise access", access);
    fs::callback::lstat(&a, s.cb("callback lstat a")).unwrap();
    let a2 = a.clone();
    let readlink = s.promise(
        || boxed(fs::promises::readlink(&a)),
        move || fs::readlink_sync(a2),
    );
    s.then("promise readlink", readlink);
    fs::callback::unlink(&missing, s.cb("callback unlink")).unwrap();
    let sub2 = sub.clone();
    let mkdir = s.promise(
        || boxed(fs::promises::mkdir(&sub, Default::default())),
        move || fs::mkdir_sync(sub2, Default::default()),
    );
    s.then("promise mkdir sub", mkdir);
    fs::callback::rmdir(&sub, Default::default(), s.cb("callback rmdir sub")).unwrap();
}

/// Sets up the directory node's script expects: files `a` and `b`.
fn setup(tag: &str) -> PathBuf {
    let dir =
        fs::mkdtemp_sync(std::env::temp_dir().join(format!("nodestd-fs-order-{tag}-"))).unwrap();
    fs::write_file_sync(dir.join("a"), b"aaaa", Default::default()).unwrap();
    fs::write_file_sync(dir.join("b"), b"bbbb", Default::default()).unwrap();
    dir
}

/// The scenario in this process: one completion a line, as the node script prints them.
fn run_scenario(lazy: bool) -> String {
    let dir = setup(if lazy { "lazy" } else { "now" });
    let s = Rc::new(Scenario {
        out: RefCell::default(),
        dir: dir.clone(),
        lazy,
        left: Cell::new(2),
    });
    let s2 = Rc::clone(&s);
    let exit = nodestd_loop::run(move || phase1(&s2));
    assert_eq!(exit.code(), 0);
    remove(&dir);
    s.out.take().join("\n")
}

/// The child half of the tests below (a no-op unless re-executed with the variable set).
#[test]
fn child_order() {
    let Ok(mode) = std::env::var(CHILD) else {
        return;
    };
    let order = run_scenario(mode == "lazy");
    println!("ORDER-BEGIN\n{order}\nORDER-END");
}

/// Runs the scenario in a child process with a pool of one thread.
fn run_child(mode: &str) -> String {
    let out = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "child_order", "--nocapture", "--test-threads=1"])
        .env(CHILD, mode)
        .env("UV_THREADPOOL_SIZE", "1")
        .output()
        .expect("re-run this test binary");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "child failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let begin = stdout
        .find("ORDER-BEGIN\n")
        .expect("the child printed its order")
        + 12;
    let end = stdout
        .find("\nORDER-END")
        .expect("the child printed its order");
    stdout[begin..end].to_owned()
}

#[test]
fn promise_forms_start_at_the_call_in_nodes_order() {
    assert_eq!(run_child("now"), EXPECTED.trim_end());
}

#[test]
fn promise_forms_that_start_when_polled_would_complete_in_another_order() {
    let lazy = run_child("lazy");
    assert_ne!(lazy, EXPECTED.trim_end());
    // The callback forms' work is all queued before the first poll of any promise form.
    assert!(
        lazy.starts_with("callback readFile b\npromise readFile a"),
        "{lazy}"
    );
}

/// The fixture is node's output: re-recorded from live node when it is installed.
#[test]
fn the_fixture_is_nodes_order() {
    let dir = setup("node");
    let out = support::node_output(
        "the_fixture_is_nodes_order",
        "completion_order.js",
        &dir,
        &[("UV_THREADPOOL_SIZE", "1")],
    );
    remove(&dir);
    if let Some(out) = out {
        assert_eq!(out, EXPECTED);
    }
}
