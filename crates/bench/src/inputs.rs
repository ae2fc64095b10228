//! The fixed input sets of the workloads. `bench/node/common.js` builds exactly the same ones:
//! keep the two in step.

/// A 32-bit LCG (`x * 1103515245 + 12345 mod 2^32`), the same one as in `common.js`, so both
/// sides draw the same sequence.
pub struct Lcg(u32);

impl Lcg {
    /// A generator seeded with `seed`.
    pub fn new(seed: u32) -> Lcg {
        Lcg(seed)
    }

    /// The next 16 random bits.
    pub fn next(&mut self) -> u32 {
        self.0 = self.0.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        self.0 >> 16
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: u32) -> u32 {
        self.next() % n
    }

    /// One element of `items`.
    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u32) as usize]
    }
}

/// Arguments of `path.join`.
pub const JOIN: &[&[&str]] = &[
    &["/foo", "bar", "baz/asdf", "quux", ".."],
    &["foo", "bar"],
    &["/a/b", "../c", "./d"],
    &["", ""],
    &["a/", "/b/", "c"],
    &["/usr/local/", "lib", "node_modules/express/index.js"],
    &["..", "a", "..", "..", "b"],
    &["./x", "y/", "z/../w"],
    &["src", "components", "Button", "index.tsx"],
    &["/"],
];

/// Arguments of `path.resolve` (absolute ones and a few relative to the working directory).
pub const RESOLVE: &[&[&str]] = &[
    &["/foo/bar", "./baz"],
    &["/foo/bar", "/tmp/file/"],
    &[
        "/home/user",
        "wwwroot",
        "static_files/png/",
        "../gif/image.gif",
    ],
    &["/a/b/c", "..", "..", "d"],
    &["/var/log/", "nginx//access.log"],
    &["/srv", "app", "./node_modules/.bin/"],
    &["relative/path", "file.txt"],
    &["../up/one"],
];

/// Arguments of `path.relative`.
pub const RELATIVE: &[[&str; 2]] = &[
    ["/data/orandea/test/aaa", "/data/orandea/impl/bbb"],
    ["/a/b/c", "/a/b/c/d/e"],
    ["/home/user/project/src", "/home/user/project/test/unit"],
    ["/", "/usr/lib"],
    ["/usr/lib/", "/"],
    ["/foo/bar/baz", "/foo/bar/baz"],
    ["/x/y/../z", "/x/./y/w"],
    ["a/b", "a/c"],
];

/// Arguments of `path.normalize`.
pub const NORMALIZE: &[&str] = &[
    "/foo/bar//baz/asdf/quux/..",
    "./fixtures///b/../b/c.js",
    "/foo/../../../bar",
    "a//b//../b",
    "a//b//./c",
    "",
    "/usr/local/lib/node_modules/",
    "../../x/y/z/",
    "simple",
    "/a/b/c/d/e/f/g/h/../../../../i",
];

/// Inputs of the legacy `url.parse` and `url.format` workloads.
pub const LEGACY_URLS: &[&str] = &[
    "http://user:pass@host.com:8080/p/a/t/h?query=string#hash",
    "https://example.com/",
    "https://www.example.org/search?q=node+js&lang=en&page=2",
    "HTTP://X.COM/Y",
    "ftp://ftp.funet.fi/pub/standards/RFC/rfc959.txt",
    "/relative/path?x=1&y=2",
    "mailto:someone@example.com",
    "http://[::1]:3000/api/v1/items?id=42",
    "file:///etc/passwd",
    "https://a.b.c.d.example.co.uk/deep/path/to/resource.html#section-3",
    "//cdn.example.net/lib.js",
    "http://example.com/a b?c d#e f",
];

/// Inputs of `querystring.parse`.
pub const QUERIES: &[&str] = &[
    "foo=bar&abc=xyz&abc=123",
    "q=node+js&lang=en&page=2&sort=desc",
    "a=1&b=2&c=3&d=4&e=5&f=6&g=7&h=8",
    "name=J%C3%BCrgen%20M%C3%BCller&city=M%C3%BCnchen",
    "empty=&flag&x=%20y%20",
    "arr=1&arr=2&arr=3&arr=4",
    "redirect=https%3A%2F%2Fexample.com%2Fpath%3Fa%3D1",
    "",
];

const SCHEMES: &[&str] = &["http", "https", "https", "ws", "ftp"];
const WORDS: &[&str] = &[
    "example", "api", "www", "cdn", "static", "shop", "mail", "news", "dev", "node", "rust",
    "data", "img", "auth", "blog",
];
const TLDS: &[&str] = &["com", "org", "net", "io", "co.uk", "de", "dev"];
const SEGMENTS: &[&str] = &[
    "users",
    "v1",
    "v2",
    "items",
    "search",
    "index.html",
    "a",
    "b",
    "assets",
    "img.png",
    "..",
    ".",
    "%7Euser",
    "caf%C3%A9",
    "long-segment-name",
    "42",
];
const KEYS: &[&str] = &["q", "id", "page", "sort", "lang", "ref", "utm_source", "x"];
const VALUES: &[&str] = &["1", "abc", "node+js", "%20", "en", "true", "a%2Fb", ""];

/// `n` well-formed absolute URLs for the WHATWG parser.
pub fn whatwg_urls(n: usize) -> Vec<String> {
    let mut rng = Lcg::new(20_240_601);
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let mut s = String::new();
        s.push_str(rng.pick(SCHEMES));
        s.push_str("://");
        if rng.below(10) == 0 {
            s.push_str("user:pw@");
        }
        let labels = 1 + rng.below(3);
        for _ in 0..labels {
            s.push_str(rng.pick(WORDS));
            s.push('.');
        }
        s.push_str(rng.pick(TLDS));
        if rng.below(5) == 0 {
            s.push(':');
            s.push_str(&(1000 + rng.below(9000)).to_string());
        }
        let segs = rng.below(5);
        for _ in 0..segs {
            s.push('/');
            s.push_str(rng.pick(SEGMENTS));
        }
        if rng.below(2) == 0 {
            let pairs = 1 + rng.below(4);
            for i in 0..pairs {
                s.push(if i == 0 { '?' } else { '&' });
                s.push_str(rng.pick(KEYS));
                s.push('=');
                s.push_str(rng.pick(VALUES));
            }
        }
        if rng.below(4) == 0 {
            s.push('#');
            s.push_str(rng.pick(WORDS));
        }
        out.push(s);
    }
    out
}
