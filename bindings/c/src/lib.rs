//! C ABI for libivs.
