//! Node.js's [`os`](https://nodejs.org/docs/latest-v20.x/api/os.html) module for Rust, with
//! Node v20's exact semantics on Linux: the same files read, the same fallbacks and the same
//! shapes as libuv 1.46 and `lib/os.js` give them.
//!
//! | Node | here |
//! | --- | --- |
//! | `os.cpus()` | [`cpus`] ([`CpuInfo`], times in ms from `/proc/stat`, model from `/proc/cpuinfo`, speed from `cpufreq`, 0 without it) |
//! | `os.availableParallelism()` | [`available_parallelism`] (the affinity mask's CPU count) |
//! | `os.totalmem()`, `os.freemem()` | [`totalmem`], [`freemem`] (`MemTotal`, `MemAvailable`) |
//! | `os.loadavg()`, `os.uptime()` | [`loadavg`], [`uptime`] |
//! | `os.hostname()`, `os.type()`, `os.release()`, `os.version()`, `os.machine()` | [`hostname`], [`os_type`], [`release`], [`version`], [`machine`] (`uname`) |
//! | `os.arch()`, `os.platform()`, `os.endianness()` | [`arch`], [`platform`], [`endianness`] |
//! | `os.homedir()`, `os.tmpdir()`, `os.userInfo()` | [`homedir`], [`tmpdir`], [`user_info`] ([`UserInfo`]) |
//! | `os.networkInterfaces()` | [`network_interfaces`] ([`NetworkInterface`], with Node's `cidr`) |
//! | `os.getPriority()`, `os.setPriority()` | [`get_priority`], [`set_priority`] |
//! | `os.EOL`, `os.devNull`, `os.constants` | [`EOL`], [`DEV_NULL`], [`constants`] |
//!
//! Errors are [`OsError`]s with Node's `code` (`ERR_SYSTEM_ERROR` with the libuv `errno`,
//! `syscall` and `info`, or `ERR_OUT_OF_RANGE`) and Node's message text.
//!
//! ```
//! let cpus = nodestd_os::cpus();
//! assert!(!cpus.is_empty());
//! assert!(nodestd_os::totalmem() >= nodestd_os::freemem());
//! assert_eq!(nodestd_os::platform(), "linux");
//! assert_eq!(nodestd_os::EOL, "\n");
//! ```
//!
//! ## Deviations from Node
//! - `userInfo({encoding: 'buffer'})` is [`UserInfo`]'s byte fields; the string fields are
//!   those bytes read as UTF-8 (lossily), where Node decodes them as UTF-8 too.
//! - [`network_interfaces`] returns the interfaces as a list of `(name, addresses)` pairs in
//!   Node's key order (first appearance), where Node returns an object.
//! - Numbers are integers where Node's are integral doubles (memory, cpu times, priorities);
//!   [`loadavg`] and [`uptime`] are `f64`, as in Node.
//! - Linux only (the platform nodestd targets): the win32 paths of `lib/os.js` are not ported.

#![warn(missing_docs)]

pub mod constants;
mod sys;

use std::fmt;
use std::net::IpAddr;

pub use nodestd_sys::platform::{arch, platform};

/// `os.EOL`: the end-of-line marker, `"\n"` on POSIX.
pub const EOL: &str = "\n";

/// `os.devNull`: the null device's path.
pub const DEV_NULL: &str = "/dev/null";

/// An error from an `os` function, shaped like Node's: `ERR_SYSTEM_ERROR` (a `SystemError`
/// whose `info` holds the libuv code, message and syscall) or `ERR_OUT_OF_RANGE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OsError {
    code: &'static str,
    errno: Option<i32>,
    syscall: Option<&'static str>,
    info: Option<(&'static str, &'static str)>,
    message: String,
}

