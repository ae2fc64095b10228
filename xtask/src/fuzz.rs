//! `cargo xtask fuzz`: the seeded random-mutation driver of `crates/fuzz` over every fuzz
//! target (or the ones named), built optimized.
//!
//! - `cargo xtask fuzz --quick`: every target for [`QUICK_SECONDS`] s (about a minute in all),
//!   as CI runs it after `test-all`;
//! - `cargo xtask fuzz --seconds N [--seed HEX] [TARGET ...]`: longer runs.
//!
//! Each target prints its seed and executions; a finding prints the target, the seed and the
//! input in hex (with the command that replays it) and makes the command fail.

/// Seconds per target in `--quick` mode: 11 targets, about 80 s.
pub const QUICK_SECONDS: &str = "7";

/// Runs the driver with the arguments given after `fuzz`.
pub fn fuzz(args: &[String]) -> Result<(), String> {
    let mut pass: Vec<&str> = Vec::new();
    let mut timed = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--quick" => {
                pass.extend(["--seconds", QUICK_SECONDS]);
                timed = true;
            }
            "--seconds" | "--seed" => {
                let v = it.next().ok_or(format!("{a} needs a value"))?;
                timed |= a == "--seconds";
                pass.extend([a.as_str(), v.as_str()]);
            }
            target if !target.starts_with('-') => pass.push(target),
            other => return Err(format!("unknown option {other}")),
        }
    }
    if !timed {
        return Err(
            "usage: cargo xtask fuzz --quick | --seconds N [--seed HEX] [TARGET ...]".into(),
        );
    }
    let mut cmd = vec!["run", "--release", "--package", "nodestd-fuzz", "--"];
    cmd.extend(pass);
    super::cargo(&cmd).map_err(|e| format!("fuzzing found something or did not run: {e}"))
}
