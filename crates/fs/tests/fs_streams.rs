//! createReadStream → createWriteStream: a 1 GiB copy with bounded memory, a pipeline error
//! that closes every descriptor, and a slow writer that pauses the reader.

use std::cell::{Cell, RefCell};
use std::path::PathBuf;
use std::rc::Rc;

use nodestd_fs as fs;
use nodestd_stream::{Chunk, Options, Stage, Writable, pipeline};

fn temp_dir(tag: &str) -> PathBuf {
    fs::mkdtemp_sync(std::env::temp_dir().join(format!("nodestd-fs-{tag}-"))).unwrap()
}

fn cleanup(p: &PathBuf) {
    fs::rm_sync(
        p,
        fs::RmOptions {
            recursive: true,
            force: true,
            ..Default::default()
        },
    )
    .unwrap();
}

/// `VmHWM`/`VmRSS` of this process in KiB.
fn rss_kib(field: &str) -> u64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap();
    s.lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
        .unwrap()
}

/// This process's open descriptors on files under `dir` (the loop's own eventfd and the
/// harness's pipes are not counted: they are not files this crate opened).
fn open_files_under(dir: &std::path::Path) -> Vec<PathBuf> {
    std::fs::read_dir("/proc/self/fd")
        .unwrap()
        .filter_map(|e| std::fs::read_link(e.ok()?.path()).ok())
        .filter(|t| t.starts_with(dir))
        .collect()
}

/// The tests count this process's descriptors and memory: they run one at a time.
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|p| p.into_inner())
}

const MIB: usize = 1024 * 1024;

fn copy(size_mib: usize) {
    let _serial = serial();
    let dir = temp_dir("copy");
    let src = dir.join("src.bin");
    let dst = dir.join("dst.bin");
    {
        use std::io::Write;
        let mut f = std::io::BufWriter::new(std::fs::File::create(&src).unwrap());
        let block: Vec<u8> = (0..MIB).map(|i| (i % 251) as u8).collect();
        for _ in 0..size_mib {
            f.write_all(&block).unwrap();
        }
    }
    let before = rss_kib("VmRSS:");
    let peak = Rc::new(Cell::new(0u64));
    let (s2, d2, p2) = (src.clone(), dst.clone(), Rc::clone(&peak));
    let done = Rc::new(Cell::new(false));
    let done2 = Rc::clone(&done);
    let start = std::time::Instant::now();
    nodestd_loop::run(move || {
        let r = fs::create_read_stream(&s2, Default::default());
        let w = fs::create_write_stream(&d2, Default::default());
        let p3 = Rc::clone(&p2);
        r.on_data(move |_| p3.set(p3.get().max(rss_kib("VmRSS:"))));
        pipeline(vec![Stage::readable(&r), Stage::writable(&w)], move |e| {
            assert!(e.is_none(), "{e:?}");
            done2.set(true);
        });
    });
    assert!(done.get());
    let grew_mib = peak.get().saturating_sub(before) / 1024;
    println!(
        "copied {size_mib} MiB in {:?}; RSS grew by at most {grew_mib} MiB",
        start.elapsed()
    );
    assert!(grew_mib < 64, "RSS grew by {grew_mib} MiB while streaming");
    assert_eq!(fs::stat_sync(&dst).unwrap().size, (size_mib * MIB) as u64);
    // Compared block by block: reading both whole would hold 2 GiB.
    {
        use std::io::Read;
        let (mut a, mut b) = (
            std::fs::File::open(&src).unwrap(),
            std::fs::File::open(&dst).unwrap(),
        );
        let (mut x, mut y) = (vec![0u8; MIB], vec![0u8; MIB]);
        for block in 0..size_mib {
            a.read_exact(&mut x).unwrap();
            b.read_exact(&mut y).unwrap();
            assert!(x == y, "the copy differs in MiB {block}");
        }
    }
    cleanup(&dir);
}

/// Issue 5's test: a 1 GiB file through createReadStream → createWriteStream with peak RSS
/// growth under 64 MiB (about 5 s here in a debug build).
#[test]
fn a_1_gib_copy_streams_in_bounded_memory() {
    copy(1024);
}

