//! `fs-script FILE.json [--mode sync|callback|promise]`: runs an fs script (format:
//! `fixtures/fs-scripts/README.md`) through nodestd-fs in a fresh temp dir and prints one JSON
//! line per operation, then the final tree, exactly as `node node/fs_script.js FILE.json` does.
//!
//! The JSON arguments are converted as Node converts JavaScript values (with Node's
//! `ERR_INVALID_ARG_TYPE` messages for values of the wrong type) by the library's
//! [`nodestd_conformance::fs_script`] (which the `fs_script` fuzz target drives); the crate
//! does the rest.

use std::cell::RefCell;
use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::rc::Rc;

use base64::Engine;
use nodestd_conformance::fs_script::{
    Mode, R, bool_opt, buffer, check_allocs, data_arg, encoding_of, flags_arg, invalid_type, js,
    mode_arg, num, opt, parse_script, path_arg, position, props, undefined, unknown_op,
};
use nodestd_fs::validators;
use nodestd_fs::{self as fs, Error, promises::FileHandle};
use serde_json::{Map, Value, json};

/// `Number.MAX_SAFE_INTEGER`: `validateInteger`'s default bound.
const MAX_SAFE: i64 = 9_007_199_254_740_991;

/// A value kept by `save`.
#[derive(Clone)]
enum Saved {
    Fd(fs::Fd),
    Handle(Rc<FileHandle>),
}

struct Ctx {
    mode: Mode,
    tmp: String,
    tmp_real: String,
    saved: RefCell<HashMap<String, Saved>>,
    kept: RefCell<Vec<Saved>>,
    temps: RefCell<Vec<(String, String)>>,
}

fn b64(b: &[u8]) -> Value {
    json!({ "base64": base64::engine::general_purpose::STANDARD.encode(b) })
}

impl Ctx {
    fn scrub(&self, s: &str) -> String {
        s.replace(&self.tmp_real, "<tmp>")
            .replace(&self.tmp, "<tmp>")
    }
    fn path_str(&self, p: &Path) -> Value {
        Value::String(self.scrub(&p.to_string_lossy()))
    }
}

// ----- results -----

fn kind_stats(s: &fs::Stats) -> &'static str {
    if s.is_file() {
        "file"
    } else if s.is_directory() {
        "dir"
    } else if s.is_symbolic_link() {
        "symlink"
    } else {
        "other"
    }
}

fn stats_json(s: &fs::Stats) -> Value {
    let mut o = Map::new();
    o.insert("type".into(), json!(kind_stats(s)));
    o.insert("mode".into(), json!(s.mode & 0o7777));
    o.insert("nlink".into(), json!(s.nlink));
    if !s.is_directory() {
        o.insert("size".into(), json!(s.size));
    }
    Value::Object(o)
}

fn dirent_kind(d: &fs::Dirent) -> &'static str {
    if d.is_file() {
        "file"
    } else if d.is_directory() {
        "dir"
    } else if d.is_symbolic_link() {
        "symlink"
    } else {
        "other"
    }
}

fn error_json(ctx: &Ctx, step: &Value, e: &Error) -> Value {
    let mut path = e.path().map(str::to_owned);
    let mut message = e.message().to_owned();
    if step["op"] == "mkdtemp" {
        if let (Some(p), Some(prefix)) = (&path, step["args"][0].as_str()) {
            let fixed = format!("{prefix}XXXXXX");
            message = message.replace(p.as_str(), &fixed);
            path = Some(fixed);
        }
    }
    if step["op"] == "cp"
        && ctx.mode != Mode::Sync
        && matches!(e.syscall(), Some("lstat") | Some("stat"))
    {
        return json!({ "race": e.syscall() });
    }
    let mut o = Map::new();
    o.insert("code".into(), json!(e.code()));
    if let Some(n) = e.errno() {
        o.insert("errno".into(), json!(n));
    }
    if let Some(s) = e.syscall() {
        o.insert("syscall".into(), json!(s));
    }
    if let Some(p) = path {
        o.insert("path".into(), json!(ctx.scrub(&p)));
    }
    if let Some(d) = e.dest() {
        o.insert("dest".into(), json!(ctx.scrub(d)));
    }
    o.insert("message".into(), json!(ctx.scrub(&message)));
    Value::Object(o)
}

