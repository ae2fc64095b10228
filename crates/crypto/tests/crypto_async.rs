//! The callback and promise forms on the loop's worker pool: results equal the synchronous
//! forms', callbacks run on the loop thread, argument errors come back at once and the
//! derivation errors Node reports through the callback come through the callback.

use std::cell::RefCell;
use std::rc::Rc;
use std::thread;

use nodestd_crypto::{ScryptOptions, callback, hkdf_sync, pbkdf2_sync, promises, scrypt_sync};

type Log = Rc<RefCell<Vec<String>>>;

fn run_logged(main: impl FnOnce(Log)) -> Vec<String> {
    let log: Log = Rc::default();
    let l = Rc::clone(&log);
    let exit = nodestd_loop::run(move || main(l));
    assert_eq!(exit.code(), 0);
    log.take()
}

#[test]
fn callbacks_equal_sync_and_run_on_the_loop_thread() {
    let loop_thread = thread::current().id();
    let log = run_logged(move |log| {
        let l = Rc::clone(&log);
        callback::pbkdf2(b"pw", b"salt", 1000, 40, "sha512", move |r| {
            assert_eq!(thread::current().id(), loop_thread);
            assert_eq!(
                r.unwrap(),
                pbkdf2_sync("pw", "salt", 1000, 40, "sha512").unwrap()
            );
            l.borrow_mut().push("pbkdf2".into());
        })
        .unwrap();
        let l = Rc::clone(&log);
        callback::hkdf("sha256", b"ikm", b"salt", b"info", 100, move |r| {
            assert_eq!(thread::current().id(), loop_thread);
            assert_eq!(
                r.unwrap(),
                hkdf_sync("sha256", "ikm", "salt", "info", 100).unwrap()
            );
            l.borrow_mut().push("hkdf".into());
        })
        .unwrap();
        let l = Rc::clone(&log);
        let opts = ScryptOptions {
            n: Some(1024),
            ..Default::default()
        };
        callback::scrypt(b"pw", b"salt", 32, &opts, move |r| {
            assert_eq!(thread::current().id(), loop_thread);
            assert_eq!(r.unwrap(), scrypt_sync("pw", "salt", 32, &opts).unwrap());
            l.borrow_mut().push("scrypt".into());
        })
        .unwrap();
        let l = Rc::clone(&log);
        callback::random_bytes(33, move |r| {
            assert_eq!(thread::current().id(), loop_thread);
            assert_eq!(r.unwrap().len(), 33);
            l.borrow_mut().push("randomBytes".into());
        })
        .unwrap();
        let l = Rc::clone(&log);
        callback::random_fill(vec![0; 64], 60, None, move |r| {
            let buf = r.unwrap();
            assert_eq!(buf.len(), 64);
            assert!(buf[..60].iter().all(|&b| b == 0));
            l.borrow_mut().push("randomFill".into());
        })
        .unwrap();
        // Nothing has run yet: the callbacks come from the poll phase.
        assert!(log.borrow().is_empty());
    });
    let mut sorted = log.clone();
    sorted.sort();
    assert_eq!(
        sorted,
        ["hkdf", "pbkdf2", "randomBytes", "randomFill", "scrypt"]
    );
}

#[test]
fn argument_errors_are_returned_at_once() {
    run_logged(|_| {
        let never = |_: Result<Vec<u8>, nodestd_crypto::Error>| panic!("callback ran");
        let e = callback::pbkdf2("a", "b", 1, 10, "nope", never).unwrap_err();
        assert_eq!(e.code(), Some("ERR_CRYPTO_INVALID_DIGEST"));
        assert_eq!(e.message(), "Invalid digest: nope");
        let e = callback::pbkdf2("a", "b", 0, 10, "sha1", never).unwrap_err();
        assert_eq!(e.code(), Some("ERR_OUT_OF_RANGE"));
        let e = callback::hkdf("sha256", "a", "b", "c", 100_000, never).unwrap_err();
        assert_eq!(e.code(), Some("ERR_CRYPTO_INVALID_KEYLEN"));
        let opts = ScryptOptions {
            n: Some(3),
            ..Default::default()
        };
        let e = callback::scrypt("a", "b", 10, &opts, never).unwrap_err();
        assert_eq!(e.code(), Some("ERR_CRYPTO_INVALID_SCRYPT_PARAMS"));
        assert_eq!(e.message(), "Invalid scrypt params");
        let e = callback::random_bytes(1 << 31, never).unwrap_err();
        assert_eq!(
            e.message(),
            "The value of \"size\" is out of range. It must be >= 0 && <= 2147483647. Received 2147483648"
        );
        let e = callback::random_fill(vec![0; 4], 5, None, never).unwrap_err();
        assert_eq!(
            e.message(),
            "The value of \"offset\" is out of range. It must be >= 0 && <= 4. Received 5"
        );
    });
}

#[test]
fn derivation_errors_go_to_the_callback() {
    // Node: pbkdf2(…, 'shake128', cb) and hkdf('md4', …, cb) call back with a code-less Error.
    let log = run_logged(|log| {
        let l = Rc::clone(&log);
        callback::pbkdf2("a", "b", 1, 10, "shake128", move |r| {
            let e = r.unwrap_err();
            assert_eq!((e.code(), e.message()), (None, "Deriving bits failed"));
            l.borrow_mut().push("pbkdf2".into());
        })
        .unwrap();
        let l = Rc::clone(&log);
        callback::hkdf("md4", "a", "b", "c", 10, move |r| {
            let e = r.unwrap_err();
            assert_eq!(
                (e.code(), e.message()),
                (
                    None,
                    "error:0308010C:digital envelope routines::unsupported"
                )
            );
            l.borrow_mut().push("hkdf".into());
        })
        .unwrap();
    });
    assert_eq!(log.len(), 2);
}

#[test]
fn promises_equal_sync() {
    let log = run_logged(|log| {
        let a = promises::pbkdf2("pw", "salt", 10, 20, "sha1");
        let b = promises::hkdf("sha384", "k", "", "", 48);
        let c = promises::scrypt("p", "s", 16, &ScryptOptions::default());
        let d = promises::random_bytes(7);
        let e = promises::random_fill(vec![1; 8], 0, Some(4));
        let bad = promises::pbkdf2("pw", "salt", 10, 20, "nope");
        nodestd_loop::spawn_local(async move {
            assert_eq!(
                a.await.unwrap(),
                pbkdf2_sync("pw", "salt", 10, 20, "sha1").unwrap()
            );
            assert_eq!(
                b.await.unwrap(),
                hkdf_sync("sha384", "k", "", "", 48).unwrap()
            );
            assert_eq!(
                c.await.unwrap(),
                scrypt_sync("p", "s", 16, &ScryptOptions::default()).unwrap()
            );
            assert_eq!(d.await.unwrap().len(), 7);
            assert_eq!(e.await.unwrap()[4..], [1; 4]);
            let err = bad.await.unwrap_err();
            assert_eq!(err.code(), Some("ERR_CRYPTO_INVALID_DIGEST"));
            log.borrow_mut().push("done".into());
        });
    });
    assert_eq!(log, ["done"]);
}
