//! The brotli modes, on the `brotli` crate (encoder) and `brotli-decompressor` (decoder), with
//! Node's parameter handling and error codes.
//!
//! Parameters are applied the way Node's C++ applies its `Uint32Array`: unset keys (`-1`) are
//! skipped, encoder keys 0..=8 are accepted with C brotli's meaning, and a decoder accepts only
//! its two keys (0 and 1); any other decoder key fails initialization.

use brotli::enc::StandardAlloc;
use brotli::enc::encode::{
    BrotliEncoderOperation, BrotliEncoderParameter, BrotliEncoderStateStruct,
};
use brotli_decompressor::{
    BrotliDecoderParameter, BrotliDecompressStream, BrotliResult, BrotliState,
};

use crate::constants::*;
use crate::error::{BrotliDecoderError, Error, ErrorKind};
use crate::{Outcome, Progress};

type Params = [Option<u32>; K_MAX_BROTLI_PARAM as usize + 1];

fn init_failed() -> Error {
    Error::new(ErrorKind::InitializationFailed, "Initialization failed")
}

pub(crate) struct Encoder {
    state: Box<BrotliEncoderStateStruct<StandardAlloc>>,
}

impl Encoder {
    pub(crate) fn new(params: &Params) -> Result<Encoder, Error> {
        let mut state = Box::new(BrotliEncoderStateStruct::new(StandardAlloc::default()));
        for (key, value) in params.iter().enumerate() {
            let Some(value) = *value else { continue };
            if value == u32::MAX {
                // Node's "not set" marker (the array is filled with -1).
                continue;
            }
            let ok = match key as u32 {
                BROTLI_PARAM_MODE => state.set_parameter(
                    BrotliEncoderParameter::BROTLI_PARAM_MODE,
                    // C brotli knows generic, text and font; other values act as generic.
                    if value <= BROTLI_MODE_FONT { value } else { 0 },
                ),
                BROTLI_PARAM_QUALITY => {
                    state.set_parameter(BrotliEncoderParameter::BROTLI_PARAM_QUALITY, value)
                }
                BROTLI_PARAM_LGWIN => {
                    state.set_parameter(BrotliEncoderParameter::BROTLI_PARAM_LGWIN, value)
                }
                BROTLI_PARAM_LGBLOCK => {
                    state.set_parameter(BrotliEncoderParameter::BROTLI_PARAM_LGBLOCK, value)
                }
                BROTLI_PARAM_DISABLE_LITERAL_CONTEXT_MODELING => state.set_parameter(
                    BrotliEncoderParameter::BROTLI_PARAM_DISABLE_LITERAL_CONTEXT_MODELING,
                    u32::from(value != 0),
                ),
                BROTLI_PARAM_SIZE_HINT => {
                    state.set_parameter(BrotliEncoderParameter::BROTLI_PARAM_SIZE_HINT, value)
                }
                BROTLI_PARAM_LARGE_WINDOW => state.set_parameter(
                    BrotliEncoderParameter::BROTLI_PARAM_LARGE_WINDOW,
                    u32::from(value != 0),
                ),
                BROTLI_PARAM_NPOSTFIX => {
                    state.params.dist.distance_postfix_bits = value;
                    true
                }
                BROTLI_PARAM_NDIRECT => {
                    state.params.dist.num_direct_distance_codes = value;
                    true
                }
                _ => false,
            };
            if !ok {
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
            BROTLI_OPERATION_FLUSH => BrotliEncoderOperation::BROTLI_OPERATION_FLUSH,
            BROTLI_OPERATION_FINISH => BrotliEncoderOperation::BROTLI_OPERATION_FINISH,
            BROTLI_OPERATION_EMIT_METADATA => {
                BrotliEncoderOperation::BROTLI_OPERATION_EMIT_METADATA
            }
            _ => BrotliEncoderOperation::BROTLI_OPERATION_PROCESS,
        };
        let mut avail_in = input.len();
        let mut in_off = 0;
        let mut avail_out = output.len();
        let mut out_off = 0;
        let ok = self.state.compress_stream(
            op,
            &mut avail_in,
            input,
            &mut in_off,
            &mut avail_out,
            output,
            &mut out_off,
            &mut None,
            &mut |_, _, _, _| (),
        );
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
        Ok((
            Progress {
                consumed: in_off,
                produced: out_off,
            },
            outcome,
        ))
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
