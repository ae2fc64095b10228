//! The synchronous random functions: `randomBytes`, `randomFillSync`, `randomInt`,
//! `randomUUID` and `getRandomValues`, drawing from the operating system (`getrandom`) as
//! Node's OpenSSL CSPRNG is seeded from it.

use crate::error::received_number;
use crate::{Error, ErrorKind};

const MAX_SIZE: u64 = i32::MAX as u64;
const MAX_SAFE_INTEGER: i64 = (1 << 53) - 1;
/// Node's `RAND_MAX` for `randomInt`: 48 random bits per draw.
const RAND_MAX: i64 = 0xFFFF_FFFF_FFFF;

fn fill(buf: &mut [u8]) -> Result<(), Error> {
    getrandom::fill(buf).map_err(|e| {
        Error::new(
            ErrorKind::RandomSourceFailed,
            format!("the operating system's random source failed: {e}"),
        )
    })
}

/// `crypto.randomBytes(size)`.
///
/// ```
/// assert_eq!(nodestd_crypto::random_bytes(16)?.len(), 16);
/// # Ok::<(), nodestd_crypto::Error>(())
/// ```
///
/// # Errors
/// `ERR_OUT_OF_RANGE` when `size` exceeds 2^31 - 1.
#[doc(alias = "randomBytes")]
pub fn random_bytes(size: u64) -> Result<Vec<u8>, Error> {
    check_size(size)?;
    let mut out = vec![0; size as usize];
    fill(&mut out)?;
    Ok(out)
}

/// `randomBytes`'s size check.
pub(crate) fn check_size(size: u64) -> Result<(), Error> {
    if size > MAX_SIZE {
        return Err(Error::out_of_range(
            "size",
            ">= 0 && <= 2147483647",
            received_number(size.into()),
        ));
    }
    Ok(())
}

/// `crypto.randomFillSync(buffer)`: fills the whole buffer.
///
/// # Errors
/// Only when the operating system's random source fails.
#[doc(alias = "randomFillSync")]
pub fn random_fill_sync(buf: &mut [u8]) -> Result<&mut [u8], Error> {
    fill(buf)?;
    Ok(buf)
}

/// `crypto.randomFillSync(buffer, offset, size)`: fills `size` bytes from `offset` (`size`
/// `None` means to the end).
///
/// ```
/// let mut buf = [0u8; 8];
/// nodestd_crypto::random_fill_sync_range(&mut buf, 6, None)?;
/// assert_eq!(buf[..6], [0; 6]);
/// # Ok::<(), nodestd_crypto::Error>(())
/// ```
///
/// # Errors
/// `ERR_OUT_OF_RANGE` when `offset` or `offset + size` passes the end of the buffer.
#[doc(alias = "randomFillSync")]
pub fn random_fill_sync_range(
    buf: &mut [u8],
    offset: usize,
    size: Option<usize>,
) -> Result<&mut [u8], Error> {
    let (offset, size) = check_range(buf.len(), offset, size)?;
    fill(&mut buf[offset..offset + size])?;
    Ok(buf)
}

/// `randomFill`'s range checks: the `(offset, size)` to fill in a buffer of `len` bytes.
pub(crate) fn check_range(
    len: usize,
    offset: usize,
    size: Option<usize>,
) -> Result<(usize, usize), Error> {
    if offset > len {
        return Err(Error::out_of_range(
            "offset",
            &format!(">= 0 && <= {len}"),
            offset,
        ));
    }
    let size = size.unwrap_or(len - offset);
    if size > len - offset {
        return Err(Error::out_of_range(
            "size + offset",
            &format!("<= {len}"),
            received_number(size as i128 + offset as i128),
        ));
    }
    Ok((offset, size))
}

/// `crypto.getRandomValues(typedArray)` for bytes (other integer arrays are their bytes).
///
/// # Errors
/// `QuotaExceededError` for more than 65,536 bytes.
#[doc(alias = "getRandomValues")]
pub fn get_random_values(buf: &mut [u8]) -> Result<&mut [u8], Error> {
    if buf.len() > 65536 {
        return Err(Error::new(
            ErrorKind::QuotaExceeded,
            "The requested length exceeds 65,536 bytes",
        ));
    }
    fill(buf)?;
    Ok(buf)
}

fn safe_integer(name: &str, v: i64) -> Result<(), Error> {
    if (-MAX_SAFE_INTEGER..=MAX_SAFE_INTEGER).contains(&v) {
        return Ok(());
    }
    Err(Error::new(
        ErrorKind::InvalidArgType,
        format!("The \"{name}\" argument must be a safe integer. Received type number ({v})"),
    ))
}

/// `crypto.randomInt(min, max)`: a uniform integer with `min <= n < max`, drawn as Node draws
/// it (48-bit samples, rejecting the biased tail).
///
/// ```
/// let n = nodestd_crypto::random_int(-3, 3)?;
/// assert!((-3..3).contains(&n));
/// # Ok::<(), nodestd_crypto::Error>(())
/// ```
///
/// # Errors
/// `ERR_INVALID_ARG_TYPE` when a bound is not a safe integer; `ERR_OUT_OF_RANGE` when
/// `max <= min` or `max - min` exceeds 2^48 - 1.
#[doc(alias = "randomInt")]
pub fn random_int(min: i64, max: i64) -> Result<i64, Error> {
    random_int_impl(min, max, false)
}

/// `crypto.randomInt(max)`: as [`random_int`] with `min` 0.
///
/// # Errors
/// As [`random_int`].
#[doc(alias = "randomInt")]
pub fn random_int_max(max: i64) -> Result<i64, Error> {
    random_int_impl(0, max, true)
}

fn random_int_impl(min: i64, max: i64, min_implied: bool) -> Result<i64, Error> {
    safe_integer("min", min)?;
    safe_integer("max", max)?;
    if max <= min {
        return Err(Error::out_of_range(
            "max",
            &format!("greater than the value of \"min\" ({min})"),
            received_number(max.into()),
        ));
    }
    let range = max - min;
    if range > RAND_MAX {
        let what = if min_implied { "max" } else { "max - min" };
        return Err(Error::out_of_range(
            what,
            &format!("<= {RAND_MAX}"),
            received_number(range.into()),
        ));
    }
    let limit = RAND_MAX - RAND_MAX % range;
    loop {
        let mut six = [0u8; 8];
        fill(&mut six[2..])?;
        let x = i64::from_be_bytes(six);
        if x < limit {
            return Ok(x % range + min);
        }
    }
}

/// `crypto.randomUUID()`: a version 4 UUID in lowercase hex.
///
/// ```
/// let id = nodestd_crypto::random_uuid()?;
/// assert_eq!(id.len(), 36);
/// assert_eq!(&id[14..15], "4");
/// # Ok::<(), nodestd_crypto::Error>(())
/// ```
///
/// # Errors
/// Only when the operating system's random source fails.
#[doc(alias = "randomUUID")]
pub fn random_uuid() -> Result<String, Error> {
    let mut b = [0u8; 16];
    fill(&mut b)?;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex = crate::Encoding::Hex.decode(&b);
    Ok(format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    ))
}
