//! `os.constants`: Node's tables of signal, errno, priority and `dlopen` constants on Linux,
//! as `node -p "os.constants"` prints them (Node v20.20.2, Linux x64), in Node's order.

/// `os.constants.signals`: the signal names and numbers (shared with `process.kill`).
pub use nodestd_sys::signals::SIGNALS;

/// `os.constants.errno`: the POSIX error names and numbers Node exposes, in Node's order.
pub const ERRNO: &[(&str, i32)] = &[
    ("E2BIG", 7),
    ("EACCES", 13),
    ("EADDRINUSE", 98),
    ("EADDRNOTAVAIL", 99),
    ("EAFNOSUPPORT", 97),
    ("EAGAIN", 11),
    ("EALREADY", 114),
    ("EBADF", 9),
    ("EBADMSG", 74),
    ("EBUSY", 16),
    ("ECANCELED", 125),
    ("ECHILD", 10),
    ("ECONNABORTED", 103),
    ("ECONNREFUSED", 111),
    ("ECONNRESET", 104),
    ("EDEADLK", 35),
    ("EDESTADDRREQ", 89),
    ("EDOM", 33),
    ("EDQUOT", 122),
    ("EEXIST", 17),
    ("EFAULT", 14),
    ("EFBIG", 27),
    ("EHOSTUNREACH", 113),
    ("EIDRM", 43),
    ("EILSEQ", 84),
    ("EINPROGRESS", 115),
    ("EINTR", 4),
    ("EINVAL", 22),
    ("EIO", 5),
    ("EISCONN", 106),
    ("EISDIR", 21),
    ("ELOOP", 40),
    ("EMFILE", 24),
    ("EMLINK", 31),
    ("EMSGSIZE", 90),
    ("EMULTIHOP", 72),
    ("ENAMETOOLONG", 36),
    ("ENETDOWN", 100),
    ("ENETRESET", 102),
    ("ENETUNREACH", 101),
    ("ENFILE", 23),
    ("ENOBUFS", 105),
    ("ENODATA", 61),
    ("ENODEV", 19),
    ("ENOENT", 2),
    ("ENOEXEC", 8),
    ("ENOLCK", 37),
    ("ENOLINK", 67),
    ("ENOMEM", 12),
    ("ENOMSG", 42),
    ("ENOPROTOOPT", 92),
    ("ENOSPC", 28),
    ("ENOSR", 63),
    ("ENOSTR", 60),
    ("ENOSYS", 38),
    ("ENOTCONN", 107),
    ("ENOTDIR", 20),
    ("ENOTEMPTY", 39),
    ("ENOTSOCK", 88),
    ("ENOTSUP", 95),
    ("ENOTTY", 25),
    ("ENXIO", 6),
    ("EOPNOTSUPP", 95),
    ("EOVERFLOW", 75),
    ("EPERM", 1),
    ("EPIPE", 32),
    ("EPROTO", 71),
    ("EPROTONOSUPPORT", 93),
    ("EPROTOTYPE", 91),
    ("ERANGE", 34),
    ("EROFS", 30),
    ("ESPIPE", 29),
    ("ESRCH", 3),
    ("ESTALE", 116),
    ("ETIME", 62),
    ("ETIMEDOUT", 110),
    ("ETXTBSY", 26),
    ("EWOULDBLOCK", 11),
    ("EXDEV", 18),
];

/// `os.constants.priority`: the named process priorities for [`set_priority`](crate::set_priority).
pub const PRIORITY: &[(&str, i32)] = &[
    ("PRIORITY_LOW", PRIORITY_LOW),
    ("PRIORITY_BELOW_NORMAL", PRIORITY_BELOW_NORMAL),
    ("PRIORITY_NORMAL", PRIORITY_NORMAL),
    ("PRIORITY_ABOVE_NORMAL", PRIORITY_ABOVE_NORMAL),
    ("PRIORITY_HIGH", PRIORITY_HIGH),
    ("PRIORITY_HIGHEST", PRIORITY_HIGHEST),
];

/// `os.constants.priority.PRIORITY_LOW`.
pub const PRIORITY_LOW: i32 = 19;
/// `os.constants.priority.PRIORITY_BELOW_NORMAL`.
pub const PRIORITY_BELOW_NORMAL: i32 = 10;
/// `os.constants.priority.PRIORITY_NORMAL`.
pub const PRIORITY_NORMAL: i32 = 0;
/// `os.constants.priority.PRIORITY_ABOVE_NORMAL`.
pub const PRIORITY_ABOVE_NORMAL: i32 = -7;
/// `os.constants.priority.PRIORITY_HIGH`.
pub const PRIORITY_HIGH: i32 = -14;
/// `os.constants.priority.PRIORITY_HIGHEST`.
pub const PRIORITY_HIGHEST: i32 = -20;

/// `os.constants.dlopen`: the `dlopen` flags (for `process.dlopen`).
pub const DLOPEN: &[(&str, i32)] = &[
    ("RTLD_LAZY", 1),
    ("RTLD_NOW", 2),
    ("RTLD_GLOBAL", 256),
    ("RTLD_LOCAL", 0),
    ("RTLD_DEEPBIND", 8),
];

/// `os.constants.UV_UDP_REUSEADDR`.
pub const UV_UDP_REUSEADDR: i32 = 4;

/// The number of an errno name (`"ENOENT"` → 2), as `os.constants.errno[name]`.
///
/// ```
/// assert_eq!(nodestd_os::constants::errno("EADDRINUSE"), Some(98));
/// ```
pub fn errno(name: &str) -> Option<i32> {
    ERRNO.iter().find(|(n, _)| *n == name).map(|&(_, v)| v)
}
