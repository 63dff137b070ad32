//! Gives libivs.so the SONAME `libivs.so.0` (the ABI's major version before 1.0), so that a
//! consumer records `libivs.so.0` rather than the path it linked against and keeps working when the
//! prefix moves. Installs ship `libivs.so -> libivs.so.0 -> libivs.so.<version>`.
fn main() {
    println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libivs.so.0");
}