// ----- running one operation in the chosen form -----

/// Runs `$name_sync(args)`, `callback::$name(args, cb)` or `promises::$name(args)`.
macro_rules! form {
    ($ctx:expr, $sync:ident, $name:ident ( $($a:expr),* )) => {
        match $ctx.mode {
            Mode::Sync => fs::$sync($($a),*),
            Mode::Callback => {
                let (r, p) = nodestd_loop::promise();
                match fs::callback::$name($($a,)* move |x| r.resolve(x)) {
                    Ok(()) => p.await.expect("the callback ran"),
                    Err(thrown) => Err(thrown),
                }
            }
            Mode::Promise => fs::promises::$name($($a),*).await,
        }
    };
}

/// As [`form!`] for the descriptor functions, whose promise form is a `FileHandle` method.
macro_rules! fd_form {
    ($ctx:expr, $target:expr, $sync:path, $name:ident, $method:ident ( $($a:expr),* )) => {
        match $target {
            Saved::Fd(fd) => match $ctx.mode {
                Mode::Callback => {
                    let (r, p) = nodestd_loop::promise();
                    match fs::callback::$name(fd, $($a,)* move |x| r.resolve(x)) {
                        Ok(()) => p.await.expect("the callback ran"),
                        Err(thrown) => Err(thrown),
                    }
                }
                _ => $sync(fd, $($a),*),
            },
            Saved::Handle(h) => h.$method($($a),*).await,
        }
    };
}

fn unsupported() -> Value {
    json!({ "unsupported": true })
}

