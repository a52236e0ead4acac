//! The rule expression language.
