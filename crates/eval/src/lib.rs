//! strikewatch eval stage (under construction).