async fn run(ctx: &Ctx, step: &Value) -> R<Value> {
    let op = step["op"].as_str().unwrap_or_default();
    let args: Vec<Value> = step["args"].as_array().cloned().unwrap_or_default();
    let a = |i: usize| args.get(i);
    let unit = |r: R<()>| r.map(|()| Value::Null);
    match op {
        "mkdir" => {
            let p = path_arg(&args, 0, "path")?;
            let o = a(1);
            let options = match o {
                Some(Value::Number(_)) | Some(Value::String(_)) => fs::MkdirOptions {
                    recursive: false,
                    mode: mode_arg(o, "mode", None)?,
                },
                _ => {
                    // mkdirSync and mkdir parse a mode that is not `undefined` with no default
                    // (`null` fails); fsPromises.mkdir destructures it with 0o777 as default.
                    let def = (ctx.mode == Mode::Promise).then_some(0o777);
                    let mode = match opt(o, "mode") {
                        v if undefined(v) => 0o777,
                        v => mode_arg(v, "mode", def)?,
                    };
                    let recursive = match opt(o, "recursive") {
                        v if undefined(v) => false,
                        v => validators::validate_boolean(js(v), "options.recursive")?,
                    };
                    fs::MkdirOptions { recursive, mode }
                }
            };
            let r = form!(ctx, mkdir_sync, mkdir(p, options))?;
            Ok(r.map_or(Value::Null, |p| ctx.path_str(&p)))
        }
        "writeFile" | "appendFile" => {
            let p = path_arg(&args, 0, "path")?;
            let o = a(2);
            let enc = encoding_of(o)?;
            let data = data_arg(a(1), enc)?;
            let options = fs::WriteFileOptions {
                flag: match opt(o, "flag") {
                    None => None,
                    f => Some(flags_arg(f, fs::OpenFlags::WRITE)?),
                },
                mode: mode_arg(opt(o, "mode"), "mode", Some(0o666))?,
                flush: bool_opt(o, "flush"),
                signal: None,
            };
            if op == "writeFile" {
                unit(form!(ctx, write_file_sync, write_file(p, data, options)))
            } else {
                unit(form!(ctx, append_file_sync, append_file(p, data, options)))
            }
        }
        "readFile" => {
            let p = path_arg(&args, 0, "path")?;
            let o = a(1);
            let enc = encoding_of(o)?;
            let options = fs::ReadFileOptions {
                flag: match opt(o, "flag") {
                    None => None,
                    f => Some(flags_arg(f, fs::OpenFlags::READ)?),
                },
                signal: None,
            };
            let bytes = form!(ctx, read_file_sync, read_file(p, options))?;
            Ok(match enc {
                Some(e) => Value::String(ctx.scrub(&e.decode(&bytes))),
                None => b64(&bytes),
            })
        }
        "stat" | "lstat" => {
            let p = path_arg(&args, 0, "path")?;
            let throw = !matches!(opt(a(1), "throwIfNoEntry"), Some(Value::Bool(false)));
            let r = if op == "stat" {
                form!(ctx, stat_sync, stat(p))
            } else {
                form!(ctx, lstat_sync, lstat(p))
            };
            match r {
                Err(e) if !throw && ctx.mode == Mode::Sync && e.code() == "ENOENT" => {
                    Ok(Value::Null)
                }
                r => r.map(|s| stats_json(&s)),
            }
        }
        "exists" => match ctx.mode {
            Mode::Promise => Ok(unsupported()),
            Mode::Sync => Ok(json!(path_arg(&args, 0, "path").is_ok_and(fs::exists_sync))),
            Mode::Callback => {
                let Ok(p) = path_arg(&args, 0, "path") else {
                    return Ok(json!(false));
                };
                let (r, pr) = nodestd_loop::promise();
                fs::callback::exists(p, move |x| r.resolve(x));
                Ok(json!(pr.await.unwrap_or(false)))
            }
        },
        "access" => {
            let p = path_arg(&args, 0, "path")?;
            let m = validators::get_valid_access_mode(js(a(1)))?;
            unit(form!(ctx, access_sync, access(p, m)))
        }
        "chmod" => {
            let p = path_arg(&args, 0, "path")?;
            let m = mode_arg(a(1), "mode", None)?;
            unit(form!(ctx, chmod_sync, chmod(p, m)))
        }
        "chown" | "lchown" => {
            let p = path_arg(&args, 0, "path")?;
            let (u, g) = (
                a(1).and_then(Value::as_i64).unwrap_or(-1),
                a(2).and_then(Value::as_i64).unwrap_or(-1),
            );
            if op == "chown" {
                unit(form!(ctx, chown_sync, chown(p, u, g)))
            } else {
                unit(form!(ctx, lchown_sync, lchown(p, u, g)))
            }
        }
        "copyFile" => {
            let s = path_arg(&args, 0, "src")?;
            let d = path_arg(&args, 1, "dest")?;
            let m = validators::get_valid_access_mode(js(a(2)))?;
            unit(form!(ctx, copy_file_sync, copy_file(s, d, m)))
        }
        "rename" | "link" => {
            let (n0, n1) = if op == "rename" {
                ("oldPath", "newPath")
            } else {
                ("existingPath", "newPath")
            };
            let s = path_arg(&args, 0, n0)?;
            let d = path_arg(&args, 1, n1)?;
            if op == "rename" {
                unit(form!(ctx, rename_sync, rename(s, d)))
            } else {
                unit(form!(ctx, link_sync, link(s, d)))
            }
        }
        "symlink" => {
            let s = path_arg(&args, 0, "target")?;
            let d = path_arg(&args, 1, "path")?;
            unit(form!(ctx, symlink_sync, symlink(s, d)))
        }
        "readlink" => {
            let p = path_arg(&args, 0, "path")?;
            form!(ctx, readlink_sync, readlink(p)).map(|p| ctx.path_str(&p))
        }
        "realpath" => {
            let p = path_arg(&args, 0, "path")?;
            form!(ctx, realpath_sync, realpath(p)).map(|p| ctx.path_str(&p))
        }
        "realpath.native" => {
            if ctx.mode == Mode::Promise {
                return Ok(unsupported());
            }
            let p = path_arg(&args, 0, "path")?;
            let r = if ctx.mode == Mode::Sync {
                fs::realpath_native_sync(p)
            } else {
                let (r, pr) = nodestd_loop::promise();
                match fs::callback::realpath_native(p, move |x| r.resolve(x)) {
                    Ok(()) => pr.await.expect("the callback ran"),
                    Err(thrown) => Err(thrown),
                }
            };
            r.map(|p| ctx.path_str(&p))
        }
        "unlink" => {
            let p = path_arg(&args, 0, "path")?;
            unit(form!(ctx, unlink_sync, unlink(p)))
        }
        "rmdir" => {
            let p = path_arg(&args, 0, "path")?;
            let o = a(1);
            // rmdirSync and rmdir warn on a truthy `recursive` before validating the options
            // (fsPromises.rmdir validates first).
            if ctx.mode != Mode::Promise && js(opt(o, "recursive")).truthy() {
                fs::emit_rmdir_recursive_warning();
            }
            let options = validators::rmdir_options(js(o), props(o))?;
            unit(form!(ctx, rmdir_sync, rmdir(p, options)))
        }
        "truncate" => {
            let p = path_arg(&args, 0, "path")?;
            // `len` undefined is 0, then `validateInteger(len, 'len')`: fs.truncate validates
            // before it opens; truncateSync and fsPromises.truncate open `r+` first (the
            // open's error wins) and validate in ftruncate. The Rust forms take an `i64`.
            let len = match a(1) {
                v if undefined(v) => Ok(0),
                v => validators::validate_integer(js(v), "len", -MAX_SAFE, MAX_SAFE),
            };
            let len = match len {
                Ok(n) => n,
                Err(e) if ctx.mode == Mode::Callback => return Err(e),
                Err(e) => {
                    let r_plus = fs::OpenFlags::parse("r+")?;
                    fs::close_sync(fs::open_sync(&p, r_plus, 0o666)?)?;
                    return Err(e);
                }
            };
            unit(form!(ctx, truncate_sync, truncate(p, len)))
        }
        "utimes" | "lutimes" => {
            let p = path_arg(&args, 0, "path")?;
            let (at, mt) = (num(a(1)), num(a(2)));
            if op == "utimes" {
                unit(form!(ctx, utimes_sync, utimes(p, at, mt)))
            } else {
                unit(form!(ctx, lutimes_sync, lutimes(p, at, mt)))
            }
        }
        "readdir" => {
            let p = path_arg(&args, 0, "path")?;
            let o = a(1);
            let options = fs::ReaddirOptions {
                recursive: bool_opt(o, "recursive"),
            };
            if bool_opt(o, "withFileTypes") {
                let v = form!(
                    ctx,
                    readdir_with_file_types_sync,
                    readdir_with_file_types(p, options)
                )?;
                Ok(Value::Array(
                    v.iter()
                        .map(|d| {
                            json!({
                                "name": d.name.to_string_lossy(),
                                "parentPath": ctx.scrub(&d.parent_path.to_string_lossy()),
                                "type": dirent_kind(d),
                            })
                        })
                        .collect(),
                ))
            } else {
                let v = form!(ctx, readdir_sync, readdir(p, options))?;
                Ok(Value::Array(v.iter().map(|p| ctx.path_str(p)).collect()))
            }
        }
        "mkdtemp" => {
            let p = path_arg(&args, 0, "prefix")?;
            let r = form!(ctx, mkdtemp_sync, mkdtemp(p))?;
            let s = r.to_string_lossy().into_owned();
            let cut = s.len().saturating_sub(6);
            let fixed = format!("{}XXXXXX", &s[..cut]);
            ctx.temps.borrow_mut().push((s, fixed.clone()));
            Ok(Value::String(ctx.scrub(&fixed)))
        }
        "opendir" => {
            let p = path_arg(&args, 0, "path")?;
            let mut dir = form!(ctx, opendir_sync, opendir(p))?;
            let mut out = Vec::new();
            while let Some(d) = dir.read_sync()? {
                out.push((d.name.to_string_lossy().into_owned(), dirent_kind(&d)));
            }
            dir.close_sync()?;
            out.sort();
            Ok(Value::Array(
                out.into_iter()
                    .map(|(n, t)| json!({"name": n, "type": t}))
                    .collect(),
            ))
        }
        "rm" => {
            let p = path_arg(&args, 0, "path")?;
            let o = a(1);
            let options = validators::rm_options(js(o), props(o))?;
            unit(form!(ctx, rm_sync, rm(p, options)))
        }
        "cp" => {
            // Node validates cp's options before its paths.
            let o = a(2);
            let options = validators::cp_options(js(o), props(o))?;
            let s = path_arg(&args, 0, "src")?;
            let d = path_arg(&args, 1, "dest")?;
            unit(form!(ctx, cp_sync, cp(s, d, options)))
        }
        "open" => {
            let p = path_arg(&args, 0, "path")?;
            let flags = flags_arg(a(1), fs::OpenFlags::READ)?;
            let mode = mode_arg(a(2), "mode", Some(0o666))?;
            let saved = match ctx.mode {
                Mode::Promise => Saved::Handle(Rc::new(fs::promises::open(p, flags, mode).await?)),
                Mode::Sync => Saved::Fd(fs::open_sync(p, flags, mode)?),
                Mode::Callback => {
                    let (r, pr) = nodestd_loop::promise();
                    fs::callback::open(p, flags, mode, move |x| r.resolve(x))?;
                    Saved::Fd(pr.await.expect("the callback ran")?)
                }
            };
            if let Some(name) = step["save"].as_str() {
                // A value saved over stays alive (as fs_script.js keeps it from Node's GC):
                // a handle is closed only by a `close` step.
                if let Some(old) = ctx.saved.borrow_mut().insert(name.to_owned(), saved) {
                    ctx.kept.borrow_mut().push(old);
                }
            }
            Ok(json!("<fd>"))
        }
        _ => fd_op(ctx, op, &args).await,
    }
}

