//! PLACEHOLDER, replaced by the price-source branch (cost-prices): the API the computation uses.

use std::path::Path;

use rust_decimal::Decimal;

use crate::error::{InputError, Result};

pub struct Tier {
    pub from: Decimal,
    pub rate: Decimal,
}

pub struct Price {
    pub tiers: Vec<Tier>,
    pub included_quantity: Decimal,
    pub offer_discount: Decimal,
    pub excluded_from_offer: bool,
    pub location: String,
}

impl Price {
    pub fn cost_of_total(&self, _total: Decimal) -> Option<Decimal> {
        None
    }

    pub fn flat_rate(&self) -> Option<Decimal> {
        None
    }
}

pub struct MeterQuery<'a> {
    pub meter_id: Option<&'a str>,
    pub category: Option<&'a str>,
    pub subcategory: Option<&'a str>,
    pub name: Option<&'a str>,
    pub region: Option<&'a str>,
}

pub enum PriceSourceKind {
    PriceList,
    RateCard,
}

pub struct PriceBook {
    prices: Vec<Price>,
    warnings: Vec<crate::model::Warning>,
}

pub struct RegionAliases;

impl PriceBook {
    pub fn load(path: &Path, _currency: Option<&str>, _regions: &RegionAliases) -> Result<PriceBook> {
        Err(InputError::new(path, "price lists are not read yet").into())
    }

    pub fn kind(&self) -> PriceSourceKind {
        PriceSourceKind::PriceList
    }

    pub fn currency(&self) -> &str {
        ""
    }

    pub fn lookup(&self, _query: &MeterQuery) -> Option<(usize, &Price)> {
        self.prices.first().map(|p| (0, p))
    }

    pub fn price(&self, key: usize) -> &Price {
        &self.prices[key]
    }

    pub fn len(&self) -> usize {
        self.prices.len()
    }

    pub fn warnings(&self) -> &[crate::model::Warning] {
        &self.warnings
    }
}

impl RegionAliases {
    pub fn from_pack(_pack: &crate::rules::RulePack) -> Result<Self> {
        Ok(RegionAliases)
    }
}
