//! Small rules, each named after a phenomenon of real reporting and tested
//! with its cases beside it (`tests/cases/*.json`).

pub mod announced_day;
pub mod area_of_command;
pub mod cumulative_over_strikes;
pub mod cumulative_since;
pub mod dated_strike_with_total;
pub mod day_after_lead;
pub mod joins_earlier_strikes;
pub mod mishap;
pub mod named_survivor;
pub mod operation_needs_a_boat;
pub mod ordinal_total;
pub mod quoted_today;
pub mod strike_tally;
pub mod toll_beside_strike;
