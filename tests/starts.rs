//! The program starts and says what it is. Run natively, and, cross-built for Windows, under
//! Wine: there this also checks that `signage.exe` has no console of its own yet writes to
//! the pipe it was given (and building it here builds the `signage.exe` that tests/wine.rs
//! drives).

use std::process::Command;

#[test]
fn the_program_starts_and_answers_to_its_name() {
    let out = Command::new(env!("CARGO_BIN_EXE_signage"))
        .env("LC_ALL", "C.UTF-8") // English messages, whatever the machine's locale
        .arg("--version")
        .output()
        .expect("start signage");
    assert!(out.status.success(), "{:?}", out.status);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("signage "), "{text:?}");
}
