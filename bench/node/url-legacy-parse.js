// url-legacy-parse: 1M url.parse calls over a fixed set of URLs.
'use strict';
const { size, over, measured, LEGACY_URLS } = require('./common.js');
const url = require('url');

measured('url-legacy-parse', size(1_000_000), (n) => over(LEGACY_URLS, n, (s) => url.parse(s)));
