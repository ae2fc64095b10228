//! `FileHandle`'s life cycle (issue 12, class E): random interleavings of open, close, read
//! and write on several handles over a few files never change a file that was not written
//! through an open handle, and every method of a closed handle fails with Node's `EBADF`
//! `file closed` (syscall: the method's) even when the OS has given its old descriptor
//! number to another file.

use std::rc::Rc;

use nodestd_fs as fs;
use proptest::prelude::*;

const FILES: usize = 3;
const SLOTS: usize = 3;

#[derive(Debug, Clone)]
enum Op {
    /// Opens file `.1` into slot `.0` (the slot's previous handle is kept, open or closed).
    Open(usize, usize),
    /// Closes the handle of a slot (again, if it is closed).
    Close(usize),
    /// Reads 4 bytes at the position through a handle ever opened (by index).
    Read(usize, u64),
    /// Writes the bytes at the position through a handle ever opened.
    Write(usize, Vec<u8>, u64),
    /// Starts a write, closes the handle while it is in flight, then awaits both (Node lets
    /// the write finish and closes after it).
    WriteThenClose(usize, Vec<u8>, u64),
    /// Calls every other method through a handle ever opened: on an open handle only the
    /// ones that change nothing (stat, sync, datasync, chmod to the same mode); on a closed
    /// one all of them, which must all fail.
    Others(usize),
}

fn op() -> impl Strategy<Value = Op> {
    let data = prop::collection::vec(any::<u8>(), 1..6);
    prop_oneof![
        3 => (0..SLOTS, 0..FILES).prop_map(|(s, f)| Op::Open(s, f)),
        3 => (0..SLOTS).prop_map(Op::Close),
        3 => (0..8usize, 0..8u64).prop_map(|(h, p)| Op::Read(h, p)),
        3 => (0..8usize, data.clone(), 0..8u64).prop_map(|(h, d, p)| Op::Write(h, d, p)),
        1 => (0..SLOTS, data, 0..8u64).prop_map(|(s, d, p)| Op::WriteThenClose(s, d, p)),
        2 => (0..8usize).prop_map(Op::Others),
    ]
}

fn write_model(file: &mut Vec<u8>, data: &[u8], pos: u64) {
    let pos = pos as usize;
    if file.len() < pos + data.len() {
        file.resize(pos + data.len(), 0);
    }
    file[pos..pos + data.len()].copy_from_slice(data);
}

fn assert_closed(r: Result<impl std::fmt::Debug, fs::Error>, syscall: &str) {
    let e = r.expect_err("a closed FileHandle's method fails");
    assert_eq!(
        (e.code(), e.errno(), e.syscall(), e.message()),
        ("EBADF", None, Some(syscall), "file closed"),
        "{e:?}"
    );
}

/// Every method of a closed handle: Node's `file closed`, with the method's syscall.
async fn every_method_closed(h: &fs::promises::FileHandle) {
    assert_eq!(h.fd(), None);
    assert_closed(h.read(vec![0; 4], Some(0)).await, "read");
    assert_closed(h.write(b"zz".to_vec(), Some(0)).await, "write");
    assert_closed(h.readv(vec![vec![0; 2]], Some(0)).await, "readv");
    assert_closed(h.writev(vec![b"zz".to_vec()], Some(0)).await, "writev");
    assert_closed(h.stat().await, "fstat");
    assert_closed(h.truncate(0).await, "ftruncate");
    assert_closed(h.sync().await, "fsync");
    assert_closed(h.datasync().await, "fdatasync");
    assert_closed(h.utimes(1.0, 1.0).await, "futimes");
    assert_closed(h.chmod(0o600).await, "fchmod");
    assert_closed(h.chown(-1, -1).await, "fchown");
    assert_closed(h.read_file().await, "readFile");
    assert_closed(h.write_file(b"zz".to_vec()).await, "writeFile");
    assert_closed(h.append_file(b"zz".to_vec()).await, "writeFile");
    // A second close does nothing, as in Node.
    assert_eq!(h.close().await, Ok(()));
}

