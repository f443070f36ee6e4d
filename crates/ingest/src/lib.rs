//! strikewatch ingest stage (under construction).
