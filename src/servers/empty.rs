//! Server inventories under the empty-input rule ([`crate::read::empty`]): an inventory without a server row
//! yields nothing, like a header-only export.

use super::ServerInventory;
use crate::model::Warning;
use crate::read::empty::{Nothing, ReadInput, Yielded};

/// A server inventory `(name to show, inventory)`, as the Detailed Planner and the workloads read them.
pub struct ServerInput<'a> {
    pub path: &'a str,
    pub inventory: &'a mut ServerInventory,
    /// Its warnings are shown without the file's name when it is the only inventory (see
    /// `capacity::detailed::reader_warnings`), so the warning names it itself.
    pub alone: bool,
}

impl ReadInput for ServerInput<'_> {
    fn yielded(&self) -> Yielded {
        let nothing = self.inventory.servers.is_empty().then_some(Nothing::NoServerRows);
        Yielded { path: self.path.to_string(), nothing }
    }

    fn warn(&mut self, mut warning: Warning) {
        if self.alone {
            warning.location = self.path.to_string();
        }
        self.inventory.warnings.push(warning);
    }
}

/// Server inventories as [`ReadInput`]s, for [`check`].
pub fn server_inputs(inventories: &mut [(String, ServerInventory)]) -> Vec<ServerInput<'_>> {
    let alone = inventories.len() == 1;
    inventories.iter_mut().map(|(path, inventory)| ServerInput { path, inventory, alone }).collect()
}
