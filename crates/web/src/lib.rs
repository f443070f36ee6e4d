//! strikewatch web stage (under construction).
