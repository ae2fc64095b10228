//! The audited OS calls the os module needs that neither std nor rustix's safe API offers:
//! `getpwuid_r` (libuv's `uv_os_get_passwd`) and `getifaddrs` (libuv's
//! `uv_interface_addresses`), through libc. This is the crate's only `unsafe` code; each block
//! says why it is sound.

#![allow(unsafe_code)]

use std::ffi::CStr;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// A password-database entry (`struct passwd`), owned.
pub(crate) struct Passwd {
    pub(crate) username: Vec<u8>,
    pub(crate) uid: u32,
    pub(crate) gid: u32,
    pub(crate) homedir: Vec<u8>,
    pub(crate) shell: Option<Vec<u8>>,
}

/// `getpwuid_r(uid)`, growing the buffer on `ERANGE` as libuv does; `ENOENT` when there is no
/// entry for `uid`.
pub(crate) fn getpwuid(uid: u32) -> io::Result<Passwd> {
    let mut size = 4096;
    loop {
        let mut buf = vec![0u8; size];
        // SAFETY: `passwd` is a plain C struct of pointers and integers, for which all-zero
        // bytes are a valid (empty) value; getpwuid_r only writes into it.
        let mut pwd: libc::passwd = unsafe { std::mem::zeroed() };
        let mut result: *mut libc::passwd = std::ptr::null_mut();
        // SAFETY: every pointer is to live, writable memory of the stated size for the whole
        // call: `pwd`, `buf` (`size` bytes) and `result`.
        let rc = unsafe {
            libc::getpwuid_r(
                uid,
                &mut pwd,
                buf.as_mut_ptr().cast(),
                buf.len(),
                &mut result,
            )
        };
        if rc == libc::ERANGE {
            size *= 2;
            continue;
        }
        if rc != 0 {
            return Err(io::Error::from_raw_os_error(rc));
        }
        if result.is_null() {
            return Err(io::Error::from_raw_os_error(libc::ENOENT));
        }
        // SAFETY: on success the string fields of `pwd` are NUL-terminated strings inside
        // `buf`, which is still alive; a null shell is checked before reading.
        let text = |p: *const libc::c_char| unsafe { CStr::from_ptr(p) }.to_bytes().to_vec();
        return Ok(Passwd {
            username: text(pwd.pw_name),
            uid: pwd.pw_uid,
            gid: pwd.pw_gid,
            homedir: text(pwd.pw_dir),
            shell: (!pwd.pw_shell.is_null()).then(|| text(pwd.pw_shell)),
        });
    }
}

/// One address of an interface, as `uv_interface_address_t` has it.
pub(crate) struct IfAddress {
    pub(crate) name: String,
    pub(crate) address: IpAddr,
    pub(crate) netmask: IpAddr,
    pub(crate) mac: [u8; 6],
    pub(crate) internal: bool,
    pub(crate) scope_id: Option<u32>,
}

/// libuv's `uv_interface_addresses` on Linux: the IPv4 and IPv6 addresses of interfaces that
/// are up and running, in `getifaddrs` order, each with the hardware address of its interface
/// (an alias `eth0:1` shares `eth0`'s).
pub(crate) fn interface_addresses() -> io::Result<Vec<IfAddress>> {
    let mut head: *mut libc::ifaddrs = std::ptr::null_mut();
    // SAFETY: `head` is a valid place for the list pointer; on success the list is freed
    // below with freeifaddrs, exactly once.
    if unsafe { libc::getifaddrs(&mut head) } != 0 {
        return Err(io::Error::last_os_error());
    }
    let mut out = Vec::new();
    let mut macs: Vec<(String, [u8; 6])> = Vec::new();
    let mut ent = head;
    while !ent.is_null() {
        // SAFETY: `ent` is a non-null node of the list getifaddrs returned, not yet freed.
        let e = unsafe { &*ent };
        ent = e.ifa_next;
        let flags = e.ifa_flags;
        let up = flags & libc::IFF_UP as u32 != 0 && flags & libc::IFF_RUNNING as u32 != 0;
        if !up || e.ifa_addr.is_null() {
            continue;
        }
        // SAFETY: `ifa_name` is a NUL-terminated string owned by the list.
        let name = unsafe { CStr::from_ptr(e.ifa_name) }
            .to_string_lossy()
            .into_owned();
        // SAFETY: `ifa_addr` is non-null and points to a sockaddr of the family it names;
        // each branch reads it as that family's struct only.
        let family = i32::from(unsafe { (*e.ifa_addr).sa_family });
        match family {
            libc::AF_PACKET => {
                // SAFETY: an AF_PACKET address is a `sockaddr_ll`.
                let sll = unsafe { &*e.ifa_addr.cast::<libc::sockaddr_ll>() };
                let mut mac = [0u8; 6];
                mac.copy_from_slice(&sll.sll_addr[..6]);
                macs.push((name, mac));
            }
            libc::AF_INET | libc::AF_INET6 => {
                // SAFETY: the address and (when non-null) the netmask are sockaddrs of the
                // same family as `ifa_addr`, as getifaddrs fills them.
                let (address, scope_id) = unsafe { ip_of(e.ifa_addr) };
                let netmask = if e.ifa_netmask.is_null() {
                    unspecified(&address)
                } else {
                    // SAFETY: as above.
                    unsafe { ip_of(e.ifa_netmask) }.0
                };
                out.push(IfAddress {
                    name,
                    address,
                    netmask,
                    mac: [0; 6],
                    internal: flags & libc::IFF_LOOPBACK as u32 != 0,
                    scope_id,
                });
            }
            _ => {}
        }
    }
    // SAFETY: `head` came from a successful getifaddrs and is freed once; nothing borrowed
    // from the list outlives this point (names and addresses were copied).
    unsafe { libc::freeifaddrs(head) };
    for (name, mac) in macs {
        for a in &mut out {
            let alias = a.name.strip_prefix(name.as_str());
            if alias.is_some_and(|rest| rest.is_empty() || rest.starts_with(':')) {
                a.mac = mac;
            }
        }
    }
    Ok(out)
}

fn unspecified(a: &IpAddr) -> IpAddr {
    match a {
        IpAddr::V4(_) => IpAddr::V4(Ipv4Addr::UNSPECIFIED),
        IpAddr::V6(_) => IpAddr::V6(Ipv6Addr::UNSPECIFIED),
    }
}

/// The IP address in a sockaddr of family AF_INET or AF_INET6, and an IPv6 scope id.
///
/// # Safety
/// `sa` points to a live `sockaddr_in` when its family is AF_INET, a `sockaddr_in6` otherwise.
unsafe fn ip_of(sa: *const libc::sockaddr) -> (IpAddr, Option<u32>) {
    // SAFETY: the caller guarantees `sa` is live and of the family read here.
    unsafe {
        if i32::from((*sa).sa_family) == libc::AF_INET {
            let sin = &*sa.cast::<libc::sockaddr_in>();
            let ip = Ipv4Addr::from(u32::from_be(sin.sin_addr.s_addr));
            (IpAddr::V4(ip), None)
        } else {
            let sin6 = &*sa.cast::<libc::sockaddr_in6>();
            let ip = Ipv6Addr::from(sin6.sin6_addr.s6_addr);
            (IpAddr::V6(ip), Some(sin6.sin6_scope_id))
        }
    }
}
