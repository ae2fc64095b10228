//! A tour of nodestd, run with `cargo run --release --example tour` (a few seconds).
//!
//! 1. The event loop, phase by phase: nextTick, microtasks, an async task, a worker-pool read
//!    (an I/O callback), an immediate, a close callback, a timer and an interval, each line
//!    saying the phase it runs in. When `node` is installed, the same program in JavaScript
//!    (`LOOP_JS` below) runs too and its lines are printed beside ours.
//! 2. The modules, one call each, printed as `console.log` prints them, each line checked
//!    against node's output for the same JavaScript when node is installed: path, url
//!    (WHATWG and legacy), querystring, crypto, timers/promises, and fs + stream + zlib (a file
//!    gzipped through `pipeline`, then gunzipped with `maxOutputLength`).
//! 3. A child forked with Node's IPC channel (a real `node` child when node is installed), a
//!    Koa-style onion of middleware, a DNS lookup of localhost, and `os` facts beside node's.
//! 4. An http server answering nodestd's own http client (a GET and a POST with a body:
//!    status, headers as `console.log(res.headers)` shows them, body; node's lines for the same
//!    program beside ours), and a cluster of two workers serving four requests in turn
//!    (`tour/servers.rs`). Cluster forks the current executable: started with
//!    `NODE_UNIQUE_ID` set, this program is a worker and only serves, as a Node program
//!    branches on `cluster.isPrimary`.
//!
//! Each section says what it shows and how long it took. `process.argv` is printed first, with
//! why the program shows up twice; Ctrl-C (SIGINT) is handled as `process.on('SIGINT')` would;
//! `-- --wait` keeps the loop alive for a minute so you can try it.

use std::cell::{Cell, RefCell};
use std::process::Command;
use std::rc::Rc;
use std::time::Instant;

use nodestd::process;
use nodestd::timers;

#[path = "tour/servers.rs"]
mod servers;

/// The loop section in JavaScript: the same calls, the same lines.
const LOOP_JS: &str = r#"
const fs = require('fs'), net = require('net'); // stdin is a pipe: its socket's close is libuv's
const say = (phase, what) => console.log(`${phase.padEnd(10)} ${what}`);
say('main', 'the main function runs to completion first');
queueMicrotask(() => say('microtask', 'queueMicrotask: after every nextTick'));
(async () => {
  await null;
  say('microtask', "an async task's first poll is a microtask too");
  const n = await fs.promises.stat('Cargo.toml').then((st) => st.size, () => 0);
  say('microtask', `...it resumes after the pool's stat: ${n} bytes`);
})();
process.nextTick(() => say('nextTick', 'process.nextTick: right after main'));
fs.stat('README.md', (err, st) => {
  say('poll', `I/O callback: the worker pool's stat: ${err ? 0 : st.size} bytes`);
  setTimeout(() => {
    say('timers', 'setTimeout(0) from I/O: after check and close');
    let n = 0;
    const t = setInterval(() => {
      n++;
      say('timers', `setInterval(5), firing ${n} of 2`);
      if (n === 2) clearInterval(t);
    }, 5);
  }, 0);
  setImmediate(() => say('check', "setImmediate from I/O: this iteration's check phase"));
  const socket = new net.Socket({ fd: 0 });
  socket.on('close', () => say('close', "a handle's close callback: after check"));
  socket.destroy();
  process.nextTick(() => say('nextTick', 'a nextTick queued by the I/O callback runs before any other phase'));
});
say('main', '...scheduled a microtask, an async task, a nextTick and a pool stat');
"#;

/// Runs `node -e script`, or says why not.
fn node(script: &str) -> Result<String, String> {
    // stdin a pipe (closed at once), so LOOP_JS can close a socket on it.
    match Command::new("node")
        .arg("-e")
        .arg(script)
        .stdin(std::process::Stdio::piped())
        .output()
    {
        Ok(o) if o.status.success() => Ok(String::from_utf8_lossy(&o.stdout).into_owned()),
        Ok(o) => Err(format!(
            "node failed: {}",
            String::from_utf8_lossy(&o.stderr).trim()
        )),
        Err(e) => Err(format!("node is not installed ({e})")),
    }
}

