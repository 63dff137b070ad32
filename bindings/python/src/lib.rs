//! Python extension for libivs.
