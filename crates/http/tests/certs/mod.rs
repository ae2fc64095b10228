//! A CA and a leaf certificate for `localhost` / 127.0.0.1 signed by it, made by the
//! `openssl` command-line tool (installed by `.ci/run`; a missing one fails loudly).

#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Command;

/// A CA and a leaf certificate signed by it, in a fresh directory.
pub struct Certs {
    dir: PathBuf,
}

impl Certs {
    pub fn make(tag: &str) -> Certs {
        let dir = std::env::temp_dir().join(format!("nodestd-https-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let run = |cmdline: &str| {
            let args: Vec<&str> = cmdline.split_whitespace().collect();
            let st = Command::new("openssl")
                .args(&args)
                .current_dir(&dir)
                .output()
                .expect("the openssl command-line tool must be installed (.ci/run installs it)");
            assert!(
                st.status.success(),
                "openssl {cmdline}: {}",
                String::from_utf8_lossy(&st.stderr)
            );
        };
        run(
            "req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj /CN=nodestd-test-CA",
        );
        run("req -newkey rsa:2048 -nodes -keyout key.pem -out leaf.csr -subj /CN=localhost");
        std::fs::write(
            dir.join("ext.cnf"),
            "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n",
        )
        .unwrap();
        run(
            "x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out cert.pem -days 2 -extfile ext.cnf",
        );
        Certs { dir }
    }
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }
    pub fn read(&self, name: &str) -> Vec<u8> {
        std::fs::read(self.path(name)).unwrap()
    }
}

impl Drop for Certs {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