/// A section's title and what it shows; the returned guard prints how long it took.
fn section(title: &str, shows: &str) -> Took {
    println!("\n== {title}\n   {shows}\n");
    Took(Instant::now(), title.to_string())
}

struct Took(Instant, String);

impl Drop for Took {
    fn drop(&mut self) {
        println!(
            "   ({} took {:.1} ms)",
            self.1,
            self.0.elapsed().as_secs_f64() * 1000.0
        );
    }
}

/// A string as `util.inspect` shows it inside an object or array: single-quoted.
fn quoted(s: &str) -> String {
    format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// A list of strings as `console.log` shows an array of strings.
fn string_array(items: &[String]) -> String {
    if items.is_empty() {
        return "[]".into();
    }
    let parts: Vec<String> = items.iter().map(|s| quoted(s)).collect();
    format!("[ {} ]", parts.join(", "))
}

/// A querystring value as `util.inspect` shows it: a string, or an array of them.
fn inspect_query_value(v: &nodestd::querystring::QueryValue) -> String {
    match v {
        nodestd::querystring::QueryValue::Single(s) => quoted(s),
        nodestd::querystring::QueryValue::Multiple(all) => string_array(all),
    }
}

fn main() {
    // `if (cluster.isPrimary) { … } else { serve }`: the cluster section forks this program.
    if nodestd_cluster::is_worker() {
        std::process::exit(servers::cluster_worker());
    }
    let wait = process::argv().iter().skip(2).any(|a| a == "--wait");
    println!("nodestd tour\n");
    println!("process.argv = {}", string_array(&process::argv()));
    println!(
        "   (argv[0] is the executable and argv[1] the script, as in Node; a Rust program is\n    both at once, so its path appears twice and your own arguments start at argv[2])"
    );

    let code = loop_section(wait);
    if code != 0 {
        std::process::exit(code);
    }
    modules_section();
    fork_section();
    onion_section();
    dns_section();
    os_section();
    servers::http_section();
    servers::cluster_section();
    println!("\nthe tour is over");
}

/// Section 1: one run of the loop, our lines beside node's.
fn loop_section(wait: bool) -> i32 {
    let took = section(
        "the event loop, phase by phase",
        "which phase runs what: nextTick and microtasks after every callback, then timers, poll (I/O), check (immediates), close",
    );
    let lines: Rc<RefCell<Vec<String>>> = Rc::default();
    let say = {
        let lines = Rc::clone(&lines);
        Rc::new(move |phase: &str, what: &str| {
            lines.borrow_mut().push(format!("{phase:<10} {what}"));
        })
    };
    let s = Rc::clone(&say);
    let code = process::run(move || {
        // `process.on('SIGINT', …)`: an unref'd listener; while it exists Ctrl-C runs it.
        let s0 = Rc::clone(&s);
        let listener = process::on_signal("SIGINT", move |name| {
            s0(
                "poll",
                &format!("{name}: Ctrl-C caught by a listener; exit 130"),
            );
            process::exit(Some(130));
        });
        if let Err(e) = listener {
            eprintln!("cannot listen for SIGINT: {e}");
        }
        if wait {
            println!("   --wait: press Ctrl-C (the loop stays alive for a minute)");
            timers::set_timeout(60_000, || println!("   a minute passed without Ctrl-C"));
        }
        s("main", "the main function runs to completion first");
        let s1 = Rc::clone(&s);
        timers::queue_microtask(move || s1("microtask", "queueMicrotask: after every nextTick"));
        let s2 = Rc::clone(&s);
        timers::spawn_local(async move {
            s2("microtask", "an async task's first poll is a microtask too");
            let n =
                timers::spawn_blocking(|| std::fs::metadata("Cargo.toml").map_or(0, |m| m.len()))
                    .await
                    .unwrap_or(0);
            s2(
                "microtask",
                &format!("...it resumes after the pool's stat: {n} bytes"),
            );
        });
        let s3 = Rc::clone(&s);
        timers::next_tick(move || s3("nextTick", "process.nextTick: right after main"));
        let s4 = Rc::clone(&s);
        timers::queue_work(
            || std::fs::metadata("README.md").map_or(0, |m| m.len()),
            move |n| {
                let n = n.unwrap_or(0);
                s4(
                    "poll",
                    &format!("I/O callback: the worker pool's stat: {n} bytes"),
                );
                let s5 = Rc::clone(&s4);
                timers::set_timeout(0, move || {
                    s5("timers", "setTimeout(0) from I/O: after check and close");
                    let s6 = Rc::clone(&s5);
                    let handle: Rc<RefCell<Option<timers::Timeout>>> = Rc::default();
                    let h = Rc::clone(&handle);
                    let n = Cell::new(0);
                    let t = timers::set_interval(5, move || {
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
                timers::set_immediate(move || {
                    s7(
                        "check",
                        "setImmediate from I/O: this iteration's check phase",
                    )
                });
                let s8 = Rc::clone(&s4);
                timers::Handle::new()
                    .close(move || s8("close", "a handle's close callback: after check"));
                let s9 = Rc::clone(&s4);
                timers::next_tick(move || {
                    s9(
                        "nextTick",
                        "a nextTick queued by the I/O callback runs before any other phase",
                    )
                });
            },
        );
        s(
            "main",
            "...scheduled a microtask, an async task, a nextTick and a pool stat",
        );
    });
    let ours = lines.take();
    match node(LOOP_JS) {
        Ok(out) => {
            let theirs: Vec<&str> = out.lines().collect();
            println!("   {:<78} | node", "nodestd");
            for i in 0..ours.len().max(theirs.len()) {
                let a = ours.get(i).map_or("", String::as_str);
                let b = theirs.get(i).copied().unwrap_or("");
                let mark = if a == b { "=" } else { "≠" };
                println!("   {a:<78} {mark} {b}");
            }
            let same = ours.iter().map(String::as_str).eq(theirs.iter().copied());
            println!(
                "\n   same lines in the same order: {same} (the two pool jobs race, in node as here: when the\n   promise's stat completes an iteration later, its line moves after the timers)"
            );
        }
        Err(why) => {
            for l in &ours {
                println!("   {l}");
            }
            println!("\n   (node's column is missing: {why})");
        }
    }
    println!("   the loop ended: exit code {code}");
    drop(took);
    code
}

/// Our lines beside node's for the same expressions (`console.log(expr)` each).
fn compare_with_node(rows: &[(&str, String)], setup: &str) {
    let script = format!(
        "{setup}\n{}",
        rows.iter()
            .map(|(js, _)| format!("console.log({js});"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    let theirs = node(&script);
    for (i, (js, ours)) in rows.iter().enumerate() {
        println!("   {js}\n     -> {ours}");
        if let Ok(out) = &theirs {
            match out.lines().nth(i) {
                Some(n) if n == ours => println!("        node prints the same"),
                Some(n) => println!("        node prints {n}"),
                None => println!("        node printed nothing"),
            }
        }
    }
    if let Err(why) = theirs {
        println!("   (not compared with node: {why})");
    }
}

/// Section 2: one call into each module.
fn modules_section() {
    use nodestd::{crypto, path, querystring, url};
    let took = section(
        "the modules, one call each",
        "values as console.log prints them, with node's output for the same JavaScript",
    );
    let legacy = url::parse("HTTP://a.com:80/p?x=1&y=2", true, false).unwrap();
    let query = match &legacy.query {
        Some(url::Query::Object(q)) => format!(
            "[Object: null prototype] {{ {} }}",
            q.iter()
                .map(|(k, v)| format!("{k}: {}", inspect_query_value(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Some(url::Query::String(s)) => s.clone(),
        None => "null".into(),
    };
    let w = url::URL::parse("../y?q=1#top", Some("https://user@EXAMPLE.org:443/a/b/c")).unwrap();
    let qs = querystring::parse("a=1&b=2&a=3");
    let a = qs.get("a").map_or("undefined".into(), inspect_query_value);
    let hex = crypto::create_hash("sha256")
        .and_then(|mut h| h.update("hello")?.digest_to(crypto::Encoding::Hex))
        .unwrap();
    let rows = vec![
        (
            "path.join('/srv', 'app', '../lib', 'x.js')",
            path::join(["/srv", "app", "../lib", "x.js"]),
        ),
        (
            "path.win32.relative('C:\\\\a\\\\b', 'c:\\\\a\\\\c')",
            path::win32::relative_from("C:\\", "C:\\a\\b", "c:\\a\\c"),
        ),
        (
            "new URL('../y?q=1#top', 'https://user@EXAMPLE.org:443/a/b/c').href",
            w.href().to_string(),
        ),
        (
            "url.parse('HTTP://a.com:80/p?x=1&y=2', true).host",
            legacy.host.clone().unwrap_or_default(),
        ),
        ("url.parse('HTTP://a.com:80/p?x=1&y=2', true).query", query),
        ("querystring.parse('a=1&b=2&a=3').a", a),
        (
            "crypto.createHash('sha256').update('hello').digest('hex')",
            hex,
        ),
    ];
    compare_with_node(
        &rows,
        "const path = require('path'), url = require('url'), querystring = require('querystring'), crypto = require('crypto');",
    );
    drop(took);

    let took = section(
        "timers/promises, fs, stream and zlib",
        "await setTimeout, then a file gzipped through pipeline(createReadStream, createGzip, createWriteStream), read back with a cap on the output",
    );
    fs_zlib();
    drop(took);
}

fn fs_zlib() {
    use nodestd::stream::{Stage, pipeline};
    use nodestd::{fs, zlib};
    let exit = timers::run(|| {
        timers::spawn_local(async {
            let started = timers::now();
            let v = timers::promises::set_timeout(20, "done").await.unwrap();
            println!(
                "   await setTimeout(20, 'done') -> {v} (after {} ms on the loop's clock)",
                timers::now() - started
            );
        });
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
                let packed_bytes = fs::read_file_sync(&dst, Default::default()).unwrap();
                let back = zlib::gunzip_sync(&packed_bytes, &capped).unwrap();
                println!(
                    "   pipeline: {} bytes -> {packed} bytes of gzip; gunzipSync gives them back: {}",
                    text.len(),
                    back == text.as_bytes()
                );
                let bomb = zlib::gzip_sync(&[0; 1 << 20], &zlib::Options::default()).unwrap();
                let e = zlib::gunzip_sync(&bomb, &capped).unwrap_err();
                println!(
                    "   gunzipSync(<{} bytes of gzip>, {{ maxOutputLength: {} }}) throws {}: {}",
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
    println!("   the loop ended: exit code {}", exit.code());
}

/// Section 3a: `child_process.fork` with the IPC channel.
fn fork_section() {
    use nodestd::child_process::fork::{Disconnect, ForkOptions, Message, fork};
    use nodestd::child_process::json;
    use nodestd::child_process::spawn::Close;
    let took = section(
        "child_process.fork: a child with Node's IPC channel",
        "the parent sends a message, the node child answers and disconnects; then exit and close",
    );
    if let Err(why) = node("") {
        println!("   skipped: the child would be node, and {why}");
        drop(took);
        return;
    }
    let dir = std::env::temp_dir().join(format!("nodestd-tour-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join("child.js");
    std::fs::write(
        &script,
        "process.on('message', (m) => { process.send({ got: m, from: `node ${process.version}`, pid: process.pid }); process.disconnect(); });",
    )
    .unwrap();
    let exit = timers::run(move || {
        let child = fork(script.to_str().unwrap(), &[], ForkOptions::default());
        let em = child.emitter();
        em.on(Message, |(m, _)| println!("   'message' {}", m.to_json()));
        em.on(Disconnect, |_| println!("   'disconnect'"));
        em.on(Close, |(code, sig)| {
            let code = code.map_or("null".to_string(), |c| c.to_string());
            let sig = sig.as_ref().map_or("null".to_string(), |s| quoted(s));
            println!("   'close' {code} {sig}");
        });
        let hello = json::parse(r#"{"hello":"from the nodestd parent","n":[1,2,3]}"#).unwrap();
        println!("   child.send({})", hello.to_json());
        child.send(&hello);
    });
    let _ = std::fs::remove_dir_all(&dir);
    println!("   the loop ended: exit code {}", exit.code());
    drop(took);
}

/// Section 3b: Koa's onion through koa-compose.
fn onion_section() {
    use nodestd::http::{Middleware, Next, compose};
    let took = section(
        "a Koa-style onion (koa-compose)",
        "each middleware runs until `await next()`, the rest of the chain runs, then it finishes on the way out",
    );
    type Ctx = Rc<RefCell<Vec<String>>>;
    let layer = |name: &'static str| -> Middleware<Ctx> {
        Rc::new(move |ctx: Ctx, next: Next<Ctx>| {
            Box::pin(async move {
                ctx.borrow_mut().push(format!("{name} in"));
                next.run().await?;
                ctx.borrow_mut().push(format!("{name} out"));
                Ok(())
            })
        })
    };
    let app = compose(vec![layer("logger"), layer("auth"), layer("handler")]);
    let ctx: Ctx = Rc::default();
    let c = Rc::clone(&ctx);
    let result = timers::block_on(async move { app(c).await }).unwrap();
    let settled = match result {
        Ok(()) => "resolved".to_string(),
        Err(e) => format!("rejected: {e}"),
    };
    println!("   {} ({settled})", ctx.borrow().join(" -> "));
    drop(took);
}

/// Section 3c: `dns.lookup('localhost')`.
fn dns_section() {
    use nodestd::dns;
    let took = section(
        "dns.lookup('localhost', { all: true })",
        "getaddrinfo on the worker pool's slow lane, as Node's lookup runs it",
    );
    let ours = timers::block_on(async {
        dns::promises::lookup(
            "localhost",
            dns::LookupOptions {
                all: true,
                ..Default::default()
            },
        )
        .await
    })
    .unwrap();
    match ours {
        Ok(dns::Lookup::All(addrs)) => {
            let shown: Vec<String> = addrs
                .iter()
                .map(|a| {
                    format!(
                        "{{ address: {}, family: {} }}",
                        quoted(&a.address),
                        a.family
                    )
                })
                .collect();
            println!("   [ {} ]", shown.join(", "));
        }
        Ok(_) => println!("   (one address: `all` was not honoured)"),
        Err(e) => println!("   error: {e}"),
    }
    match node(
        "require('dns').lookup('localhost', { all: true }, (e, a) => console.log(e ? e.code : require('util').inspect(a, { breakLength: Infinity })))",
    ) {
        Ok(out) => println!("   node: {}", out.trim()),
        Err(why) => println!("   (not compared with node: {why})"),
    }
    drop(took);
}

/// Section 3d: `os` facts beside node's.
fn os_section() {
    use nodestd::os;
    let took = section(
        "os facts",
        "what libuv reads from uname, /proc and sysfs, beside node's answers",
    );
    let rows = vec![
        ("os.platform()", os::platform().to_string()),
        ("os.arch()", os::arch().to_string()),
        ("os.type()", os::os_type()),
        ("os.release()", os::release()),
        ("os.hostname()", os::hostname()),
        ("os.cpus().length", os::cpus().len().to_string()),
        (
            "os.availableParallelism()",
            os::available_parallelism().to_string(),
        ),
        ("os.totalmem()", os::totalmem().to_string()),
        ("os.endianness()", os::endianness().to_string()),
        ("os.tmpdir()", os::tmpdir()),
    ];
    compare_with_node(&rows, "const os = require('os');");
    drop(took);
}
