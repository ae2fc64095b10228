//! `watch` reports a create, a modify and a rename in a temp dir; `close` stops it;
//! `watchFile` sees a change by polling and `unwatchFile` stops it.

use std::cell::RefCell;
use std::rc::Rc;

use nodestd_fs as fs;

fn temp_dir(tag: &str) -> std::path::PathBuf {
    fs::mkdtemp_sync(std::env::temp_dir().join(format!("nodestd-fs-{tag}-"))).unwrap()
}

#[test]
fn watch_reports_create_modify_and_rename() {
    let dir = temp_dir("watch");
    let events: Rc<RefCell<Vec<(String, String)>>> = Rc::default();
    let (ev, d) = (Rc::clone(&events), dir.clone());
    nodestd_loop::run(move || {
        let ev2 = Rc::clone(&ev);
        let w = Rc::new(
            fs::watch(&d, fs::WatchOptions::default(), move |t, name| {
                let name = name
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                ev2.borrow_mut().push((t.as_str().to_owned(), name));
            })
            .unwrap(),
        );
        // Each step runs after the previous one had time to be seen.
        let d1 = d.clone();
        nodestd_loop::set_timeout(50, move || {
            fs::write_file_sync(d1.join("a.txt"), "1", Default::default()).unwrap();
        });
        let d2 = d.clone();
        nodestd_loop::set_timeout(150, move || {
            fs::append_file_sync(d2.join("a.txt"), "2", Default::default()).unwrap();
        });
        let d3 = d.clone();
        nodestd_loop::set_timeout(250, move || {
            fs::rename_sync(d3.join("a.txt"), d3.join("b.txt")).unwrap();
        });
        let w2 = Rc::clone(&w);
        nodestd_loop::set_timeout(400, move || w2.close());
    });
    let ev = events.borrow();
    println!("{ev:?}");
    let has = |t: &str, n: &str| ev.iter().any(|(a, b)| a == t && b == n);
    assert!(has("rename", "a.txt"), "a create is a rename event: {ev:?}");
    assert!(has("change", "a.txt"), "a modify is a change event: {ev:?}");
    assert!(
        has("rename", "b.txt"),
        "a rename names the new file: {ev:?}"
    );
    fs::rm_sync(
        &dir,
        fs::RmOptions {
            recursive: true,
            force: true,
            ..Default::default()
        },
    )
    .unwrap();
}

#[test]
fn watch_a_missing_path_is_enoent() {
    let e = nodestd_loop::run(|| {
        let e = fs::watch("/no/such/dir/x", Default::default(), |_, _| {}).unwrap_err();
        assert_eq!(e.code(), "ENOENT");
        assert_eq!(
            e.message(),
            "ENOENT: no such file or directory, watch '/no/such/dir/x'"
        );
    });
    assert_eq!(e.code(), 0);
}

#[test]
fn recursive_watch_sees_subdirectories() {
    let dir = temp_dir("watch-rec");
    fs::mkdir_sync(dir.join("sub"), Default::default()).unwrap();
    let events: Rc<RefCell<Vec<String>>> = Rc::default();
    let (ev, d) = (Rc::clone(&events), dir.clone());
    nodestd_loop::run(move || {
        let ev2 = Rc::clone(&ev);
        let opts = fs::WatchOptions {
            recursive: true,
            ..Default::default()
        };
        let w = fs::watch(&d, opts, move |_, name| {
            ev2.borrow_mut().push(
                name.map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
            );
        })
        .unwrap();
        let d1 = d.clone();
        nodestd_loop::set_timeout(50, move || {
            fs::write_file_sync(d1.join("sub/deep.txt"), "x", Default::default()).unwrap();
        });
        nodestd_loop::set_timeout(200, move || w.close());
    });
    assert!(
        events.borrow().iter().any(|n| n == "sub/deep.txt"),
        "{:?}",
        events.borrow()
    );
    fs::rm_sync(
        &dir,
        fs::RmOptions {
            recursive: true,
            force: true,
            ..Default::default()
        },
    )
    .unwrap();
}

#[test]
fn watch_file_polls_and_unwatch_file_stops() {
    let dir = temp_dir("watchfile");
    let f = dir.join("f");
    fs::write_file_sync(&f, "1", Default::default()).unwrap();
    let seen: Rc<RefCell<Vec<(u64, u64)>>> = Rc::default();
    let (s2, f2) = (Rc::clone(&seen), f.clone());
    nodestd_loop::run(move || {
        let opts = fs::WatchFileOptions {
            interval: 10,
            ..Default::default()
        };
        fs::watch_file(&f2, opts, move |cur, prev| {
            s2.borrow_mut().push((cur.size, prev.size))
        });
        let f3 = f2.clone();
        nodestd_loop::set_timeout(60, move || {
            fs::write_file_sync(&f3, "12345", Default::default()).unwrap();
        });
        let f4 = f2.clone();
        nodestd_loop::set_timeout(200, move || fs::unwatch_file(&f4));
    });
    assert_eq!(seen.borrow().first(), Some(&(5, 1)), "{:?}", seen.borrow());
    fs::rm_sync(
        &dir,
        fs::RmOptions {
            recursive: true,
            force: true,
            ..Default::default()
        },
    )
    .unwrap();
}
