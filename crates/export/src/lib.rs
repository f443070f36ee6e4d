//! strikewatch export stage (under construction).