async fn fd_op(ctx: &Ctx, op: &str, args: &[Value]) -> R<Value> {
    let target = args
        .first()
        .and_then(|v| v.get("$ref"))
        .and_then(Value::as_str)
        .and_then(|n| ctx.saved.borrow().get(n).cloned());
    let Some(t) = target else {
        return Err(invalid_type("fd", "of type number", args.first()));
    };
    let a = |i: usize| args.get(i);
    let unit = |r: R<()>| r.map(|()| Value::Null);
    // read(fd, buffer, offset, length, position) as a sub-slice of an owned buffer.
    let slice = |i: usize| {
        let buf = a(i).map(buffer).unwrap_or_default();
        let off = a(i + 1).and_then(Value::as_u64).unwrap_or(0) as usize;
        let len = a(i + 2)
            .and_then(Value::as_u64)
            .map_or(buf.len().saturating_sub(off), |l| l as usize);
        (buf, off, len)
    };
    match op {
        "read" => {
            let (mut buf, off, len) = slice(1);
            let pos = position(a(4));
            let end = (off + len).min(buf.len());
            let piece = buf[off.min(end)..end].to_vec();
            let (n, piece) = fd_form!(ctx, t, owned::read_owned_sync, read, read(piece, pos))?;
            buf[off.min(end)..end].copy_from_slice(&piece);
            Ok(json!({ "bytesRead": n, "buffer": b64(&buf) }))
        }
        "write" => {
            let (buf, off, len) = slice(1);
            let end = (off + len).min(buf.len());
            let piece = buf[off.min(end)..end].to_vec();
            let pos = position(a(4));
            Ok(json!(fd_form!(
                ctx,
                t,
                owned::write_owned_sync,
                write,
                write(piece, pos)
            )?))
        }
        "readv" | "writev" => {
            let bufs: Vec<Vec<u8>> = a(1)
                .and_then(Value::as_array)
                .map(|v| v.iter().map(buffer).collect())
                .unwrap_or_default();
            let pos = position(a(2));
            if op == "readv" {
                let (n, bufs) = fd_form!(ctx, t, owned::readv_owned_sync, readv, readv(bufs, pos))?;
                Ok(
                    json!({ "bytesRead": n, "buffers": bufs.iter().map(|b| b64(b)).collect::<Vec<_>>() }),
                )
            } else {
                Ok(json!(fd_form!(
                    ctx,
                    t,
                    owned::writev_owned_sync,
                    writev,
                    writev(bufs, pos)
                )?))
            }
        }
        "fstat" => fd_form!(ctx, t, fs::fstat_sync, fstat, stat()).map(|s| stats_json(&s)),
        "close" => unit(fd_form!(ctx, t, fs::close_sync, close, close())),
        "ftruncate" => {
            // `len = 0` by default, then `validateInteger(len, 'len')` in every form.
            let len = match a(1) {
                v if undefined(v) => 0,
                v => validators::validate_integer(js(v), "len", -MAX_SAFE, MAX_SAFE)?,
            };
            unit(fd_form!(
                ctx,
                t,
                fs::ftruncate_sync,
                ftruncate,
                truncate(len)
            ))
        }
        "fsync" => unit(fd_form!(ctx, t, fs::fsync_sync, fsync, sync())),
        "fdatasync" => unit(fd_form!(ctx, t, fs::fdatasync_sync, fdatasync, datasync())),
        "fchmod" => {
            let m = mode_arg(a(1), "mode", None)?;
            unit(fd_form!(ctx, t, fs::fchmod_sync, fchmod, chmod(m)))
        }
        "fchown" => {
            let (u, g) = (
                a(1).and_then(Value::as_i64).unwrap_or(-1),
                a(2).and_then(Value::as_i64).unwrap_or(-1),
            );
            unit(fd_form!(ctx, t, fs::fchown_sync, fchown, chown(u, g)))
        }
        "futimes" => {
            let (at, mt) = (num(a(1)), num(a(2)));
            unit(fd_form!(ctx, t, fs::futimes_sync, futimes, utimes(at, mt)))
        }
        _ => Err(unknown_op(op)),
    }
}

