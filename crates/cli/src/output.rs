//! Printing to stdout without panicking when the reader goes away
//! (`strikewatch demo | head`): a closed pipe just ends the output.

/// Like `println!`, but ignores write errors.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}
