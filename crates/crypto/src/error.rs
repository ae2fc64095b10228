//! The crate's one error type: Node's `code` (when the error has one), the JavaScript
//! constructor name, and Node's message, all generated from one table.

use std::fmt;

/// The JavaScript class of a thrown error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorName {
    /// `Error`.
    Error,
    /// `TypeError`.
    TypeError,
    /// `RangeError`.
    RangeError,
}

impl ErrorName {
    /// The constructor's name, as JavaScript spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorName::Error => "Error",
            ErrorName::TypeError => "TypeError",
            ErrorName::RangeError => "RangeError",
        }
    }
}

macro_rules! kinds {
    ($($(#[$doc:meta])* $kind:ident => $code:expr, $name:ident;)*) => {
        /// What went wrong, one variant per error Node throws from this module.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ErrorKind {
            $($(#[$doc])* $kind,)*
        }

        impl ErrorKind {
            /// Node's `code` property, or `None` for the errors Node throws without one.
            pub fn code(self) -> Option<&'static str> {
                match self {
                    $(ErrorKind::$kind => $code,)*
                }
            }

            /// The JavaScript class Node throws for this kind.
            pub fn name(self) -> ErrorName {
                match self {
                    $(ErrorKind::$kind => ErrorName::$name,)*
                }
            }
        }
    };
}

kinds! {
    /// `ERR_INVALID_ARG_TYPE`: an argument of the wrong type.
    InvalidArgType => Some("ERR_INVALID_ARG_TYPE"), TypeError;
    /// `ERR_INVALID_ARG_VALUE`: e.g. an odd-length string with the `hex` encoding.
    InvalidArgValue => Some("ERR_INVALID_ARG_VALUE"), TypeError;
    /// `ERR_OUT_OF_RANGE`: a number outside its range.
    OutOfRange => Some("ERR_OUT_OF_RANGE"), RangeError;
    /// `ERR_CRYPTO_HASH_FINALIZED`: `digest` was already called.
    HashFinalized => Some("ERR_CRYPTO_HASH_FINALIZED"), Error;
    /// `ERR_CRYPTO_INVALID_DIGEST`: an unknown digest given to HMAC or a KDF.
    InvalidDigest => Some("ERR_CRYPTO_INVALID_DIGEST"), TypeError;
    /// A plain `Error` "Digest method not supported" (unknown `createHash` algorithm).
    DigestNotSupported => None, Error;
    /// `ERR_OSSL_EVP_UNSUPPORTED`: an algorithm OpenSSL knows but no provider offers (md4 …).
    EvpUnsupported => Some("ERR_OSSL_EVP_UNSUPPORTED"), Error;
    /// A plain `Error` from a KDF whose digest OpenSSL knows but cannot use.
    EvpUnsupportedPlain => None, Error;
    /// `ERR_OSSL_EVP_NOT_XOF_OR_INVALID_LENGTH`: `outputLength` on a fixed-size digest.
    NotXofOrInvalidLength => Some("ERR_OSSL_EVP_NOT_XOF_OR_INVALID_LENGTH"), Error;
    /// A plain `Error` "Deriving bits failed" (a KDF over an extendable-output digest).
    DerivingBitsFailed => None, Error;
    /// A plain `Error` from HMAC over an extendable-output digest.
    HmacInitFailed => None, Error;
    /// `ERR_CRYPTO_INVALID_KEYLEN`: a key of the wrong length, or too long an output.
    InvalidKeylen => Some("ERR_CRYPTO_INVALID_KEYLEN"), RangeError;
    /// `ERR_CRYPTO_INVALID_IV`: a missing IV or one of the wrong length.
    InvalidIv => Some("ERR_CRYPTO_INVALID_IV"), TypeError;
    /// `ERR_CRYPTO_INVALID_AUTH_TAG`: an authentication tag length the cipher refuses.
    InvalidAuthTag => Some("ERR_CRYPTO_INVALID_AUTH_TAG"), TypeError;
    /// `ERR_CRYPTO_INVALID_STATE`: a call the cipher's state does not allow.
    InvalidState => Some("ERR_CRYPTO_INVALID_STATE"), Error;
    /// A plain `Error` "Trying to add data in unsupported state" (`update` after `final`).
    UnsupportedState => None, Error;
    /// A plain `Error` "Unsupported state or unable to authenticate data" (AEAD tag mismatch).
    AuthenticationFailed => None, Error;
    /// `ERR_CRYPTO_UNKNOWN_CIPHER`.
    UnknownCipher => Some("ERR_CRYPTO_UNKNOWN_CIPHER"), Error;
    /// `ERR_OSSL_BAD_DECRYPT`: bad PKCS#7 padding.
    BadDecrypt => Some("ERR_OSSL_BAD_DECRYPT"), Error;
    /// `ERR_OSSL_WRONG_FINAL_BLOCK_LENGTH`: input that is not a whole number of blocks.
    WrongFinalBlockLength => Some("ERR_OSSL_WRONG_FINAL_BLOCK_LENGTH"), Error;
    /// `ERR_CRYPTO_INVALID_MESSAGELEN`: a CCM message longer than its nonce allows.
    InvalidMessagelen => Some("ERR_CRYPTO_INVALID_MESSAGELEN"), RangeError;
    /// `ERR_MISSING_ARGS`: CCM's `setAAD` without `plaintextLength`.
    MissingArgs => Some("ERR_MISSING_ARGS"), TypeError;
    /// `ERR_OSSL_TAG_NOT_SET`: a CCM encryption finished without a message.
    TagNotSet => Some("ERR_OSSL_TAG_NOT_SET"), Error;
    /// `ERR_OSSL_XTS_DUPLICATED_KEYS`: an XTS key whose two halves are equal (encrypting).
    XtsDuplicatedKeys => Some("ERR_OSSL_XTS_DUPLICATED_KEYS"), Error;
    /// `ERR_CRYPTO_INVALID_SCRYPT_PARAMS`.
    InvalidScryptParams => Some("ERR_CRYPTO_INVALID_SCRYPT_PARAMS"), RangeError;
    /// `ERR_CRYPTO_SCRYPT_INVALID_PARAMETER`: both a parameter and its alias were given.
    ScryptInvalidParameter => Some("ERR_CRYPTO_SCRYPT_INVALID_PARAMETER"), Error;
    /// `ERR_CRYPTO_TIMING_SAFE_EQUAL_LENGTH`.
    TimingSafeEqualLength => Some("ERR_CRYPTO_TIMING_SAFE_EQUAL_LENGTH"), RangeError;
    /// `QuotaExceededError` (a `DOMException`): `getRandomValues` over 65,536 bytes.
    QuotaExceeded => None, Error;
    /// The operating system's random source failed (Node has no such error: it aborts).
    RandomSourceFailed => None, Error;
    /// `ERR_CRYPTO_INVALID_CURVE`: an EC curve name this crate (or Node) does not know.
    InvalidCurve => Some("ERR_CRYPTO_INVALID_CURVE"), TypeError;
    /// `ERR_OSSL_UNSUPPORTED`: OpenSSL's decoder found no key in the input.
    OsslUnsupported => Some("ERR_OSSL_UNSUPPORTED"), Error;
    /// `ERR_OSSL_ASN1_WRONG_TAG`: malformed DER.
    Asn1WrongTag => Some("ERR_OSSL_ASN1_WRONG_TAG"), Error;
    /// `ERR_OSSL_EC_INVALID_PRIVATE_KEY`: an EC scalar out of range.
    OsslInvalidPrivateKey => Some("ERR_OSSL_EC_INVALID_PRIVATE_KEY"), Error;
    /// `ERR_OSSL_EC_INVALID_ENCODING`: an EC point that is not on the curve.
    OsslInvalidEncoding => Some("ERR_OSSL_EC_INVALID_ENCODING"), Error;
    /// `ERR_CRYPTO_INVALID_JWK`: a JWK whose members make no key.
    InvalidJwk => Some("ERR_CRYPTO_INVALID_JWK"), TypeError;
    /// `ERR_MISSING_PASSPHRASE`: an encrypted private key without a passphrase.
    MissingPassphrase => Some("ERR_MISSING_PASSPHRASE"), TypeError;
    /// A code-less `Error` "key size too small" (RSA under 512 bits).
    OsslKeySizeTooSmall => None, Error;
    /// `ERR_CRYPTO_INCOMPATIBLE_KEY_OPTIONS`: `pkcs1` for a non-RSA key, `sec1` for a non-EC
    /// key.
    IncompatibleKeyOptions => Some("ERR_CRYPTO_INCOMPATIBLE_KEY_OPTIONS"), Error;
    /// `ERR_CRYPTO_UNSUPPORTED_OPERATION`: e.g. `createSign` with an ed25519 key.
    UnsupportedOperation => Some("ERR_CRYPTO_UNSUPPORTED_OPERATION"), Error;
    /// `ERR_CRYPTO_INVALID_KEY_OBJECT_TYPE`: a public key where a private one is needed …
    InvalidKeyObjectType => Some("ERR_CRYPTO_INVALID_KEY_OBJECT_TYPE"), TypeError;
    /// `ERR_OSSL_INVALID_DIGEST`: a digest given for ed25519.
    OsslInvalidDigest => Some("ERR_OSSL_INVALID_DIGEST"), Error;
    /// `ERR_OSSL_EVP_OPERATION_NOT_SUPPORTED_FOR_THIS_KEYTYPE`: signing with x25519.
    NotSupportedForKeytype => Some("ERR_OSSL_EVP_OPERATION_NOT_SUPPORTED_FOR_THIS_KEYTYPE"), Error;
    /// `ERR_OSSL_INVALID_PADDING_MODE`: an RSA padding other than PKCS#1 v1.5 and PSS.
    OsslInvalidPaddingMode => Some("ERR_OSSL_INVALID_PADDING_MODE"), Error;
    /// `ERR_OSSL_RSA_DATA_TOO_LARGE_FOR_KEY_SIZE`: a PSS salt too long for the key.
    OsslDataTooLargeForKeySize => Some("ERR_OSSL_RSA_DATA_TOO_LARGE_FOR_KEY_SIZE"), Error;
    /// `ERR_OSSL_RSA_DIGEST_TOO_BIG_FOR_RSA_KEY`: a digest too long for a small RSA key.
    OsslDigestTooBig => Some("ERR_OSSL_RSA_DIGEST_TOO_BIG_FOR_RSA_KEY"), Error;
    /// `ERR_CRYPTO_INCOMPATIBLE_KEY`: Diffie-Hellman over keys of different types.
    IncompatibleKey => Some("ERR_CRYPTO_INCOMPATIBLE_KEY"), Error;
    /// `ERR_OSSL_MISMATCHING_DOMAIN_PARAMETERS`: Diffie-Hellman over two curves.
    OsslMismatchingDomainParameters => Some("ERR_OSSL_MISMATCHING_DOMAIN_PARAMETERS"), Error;
    /// `ERR_OSSL_FAILED_DURING_DERIVATION`: an x25519 secret of all zeros (small-order key).
    OsslFailedDuringDerivation => Some("ERR_OSSL_FAILED_DURING_DERIVATION"), Error;
    /// `ERR_CRYPTO_OPERATION_FAILED`: e.g. an ECDH key read before one was set.
    OperationFailed => Some("ERR_CRYPTO_OPERATION_FAILED"), Error;
    /// `ERR_CRYPTO_ECDH_INVALID_PUBLIC_KEY`.
    EcdhInvalidPublicKey => Some("ERR_CRYPTO_ECDH_INVALID_PUBLIC_KEY"), Error;
    /// `ERR_CRYPTO_ECDH_INVALID_FORMAT`: a point format other than compressed, uncompressed
    /// and hybrid.
    EcdhInvalidFormat => Some("ERR_CRYPTO_ECDH_INVALID_FORMAT"), TypeError;
    /// `ERR_CRYPTO_INVALID_KEYTYPE`: an ECDH private key out of range.
    InvalidKeytype => Some("ERR_CRYPTO_INVALID_KEYTYPE"), RangeError;
    /// A worker-pool task ended without a result (it panicked, or the loop dropped it); Node
    /// has no such error.
    WorkerFailed => None, Error;
}

/// The worker pool's own failures (a panicking job, no worker thread could be started) as
/// [`ErrorKind::WorkerFailed`]: the asynchronous forms' jobs run on [`nodestd_loop::work`].
impl From<nodestd_loop::WorkError> for Error {
    fn from(e: nodestd_loop::WorkError) -> Error {
        Error::new(
            ErrorKind::WorkerFailed,
            format!("the worker-pool task failed: {}", e.message()),
        )
    }
}

/// An error as Node throws it: a kind (giving `code` and the class) and Node's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    message: String,
}

impl Error {
    /// An error of `kind` with Node's `message`.
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error {
            kind,
            message: message.into(),
        }
    }

    /// What went wrong.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// Node's `code` (`ERR_CRYPTO_INVALID_IV` …), or `None` when Node's error has none.
    pub fn code(&self) -> Option<&'static str> {
        self.kind.code()
    }

    /// The JavaScript class Node throws.
    pub fn name(&self) -> ErrorName {
        self.kind.name()
    }

    /// What a test record writes for this error: the code, or the class name when there is no
    /// code (`QuotaExceededError` for [`ErrorKind::QuotaExceeded`]).
    pub fn code_or_name(&self) -> &'static str {
        match (self.kind, self.code()) {
            (_, Some(code)) => code,
            (ErrorKind::QuotaExceeded, None) => "QuotaExceededError",
            (_, None) => self.name().as_str(),
        }
    }

    /// Node's message text.
    pub fn message(&self) -> &str {
        &self.message
    }

    // Constructors for the errors raised in more than one place.

    pub(crate) fn hash_finalized() -> Error {
        Error::new(ErrorKind::HashFinalized, "Digest already called")
    }

    pub(crate) fn invalid_digest(name: &str) -> Error {
        Error::new(ErrorKind::InvalidDigest, format!("Invalid digest: {name}"))
    }

    pub(crate) fn invalid_state(op: &str) -> Error {
        Error::new(
            ErrorKind::InvalidState,
            format!("Invalid state for operation {op}"),
        )
    }

    pub(crate) fn out_of_range(what: &str, range: &str, received: impl fmt::Display) -> Error {
        Error::new(
            ErrorKind::OutOfRange,
            format!(
                "The value of \"{what}\" is out of range. It must be {range}. Received {received}"
            ),
        )
    }

    pub(crate) fn invalid_keylen() -> Error {
        Error::new(ErrorKind::InvalidKeylen, "Invalid key length")
    }

    pub(crate) fn invalid_iv() -> Error {
        Error::new(ErrorKind::InvalidIv, "Invalid initialization vector")
    }

    pub(crate) fn invalid_auth_tag(len: usize) -> Error {
        Error::new(
            ErrorKind::InvalidAuthTag,
            format!("Invalid authentication tag length: {len}"),
        )
    }

    pub(crate) fn evp_unsupported() -> Error {
        Error::new(
            ErrorKind::EvpUnsupported,
            "error:0308010C:digital envelope routines::unsupported",
        )
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.code() {
            Some(code) => write!(f, "{} [{code}]: {}", self.name().as_str(), self.message),
            None => write!(f, "{}: {}", self.name().as_str(), self.message),
        }
    }
}

impl std::error::Error for Error {}

/// Node's formatting of a number in an `ERR_OUT_OF_RANGE` message: integers above 2^32 get
/// `_` separators every three digits (`281_474_976_710_656`).
pub(crate) fn received_number(n: i128) -> String {
    let digits = n.unsigned_abs().to_string();
    let grouped = if n.unsigned_abs() > (1u128 << 32) {
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push('_');
            }
            out.push(c);
        }
        out
    } else {
        digits
    };
    if n < 0 {
        format!("-{grouped}")
    } else {
        grouped
    }
}
