//! Inputs that yield nothing, one rule for every command: a header with no rows under it (blank rows and usage
//! rows holding only dates are not rows), an empty JSON list, a server inventory with no server rows. Such an
//! input is a warning naming it when another input of the command yields rows; when none does, the command
//! stops with exit code 2 naming them all — an empty result with exit code 0 would read as "nothing to move".
//! (A zero-byte file is refused earlier, when it is opened.)

use crate::error::{Error, Result};
use crate::model::Warning;
use crate::read::InputSummary;

/// Why an input yielded nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nothing {
    /// A table (CSV, worksheet): the header and no row under it.
    NoRows,
    /// A JSON document whose list of resources is empty.
    EmptyList,
    /// A server inventory: the header and no server row.
    NoServerRows,
}

impl Nothing {
    /// As the error lists it after the file.
    fn what(self) -> &'static str {
        match self {
            Nothing::NoRows => "header only, no rows",
            Nothing::EmptyList => "an empty list",
            Nothing::NoServerRows => "header only, no server rows",
        }
    }

    /// The warning's message.
    fn warning(self) -> &'static str {
        match self {
            Nothing::NoRows => "no rows after the header; nothing read from it",
            Nothing::EmptyList => "an empty list; nothing read from it",
            Nothing::NoServerRows => "no server rows after the header; nothing read from it",
        }
    }
}

/// One input as the rule sees it: its name and what it yielded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Yielded {
    pub path: String,
    pub nothing: Option<Nothing>,
}

/// An input a command has read: what it yielded, and where its warning goes.
pub trait ReadInput {
    fn yielded(&self) -> Yielded;
    fn warn(&mut self, warning: Warning);
}

impl ReadInput for InputSummary {
    fn yielded(&self) -> Yielded {
        let json = matches!(self.format.as_str(), "arg-json" | "az-json");
        let nothing = match (self.rows, json) {
            (0, true) => Some(Nothing::EmptyList),
            (0, false) => Some(Nothing::NoRows),
            _ => None,
        };
        Yielded { path: self.path.clone(), nothing }
    }

    fn warn(&mut self, warning: Warning) {
        self.warnings.push(warning);
    }
}

/// The rule. `inputs` are the inputs just read; `others` the command's other inputs, read separately (the
/// report's server inventories beside its estate). When neither yields a row, the error names every one of
/// them; otherwise each of `inputs` that yielded nothing gets its warning.
pub fn check<I: ReadInput>(inputs: &mut [I], others: &[Yielded]) -> Result<()> {
    let yields: Vec<Yielded> = inputs.iter().map(ReadInput::yielded).collect();
    let every = yields.iter().chain(others);
    if every.clone().next().is_some() && every.clone().all(|y| y.nothing.is_some()) {
        let listed: Vec<String> =
            every.filter_map(|y| y.nothing.map(|nothing| format!("{} ({})", y.path, nothing.what()))).collect();
        return Err(Error::NothingRead(listed.join(", ")));
    }
    for (input, yielded) in inputs.iter_mut().zip(yields) {
        if let Some(nothing) = yielded.nothing {
            input.warn(Warning { location: "whole file".to_string(), message: nothing.warning().to_string() });
        }
    }
    Ok(())
}

/// What each input yielded, for [`check`]'s `others`.
pub fn yields<I: ReadInput>(inputs: &[I]) -> Vec<Yielded> {
    inputs.iter().map(ReadInput::yielded).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Input(Yielded, Vec<Warning>);

    impl ReadInput for Input {
        fn yielded(&self) -> Yielded {
            self.0.clone()
        }
        fn warn(&mut self, warning: Warning) {
            self.1.push(warning);
        }
    }

    fn input(path: &str, nothing: Option<Nothing>) -> Input {
        Input(Yielded { path: path.to_string(), nothing }, Vec::new())
    }

    #[test]
    fn nothing_anywhere_is_an_error_naming_every_input() {
        let mut inputs = [input("a.csv", Some(Nothing::NoRows)), input("b.json", Some(Nothing::EmptyList))];
        let error = check(&mut inputs, &[]).unwrap_err().to_string();
        assert!(
            error.starts_with("no input yielded a single row: a.csv (header only, no rows), b.json (an empty list)."),
            "{error}"
        );
    }

    #[test]
    fn nothing_beside_rows_is_a_warning_on_that_input() {
        let mut inputs = [input("a.csv", Some(Nothing::NoRows)), input("b.json", None)];
        check(&mut inputs, &[]).unwrap();
        assert_eq!(inputs[0].1.len(), 1);
        assert_eq!(inputs[0].1[0].message, "no rows after the header; nothing read from it");
        assert!(inputs[1].1.is_empty());
    }

    #[test]
    fn other_inputs_count_and_are_named() {
        let mut inputs = [input("a.csv", Some(Nothing::NoRows))];
        let servers = Yielded { path: "s.csv".to_string(), nothing: None };
        check(&mut inputs, std::slice::from_ref(&servers)).unwrap();
        let empty_servers = Yielded { nothing: Some(Nothing::NoServerRows), ..servers };
        let mut inputs = [input("a.csv", Some(Nothing::NoRows))];
        let error = check(&mut inputs, &[empty_servers]).unwrap_err().to_string();
        assert!(error.contains(": a.csv (header only, no rows), s.csv (header only, no server rows)."), "{error}");
    }

    #[test]
    fn no_input_at_all_is_not_this_rule() {
        check::<Input>(&mut [], &[]).unwrap();
    }
}
