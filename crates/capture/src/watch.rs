//! The watch loop (below).
