//! Property tests: no input makes the fallible process functions panic — `set_umask_str`
//! (the mask is restored after each case), `chdir` (the working directory is restored),
//! `kill` with unknown signal names (rejected before any signal is sent), and the signal
//! table lookups.

use nodestd_process as process;
use proptest::prelude::*;

proptest! {
    #[test]
    fn umask_str_never_panics(s in "[0-9a-z +-]{0,40}") {
        let before = process::umask();
        match process::set_umask_str(&s) {
            Ok(old) => {
                prop_assert_eq!(old, before);
                process::set_umask(before);
            }
            Err(e) => prop_assert!(
                e.code() == "ERR_INVALID_ARG_VALUE" || e.code() == "ERR_OUT_OF_RANGE"
            ),
        }
        prop_assert_eq!(process::umask(), before);
    }

    #[test]
    fn chdir_never_panics(s in "\\PC{0,40}") {
        let here = process::cwd().unwrap();
        if process::chdir(&s).is_ok() {
            process::chdir(&here).unwrap();
        }
        prop_assert_eq!(process::cwd().unwrap(), here);
    }

    #[test]
    fn unknown_signal_names_are_errors(s in "\\PC{0,20}") {
        prop_assume!(process::signals::signal_number(&s).is_none());
        let e = process::kill(process::pid() as i32, s.as_str()).unwrap_err();
        prop_assert_eq!(e.code(), "ERR_UNKNOWN_SIGNAL");
        prop_assert_eq!(e.message(), format!("Unknown signal: {s}"));
    }

    #[test]
    fn signal_table_round_trips(n in -5i32..70) {
        if let Some(name) = process::signals::signal_name(n) {
            prop_assert_eq!(process::signals::signal_number(name), Some(n));
        }
    }
}