impl OsError {
    /// Node's `SystemError` for a libuv call that failed with the OS errno `errno`:
    /// `A system error occurred: uv_os_getpriority returned ESRCH (no such process)`.
    fn system(syscall: &'static str, errno: i32) -> OsError {
        let (code, desc) = nodestd_sys::errno::code_message(errno);
        OsError {
            code: "ERR_SYSTEM_ERROR",
            errno: Some(-errno),
            syscall: Some(syscall),
            info: Some((code, desc)),
            message: format!("A system error occurred: {syscall} returned {code} ({desc})"),
        }
    }

    fn io(syscall: &'static str, e: &std::io::Error) -> OsError {
        OsError::system(syscall, e.raw_os_error().unwrap_or(libc::EIO))
    }

    /// `code`: `"ERR_SYSTEM_ERROR"` or `"ERR_OUT_OF_RANGE"`.
    pub fn code(&self) -> &str {
        self.code
    }

    /// `errno`: the negative libuv errno of a system error.
    pub fn errno(&self) -> Option<i32> {
        self.errno
    }

    /// `syscall`: the libuv function that failed (`uv_os_getpriority` …).
    pub fn syscall(&self) -> Option<&str> {
        self.syscall
    }

    /// `info.code` and `info.message` of a system error (`"ESRCH"`, `"no such process"`).
    pub fn info(&self) -> Option<(&str, &str)> {
        self.info
    }

    /// Node's message text.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for OsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for OsError {}

/// The times a CPU has spent in each mode, in milliseconds (`cpus()[i].times`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CpuTimes {
    /// User mode.
    pub user: u64,
    /// User mode at low priority (nice).
    pub nice: u64,
    /// Kernel mode.
    pub sys: u64,
    /// Idle.
    pub idle: u64,
    /// Servicing interrupts.
    pub irq: u64,
}

/// One logical CPU, as an element of `os.cpus()`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CpuInfo {
    /// The model name (`"unknown"` when `/proc/cpuinfo` has none).
    pub model: String,
    /// The current frequency in MHz (0 where the kernel exposes no `cpufreq`).
    pub speed: u64,
    /// The time spent in each mode.
    pub times: CpuTimes,
}

/// `os.cpus()`: each logical CPU with its model, speed and times, as libuv's `uv_cpu_info`
/// reads them (`/proc/stat`, `/proc/cpuinfo`, `cpufreq/scaling_cur_freq`). Empty when
/// `/proc/stat` cannot be read, as Node's is when libuv fails.
///
/// ```
/// for cpu in nodestd_os::cpus() {
///     println!("{} {} MHz, idle {} ms", cpu.model, cpu.speed, cpu.times.idle);
/// }
/// ```
pub fn cpus() -> Vec<CpuInfo> {
    let Ok(stat) = std::fs::read_to_string("/proc/stat") else {
        return Vec::new();
    };
    // `sysconf(_SC_CLK_TCK)`: the tick counts of /proc/stat become milliseconds.
    let ticks = rustix::param::clock_ticks_per_second().max(1);
    let multiplier = 1000 / ticks;
    let mut cpus: Vec<(u32, CpuTimes)> = Vec::new();
    // The first line is the sum of every CPU; then one `cpuN` line per CPU.
    for line in stat.lines().skip(1) {
        let Some(rest) = line.strip_prefix("cpu") else {
            break;
        };
        let mut fields = rest.split_ascii_whitespace();
        let Some(Ok(cpu)) = fields.next().map(str::parse::<u32>) else {
            break;
        };
        let n: Vec<u64> = fields.take(6).map_while(|f| f.parse().ok()).collect();
        if n.len() != 6 {
            break;
        }
        // user nice system idle iowait irq: iowait is skipped, as libuv skips it.
        let times = CpuTimes {
            user: n[0] * multiplier,
            nice: n[1] * multiplier,
            sys: n[2] * multiplier,
            idle: n[3] * multiplier,
            irq: n[5] * multiplier,
        };
        cpus.push((cpu, times));
    }
    let models = cpuinfo_models();
    cpus.into_iter()
        .map(|(cpu, times)| CpuInfo {
            model: models
                .iter()
                .find(|(n, _)| *n == cpu)
                .map_or_else(|| "unknown".to_owned(), |(_, m)| m.clone()),
            speed: read_number(&format!(
                "/sys/devices/system/cpu/cpu{cpu}/cpufreq/scaling_cur_freq"
            ))
            .map_or(0, |khz| khz / 1000),
            times,
        })
        .collect()
}

