// url-whatwg-parse: `new URL` over the same 10,000 generated URLs as URL::parse, 20 passes
// (2 with --quick) after one unmeasured pass.
'use strict';
const { quick, over, emit, whatwgUrls } = require('./common.js');

const urls = whatwgUrls(10_000);
if (process.argv.includes('--dump-urls')) {
  console.log(urls.join('\n'));
  process.exit(0);
}
const passes = quick ? 2 : 20;
const run = (p) => over(urls, p * urls.length, (s) => new URL(s));
run(1);
emit('url-whatwg-parse', passes * urls.length, run(passes));
