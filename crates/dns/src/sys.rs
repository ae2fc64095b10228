//! The audited `unsafe` module: `getaddrinfo` and `getnameinfo` through libc, as libuv's
//! `uv__getaddrinfo_work` and `uv__getnameinfo_work` call them on a pool thread.
//!
//! Every `unsafe` block below carries a `// SAFETY:` line. Nothing else in the crate uses
//! `unsafe`.

use std::ffi::{CStr, CString};
use std::net::{IpAddr, SocketAddr};

/// An `EAI_*` failure, as libuv's negative `UV_EAI_*` number (`-3008` for `EAI_NONAME`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct GaiError(pub(crate) i32);

/// libuv's `uv__getaddrinfo_translate_error`: the system's `EAI_*` to `UV_EAI_*`.
fn translate(code: i32) -> GaiError {
    let uv = match code {
        -9 => -3000, // glibc EAI_ADDRFAMILY
        libc::EAI_AGAIN => -3001,
        libc::EAI_BADFLAGS => -3002,
        libc::EAI_FAIL => -3004,
        libc::EAI_FAMILY => -3005,
        libc::EAI_MEMORY => -3006,
        -5 => -3007, // glibc EAI_NODATA
        libc::EAI_NONAME => -3008,
        libc::EAI_OVERFLOW => -3009,
        libc::EAI_SERVICE => -3010,
        libc::EAI_SOCKTYPE => -3011,
        libc::EAI_SYSTEM => -std::io::Error::last_os_error()
            .raw_os_error()
            .unwrap_or(libc::EIO),
        _ => -3004,
    };
    GaiError(uv)
}

/// `getaddrinfo(host, NULL, {family, SOCK_STREAM, flags})`: the addresses in the order the
/// system gives them (AF_INET and AF_INET6 entries only).
pub(crate) fn getaddrinfo(host: &CStr, family: i32, flags: i32) -> Result<Vec<IpAddr>, GaiError> {
    // SAFETY: addrinfo is a plain C struct for which all-zero is a valid value (null pointers).
    let mut hints: libc::addrinfo = unsafe { std::mem::zeroed() };
    hints.ai_family = family;
    hints.ai_socktype = libc::SOCK_STREAM;
    hints.ai_flags = flags;
    let mut res: *mut libc::addrinfo = std::ptr::null_mut();
    // SAFETY: host is a NUL-terminated string, hints a valid addrinfo, res a valid out pointer.
    let rc = unsafe { libc::getaddrinfo(host.as_ptr(), std::ptr::null(), &hints, &mut res) };
    if rc != 0 {
        return Err(translate(rc));
    }
    let mut out = Vec::new();
    let mut p = res;
    while !p.is_null() {
        // SAFETY: p is a node of the list getaddrinfo returned, not yet freed.
        let ai = unsafe { &*p };
        if ai.ai_socktype == libc::SOCK_STREAM && !ai.ai_addr.is_null() {
            match ai.ai_family {
                libc::AF_INET => {
                    // SAFETY: an AF_INET entry's ai_addr points to a sockaddr_in.
                    let sa = unsafe { &*(ai.ai_addr as *const libc::sockaddr_in) };
                    out.push(IpAddr::from(u32::from_be(sa.sin_addr.s_addr).to_be_bytes()));
                }
                libc::AF_INET6 => {
                    // SAFETY: an AF_INET6 entry's ai_addr points to a sockaddr_in6.
                    let sa = unsafe { &*(ai.ai_addr as *const libc::sockaddr_in6) };
                    out.push(IpAddr::from(sa.sin6_addr.s6_addr));
                }
                _ => {}
            }
        }
        p = ai.ai_next;
    }
    // SAFETY: res came from a successful getaddrinfo and is freed once, after its last use.
    unsafe { libc::freeaddrinfo(res) };
    Ok(out)
}

/// `getnameinfo(addr, host, service, NI_NAMEREQD)`, as Node's `GetNameInfo` asks libuv.
pub(crate) fn getnameinfo(addr: SocketAddr) -> Result<(String, String), GaiError> {
    // SAFETY: sockaddr_storage is plain data for which all-zero is valid.
    let mut ss: libc::sockaddr_storage = unsafe { std::mem::zeroed() };
    let len = match addr {
        SocketAddr::V4(a) => {
            // SAFETY: sockaddr_storage is large and aligned enough for a sockaddr_in.
            let sin = unsafe { &mut *(&mut ss as *mut _ as *mut libc::sockaddr_in) };
            sin.sin_family = libc::AF_INET as libc::sa_family_t;
            sin.sin_port = a.port().to_be();
            sin.sin_addr.s_addr = u32::from_ne_bytes(a.ip().octets());
            std::mem::size_of::<libc::sockaddr_in>()
        }
        SocketAddr::V6(a) => {
            // SAFETY: sockaddr_storage is large and aligned enough for a sockaddr_in6.
            let sin6 = unsafe { &mut *(&mut ss as *mut _ as *mut libc::sockaddr_in6) };
            sin6.sin6_family = libc::AF_INET6 as libc::sa_family_t;
            sin6.sin6_port = a.port().to_be();
            sin6.sin6_addr.s6_addr = a.ip().octets();
            sin6.sin6_scope_id = a.scope_id();
            std::mem::size_of::<libc::sockaddr_in6>()
        }
    };
    let mut host = [0 as libc::c_char; libc::NI_MAXHOST as usize];
    let mut serv = [0 as libc::c_char; 32];
    // SAFETY: ss holds a sockaddr of length len; host and serv are writable buffers of the
    // lengths passed.
    let rc = unsafe {
        libc::getnameinfo(
            &ss as *const _ as *const libc::sockaddr,
            len as libc::socklen_t,
            host.as_mut_ptr(),
            host.len() as libc::socklen_t,
            serv.as_mut_ptr(),
            serv.len() as libc::socklen_t,
            libc::NI_NAMEREQD,
        )
    };
    if rc != 0 {
        return Err(translate(rc));
    }
    // SAFETY: on success getnameinfo wrote NUL-terminated strings into both buffers.
    let (h, s) = unsafe { (CStr::from_ptr(host.as_ptr()), CStr::from_ptr(serv.as_ptr())) };
    Ok((
        h.to_string_lossy().into_owned(),
        s.to_string_lossy().into_owned(),
    ))
}

/// A C string of `s` up to its first NUL, as Node's `Utf8Value` hands it to C.
pub(crate) fn c_string(s: &str) -> CString {
    let cut = s.split('\0').next().unwrap_or("");
    CString::new(cut).unwrap_or_default()
}