/// The `model name` of each `processor` block of `/proc/cpuinfo`.
fn cpuinfo_models() -> Vec<(u32, String)> {
    let Ok(info) = std::fs::read_to_string("/proc/cpuinfo") else {
        return Vec::new();
    };
    let marker = if cfg!(any(target_arch = "x86_64", target_arch = "x86")) {
        "model name\t: "
    } else {
        "Processor\t: "
    };
    let mut out = Vec::new();
    for block in info.split("\n\n") {
        let mut lines = block.lines();
        let Some(cpu) = lines
            .next()
            .and_then(|l| l.strip_prefix("processor\t: "))
            .and_then(|n| n.trim().parse().ok())
        else {
            break;
        };
        if let Some(model) = lines.find_map(|l| l.strip_prefix(marker)) {
            out.push((cpu, model.to_owned()));
        }
    }
    out
}

fn read_number(path: &str) -> Option<u64> {
    std::fs::read_to_string(path).ok()?.trim().parse().ok()
}

/// A `/proc/meminfo` field in bytes (its kB times 1024), 0 when absent.
fn meminfo(field: &str) -> u64 {
    let Ok(text) = std::fs::read_to_string("/proc/meminfo") else {
        return 0;
    };
    text.lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|rest| {
            rest.trim()
                .trim_end_matches("kB")
                .trim()
                .parse::<u64>()
                .ok()
        })
        .map_or(0, |kb| kb * 1024)
}

/// `os.totalmem()`: the system's memory in bytes (`MemTotal`, or `sysinfo`'s total).
pub fn totalmem() -> u64 {
    match meminfo("MemTotal:") {
        0 => rustix::system::sysinfo()
            .totalram
            .saturating_mul(u64::from(rustix::system::sysinfo().mem_unit)),
        n => n,
    }
}

/// `os.freemem()`: the memory available in bytes (`MemAvailable`, as libuv reads it, or
/// `sysinfo`'s free memory).
pub fn freemem() -> u64 {
    match meminfo("MemAvailable:") {
        0 => {
            let info = rustix::system::sysinfo();
            info.freeram.saturating_mul(u64::from(info.mem_unit))
        }
        n => n,
    }
}

/// `os.loadavg()`: the 1, 5 and 15 minute load averages (`/proc/loadavg`, or `sysinfo`).
pub fn loadavg() -> [f64; 3] {
    if let Ok(text) = std::fs::read_to_string("/proc/loadavg") {
        let v: Vec<f64> = text
            .split_ascii_whitespace()
            .take(3)
            .map_while(|f| f.parse().ok())
            .collect();
        if let [a, b, c] = v[..] {
            return [a, b, c];
        }
    }
    let info = rustix::system::sysinfo();
    info.loads.map(|l| l as f64 / 65536.0)
}

/// `os.uptime()`: seconds since boot (`/proc/uptime`, with its two decimals, or
/// `CLOCK_BOOTTIME`).
pub fn uptime() -> f64 {
    std::fs::read_to_string("/proc/uptime")
        .ok()
        .and_then(|t| t.split_ascii_whitespace().next()?.parse().ok())
        .unwrap_or_else(|| {
            let ts = rustix::time::clock_gettime(rustix::time::ClockId::Boottime);
            ts.tv_sec as f64
        })
}

/// `os.availableParallelism()`: how many CPUs this process may run on (the affinity mask's
/// count, at least 1), as libuv 1.46's `uv_available_parallelism`.
#[doc(alias = "availableParallelism")]
pub fn available_parallelism() -> usize {
    rustix::thread::sched_getaffinity(None)
        .map(|set| set.count() as usize)
        .unwrap_or(1)
        .max(1)
}

