//! The brotli modes, on Google's C encoder (`brotli_c`) and the `brotli-decompressor` crate
//! (decoder), with Node's parameter handling and error codes.
//!
//! Parameters are applied the way Node's C++ applies its `Uint32Array`: unset keys (`-1`) are
//! skipped, encoder keys 0..=8 are accepted with C brotli's meaning, and a decoder accepts only
//! its two keys (0 and 1); any other decoder key fails initialization.

use brotli_decompressor::{
    BrotliDecoderParameter, BrotliDecompressStream, BrotliResult, BrotliState, StandardAlloc,
};

use crate::constants::*;
use crate::error::{BrotliDecoderError, Error, ErrorKind};
use crate::{Outcome, Progress};

type Params = [Option<u32>; K_MAX_BROTLI_PARAM as usize + 1];

fn init_failed() -> Error {
    Error::new(ErrorKind::InitializationFailed, "Initialization failed")
}

pub(crate) struct Encoder {
    state: crate::brotli_c::State,
}

impl Encoder {
    pub(crate) fn new(params: &Params) -> Result<Encoder, Error> {
        let mut state = crate::brotli_c::State::new().ok_or_else(init_failed)?;
        for (key, value) in params.iter().enumerate() {
            let Some(value) = *value else { continue };
            if value == u32::MAX {
                // Node's "not set" marker (the array is filled with -1).
                continue;
            }
            // The encoder keys Node knows (0 to 8), passed as Node passes them; any other
            // key fails initialization.
            let known = matches!(
                key as u32,
                BROTLI_PARAM_MODE
                    | BROTLI_PARAM_QUALITY
                    | BROTLI_PARAM_LGWIN
                    | BROTLI_PARAM_LGBLOCK
                    | BROTLI_PARAM_DISABLE_LITERAL_CONTEXT_MODELING
                    | BROTLI_PARAM_SIZE_HINT
                    | BROTLI_PARAM_LARGE_WINDOW
                    | BROTLI_PARAM_NPOSTFIX
                    | BROTLI_PARAM_NDIRECT
            );
            if !known || !state.set_parameter(key as u32, value) {
                return Err(init_failed());
            }
        }
        Ok(Encoder { state })
    }

    pub(crate) fn write(
        &mut self,
        flush: i32,
        input: &[u8],
        output: &mut [u8],
    ) -> Result<(Progress, Outcome), Error> {
        let op = match flush {
            BROTLI_OPERATION_FLUSH | BROTLI_OPERATION_FINISH | BROTLI_OPERATION_EMIT_METADATA => {
                flush
            }
            _ => BROTLI_OPERATION_PROCESS,
        };
        let (ok, consumed, produced) = self.state.compress(op, input, output);
        if !ok {
            return Err(Error::new(
                ErrorKind::BrotliCompressionFailed,
                "Compression failed",
            ));
        }
        let outcome = if self.state.is_finished() {
            Outcome::End
        } else {
            Outcome::More
        };
        Ok((Progress { consumed, produced }, outcome))
    }
}

pub(crate) struct Decoder {
    state: Box<BrotliState<StandardAlloc, StandardAlloc, StandardAlloc>>,
}

impl Decoder {
    pub(crate) fn new(params: &Params) -> Result<Decoder, Error> {
        // `new_strict`: no large-window streams unless asked, as C brotli's default.
        let mut state = Box::new(BrotliState::new_strict(
            StandardAlloc::default(),
            StandardAlloc::default(),
            StandardAlloc::default(),
        ));
        for (key, value) in params.iter().enumerate() {
            let Some(value) = *value else { continue };
            if value == u32::MAX {
                continue;
            }
            let param = match key as u32 {
                BROTLI_DECODER_PARAM_DISABLE_RING_BUFFER_REALLOCATION => {
                    BrotliDecoderParameter::BROTLI_DECODER_PARAM_DISABLE_RING_BUFFER_REALLOCATION
                }
                BROTLI_DECODER_PARAM_LARGE_WINDOW => {
                    BrotliDecoderParameter::BROTLI_DECODER_PARAM_LARGE_WINDOW
                }
                _ => return Err(init_failed()),
            };
            if !state.set_parameter(param, value) {
                return Err(init_failed());
            }
        }
        Ok(Decoder { state })
    }

    pub(crate) fn write(
        &mut self,
        flush: i32,
        input: &[u8],
        output: &mut [u8],
    ) -> Result<(Progress, Outcome), Error> {
        let mut avail_in = input.len();
        let mut in_off = 0;
        let mut avail_out = output.len();
        let mut out_off = 0;
        let mut total = 0;
        let result = BrotliDecompressStream(
            &mut avail_in,
            &mut in_off,
            input,
            &mut avail_out,
            &mut out_off,
            output,
            &mut total,
            &mut self.state,
        );
        let progress = Progress {
            consumed: in_off,
            produced: out_off,
        };
        match result {
            BrotliResult::ResultFailure => {
                let errno = self.state.error_code as i32;
                let kind = BrotliDecoderError::from_errno(errno)
                    .unwrap_or(BrotliDecoderError::Unreachable);
                Err(Error::new(ErrorKind::Brotli(kind), "Decompression failed"))
            }
            BrotliResult::NeedsMoreInput if flush == BROTLI_OPERATION_FINISH => {
                Err(Error::new(ErrorKind::BufError, "unexpected end of file"))
            }
            BrotliResult::ResultSuccess => Ok((progress, Outcome::End)),
            _ => Ok((progress, Outcome::More)),
        }
    }
}
