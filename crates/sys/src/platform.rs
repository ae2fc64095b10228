//! Node's names for the platform and the CPU architecture (`process.platform`,
//! `process.arch`, `os.platform()`, `os.arch()`).
//!
//! ```
//! assert_eq!(nodestd_sys::platform::platform(), "linux");
//! assert!(["x64", "arm64", "ia32", "ppc64", "loong64", "riscv64", "s390x", "arm"]
//!     .contains(&nodestd_sys::platform::arch()));
//! ```

/// `process.platform`: `"linux"` on Linux (Node's names for other systems: `"darwin"`,
/// `"freebsd"` …).
pub fn platform() -> &'static str {
    match std::env::consts::OS {
        "macos" => "darwin",
        "windows" => "win32",
        other => other,
    }
}

/// `process.arch`: Node's name for the CPU architecture (`"x64"`, `"arm64"`, `"ia32"` …).
pub fn arch() -> &'static str {
    match std::env::consts::ARCH {
        "x86_64" => "x64",
        "aarch64" => "arm64",
        "x86" => "ia32",
        "powerpc64" => "ppc64",
        "loongarch64" => "loong64",
        other => other,
    }
}
