//! strikewatch extract stage (under construction).
