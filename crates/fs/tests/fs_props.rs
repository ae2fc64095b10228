//! Property tests: no input panics the crate. Arbitrary paths (NUL bytes, `.`, empty and long
//! names), flag strings, mode strings and encodings give a value or an error, never a panic.
//!
//! The paths never contain `..` and symbolic links point at plain names, so every operation
//! stays inside the test's own sandbox and no link can point at one of its ancestors (a
//! recursive readdir follows links to directories, as Node's does, and would walk a cycle).

use nodestd_fs as fs;
use proptest::prelude::*;

/// The tests that open descriptors run one at a time: the descriptor test checks that a
/// closed descriptor is EBADF, which fails if another test thread has meanwhile been given
/// the same number by the kernel.
static FDS: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn fds() -> std::sync::MutexGuard<'static, ()> {
    FDS.lock().unwrap_or_else(|p| p.into_inner())
}

fn sandbox() -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("nodestd-fs-props-{}", std::process::id()));
    let _ = fs::mkdir_sync(
        &d,
        fs::MkdirOptions {
            recursive: true,
            ..Default::default()
        },
    );
    d
}

fn segment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(".".to_owned()),
        Just(String::new()),
        "[a-c]{1,3}",
        "[a-z\\x00\\n'é]{0,6}",
        "x{250,300}",
    ]
}

fn rel_path() -> impl Strategy<Value = String> {
    prop::collection::vec(segment(), 1..5).prop_map(|v| v.join("/"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn path_functions_never_panic(a in rel_path(), b in rel_path(), target in "[a-c]{1,3}", data in prop::collection::vec(any::<u8>(), 0..64)) {
        let _fds = fds();
        let root = sandbox();
        // Concatenated, not joined: a path starting with `/` must stay under the sandbox.
        let (p, q) = (
            std::path::PathBuf::from(format!("{}/{a}", root.display())),
            std::path::PathBuf::from(format!("{}/{b}", root.display())),
        );
        let _ = fs::mkdir_sync(&p, fs::MkdirOptions { recursive: true, mode: 0o755 });
        let _ = fs::write_file_sync(&q, &data, Default::default());
        let _ = fs::append_file_sync(&q, &data, Default::default());
        let _ = fs::read_file_sync(&q, Default::default());
        let _ = fs::stat_sync(&p);
        let _ = fs::lstat_sync(&q);
        let _ = fs::readdir_sync(&p, fs::ReaddirOptions { recursive: true });
        let _ = fs::readdir_with_file_types_sync(&root, Default::default());
        let _ = fs::realpath_sync(&q);
        let _ = fs::realpath_native_sync(&q);
        let _ = fs::symlink_sync(&target, &q);
        let _ = fs::readlink_sync(&q);
        let _ = fs::copy_file_sync(&q, &p, 0);
        let _ = fs::cp_sync(&p, &q, fs::CpOptions { recursive: true, ..Default::default() });
        let _ = fs::rename_sync(&p, &q);
        let _ = fs::truncate_sync(&q, data.len() as i64 - 32);
        let _ = fs::mkdtemp_sync(&q);
        let _ = fs::opendir_sync(&p).map(|mut d| while let Ok(Some(_)) = d.read_sync() {});
        let _ = fs::access_sync(&q, 7);
        let _ = fs::exists_sync(&p);
        let _ = fs::rm_sync(&root, fs::RmOptions { recursive: true, force: true, ..Default::default() });
    }

    #[test]
    fn parsers_never_panic(s in "\\PC{0,12}", n in any::<i64>(), bytes in prop::collection::vec(any::<u8>(), 0..32)) {
        let _ = fs::OpenFlags::parse(&s);
        let _ = fs::parse_mode(&s);
        let _ = fs::check_mode("mode", n);
        if let Ok(e) = fs::parse_encoding(&s) {
            let text = e.decode(&bytes);
            let _ = e.encode(&text);
        }
        for e in ["utf8", "latin1", "ascii", "base64", "base64url", "hex", "utf16le"] {
            let e = fs::Encoding::parse(e).unwrap();
            let _ = e.decode(&bytes);
            let _ = e.encode(&s);
        }
        let _ = fs::uv_name_message(n as i32);
    }

    #[test]
    fn descriptor_functions_never_panic(len in -10i64..100, pos in prop::option::of(0u64..1000), data in prop::collection::vec(any::<u8>(), 0..64)) {
        let _fds = fds();
        let root = sandbox();
        let f = root.join(format!("fd-{len}"));
        if let Ok(fd) = fs::open_sync(&f, fs::OpenFlags::parse("w+").unwrap(), 0o644) {
            let _ = fs::write_sync(fd, &data, pos);
            let mut buf = vec![0u8; data.len()];
            let _ = fs::read_sync(fd, &mut buf, pos);
            let _ = fs::ftruncate_sync(fd, len);
            let _ = fs::fstat_sync(fd);
            let _ = fs::futimes_sync(fd, len as f64, f64::NAN);
            fs::close_sync(fd).unwrap();
            // A closed descriptor is EBADF, not a panic.
            let e = fs::fstat_sync(fd).unwrap_err();
            prop_assert_eq!(e.code(), "EBADF");
            let e = fs::close_sync(fd).unwrap_err();
            prop_assert_eq!(e.code(), "EBADF");
        }
    }
}
