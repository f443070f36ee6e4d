//! strikewatch resolve stage (under construction).
