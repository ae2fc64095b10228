//! Node's odd corners, pinned: each expected value was printed by Node v20.20.2 (with
//! `process.cwd()` returning `/tmp/cwdfix` where the current directory matters). The broad
//! checks live in the conformance fixtures and the differential test; these name the quirks.

use nodestd_path::{ParsedPath, posix, win32};

const CWD: &str = "/tmp/cwdfix";

fn parsed(root: &str, dir: &str, base: &str, ext: &str, name: &str) -> ParsedPath {
    ParsedPath {
        root: root.into(),
        dir: dir.into(),
        base: base.into(),
        ext: ext.into(),
        name: name.into(),
    }
}

#[test]
fn posix_basename_suffix_quirks() {
    // A path of separators only, with a suffix, comes back whole.
    assert_eq!(posix::basename_without_suffix("///", "/"), "///");
    // A component matching only the tail of a longer suffix keeps its trailing slash.
    assert_eq!(posix::basename_without_suffix("/a/", "ba"), "a/");
    assert_eq!(posix::basename_without_suffix("a.js", "a.js"), "");
}

#[test]
fn posix_parse_and_dirname_quirks() {
    assert_eq!(posix::parse("/.."), parsed("/", "/", "..", ".", "."));
    assert_eq!(posix::dirname("//a"), "//");
    assert_eq!(posix::normalize("./"), "./");
    assert_eq!(posix::relative_from(CWD, "/a/b", "/a/b/c"), "c");
}

#[test]
fn win32_normalize_reserved_names_and_drive_guard() {
    // CVE-2024-36139: reserved device names and colons that would read as drives.
    assert_eq!(win32::normalize("CONx"), ".\\CONx");
    assert_eq!(win32::normalize("COM1:"), ".\\COM1:.");
    assert_eq!(win32::normalize("a/../c:/x"), ".\\c:\\x");
    assert_eq!(win32::normalize("c:..\\..\\d"), "c:..\\..\\d");
    assert_eq!(win32::normalize("\\\\?\\C:\\"), "\\\\?\\C:\\");
}

#[test]
fn win32_relative_ignores_case_even_when_lowercasing_changes_lengths() {
    // `İ` lower-cases to two UTF-16 units: Node compares segment by segment then.
    assert_eq!(win32::relative_from(CWD, "C:\\İ\\a", "c:\\i̇\\b"), "..\\b");
    assert_eq!(win32::relative_from(CWD, "C:\\Foo\\Bar", "c:\\foo"), "..");
    assert_eq!(
        win32::relative_from(CWD, "\\\\srv\\sh\\a", "\\\\SRV\\SH\\b"),
        "..\\b"
    );
}

#[test]
fn win32_roots() {
    assert_eq!(win32::join(["\\\\", "server", "share"]), "\\server\\share");
    assert_eq!(win32::join(["//server", "share"]), "\\\\server\\share\\");
    let unc = "\\\\server\\share";
    assert_eq!(win32::parse(unc), parsed(unc, unc, "", "", ""));
    assert_eq!(win32::parse("C:"), parsed("C:", "C:", "", "", ""));
    assert_eq!(win32::dirname(unc), unc);
    assert_eq!(win32::basename("C:"), "");
}

#[test]
fn win32_to_namespaced_path_counts_utf16_units() {
    // `\é` is two UTF-16 units (three bytes): Node returns the argument unchanged.
    assert_eq!(win32::to_namespaced_path_from(CWD, "/é"), "/é");
    assert_eq!(
        win32::to_namespaced_path_from(CWD, "\\\\.\\pipe\\x"),
        "\\\\.\\pipe\\x"
    );
}

#[test]
fn platform_default_is_the_host_namespace() {
    if cfg!(windows) {
        assert_eq!(nodestd_path::SEP, "\\");
        assert_eq!(nodestd_path::join(["a", "b"]), "a\\b");
    } else {
        assert_eq!(nodestd_path::SEP, "/");
        assert_eq!(nodestd_path::DELIMITER, ":");
        assert_eq!(nodestd_path::join(["a", "b"]), "a/b");
    }
}

#[test]
fn resolve_reads_the_process_cwd() {
    let cwd = std::env::current_dir().expect("cwd");
    let cwd = cwd.to_str().expect("UTF-8 cwd");
    assert_eq!(nodestd_path::resolve(["x"]), nodestd_path::join([cwd, "x"]));
    assert_eq!(posix::resolve(Vec::<String>::new()), posix::normalize(cwd));
}

/// `win32.resolve` is linear in its number of arguments (it was quadratic: each argument was
/// prepended to the whole resolved tail). The expected values were printed by Node v20.20.2
/// (`path.win32.resolve.apply(null, args)` with `process.cwd()` `/work/main`).
#[test]
fn win32_resolve_of_many_arguments() {
    let mut many = vec!["C:\\base".to_owned()];
    many.extend(std::iter::repeat_n("seg".to_owned(), 60_000));
    many.extend(std::iter::repeat_n("..".to_owned(), 59_999));
    assert_eq!(win32::resolve_from("/work/main", &many), "C:\\base\\seg");

    let switching: Vec<String> = (0..30_000)
        .flat_map(|i| [format!("d:x{}", i % 7), "C:y".into(), "z".into()])
        .collect();
    let r = win32::resolve_from("/work/main", &switching);
    assert_eq!(r.len(), 120_012);
    assert!(r.starts_with("C:\\work\\main\\y\\z\\y\\z"), "{}", &r[..40]);
    assert!(r.ends_with("\\y\\z\\y\\z"));
}