/// `os.hostname()`.
pub fn hostname() -> String {
    rustix::system::uname()
        .nodename()
        .to_string_lossy()
        .into_owned()
}

/// `os.type()`: the system name `uname` gives (`"Linux"`).
#[doc(alias = "type")]
pub fn os_type() -> String {
    rustix::system::uname()
        .sysname()
        .to_string_lossy()
        .into_owned()
}

/// `os.release()`: the kernel release (`uname -r`).
pub fn release() -> String {
    rustix::system::uname()
        .release()
        .to_string_lossy()
        .into_owned()
}

/// `os.version()`: the kernel version string (`uname -v`).
pub fn version() -> String {
    rustix::system::uname()
        .version()
        .to_string_lossy()
        .into_owned()
}

/// `os.machine()`: the machine type (`uname -m`: `"x86_64"`, `"aarch64"` …).
pub fn machine() -> String {
    rustix::system::uname()
        .machine()
        .to_string_lossy()
        .into_owned()
}

/// `os.endianness()`: `"LE"` or `"BE"`.
pub fn endianness() -> &'static str {
    if cfg!(target_endian = "little") {
        "LE"
    } else {
        "BE"
    }
}

/// `os.homedir()`: `$HOME` when it is set (even empty, as libuv's `uv_os_homedir` takes it),
/// else the password database's home directory of the effective user.
///
/// # Errors
/// Neither is available: `ERR_SYSTEM_ERROR` with syscall `uv_os_homedir`.
pub fn homedir() -> Result<String, OsError> {
    if let Some(home) = std::env::var_os("HOME") {
        return Ok(home.to_string_lossy().into_owned());
    }
    let pw = sys::getpwuid(rustix::process::geteuid().as_raw())
        .map_err(|e| OsError::io("uv_os_homedir", &e))?;
    Ok(String::from_utf8_lossy(&pw.homedir).into_owned())
}

/// `os.tmpdir()`: `$TMPDIR`, `$TMP` or `$TEMP` (the first non-empty), else `/tmp`, without a
/// trailing slash (`lib/os.js`).
pub fn tmpdir() -> String {
    let path = ["TMPDIR", "TMP", "TEMP"]
        .iter()
        .filter_map(std::env::var_os)
        .map(|v| v.to_string_lossy().into_owned())
        .find(|v| !v.is_empty())
        .unwrap_or_else(|| "/tmp".to_owned());
    match path.strip_suffix('/') {
        Some(trimmed) if path.len() > 1 => trimmed.to_owned(),
        _ => path,
    }
}

/// `os.userInfo()`: the effective user's password-database entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserInfo {
    /// `uid`.
    pub uid: u32,
    /// `gid`.
    pub gid: u32,
    /// `username`.
    pub username: String,
    /// `homedir`.
    pub homedir: String,
    /// `shell` (`None` is Node's `null`).
    pub shell: Option<String>,
    /// The raw bytes of `username`, `homedir` and `shell` (`userInfo({encoding: 'buffer'})`).
    pub raw: UserInfoBytes,
}

/// The byte fields of [`UserInfo`], as `userInfo({encoding: 'buffer'})` gives them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserInfoBytes {
    /// `username`.
    pub username: Vec<u8>,
    /// `homedir`.
    pub homedir: Vec<u8>,
    /// `shell`.
    pub shell: Option<Vec<u8>>,
}

/// `os.userInfo()`: the effective user's uid, gid, name, home directory and shell, from the
/// password database (libuv's `uv_os_get_passwd`), not from `$HOME`.
///
/// ```
/// let me = nodestd_os::user_info()?;
/// println!("{} ({}) in {}", me.username, me.uid, me.homedir);
/// # Ok::<(), nodestd_os::OsError>(())
/// ```
///
/// # Errors
/// No entry for the user: `ERR_SYSTEM_ERROR` `A system error occurred: uv_os_get_passwd
/// returned ENOENT (no such file or directory)`.
#[doc(alias = "userInfo")]
pub fn user_info() -> Result<UserInfo, OsError> {
    let pw = sys::getpwuid(rustix::process::geteuid().as_raw())
        .map_err(|e| OsError::io("uv_os_get_passwd", &e))?;
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    Ok(UserInfo {
        uid: pw.uid,
        gid: pw.gid,
        username: text(&pw.username),
        homedir: text(&pw.homedir),
        shell: pw.shell.as_deref().map(text),
        raw: UserInfoBytes {
            username: pw.username,
            homedir: pw.homedir,
            shell: pw.shell,
        },
    })
}

