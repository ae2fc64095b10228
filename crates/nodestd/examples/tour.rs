//! A tour of nodestd's event loop: one run that contrasts nextTick, microtasks, an async task,
//! a worker-pool read (an I/O callback), an immediate, a close callback and a timer, printing
//! the phase each line runs in. Node prints the same order (the two pool reads race, in Node
//! as here); the `loop-trace` runner checks such orders against Node scenario by scenario.
//!
//! Then it calls into each module once: path, url (WHATWG and legacy), querystring, crypto,
//! and fs + stream + zlib (a file gzipped through `pipeline`, then gunzipped with
//! `maxOutputLength`, the cap that decompressing untrusted input needs).
//!
//! It also prints its `process.argv` (Node's layout) and handles Ctrl-C (SIGINT) as a Node
//! program would with `process.on('SIGINT')`. Run it with `cargo run --release --example tour`;
//! `cargo run --release --example tour -- --wait` keeps it running until you press Ctrl-C.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Instant;

use nodestd::r#loop as nd;
use nodestd::process;

fn main() {
    let start = Instant::now();
    let step = Rc::new(Cell::new(0));
    let say = {
        let step = Rc::clone(&step);
        move |phase: &str, what: &str| {
            step.set(step.get() + 1);
            println!(
                "{:>2}. [{:>7.3} ms] {:<10} {what}",
                step.get(),
                start.elapsed().as_secs_f64() * 1000.0,
                phase
            );
        }
    };
    let say = Rc::new(say);

    println!("nodestd tour: Node's event loop, phase by phase\n");
    println!("process.argv = {:?}\n", process::argv());
    let wait = process::argv().iter().skip(2).any(|a| a == "--wait");
    let s = Rc::clone(&say);
    let code = process::run(move || {
        let s0 = Rc::clone(&s);
        // Like `process.on('SIGINT', ...)`: the listener's handle is unref'd, so it does not keep
        // the loop alive; while it exists Ctrl-C runs it instead of killing the process.
        let listener = process::on_signal("SIGINT", move |name| {
            s0(
                "poll",
                &format!("{name}: Ctrl-C caught by a listener; exiting with 130"),
            );
            process::exit(Some(130));
        });
        if let Err(e) = listener {
            eprintln!("cannot listen for SIGINT: {e}");
        }
        if wait {
            let s1 = Rc::clone(&s);
            nd::set_timeout(60_000, move || {
                s1("timers", "a minute passed without Ctrl-C")
            });
            s(
                "main",
                "--wait: press Ctrl-C (the loop stays alive for a minute)",
            );
        }
        s("main", "the main function runs to completion first");
        let s1 = Rc::clone(&s);
        nd::queue_microtask(move || s1("microtask", "queueMicrotask: after every nextTick"));
        let s2 = Rc::clone(&s);
        nd::spawn_local(async move {
            s2("microtask", "an async task's first poll is a microtask too");
            let n =
                nd::spawn_blocking(|| std::fs::read("Cargo.toml").map(|b| b.len()).unwrap_or(0))
                    .await
                    .unwrap_or(0);
            s2(
                "microtask",
                &format!("...it resumes after the pool read {n} bytes"),
            );
        });
        let s3 = Rc::clone(&s);
        nd::next_tick(move || s3("nextTick", "process.nextTick: right after main"));
        let s4 = Rc::clone(&s);
        nd::queue_work(
            || std::fs::read("README.md").map(|b| b.len()).unwrap_or(0),
            move |n| {
                let n = n.unwrap_or(0);
                s4(
                    "poll",
                    &format!("I/O callback: the worker pool read {n} bytes"),
                );
                let s5 = Rc::clone(&s4);
                nd::set_timeout(0, move || {
                    s5("timers", "setTimeout(0) from I/O: after check and close");
                    let s6 = Rc::clone(&s5);
                    let handle: Rc<RefCell<Option<nd::Timeout>>> = Rc::new(RefCell::new(None));
                    let h = Rc::clone(&handle);
                    let n = Cell::new(0);
                    let t = nd::set_interval(5, move || {
                        n.set(n.get() + 1);
                        s6(
                            "timers",
                            &format!("setInterval(5), firing {} of 2", n.get()),
                        );
                        if n.get() == 2 {
                            if let Some(t) = h.borrow().as_ref() {
                                t.clear();
                            }
                        }
                    });
                    *handle.borrow_mut() = Some(t);
                });
                let s7 = Rc::clone(&s4);
                nd::set_immediate(move || {
                    s7(
                        "check",
                        "setImmediate from I/O: this iteration's check phase",
                    )
                });
                let s8 = Rc::clone(&s4);
                nd::Handle::new()
                    .close(move || s8("close", "a handle's close callback: after check"));
                let s9 = Rc::clone(&s4);
                nd::next_tick(move || {
                    s9(
                        "nextTick",
                        "a nextTick queued by the I/O callback runs before any other phase",
                    )
                });
            },
        );
        s(
            "main",
            "...scheduled a microtask, an async task, a nextTick and a pool read",
        );
    });
    println!("\nthe loop ended: exit code {code}");
    if code == 0 {
        modules();
    }
    std::process::exit(code);
}