// The sync forms of the owned-buffer descriptor functions, named as the macro expects.
mod owned {
    use nodestd_fs::{Fd, Result};
    pub fn read_owned_sync(fd: Fd, mut buf: Vec<u8>, pos: Option<u64>) -> Result<(usize, Vec<u8>)> {
        let n = nodestd_fs::read_sync(fd, &mut buf, pos)?;
        Ok((n, buf))
    }
    pub fn write_owned_sync(fd: Fd, data: Vec<u8>, pos: Option<u64>) -> Result<usize> {
        nodestd_fs::write_sync(fd, &data, pos)
    }
    pub fn readv_owned_sync(
        fd: Fd,
        mut bufs: Vec<Vec<u8>>,
        pos: Option<u64>,
    ) -> Result<(usize, Vec<Vec<u8>>)> {
        let mut s: Vec<std::io::IoSliceMut<'_>> = bufs
            .iter_mut()
            .map(|b| std::io::IoSliceMut::new(b))
            .collect();
        let n = nodestd_fs::readv_sync(fd, &mut s, pos)?;
        drop(s);
        Ok((n, bufs))
    }
    pub fn writev_owned_sync(fd: Fd, bufs: Vec<Vec<u8>>, pos: Option<u64>) -> Result<usize> {
        let s: Vec<std::io::IoSlice<'_>> = bufs.iter().map(|b| std::io::IoSlice::new(b)).collect();
        nodestd_fs::writev_sync(fd, &s, pos)
    }
}

