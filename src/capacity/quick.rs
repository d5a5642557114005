//! The Quick Planner (issue 4).
