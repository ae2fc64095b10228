// A small Node CLI that port.rs ports line for line (issue 19's porting test): file I/O in
// three forms, a timer order, a hash through a stream, a gzip pipeline from stdin to stdout,
// Buffer encodings.
// Usage: node port.js DIR < input > output.gz; the log goes to stderr.
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const zlib = require('zlib');
const { pipeline } = require('stream');
const timersPromises = require('timers/promises');

const file = path.join(process.argv[2], 'note.txt');
const log = (line) => console.error(line);

fs.writeFileSync(file, 'hello from a port\n');
process.nextTick(() => log('nextTick'));
queueMicrotask(() => log('microtask'));
setImmediate(() => {
  log('immediate');
  timersPromises.setTimeout(20, 'timer').then((value) => {
    log(value);
    fs.appendFile(file, 'second line\n', (err) => {
      if (err) throw err;
      log('callback: appended');
      fs.promises.readFile(file, 'utf8').then((text) => {
        log(`promise: ${text.split('\n').length - 1} lines`);
        log(`sync: ${fs.readFileSync(file).length} bytes`);
        const hash = crypto.createHash('sha256');
        fs.createReadStream(file)
          .on('data', (chunk) => hash.update(chunk))
          .on('end', () => {
            log(`sha256: ${hash.digest('hex')}`);
            pipeline(process.stdin, zlib.createGzip(), process.stdout, (e) => {
              log(e ? `pipeline failed: ${e.code}` : 'pipeline done');
            });
          });
      });
    });
  });
});
log(`buffer: ${Buffer.from('héllo wörld').toString('base64')} ${Buffer.from('68656c6c6f', 'hex').toString('latin1')}`);
log('main done');
