// path-normalize: 5M path.normalize calls over a fixed set of paths.
'use strict';
const { size, over, measured, NORMALIZE } = require('./common.js');
const path = require('path').posix;

measured('path-normalize', size(5_000_000), (n) => over(NORMALIZE, n, (s) => path.normalize(s)));
