//! The socket system calls, through rustix's safe API: creating, binding, listening,
//! accepting and connecting sockets with libuv's flags and options, and reading their
//! addresses. Every fd is non-blocking and close-on-exec from birth.

use std::io;
use std::net::{IpAddr, SocketAddr};
use std::os::fd::{AsFd, OwnedFd};
use std::path::Path;

use rustix::net::{
    AddressFamily, RecvFlags, SendFlags, SocketAddrAny, SocketAddrUnix, SocketFlags, SocketType,
    sockopt,
};

use crate::Address;

fn flags() -> SocketFlags {
    SocketFlags::CLOEXEC | SocketFlags::NONBLOCK
}

/// Whether an fd is a TCP or a Unix-domain socket (Node's `guessHandleType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Tcp,
    Unix,
}

pub(crate) fn kind_of(fd: impl AsFd) -> io::Result<Kind> {
    match sockopt::socket_domain(fd)? {
        AddressFamily::UNIX => Ok(Kind::Unix),
        AddressFamily::INET | AddressFamily::INET6 => Ok(Kind::Tcp),
        _ => Err(io::Error::from_raw_os_error(95)),
    }
}

pub(crate) fn tcp_socket(ip: &IpAddr) -> io::Result<OwnedFd> {
    let family = if ip.is_ipv4() {
        AddressFamily::INET
    } else {
        AddressFamily::INET6
    };
    Ok(rustix::net::socket_with(
        family,
        SocketType::STREAM,
        flags(),
        None,
    )?)
}

pub(crate) fn unix_socket() -> io::Result<OwnedFd> {
    Ok(rustix::net::socket_with(
        AddressFamily::UNIX,
        SocketType::STREAM,
        flags(),
        None,
    )?)
}

/// `uv__tcp_bind`: SO_REUSEADDR on (libuv: "so that bind() succeeds for a port in
/// TIME_WAIT"), IPV6_V6ONLY when asked, then bind.
pub(crate) fn tcp_bind(addr: SocketAddr, ipv6_only: bool) -> io::Result<OwnedFd> {
    let fd = tcp_socket(&addr.ip())?;
    sockopt::set_socket_reuseaddr(&fd, true)?;
    if addr.is_ipv6() && ipv6_only {
        sockopt::set_ipv6_v6only(&fd, true)?;
    }
    rustix::net::bind(&fd, &addr)?;
    Ok(fd)
}

pub(crate) fn unix_bind(path: &Path) -> io::Result<OwnedFd> {
    let fd = unix_socket()?;
    let addr = SocketAddrUnix::new(path)?;
    rustix::net::bind(&fd, &addr)?;
    Ok(fd)
}

pub(crate) fn listen(fd: impl AsFd, backlog: i32) -> io::Result<()> {
    Ok(rustix::net::listen(fd, backlog)?)
}

pub(crate) fn accept(fd: impl AsFd) -> io::Result<OwnedFd> {
    Ok(rustix::net::accept_with(fd, flags())?)
}

/// A non-blocking connect: `Ok(true)` when it completed at once, `Ok(false)` when it is in
/// progress (EINPROGRESS).
pub(crate) fn connect(fd: impl AsFd, addr: &SocketAddr) -> io::Result<bool> {
    match rustix::net::connect(fd, addr) {
        Ok(()) => Ok(true),
        Err(rustix::io::Errno::INPROGRESS) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

pub(crate) fn connect_unix(fd: impl AsFd, path: &Path) -> io::Result<bool> {
    let addr = SocketAddrUnix::new(path)?;
    match rustix::net::connect(fd, &addr) {
        Ok(()) => Ok(true),
        Err(rustix::io::Errno::INPROGRESS | rustix::io::Errno::AGAIN) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// SO_ERROR: the outcome of a non-blocking connect.
pub(crate) fn take_error(fd: impl AsFd) -> io::Result<Option<io::Error>> {
    Ok(sockopt::socket_error(fd)?.err().map(io::Error::from))
}

pub(crate) fn recv(fd: impl AsFd, buf: &mut [u8]) -> io::Result<usize> {
    Ok(rustix::net::recv(fd, buf, RecvFlags::empty())?.0)
}

/// `send` with MSG_NOSIGNAL: a write to a closed peer is EPIPE, not SIGPIPE (Node ignores
/// SIGPIPE process-wide).
pub(crate) fn send(fd: impl AsFd, buf: &[u8]) -> io::Result<usize> {
    Ok(rustix::net::send(fd, buf, SendFlags::NOSIGNAL)?)
}

pub(crate) fn shutdown_write(fd: impl AsFd) -> io::Result<()> {
    Ok(rustix::net::shutdown(fd, rustix::net::Shutdown::Write)?)
}

pub(crate) fn set_nodelay(fd: impl AsFd, on: bool) -> io::Result<()> {
    Ok(sockopt::set_tcp_nodelay(fd, on)?)
}

/// `uv_tcp_keepalive` (libuv 1.46): SO_KEEPALIVE, and TCP_KEEPIDLE when turning it on.
pub(crate) fn set_keepalive(fd: impl AsFd, on: bool, delay_secs: u32) -> io::Result<()> {
    sockopt::set_socket_keepalive(&fd, on)?;
    if on && delay_secs > 0 {
        sockopt::set_tcp_keepidle(&fd, std::time::Duration::from_secs(delay_secs.into()))?;
    }
    Ok(())
}

fn to_address(a: SocketAddrAny) -> Option<Address> {
    if a.address_family() == AddressFamily::UNIX {
        let u = SocketAddrUnix::try_from(a).ok()?;
        let path = u
            .path()
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_default();
        return Some(Address::Path(path));
    }
    SocketAddr::try_from(a).ok().map(Address::from)
}

pub(crate) fn local_address(fd: impl AsFd) -> Option<Address> {
    rustix::net::getsockname(fd).ok().and_then(to_address)
}

pub(crate) fn peer_address(fd: impl AsFd) -> Option<Address> {
    rustix::net::getpeername(fd)
        .ok()
        .flatten()
        .and_then(to_address)
}

/// What a client socket connects to.
pub(crate) enum ConnectTo {
    Addr(SocketAddr),
    Path(std::path::PathBuf),
}
