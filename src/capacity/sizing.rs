//! Configuration and process server sizing (issue 4).