/// The second half: a few calls into each module, as a Node program would make them.
fn modules() {
    use nodestd::stream::{Stage, pipeline};
    use nodestd::{crypto, fs, path, querystring, url, zlib};

    println!("\nnodestd tour: the modules\n");
    println!(
        "path.join('/srv', 'app', '../lib', 'x.js')  = {:?}",
        path::join(["/srv", "app", "../lib", "x.js"])
    );
    println!(
        "path.win32.relative('C:\\a\\b', 'c:\\a\\c')  = {:?}",
        path::win32::relative_from("C:\\", "C:\\a\\b", "c:\\a\\c")
    );
    let u = url::URL::parse("../y?q=1#top", Some("https://user@EXAMPLE.org:443/a/b/c")).unwrap();
    println!("new URL('../y?q=1#top', base).href     = {:?}", u.href());
    let legacy = url::parse("HTTP://a.com:80/p?x=1", true, false).unwrap();
    println!(
        "url.parse(..., true): host {:?}, query {:?}",
        legacy.host, legacy.query
    );
    let q = querystring::parse("a=1&b=2&a=3");
    println!(
        "querystring.parse('a=1&b=2&a=3').a       = {:?}",
        q.get("a")
    );
    let hex = crypto::create_hash("sha256")
        .and_then(|mut h| h.update("hello")?.digest_to(crypto::Encoding::Hex))
        .unwrap();
    println!(
        "sha256('hello')                          = {}...",
        &hex[..16]
    );

    // fs + stream + zlib: write a file, gzip it through a pipeline of streams, read it back.
    let exit = nodestd::r#loop::run(|| {
        let dir = fs::mkdtemp_sync(std::env::temp_dir().join("nodestd-tour-")).unwrap();
        let (src, dst) = (dir.join("words.txt"), dir.join("words.txt.gz"));
        let text = "the quick brown fox jumps over the lazy dog\n".repeat(2000);
        fs::write_file_sync(&src, text.as_bytes(), Default::default()).unwrap();
        let gzip = zlib::create_gzip(&zlib::Options::default()).unwrap();
        let stages = vec![
            Stage::readable(&fs::create_read_stream(&src, Default::default())),
            Stage::duplex(&gzip),
            Stage::writable(&fs::create_write_stream(&dst, Default::default())),
        ];
        pipeline(stages, move |err| {
            assert!(err.is_none(), "pipeline failed: {err:?}");
            fs::callback::stat(dst.clone(), move |st| {
                let packed = st.unwrap().size;
                // Decompressing input you do not trust: cap the output. Node's default cap is
                // 4 GiB, which a 4.2 MB gzip of zeros reaches (see nodestd_zlib's docs).
                let capped = zlib::Options {
                    max_output_length: Some(text.len() as u64),
                    ..zlib::Options::default()
                };
                let back =
                    zlib::gunzip_sync(&fs::read_file_sync(&dst, Default::default()).unwrap(), &capped)
                        .unwrap();
                println!(
                    "pipeline(createReadStream, createGzip, createWriteStream): {} bytes -> {packed} bytes; gunzip gives them back: {}",
                    text.len(),
                    back == text.as_bytes()
                );
                let bomb = zlib::gzip_sync(&[0; 1 << 20], &zlib::Options::default()).unwrap();
                let e = zlib::gunzip_sync(&bomb, &capped).unwrap_err();
                println!(
                    "gunzipSync(<{} bytes of gzip>, {{ maxOutputLength: {} }}) throws {}: {}",
                    bomb.len(),
                    text.len(),
                    e.code(),
                    e.message()
                );
                let rm = fs::RmOptions {
                    recursive: true,
                    force: true,
                    ..Default::default()
                };
                fs::rm_sync(&dir, rm).unwrap();
            })
            .expect("fs.stat takes its arguments");
        });
    });
    println!("\nthe second loop ended: exit code {}", exit.code());
}
