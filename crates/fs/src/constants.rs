//! `fs.constants`: the values Node v20 reports on Linux (generated from `node -p fs.constants`).

/// `fs.constants.UV_FS_SYMLINK_DIR`.
pub const UV_FS_SYMLINK_DIR: i32 = 1;
/// `fs.constants.UV_FS_SYMLINK_JUNCTION`.
pub const UV_FS_SYMLINK_JUNCTION: i32 = 2;
/// `fs.constants.O_RDONLY`.
pub const O_RDONLY: i32 = 0;
/// `fs.constants.O_WRONLY`.
pub const O_WRONLY: i32 = 1;
/// `fs.constants.O_RDWR`.
pub const O_RDWR: i32 = 2;
/// `fs.constants.UV_DIRENT_UNKNOWN`.
pub const UV_DIRENT_UNKNOWN: i32 = 0;
/// `fs.constants.UV_DIRENT_FILE`.
pub const UV_DIRENT_FILE: i32 = 1;
/// `fs.constants.UV_DIRENT_DIR`.
pub const UV_DIRENT_DIR: i32 = 2;
/// `fs.constants.UV_DIRENT_LINK`.
pub const UV_DIRENT_LINK: i32 = 3;
/// `fs.constants.UV_DIRENT_FIFO`.
pub const UV_DIRENT_FIFO: i32 = 4;
/// `fs.constants.UV_DIRENT_SOCKET`.
pub const UV_DIRENT_SOCKET: i32 = 5;
/// `fs.constants.UV_DIRENT_CHAR`.
pub const UV_DIRENT_CHAR: i32 = 6;
/// `fs.constants.UV_DIRENT_BLOCK`.
pub const UV_DIRENT_BLOCK: i32 = 7;
/// `fs.constants.EXTENSIONLESS_FORMAT_JAVASCRIPT`.
pub const EXTENSIONLESS_FORMAT_JAVASCRIPT: i32 = 0;
/// `fs.constants.EXTENSIONLESS_FORMAT_WASM`.
pub const EXTENSIONLESS_FORMAT_WASM: i32 = 1;
/// `fs.constants.S_IFMT`.
pub const S_IFMT: i32 = 61440;
/// `fs.constants.S_IFREG`.
pub const S_IFREG: i32 = 32768;
/// `fs.constants.S_IFDIR`.
pub const S_IFDIR: i32 = 16384;
/// `fs.constants.S_IFCHR`.
pub const S_IFCHR: i32 = 8192;
/// `fs.constants.S_IFBLK`.
pub const S_IFBLK: i32 = 24576;
/// `fs.constants.S_IFIFO`.
pub const S_IFIFO: i32 = 4096;
/// `fs.constants.S_IFLNK`.
pub const S_IFLNK: i32 = 40960;
/// `fs.constants.S_IFSOCK`.
pub const S_IFSOCK: i32 = 49152;
/// `fs.constants.O_CREAT`.
pub const O_CREAT: i32 = 64;
/// `fs.constants.O_EXCL`.
pub const O_EXCL: i32 = 128;
/// `fs.constants.UV_FS_O_FILEMAP`.
pub const UV_FS_O_FILEMAP: i32 = 0;
/// `fs.constants.O_NOCTTY`.
pub const O_NOCTTY: i32 = 256;
/// `fs.constants.O_TRUNC`.
pub const O_TRUNC: i32 = 512;
/// `fs.constants.O_APPEND`.
pub const O_APPEND: i32 = 1024;
/// `fs.constants.O_DIRECTORY`.
pub const O_DIRECTORY: i32 = 65536;
/// `fs.constants.O_NOATIME`.
pub const O_NOATIME: i32 = 262144;
/// `fs.constants.O_NOFOLLOW`.
pub const O_NOFOLLOW: i32 = 131072;
/// `fs.constants.O_SYNC`.
pub const O_SYNC: i32 = 1052672;
/// `fs.constants.O_DSYNC`.
pub const O_DSYNC: i32 = 4096;
/// `fs.constants.O_DIRECT`.
pub const O_DIRECT: i32 = 16384;
/// `fs.constants.O_NONBLOCK`.
pub const O_NONBLOCK: i32 = 2048;
/// `fs.constants.S_IRWXU`.
pub const S_IRWXU: i32 = 448;
/// `fs.constants.S_IRUSR`.
pub const S_IRUSR: i32 = 256;
/// `fs.constants.S_IWUSR`.
pub const S_IWUSR: i32 = 128;
/// `fs.constants.S_IXUSR`.
pub const S_IXUSR: i32 = 64;
/// `fs.constants.S_IRWXG`.
pub const S_IRWXG: i32 = 56;
/// `fs.constants.S_IRGRP`.
pub const S_IRGRP: i32 = 32;
/// `fs.constants.S_IWGRP`.
pub const S_IWGRP: i32 = 16;
/// `fs.constants.S_IXGRP`.
pub const S_IXGRP: i32 = 8;
/// `fs.constants.S_IRWXO`.
pub const S_IRWXO: i32 = 7;
/// `fs.constants.S_IROTH`.
pub const S_IROTH: i32 = 4;
/// `fs.constants.S_IWOTH`.
pub const S_IWOTH: i32 = 2;
/// `fs.constants.S_IXOTH`.
pub const S_IXOTH: i32 = 1;
/// `fs.constants.F_OK`.
pub const F_OK: i32 = 0;
/// `fs.constants.R_OK`.
pub const R_OK: i32 = 4;
/// `fs.constants.W_OK`.
pub const W_OK: i32 = 2;
/// `fs.constants.X_OK`.
pub const X_OK: i32 = 1;
/// `fs.constants.UV_FS_COPYFILE_EXCL`.
pub const UV_FS_COPYFILE_EXCL: i32 = 1;
/// `fs.constants.COPYFILE_EXCL`.
pub const COPYFILE_EXCL: i32 = 1;
/// `fs.constants.UV_FS_COPYFILE_FICLONE`.
pub const UV_FS_COPYFILE_FICLONE: i32 = 2;
/// `fs.constants.COPYFILE_FICLONE`.
pub const COPYFILE_FICLONE: i32 = 2;
/// `fs.constants.UV_FS_COPYFILE_FICLONE_FORCE`.
pub const UV_FS_COPYFILE_FICLONE_FORCE: i32 = 4;
/// `fs.constants.COPYFILE_FICLONE_FORCE`.
pub const COPYFILE_FICLONE_FORCE: i32 = 4;