fn tree(ctx: &Ctx) -> Vec<Value> {
    let mut out = Vec::new();
    walk(ctx, "", &mut out);
    out
}

fn walk(ctx: &Ctx, rel: &str, out: &mut Vec<Value>) {
    let dir = if rel.is_empty() { "." } else { rel };
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|it| {
            it.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    for n in names {
        let p = if rel.is_empty() {
            n
        } else {
            format!("{rel}/{n}")
        };
        let Ok(s) = fs::lstat_sync(&p) else { continue };
        let mut shown = p.clone();
        for (from, to) in ctx.temps.borrow().iter() {
            let base = |s: &str| s.rsplit('/').next().unwrap_or_default().to_owned();
            shown = shown.replace(&base(from), &base(to));
        }
        let mut e = Map::new();
        e.insert("path".into(), json!(shown));
        e.insert("type".into(), json!(kind_stats(&s)));
        e.insert("mode".into(), json!(s.mode & 0o7777));
        if s.is_file() {
            e.insert("size".into(), json!(s.size));
            let data = std::fs::read(&p).unwrap_or_default();
            e.insert(
                "content".into(),
                json!(base64::engine::general_purpose::STANDARD.encode(data)),
            );
        }
        if s.is_symbolic_link() {
            let t = fs::readlink_sync(&p).unwrap_or_default();
            e.insert("target".into(), json!(ctx.scrub(&t.to_string_lossy())));
        }
        out.push(Value::Object(e));
        if s.is_directory() {
            walk(ctx, &p, out);
        }
    }
}

fn main() {
    let argv: Vec<String> = std::env::args().collect();
    let Some(file) = argv.get(1) else {
        eprintln!("usage: fs-script FILE.json [--mode sync|callback|promise]");
        std::process::exit(2);
    };
    let mode = match argv
        .iter()
        .position(|a| a == "--mode")
        .and_then(|i| argv.get(i + 1))
    {
        None => Mode::Sync,
        Some(m) if m == "sync" => Mode::Sync,
        Some(m) if m == "callback" => Mode::Callback,
        Some(m) if m == "promise" => Mode::Promise,
        Some(m) => {
            eprintln!("fs-script: unknown mode {m}");
            std::process::exit(2);
        }
    };
    let text = std::fs::read_to_string(file).unwrap_or_else(|e| {
        eprintln!("fs-script: cannot read {file}: {e}");
        std::process::exit(2)
    });
    let script = parse_script(&text).unwrap_or_else(|e| {
        eprintln!("fs-script: {file} is not a JSON list: {e}");
        std::process::exit(2)
    });
    let tmp =
        fs::mkdtemp_sync(std::env::temp_dir().join("nodestd-fs-script-")).expect("a temp dir");
    let tmp_real = fs::realpath_native_sync(&tmp).expect("the temp dir's real path");
    std::env::set_current_dir(&tmp).expect("chdir to the temp dir");
    let ctx = Rc::new(Ctx {
        mode,
        tmp: tmp.to_string_lossy().into_owned(),
        tmp_real: tmp_real.to_string_lossy().into_owned(),
        saved: RefCell::new(HashMap::new()),
        kept: RefCell::new(Vec::new()),
        temps: RefCell::new(Vec::new()),
    });
    let c = Rc::clone(&ctx);
    // The crate's process warnings (DEP0147), printed with the step that raised them.
    static WARNINGS: std::sync::Mutex<Vec<fs::Warning>> = std::sync::Mutex::new(Vec::new());
    fs::set_warning_hook(Some(std::sync::Arc::new(|w: &fs::Warning| {
        WARNINGS.lock().expect("the warnings").push(*w)
    })));
    let lines = nodestd_loop::block_on(async move {
        let mut lines = Vec::new();
        for step in &script {
            let op = step["op"].clone();
            // fs_script.js converts every argument (`Buffer.alloc` for `$alloc`) before the call.
            let ran = match check_allocs(&step["args"]) {
                Ok(()) => run(&c, step).await,
                Err(e) => Err(e),
            };
            let mut line = match ran {
                Ok(v) => json!({ "op": op, "result": v }),
                Err(e) => json!({ "op": op, "error": error_json(&c, step, &e) }),
            };
            let warnings: Vec<Value> = std::mem::take(&mut *WARNINGS.lock().expect("the warnings"))
                .iter()
                .map(|w| json!({ "name": w.name, "code": w.code, "message": w.message }))
                .collect();
            if !warnings.is_empty() {
                line["warnings"] = Value::Array(warnings);
            }
            lines.push(line.to_string());
        }
        lines
    })
    .expect("the script's loop ends");
    let mut out = std::io::BufWriter::new(std::io::stdout());
    for l in lines {
        writeln!(out, "{l}").expect("stdout");
    }
    writeln!(out, "{}", json!({ "tree": tree(&ctx) })).expect("stdout");
    out.flush().expect("stdout");
    ctx.saved.borrow_mut().clear();
    ctx.kept.borrow_mut().clear();
    std::env::set_current_dir(std::env::temp_dir()).expect("chdir back");
    let _ = fs::rm_sync(
        &tmp,
        fs::RmOptions {
            recursive: true,
            force: true,
            ..Default::default()
        },
    );
}