fn run(ops: Vec<Op>) {
    let dir = fs::mkdtemp_sync(std::env::temp_dir().join("nodestd-fs-filehandle-")).unwrap();
    let paths: Vec<_> = (0..FILES).map(|i| dir.join(format!("f{i}"))).collect();
    let mut model: Vec<Vec<u8>> = (0..FILES)
        .map(|i| format!("file{i}-content").into_bytes())
        .collect();
    for (p, m) in paths.iter().zip(&model) {
        fs::write_file_sync(p, m, Default::default()).unwrap();
    }
    let paths2 = paths.clone();
    let model = nodestd_loop::block_on(async move {
        // Every handle ever opened, with its file and whether it is open.
        let mut handles: Vec<(Rc<fs::promises::FileHandle>, usize)> = Vec::new();
        let mut slots: [Option<usize>; SLOTS] = [None; SLOTS];
        let r_plus = fs::OpenFlags::parse("r+").unwrap();
        for op in ops {
            match op {
                Op::Open(s, f) => {
                    let h = fs::promises::open(&paths2[f], r_plus, 0o666).await.unwrap();
                    handles.push((Rc::new(h), f));
                    slots[s] = Some(handles.len() - 1);
                }
                Op::Close(s) => {
                    if let Some(i) = slots[s] {
                        assert_eq!(handles[i].0.close().await, Ok(()));
                    }
                }
                Op::Read(i, pos) => {
                    let Some((h, f)) = handles.get(i % handles.len().max(1)) else {
                        continue;
                    };
                    let r = h.read(vec![0; 4], Some(pos)).await;
                    if h.fd().is_none() {
                        assert_closed(r, "read");
                    } else {
                        let (n, buf) = r.unwrap();
                        let m = &model[*f];
                        let start = (pos as usize).min(m.len());
                        let end = (start + 4).min(m.len());
                        assert_eq!(&buf[..n], &m[start..end], "read through an open handle");
                    }
                }
                Op::Write(i, data, pos) => {
                    let Some((h, f)) = handles.get(i % handles.len().max(1)) else {
                        continue;
                    };
                    let open = h.fd().is_some();
                    let r = h.write(data.clone(), Some(pos)).await;
                    if open {
                        assert_eq!(r, Ok(data.len()));
                        write_model(&mut model[*f], &data, pos);
                    } else {
                        assert_closed(r, "write");
                    }
                }
                Op::WriteThenClose(s, data, pos) => {
                    let Some(i) = slots[s] else { continue };
                    let (h, f) = handles[i].clone();
                    if h.fd().is_none() {
                        continue;
                    }
                    let writer = Rc::clone(&h);
                    let d = data.clone();
                    let (started, is_started) = nodestd_loop::promise();
                    let write = nodestd_loop::spawn_local(async move {
                        let w = writer.write(d, Some(pos));
                        started.resolve(());
                        w.await
                    });
                    is_started.await.unwrap();
                    // The write took its reference when called: close waits for it, and
                    // until then the handle still works (Node's `kRefs`: a read called while
                    // closing succeeds) and a second close shares the outcome.
                    let closing = h.close();
                    assert!(h.fd().is_some());
                    assert!(h.read(vec![0; 1], Some(0)).await.is_ok());
                    let again = h.close();
                    assert_eq!(closing.await, Ok(()));
                    assert_eq!(again.await, Ok(()));
                    assert_eq!(write.await.unwrap(), Ok(data.len()));
                    assert_eq!(h.fd(), None);
                    write_model(&mut model[f], &data, pos);
                }
                Op::Others(i) => {
                    let Some((h, _)) = handles.get(i % handles.len().max(1)) else {
                        continue;
                    };
                    if h.fd().is_none() {
                        every_method_closed(h).await;
                    } else {
                        let st = h.stat().await.unwrap();
                        h.sync().await.unwrap();
                        h.datasync().await.unwrap();
                        h.chmod(st.mode & 0o7777).await.unwrap();
                    }
                }
            }
        }
        for (h, _) in &handles {
            h.close().await.unwrap();
            every_method_closed(h).await;
        }
        model
    })
    .unwrap();
    for (p, m) in paths.iter().zip(&model) {
        let on_disk = fs::read_file_sync(p, Default::default()).unwrap();
        assert_eq!(
            &on_disk,
            m,
            "{} holds what was written through its open handles only",
            p.display()
        );
    }
    fs::rm_sync(
        &dir,
        fs::RmOptions {
            recursive: true,
            ..Default::default()
        },
    )
    .unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn closed_handles_never_touch_another_file(ops in prop::collection::vec(op(), 1..40)) {
        run(ops);
    }
}

/// The case of the issue: `g`'s handle is closed, `k` is opened (and may get `g`'s old
/// number); reading and writing through `g`'s handle fails and leaves `k` alone.
#[test]
fn the_issue_case_reuse_after_close() {
    run(vec![
        Op::Open(0, 0),
        Op::Close(0),
        Op::Open(1, 1),
        Op::Read(0, 0),
        Op::Write(0, b"XXXX".to_vec(), 0),
        Op::Others(0),
        Op::Read(1, 0),
    ]);
}
