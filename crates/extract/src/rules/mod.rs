//! Small rules, each named after a phenomenon of real reporting and tested
//! with its cases beside it (`tests/cases/*.json`).

pub mod day_after_lead;
