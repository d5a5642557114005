//! The `cost` command's price sources (issue 6): the CSP price list and the Partner Center rate card,
//! loaded into one price book per currency, and the region alias table that joins their region names to
//! the usage file's.

pub mod price_list;
pub mod prices;
pub mod rate_card;
pub mod regions;