/// One address of an interface, as an element of `os.networkInterfaces()[name]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkInterface {
    /// `address`.
    pub address: String,
    /// `netmask`.
    pub netmask: String,
    /// `family`: `"IPv4"` or `"IPv6"`.
    pub family: &'static str,
    /// `mac`: the interface's hardware address, `00:00:00:00:00:00` when it has none.
    pub mac: String,
    /// `internal`: a loopback interface.
    pub internal: bool,
    /// `cidr`: the address with its prefix length, `None` (Node's `null`) when the netmask is
    /// not contiguous.
    pub cidr: Option<String>,
    /// `scopeid`: IPv6 only.
    pub scopeid: Option<u32>,
}

/// `os.networkInterfaces()`: the addresses of each interface that is up and running, in
/// `getifaddrs` order, grouped by interface name in order of first appearance.
///
/// ```
/// let ifaces = nodestd_os::network_interfaces()?;
/// let lo = ifaces.iter().find(|(name, _)| name == "lo");
/// assert!(lo.is_none_or(|(_, addrs)| addrs.iter().all(|a| a.internal)));
/// # Ok::<(), nodestd_os::OsError>(())
/// ```
///
/// # Errors
/// `getifaddrs` failed: `ERR_SYSTEM_ERROR` with syscall `uv_interface_addresses`.
#[doc(alias = "networkInterfaces")]
pub fn network_interfaces() -> Result<Vec<(String, Vec<NetworkInterface>)>, OsError> {
    let addrs =
        sys::interface_addresses().map_err(|e| OsError::io("uv_interface_addresses", &e))?;
    let mut out: Vec<(String, Vec<NetworkInterface>)> = Vec::new();
    for a in addrs {
        let (family, address, netmask) = match (a.address, a.netmask) {
            (IpAddr::V4(ip), mask) => ("IPv4", ip.to_string(), ip_name(mask)),
            (IpAddr::V6(ip), mask) => ("IPv6", ip6_name(ip), ip_name(mask)),
        };
        let m = a.mac;
        let entry = NetworkInterface {
            cidr: cidr(&address, &netmask, family),
            address,
            netmask,
            family,
            mac: format!(
                "{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}",
                m[0], m[1], m[2], m[3], m[4], m[5]
            ),
            internal: a.internal,
            scopeid: if family == "IPv6" { a.scope_id } else { None },
        };
        match out.iter_mut().find(|(name, _)| *name == a.name) {
            Some((_, list)) => list.push(entry),
            None => out.push((a.name, vec![entry])),
        }
    }
    Ok(out)
}

fn ip_name(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => ip6_name(v6),
    }
}

/// libuv's `inet_ntop6`: RFC 5952 compression as Rust's, but an IPv4-compatible address
/// (`::a.b.c.d`, six zero words then a non-zero one) is written with the dotted quad too.
fn ip6_name(ip: std::net::Ipv6Addr) -> String {
    let w = ip.segments();
    if w[..6] == [0; 6] && w[6] != 0 {
        let [a, b] = w[6].to_be_bytes();
        let [c, d] = w[7].to_be_bytes();
        return format!("::{a}.{b}.{c}.{d}");
    }
    ip.to_string()
}

