//! Node addon for libivs.
