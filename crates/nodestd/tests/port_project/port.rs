//! `port.js` ported to nodestd, line for line, with the names rustdoc's search finds for the
//! Node names (`writeFileSync` → `fs::write_file_sync`, `setImmediate` →
//! `timers::set_immediate`, `timers/promises` → `timers::promises` …). The porting test
//! (`tests/port_scratch.rs`) builds it as the `main.rs` of a scratch project that depends on
//! the workspace's crates by path, and compares what it prints with node's run of port.js.

use nodestd::buffer::{Buffer, BufferExt, Encoding};
use nodestd::stream::{Stage, pipeline};
use nodestd::{crypto, fs, path, process, timers, zlib};

fn main() {
    let file = path::join([process::argv()[2].as_str(), "note.txt"]);
    let log = |line: &str| eprintln!("{line}");
    let code = process::run(move || {
        fs::write_file_sync(&file, "hello from a port\n", Default::default()).unwrap();
        timers::next_tick(move || log("nextTick"));
        timers::queue_microtask(move || log("microtask"));
        timers::set_immediate(move || {
            log("immediate");
            let timer = timers::promises::set_timeout(20, "timer");
            timers::spawn_local(async move {
                log(timer.await.unwrap());
                fs::callback::append_file(
                    file.clone(),
                    b"second line\n".to_vec(),
                    Default::default(),
                    move |r| {
                        r.unwrap();
                        log("callback: appended");
                        timers::spawn_local(async move {
                            let text = fs::promises::read_file_to_string(
                                &file,
                                fs::Encoding::Utf8,
                                Default::default(),
                            )
                            .await
                            .unwrap();
                            log(&format!("promise: {} lines", text.split('\n').count() - 1));
                            log(&format!(
                                "sync: {} bytes",
                                fs::read_file_sync(&file, Default::default()).unwrap().len()
                            ));
                            let hash = std::rc::Rc::new(std::cell::RefCell::new(
                                crypto::create_hash("sha256").unwrap(),
                            ));
                            let (h1, h2) = (hash.clone(), hash);
                            let input = fs::create_read_stream(&file, Default::default());
                            input.on_data(move |chunk| {
                                h1.borrow_mut().update(chunk.as_bytes()).unwrap();
                            });
                            input.on_end(move || {
                                log(&format!(
                                    "sha256: {}",
                                    h2.borrow_mut().digest_to(crypto::Encoding::Hex).unwrap()
                                ));
                                let gzip = zlib::create_gzip(&Default::default()).unwrap();
                                let stages = vec![
                                    Stage::readable(&process::stdin()),
                                    Stage::duplex(&gzip),
                                    Stage::writable(&process::stdout()),
                                ];
                                pipeline(stages, move |e| {
                                    log(&e.map_or("pipeline done".into(), |e| {
                                        format!("pipeline failed: {}", e.code().unwrap_or(""))
                                    }))
                                });
                            });
                        });
                    },
                )
                .unwrap();
            });
        });
        let utf8 = Buffer::from_string("héllo wörld", Encoding::Utf8);
        let hex = Buffer::from_string("68656c6c6f", Encoding::Hex);
        log(&format!(
            "buffer: {} {}",
            utf8.to_string_enc(Encoding::Base64),
            hex.to_string_enc(Encoding::Latin1)
        ));
        log("main done");
    });
    std::process::exit(code);
}
