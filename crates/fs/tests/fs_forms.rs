//! The callback and promise forms: work leaves the loop thread, results come back on it,
//! errors keep Node's shape, an aborted signal stops readFile, FileHandle reads and writes.

use std::cell::RefCell;
use std::rc::Rc;

use nodestd_fs as fs;

fn temp_dir(tag: &str) -> std::path::PathBuf {
    fs::mkdtemp_sync(std::env::temp_dir().join(format!("nodestd-fs-{tag}-"))).unwrap()
}

fn rm(p: &std::path::Path) {
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

#[test]
fn callbacks_run_on_the_loop_thread_in_order_of_completion() {
    let dir = temp_dir("cb");
    let log: Rc<RefCell<Vec<String>>> = Rc::default();
    let (l, d) = (Rc::clone(&log), dir.clone());
    let main = std::thread::current().id();
    nodestd_loop::run(move || {
        let l2 = Rc::clone(&l);
        let d2 = d.clone();
        fs::callback::write_file(d.join("a"), b"abc".to_vec(), Default::default(), move |r| {
            assert_eq!(std::thread::current().id(), main);
            r.unwrap();
            l2.borrow_mut().push("written".into());
            let l3 = Rc::clone(&l2);
            fs::callback::read_file(d2.join("a"), Default::default(), move |r| {
                l3.borrow_mut().push(String::from_utf8(r.unwrap()).unwrap());
            })
            .unwrap();
        })
        .unwrap();
        let l4 = Rc::clone(&l);
        fs::callback::stat(d.join("missing"), move |r| {
            let e = r.unwrap_err();
            assert_eq!(
                (e.code(), e.errno(), e.syscall()),
                ("ENOENT", Some(-2), Some("stat"))
            );
            l4.borrow_mut().push("enoent".into());
        })
        .unwrap();
        l.borrow_mut().push("sync code first".into());
    });
    let log = log.borrow();
    assert_eq!(log[0], "sync code first");
    assert!(log.contains(&"abc".to_owned()) && log.contains(&"enoent".to_owned()));
    rm(&dir);
}

#[test]
fn promises_and_file_handles() {
    let dir = temp_dir("promises");
    let d = dir.clone();
    let out = nodestd_loop::block_on(async move {
        let f = d.join("f");
        fs::promises::write_file(&f, b"0123456789".to_vec(), Default::default()).await?;
        let h = fs::promises::open(&f, fs::OpenFlags::parse("r+")?, 0o666).await?;
        let (n, buf) = h.read(vec![0; 4], Some(3)).await?;
        assert_eq!((n, &buf[..]), (4, &b"3456"[..]));
        assert_eq!(h.write(b"AB".to_vec(), Some(0)).await?, 2);
        assert_eq!(h.stat().await?.size, 10);
        h.truncate(5).await?;
        h.close().await?;
        h.close().await?;
        let made = fs::promises::mkdir(
            d.join("x/y"),
            fs::MkdirOptions {
                recursive: true,
                ..Default::default()
            },
        )
        .await?;
        assert_eq!(made, Some(d.join("x")));
        let names = fs::promises::readdir(&d, Default::default()).await?;
        assert_eq!(names, vec![std::path::PathBuf::from("f"), "x".into()]);
        fs::promises::read_file_to_string(&f, fs::Encoding::Hex, Default::default()).await
    });
    assert_eq!(out.unwrap().unwrap(), "4142323334");
    rm(&dir);
}

#[test]
fn an_aborted_signal_stops_read_file_and_write_file() {
    let dir = temp_dir("abort");
    let f = dir.join("f");
    let signal = fs::AbortSignal::abort();
    let e = fs::read_file_sync(
        &f,
        fs::ReadFileOptions {
            signal: Some(signal.clone()),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert_eq!(
        (e.code(), e.message()),
        ("ABORT_ERR", "The operation was aborted")
    );
    let e = fs::write_file_sync(
        &f,
        "x",
        fs::WriteFileOptions {
            signal: Some(signal),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert_eq!(e.code(), "ABORT_ERR");
    assert!(!fs::exists_sync(&f), "nothing was written");
    rm(&dir);
}

#[test]
fn errors_have_nodes_shape() {
    let e = fs::rename_sync("/no/such/a", "/no/such/b").unwrap_err();
    assert_eq!(
        e.message(),
        "ENOENT: no such file or directory, rename '/no/such/a' -> '/no/such/b'"
    );
    assert_eq!(
        (e.path(), e.dest()),
        (Some("/no/such/a"), Some("/no/such/b"))
    );
    let e = fs::OpenFlags::parse("rw").unwrap_err();
    assert_eq!(
        e.message(),
        "The argument 'flags' is invalid. Received 'rw'"
    );
    assert_eq!(e.kind(), fs::ErrorKind::Type);
    let e = fs::mkdir_sync("a\0b", Default::default()).unwrap_err();
    assert_eq!(e.code(), "ERR_INVALID_ARG_VALUE");
    assert_eq!(
        fs::uv_name_message(2),
        ("ENOENT", "no such file or directory")
    );
    assert_eq!(fs::uv_name_message(123_456), ("UNKNOWN", "unknown error"));
}
