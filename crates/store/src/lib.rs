//! strikewatch store stage (under construction).