/// `getCIDR` of `lib/os.js`: the prefix length of a contiguous netmask, `None` otherwise.
fn cidr(address: &str, netmask: &str, family: &str) -> Option<String> {
    let (split, radix, group) = if family == "IPv6" {
        (':', 16, 16)
    } else {
        ('.', 10, 8)
    };
    let mut ones = 0;
    let mut has_zeros = false;
    for part in netmask.split(split).filter(|p| !p.is_empty()) {
        if has_zeros {
            if part != "0" {
                return None;
            }
            continue;
        }
        let binary = u32::from_str_radix(part, radix).ok()?;
        let count = binary.count_ones();
        ones += count;
        if count != group {
            // Ones after a zero (`01` in the binary digits) are not a prefix.
            if format!("{binary:b}").contains("01") {
                return None;
            }
            has_zeros = true;
        }
    }
    Some(format!("{address}/{ones}"))
}

/// Node's `validateInt32(priority, 'priority', -20, 19)`.
fn check_priority(priority: i32) -> Result<(), OsError> {
    if (-20..=19).contains(&priority) {
        return Ok(());
    }
    Err(OsError {
        code: "ERR_OUT_OF_RANGE",
        errno: None,
        syscall: None,
        info: None,
        message: format!(
            "The value of \"priority\" is out of range. It must be >= -20 && <= 19. Received {priority}"
        ),
    })
}

/// `os.getPriority(pid)`: the scheduling priority (nice value) of process `pid`, 0 for this
/// process.
///
/// ```
/// let p = nodestd_os::get_priority(0)?;
/// assert!((-20..=19).contains(&p));
/// # Ok::<(), nodestd_os::OsError>(())
/// ```
///
/// # Errors
/// `ERR_SYSTEM_ERROR` with syscall `uv_os_getpriority` (`ESRCH` for no such process).
#[doc(alias = "getPriority")]
pub fn get_priority(pid: i32) -> Result<i32, OsError> {
    let pid = rustix::process::Pid::from_raw(pid);
    rustix::process::getpriority_process(pid)
        .map_err(|e| OsError::system("uv_os_getpriority", e.raw_os_error()))
}

/// `os.setPriority(pid, priority)`: sets the scheduling priority of process `pid` (0 for this
/// process); see [`constants::PRIORITY`] for Node's named levels.
///
/// # Errors
/// A priority outside -20..=19: `ERR_OUT_OF_RANGE` with Node's message; the OS refused:
/// `ERR_SYSTEM_ERROR` with syscall `uv_os_setpriority` (`ESRCH`, `EACCES` …).
#[doc(alias = "setPriority")]
pub fn set_priority(pid: i32, priority: i32) -> Result<(), OsError> {
    check_priority(priority)?;
    let pid = rustix::process::Pid::from_raw(pid);
    rustix::process::setpriority_process(pid, priority)
        .map_err(|e| OsError::system("uv_os_setpriority", e.raw_os_error()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `getCIDR`'s answers, printed by node for the same netmasks.
    #[test]
    fn cidr_of_node() {
        assert_eq!(
            cidr("10.0.0.1", "255.255.255.0", "IPv4").as_deref(),
            Some("10.0.0.1/24")
        );
        assert_eq!(cidr("10.0.0.1", "255.0.255.0", "IPv4"), None);
        assert_eq!(
            cidr("fe80::1", "ffff:ffff:ffff:ffff::", "IPv6").as_deref(),
            Some("fe80::1/64")
        );
        assert_eq!(
            cidr("::1", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "IPv6").as_deref(),
            Some("::1/128")
        );
        assert_eq!(
            cidr("10.0.0.1", "255.255.254.0", "IPv4").as_deref(),
            Some("10.0.0.1/23")
        );
    }

    #[test]
    fn ipv4_compatible_is_dotted_as_libuv_writes_it() {
        assert_eq!(ip6_name("::1.2.3.4".parse().unwrap()), "::1.2.3.4");
        assert_eq!(
            ip6_name("::ffff:1.2.3.4".parse().unwrap()),
            "::ffff:1.2.3.4"
        );
        assert_eq!(ip6_name("::1".parse().unwrap()), "::1");
        assert_eq!(ip6_name("fe80::1".parse().unwrap()), "fe80::1");
    }
}
