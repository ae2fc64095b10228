// The order in which zlib's promise and callback forms complete (issue 13), run with
// UV_THREADPOOL_SIZE=1 so that the pool runs jobs in the order they were queued. A promise
// form's work is queued at the call, so it completes before a callback form called after it.
// Every call succeeds and its output fits in one chunkSize buffer (Node runs each in two
// pool jobs, the write and the final flush, nodestd in one; the order of completions is the
// same). Prints one completion a line; recorded in
// completion_order.expected.
const zlib = require('zlib');
const { promisify } = require('util');
const out = [];
const log = (s) => (e) => out.push(e && e.code ? `${s} ${e.code}` : s);
const data = Buffer.alloc(4000, 'abcdefgh');
const packed = zlib.gzipSync(data);

promisify(zlib.gzip)(data).then(log('promise gzip'));
zlib.deflate(data, log('callback deflate'));
promisify(zlib.gunzip)(packed).then(log('promise gunzip'));
promisify(zlib.brotliCompress)(data).then(log('promise brotliCompress'));
zlib.gunzip(packed, log('callback gunzip'));
zlib.brotliCompress(data, log('callback brotliCompress'));
process.on('exit', () => console.log(out.join('\n')));
