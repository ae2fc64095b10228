// path-relative: 5M path.relative calls over a fixed set of pairs.
'use strict';
const { size, over, measured, RELATIVE } = require('./common.js');
const path = require('path').posix;

measured('path-relative', size(5_000_000), (n) =>
  over(RELATIVE, n, (a) => path.relative(a[0], a[1])),
);
