//! Property test: no input makes any function of either namespace panic, and a few
//! invariants Node's algorithms guarantee hold (resolve is absolute against an absolute cwd,
//! normalize is idempotent on posix, parse's base is name + ext).

use nodestd_path::{PathObject, posix, win32};
use proptest::prelude::*;

/// Paths weighted towards the characters Node's algorithms look at.
fn path() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z./\\\\:? İéΣ😀]{0,16}",
        any::<String>(),
        "(C:|c:\\\\|\\\\\\\\srv\\\\sh|//|\\\\\\\\\\?\\\\|\\\\\\\\\\.\\\\|CON|com1:|\\.\\.|\\.|/|\\\\|a\\.b|x){0,6}",
    ]
}

fn opt() -> impl Strategy<Value = Option<String>> {
    proptest::option::of(path())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn posix_never_panics(a in path(), b in path(), c in path(), cwd in path()) {
        let _ = posix::join([&a, &b, &c]);
        let r = posix::resolve_from(&cwd, [&a, &b]);
        if cwd.starts_with('/') {
            prop_assert!(r.starts_with('/'));
        }
        let n = posix::normalize(&a);
        prop_assert_eq!(posix::normalize(&n), n);
        let _ = posix::relative_from(&cwd, &a, &b);
        let _ = posix::dirname(&a);
        let _ = posix::basename(&a);
        let _ = posix::basename_without_suffix(&a, &b);
        let _ = posix::extname(&a);
        let p = posix::parse(&a);
        prop_assert_eq!(format!("{}{}", p.name, p.ext), p.base.clone());
        let _ = posix::format(&p);
        let _ = posix::is_absolute(&a);
        let _ = posix::to_namespaced_path(&a);
    }

    #[test]
    fn win32_never_panics(a in path(), b in path(), c in path(), cwd in path()) {
        let _ = win32::join([&a, &b, &c]);
        let _ = win32::resolve_from(&cwd, [&a, &b, &c]);
        let _ = win32::normalize(&a);
        let _ = win32::relative_from(&cwd, &a, &b);
        let _ = win32::dirname(&a);
        let _ = win32::basename(&a);
        let _ = win32::basename_without_suffix(&a, &b);
        let _ = win32::extname(&a);
        let p = win32::parse(&a);
        prop_assert_eq!(format!("{}{}", p.name, p.ext), p.base.clone());
        let _ = win32::format(&p);
        let _ = win32::is_absolute(&a);
        let _ = win32::to_namespaced_path_from(&cwd, &a);
    }

    #[test]
    fn format_never_panics(root in opt(), dir in opt(), base in opt(), ext in opt(), name in opt()) {
        let obj = PathObject {
            root: root.as_deref(),
            dir: dir.as_deref(),
            base: base.as_deref(),
            ext: ext.as_deref(),
            name: name.as_deref(),
        };
        let _ = posix::format(obj);
        let _ = win32::format(obj);
    }

    #[test]
    fn process_cwd_functions_never_panic(a in path(), b in path()) {
        let _ = posix::resolve([&a, &b]);
        let _ = win32::resolve([&a, &b]);
        let _ = posix::relative(&a, &b);
        let _ = win32::relative(&a, &b);
        let _ = win32::to_namespaced_path(&a);
        let _ = nodestd_path::os::join([&a, &b]);
        let _ = nodestd_path::os::resolve([&a]);
    }
}