#[test]
fn a_pipeline_error_closes_every_descriptor() {
    let _serial = serial();
    let dir = temp_dir("pipe-err");
    let src = dir.join("src");
    fs::write_file_sync(&src, vec![7u8; 1 << 20], Default::default()).unwrap();
    let err = Rc::new(RefCell::new(None));
    let (e2, s2, d2) = (Rc::clone(&err), src.clone(), dir.join("out"));
    nodestd_loop::run(move || {
        let r = fs::create_read_stream(&s2, Default::default());
        let w = fs::create_write_stream(&d2, Default::default());
        let n = Rc::new(Cell::new(0));
        let bad: Writable =
            Writable::new_writable(Options::new().write(move |_, _c: Chunk, cb| {
                n.set(n.get() + 1);
                if n.get() == 3 {
                    cb.err(nodestd_stream::Error::with_code("EBOOM", "boom"));
                } else {
                    cb.ok();
                }
            }));
        // Two pipelines from the same file: one fails midway, one runs to its end.
        let r2 = fs::create_read_stream(&s2, Default::default());
        pipeline(vec![Stage::readable(&r2), Stage::writable(&w)], |e| {
            assert!(e.is_none())
        });
        pipeline(vec![Stage::readable(&r), Stage::writable(&bad)], move |e| {
            *e2.borrow_mut() = e.map(|e| e.code().unwrap_or_default().to_owned());
        });
    });
    assert_eq!(err.borrow().as_deref(), Some("EBOOM"));
    assert_eq!(
        open_files_under(&dir),
        Vec::<PathBuf>::new(),
        "every descriptor was closed"
    );
    // A missing source: the error is Node's ENOENT and nothing stays open.
    let msg = Rc::new(RefCell::new(String::new()));
    let (m2, missing, out) = (Rc::clone(&msg), dir.join("missing"), dir.join("out2"));
    nodestd_loop::run(move || {
        let r = fs::create_read_stream(&missing, Default::default());
        let w = fs::create_write_stream(&out, Default::default());
        pipeline(vec![Stage::readable(&r), Stage::writable(&w)], move |e| {
            *m2.borrow_mut() = e.map(|e| e.message().to_owned()).unwrap_or_default();
        });
    });
    assert!(
        msg.borrow()
            .starts_with("ENOENT: no such file or directory, open '"),
        "{}",
        msg.borrow()
    );
    assert_eq!(
        open_files_under(&dir),
        Vec::<PathBuf>::new(),
        "every descriptor was closed"
    );
    cleanup(&dir);
}

#[test]
fn a_slow_writer_pauses_the_reader() {
    let _serial = serial();
    let dir = temp_dir("slow");
    let src = dir.join("src");
    fs::write_file_sync(&src, vec![1u8; 4 << 20], Default::default()).unwrap();
    let max_ahead = Rc::new(Cell::new(0usize));
    let (m2, s2) = (Rc::clone(&max_ahead), src.clone());
    let total = Rc::new(Cell::new(0usize));
    let t2 = Rc::clone(&total);
    nodestd_loop::run(move || {
        let r = fs::create_read_stream(&s2, Default::default());
        let read = Rc::new(Cell::new(0usize));
        let written = Rc::new(Cell::new(0usize));
        let (rd, wr) = (Rc::clone(&read), Rc::clone(&written));
        r.on_data(move |c| rd.set(rd.get() + c.len()));
        let (rd2, wr2) = (Rc::clone(&read), Rc::clone(&written));
        let slow: Writable =
            Writable::new_writable(Options::new().high_water_mark(16 * 1024).write(
                move |_, c: Chunk, cb| {
                    m2.set(m2.get().max(rd2.get() - wr2.get()));
                    let n = c.len();
                    let wr3 = Rc::clone(&wr2);
                    nodestd_loop::set_timeout(1, move || {
                        wr3.set(wr3.get() + n);
                        cb.ok();
                    });
                },
            ));
        pipeline(
            vec![Stage::readable(&r), Stage::writable(&slow)],
            move |e| {
                assert!(e.is_none());
                t2.set(wr.get());
            },
        );
    });
    assert_eq!(total.get(), 4 << 20);
    // The reader stays within its buffer (64 KiB) plus the writer's (16 KiB) plus one chunk.
    assert!(
        max_ahead.get() <= 64 * 1024 + 16 * 1024 + 64 * 1024,
        "the reader ran {} bytes ahead of a slow writer",
        max_ahead.get()
    );
    cleanup(&dir);
}

#[test]
fn start_end_and_encoding() {
    let _serial = serial();
    let dir = temp_dir("range");
    let f = dir.join("f");
    fs::write_file_sync(&f, "0123456789", Default::default()).unwrap();
    let got = Rc::new(RefCell::new(String::new()));
    let (g2, f2) = (Rc::clone(&got), f.clone());
    nodestd_loop::run(move || {
        let opts = fs::ReadStreamOptions {
            start: Some(2),
            end: Some(5),
            high_water_mark: 2,
            encoding: Some(nodestd_stream::Encoding::parse("utf8").unwrap()),
            ..Default::default()
        };
        let r = fs::create_read_stream(&f2, opts);
        r.on_data(move |c| {
            if let Chunk::Str(s) = c {
                g2.borrow_mut().push_str(s)
            }
        });
    });
    assert_eq!(*got.borrow(), "2345");
    // createWriteStream with start writes in place.
    let f3 = f.clone();
    nodestd_loop::run(move || {
        let w = fs::create_write_stream(
            &f3,
            fs::WriteStreamOptions {
                flags: fs::OpenFlags::parse("r+").unwrap(),
                start: Some(8),
                ..Default::default()
            },
        );
        w.end_with(Chunk::from("XY"));
    });
    assert_eq!(
        fs::read_file_sync(&f, Default::default()).unwrap(),
        b"01234567XY"
    );
    cleanup(&dir);
}
