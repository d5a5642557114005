//! Configuration and process server sizing (issue 4): the seed's tables (002 L13688–L13723) and the later
//! published ones (anchors.md §1.2), read from `rules/asr-sizing.toml`, turned into a scale-up and a
//! scale-out recommendation.
//!
//! The rule (rules/README.md, "`asr-sizing.toml`"):
//! - Within the built-in process server (machines ≤ `built_in_max_machines` and change ≤
//!   `built_in_max_change_gb_per_day`): one configuration server, the first configuration-server row whose
//!   maxima cover both machines and change. Scale-out equals scale-up.
//! - Beyond it, every additional process server comes with the configuration server its row names (the
//!   seed's examples, L13749–L13750, configure protected machines to use the additional process servers only).
//!   - Scale-up: the first (smallest) process-server row whose maxima cover machines and change; when none
//!     does, the fewest servers of the largest row.
//!   - Scale-out: servers from the rows below the scale-up row only: the fewest whose capacities hold the
//!     machines, the cheapest such set (fewest vCPUs, then least memory).
//!   - Machines and their change are split together (`split`): a server takes whole machines at the average
//!     change per machine, as many as both its row's machine and change maxima allow, smallest server first; so
//!     no server carries change without machines, and every server stays within its row.
//!   - The change compared with the bands is the data transferred per day, after compression (the callers
//!     pass it; the notes say so).
//!   - The counts (`configuration_servers`, `additional_process_servers`) are those of the scale-up option,
//!     the one with the fewest servers.
//!
//! The seed's example (220 machines, L13747–L13750) follows: no configuration-server row covers 220 (max
//! 200), so additional process servers; scale-up = the 151–225 row (12 vCPU / 24 GB, with its 12 vCPU /
//! 18 GB configuration server); scale-out from the 85 and 150 rows: one server is too few, two are enough
//! (85 + 150 = 235 ≥ 220, cheaper than 150 + 150); the 4 vCPU server takes 85, the 8 vCPU server 135.

use rust_decimal::Decimal;

use super::split::{Load, cheapest_set, fill};
use crate::model::Cited;

pub use crate::model::Era;
pub use crate::rules::capacity::sizing::{
    CHANGE, FILE, MACHINES, MAX_SERVERS, ProcessServerRow, SizingRow, SizingTables,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Role {
    #[serde(rename = "configuration server")]
    ConfigurationServer,
    #[serde(rename = "process server")]
    ProcessServer,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::ConfigurationServer => "configuration server",
            Role::ProcessServer => "process server",
        }
    }
}

/// One server of a recommendation: its size (from a table row), the load given to it, and the row's source.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ServerSpec {
    pub role: Role,
    pub vcpus: u32,
    pub memory_gb: u32,
    pub cache_disk_gb: u32,
    pub machines: u32,
    pub change_gb_per_day: Decimal,
    #[serde(flatten)]
    pub source: Cited,
}

/// Both options, and the counts of the recommended one (scale-up).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Sizing {
    pub scale_up: Vec<ServerSpec>,
    pub scale_out: Vec<ServerSpec>,
    pub configuration_servers: u32,
    pub additional_process_servers: u32,
    pub notes: Vec<String>,
}

/// The servers of one option: a configuration server per process server, then the process servers,
/// largest first (as the seed lists them, L13750).
fn specs(rows: &[&ProcessServerRow], filled: &[(usize, u32, Decimal)]) -> Vec<ServerSpec> {
    let mut order: Vec<&(usize, u32, Decimal)> = filled.iter().collect();
    order.sort_by_key(|entry| std::cmp::Reverse(entry.0));
    let spec = |role, row: &SizingRow, machines, change, source| ServerSpec {
        role,
        vcpus: row.vcpus,
        memory_gb: row.memory_gb,
        cache_disk_gb: row.cache_disk_gb,
        machines,
        change_gb_per_day: change,
        source,
    };
    // The configuration server's size is named by the process-server row; its cache disk is its own row's.
    let configuration = order.iter().map(|&&(i, m, c)| {
        let (pair, own) = (&rows[i].server.source, &rows[i].configuration_server.source);
        let source = pair.and(own).with_text(format!("configuration server of {pair}; cache disk from {own}"));
        spec(Role::ConfigurationServer, &rows[i].configuration_server, m, c, source)
    });
    let process =
        order.iter().map(|&&(i, m, c)| spec(Role::ProcessServer, &rows[i].server, m, c, rows[i].server.source.clone()));
    configuration.chain(process).collect()
}

fn describe(specs: &[ServerSpec]) -> String {
    specs
        .iter()
        .map(|s| {
            format!(
                "{} {} vCPU / {} GB ({} machines, {} GB/day)",
                s.role.as_str(),
                s.vcpus,
                s.memory_gb,
                s.machines,
                s.change_gb_per_day
            )
        })
        .collect::<Vec<_>>()
        .join(" + ")
}

/// Sizes the configuration and process servers for `machines` protected machines changing
/// `change_gb_per_day` GB per day (see the module documentation for the rule).
pub fn size(tables: &SizingTables, machines: u32, change_gb_per_day: Decimal) -> Sizing {
    let mut notes = Vec::new();
    let mut change = change_gb_per_day;
    if change < Decimal::ZERO {
        notes.push(format!("a negative daily change ({change} GB) was read as 0"));
        change = Decimal::ZERO;
    }
    let mut sizing = Sizing {
        scale_up: Vec::new(),
        scale_out: Vec::new(),
        configuration_servers: 0,
        additional_process_servers: 0,
        notes,
    };
    let era = tables.era.as_str();
    sizing.notes.push(band_figure_note(change));
    if machines == 0 && change > Decimal::ZERO {
        sizing.notes.push(format!(
            "{change} GB/day of change with no machines to protect is not given to any server: change comes from machines"
        ));
        change = Decimal::ZERO;
    }
    if machines == 0 {
        sizing.notes.push(
            "no machines to protect: the smallest configuration server is still needed to set up replication".into(),
        );
    }
    let source = |name: &str| tables.threshold_sources.get(name).map_or("", |(s, _)| s.as_str()).to_string();
    let built_in = machines <= tables.built_in_max_machines && change <= tables.built_in_max_change_gb_per_day;
    if built_in {
        if let Some(row) = tables.configuration_server_row(machines, change) {
            let spec = ServerSpec {
                role: Role::ConfigurationServer,
                vcpus: row.vcpus,
                memory_gb: row.memory_gb,
                cache_disk_gb: row.cache_disk_gb,
                machines,
                change_gb_per_day: change,
                source: row.source.clone(),
            };
            sizing.scale_up = vec![spec];
            sizing.scale_out = sizing.scale_up.clone();
            sizing.configuration_servers = 1;
            sizing.notes.push(format!(
                "{machines} machines and {change} GB/day are within the built-in process server ({} machines or fewer, {} GB/day or less; {} / {}): one configuration server ({} vCPU / {} GB, the smallest row of the {era} table covering both), no additional process server; scale-out equals scale-up",
                tables.built_in_max_machines,
                tables.built_in_max_change_gb_per_day,
                source(MACHINES),
                source(CHANGE),
                row.vcpus,
                row.memory_gb,
            ));
            return sizing;
        }
        sizing.notes.push(format!(
            "no configuration-server row of the {era} table covers the load; sized with additional process servers"
        ));
    } else {
        let mut why = Vec::new();
        if machines > tables.built_in_max_machines {
            why.push(format!("more than {} machines ({})", tables.built_in_max_machines, source(MACHINES)));
        }
        if change > tables.built_in_max_change_gb_per_day {
            why.push(format!(
                "more than {} GB of change per day ({})",
                tables.built_in_max_change_gb_per_day,
                source(CHANGE)
            ));
        }
        sizing.notes.push(format!("additional process servers are needed: {}", why.join(" and ")));
        for name in [MACHINES, CHANGE] {
            if let Some((_, Some(note))) = tables.threshold_sources.get(name) {
                sizing.notes.push(note.clone());
            }
        }
    }

    with_process_servers(tables, Load { machines, change }, sizing)
}

/// The bands are read against the change as it crosses the network, after compression; the notes say so.
fn band_figure_note(change: Decimal) -> String {
    format!(
        "the daily change compared with the server bands is the data transferred per day, after compression: {change} GB/day"
    )
}

const SPLIT_NOTE: &str = "machines and their change are split together: each server takes whole machines at the average change per machine (total ÷ machines), as many as both its machine and its change maximum allow, smallest server first (a protected machine uses one process server only)";

/// Beyond the built-in process server: the scale-up option, then the scale-out option from the smaller rows.
fn with_process_servers(tables: &SizingTables, load: Load, mut sizing: Sizing) -> Sizing {
    let era = tables.era.as_str();
    let (machines, change) = (load.machines, load.change);
    let rows: Vec<&ProcessServerRow> = tables.process_servers.iter().collect();
    let servers: Vec<&SizingRow> = rows.iter().map(|r| &r.server).collect();
    let capacities: Vec<u32> = servers.iter().map(|r| load.capacity(r)).collect();
    let Some(top) = servers.last() else {
        sizing.notes.push(format!("the {era} tables have no process-server rows: no sizing possible"));
        return sizing;
    };
    sizing.notes.push(SPLIT_NOTE.to_string());
    let limit = tables.max_servers_per_option;
    let limit_note = |option: &str, count: u32| {
        format!(
            "{option}: the load needs {} process servers, more than this tool lists in one option ({limit}, {}); size it with the ASR Deployment Planner",
            if count == u32::MAX { "more than 4294967294".to_string() } else { count.to_string() },
            tables.threshold_sources.get(MAX_SERVERS).map_or("", |(s, _)| s.as_str())
        )
    };

    // Scale-up: the smallest single row covering the load, else the fewest servers of the largest row.
    let last = servers.len() - 1;
    let up_set = match servers.iter().position(|r| r.covers(machines, change)) {
        Some(i) => {
            sizing.notes.push(format!(
                "scale-up: one process server of the smallest row covering {machines} machines and {change} GB/day ({} vCPU / {} GB, up to {} machines and {} GB/day), with the configuration server its row names; protected machines use the additional process server only",
                servers[i].vcpus, servers[i].memory_gb, servers[i].max_machines, servers[i].max_change_gb_per_day
            ));
            Some((vec![i], i))
        }
        None => {
            let Some(count) = load.servers_needed(capacities[last]) else {
                sizing.notes.push(too_much_change_note(&load, top));
                sizing.configuration_servers = u32::MAX;
                sizing.additional_process_servers = u32::MAX;
                return sizing;
            };
            sizing.notes.push(format!(
                "scale-up: no single process server covers {machines} machines and {change} GB/day; the fewest servers of the largest row ({} vCPU / {} GB, {} machines each at most, as their change allows): {count}",
                top.vcpus, top.memory_gb, capacities[last]
            ));
            sizing.configuration_servers = count;
            sizing.additional_process_servers = count;
            if count > limit {
                sizing.notes.push(limit_note("scale-up", count));
                None
            } else {
                Some((vec![last; count as usize], last))
            }
        }
    };
    let below = up_set.as_ref().map_or(last, |(_, row)| *row);
    if let Some((set, _)) = &up_set {
        sizing.scale_up = specs(&rows, &fill(&servers, &capacities, set, load));
        sizing.configuration_servers = set.len() as u32;
        sizing.additional_process_servers = set.len() as u32;
    }
    sizing.notes.push(
        "configuration_servers and additional_process_servers count the scale-up option (the fewest servers), the recommended one; every additional process server comes with the configuration server its row names".into(),
    );
    scale_out(&rows[..below], &capacities[..below], load, limit, sizing, &limit_note)
}

/// Scale-out: servers from the rows below the scale-up row only, the fewest whose capacities hold the machines,
/// the cheapest such set.
fn scale_out(
    rows: &[&ProcessServerRow],
    capacities: &[u32],
    load: Load,
    limit: u32,
    mut sizing: Sizing,
    limit_note: &dyn Fn(&str, u32) -> String,
) -> Sizing {
    let servers: Vec<&SizingRow> = rows.iter().map(|r| &r.server).collect();
    let usable = capacities.iter().rposition(|&c| c > 0);
    let Some(top) = usable else {
        sizing.scale_out = sizing.scale_up.clone();
        sizing.notes.push(
            "scale-out: no process-server row below the scale-up row can take one machine at this change; scale-out equals scale-up".into(),
        );
        return sizing;
    };
    let (servers, capacities) = (&servers[..=top], &capacities[..=top]);
    let count = load.servers_needed(capacities[top]).unwrap_or(u32::MAX);
    if count > limit {
        sizing.notes.push(limit_note("scale-out", count));
        return sizing;
    }
    let set = cheapest_set(servers, capacities, count, load.machines).unwrap_or_else(|| {
        // Budget exhausted (only with very many rows): the largest smaller row for every server.
        sizing
            .notes
            .push("scale-out: too many combinations to compare; every server is the largest smaller row".into());
        vec![top; count as usize]
    });
    sizing.scale_out = specs(rows, &fill(servers, capacities, &set, load));
    sizing.notes.push(format!(
        "scale-out: the fewest process servers from the rows below the scale-up row that hold {} machines and {} GB/day ({count}), the cheapest such set, filled smallest server first: {}",
        load.machines,
        load.change,
        describe(&sizing.scale_out)
    ));
    sizing
}

/// One machine changes more than the largest process server takes: no number of servers can protect it.
fn too_much_change_note(load: &Load, top: &SizingRow) -> String {
    let each = load.change.checked_div(Decimal::from(load.machines.max(1))).unwrap_or(Decimal::MAX);
    format!(
        "no sizing possible: each machine changes {} GB/day on average, more than the largest process server takes ({} GB/day); a protected machine uses one process server only, so check the change rate, or size the machines one by one with the ASR Deployment Planner",
        each.round_dp(2).normalize(),
        top.max_change_gb_per_day
    )
}

#[cfg(test)]
mod tests {
    //! Expected values come from the rows of rules/asr-sizing.toml as the seed and anchors.md §1.2 state them
    //! (the same numbers in both eras; only the sources differ):
    //! configuration server  C1 8 vCPU/16 GB/300 GB ≤ 99 machines ≤ 500 GB; C2 12/18/600 ≤ 150, ≤ 1024 GB;
    //!                       C3 16/32/1024 ≤ 200, ≤ 2048 GB (seed L13691–L13693)
    //! process server        P1 4/8/300 ≤ 85, ≤ 250 GB, with C 8/16; P2 8/12/600 ≤ 150, ≤ 1024 GB, with C 8/16;
    //!                       P3 12/24/1024 ≤ 225, ≤ 2048 GB, with C 12/18 (seed L13719–L13723)
    //! thresholds            200 machines, 2048 GB/day (seed L13694); at most 100 servers per option.
    use std::str::FromStr;

    use super::*;
    use crate::error::RuleProblem;
    use crate::rules::{Origin, RuleFile, RulePack, Rules};

    const ERAS: [Era; 2] = [Era::Current, Era::Y2017];

    fn tables(era: Era) -> SizingTables {
        Rules::embedded().sizing(era).clone()
    }

    fn d(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap()
    }

    /// (role, vcpus, memory, cache, machines) of every server of an option.
    fn shape(specs: &[ServerSpec]) -> Vec<(Role, u32, u32, u32, u32)> {
        specs.iter().map(|s| (s.role, s.vcpus, s.memory_gb, s.cache_disk_gb, s.machines)).collect()
    }

    use Role::{ConfigurationServer as CS, ProcessServer as PS};

    #[test]
    fn embedded_tables_parse_in_both_eras() {
        for era in ERAS {
            let t = tables(era);
            assert_eq!(t.configuration_servers.len(), 3, "{era:?}");
            assert_eq!(t.process_servers.len(), 3, "{era:?}");
            assert_eq!((t.built_in_max_machines, t.built_in_max_change_gb_per_day), (200, d("2048")));
            assert_eq!(t.max_servers_per_option, 100);
            assert!(t.configuration_servers.iter().all(|r| !r.source.is_empty() && r.rule.contains("line")));
        }
        assert!(tables(Era::Y2017).process_servers[2].server.source.starts_with(
            "Azure Site Recovery capacity-planning guide for migrations, section \"Set up source process servers\""
        ));
        assert!(
            tables(Era::Current).configuration_servers[0]
                .source
                .starts_with("Plan capacity and scaling for VMware disaster recovery to Azure, section")
        );
    }

    /// Seed L13747–L13750: 220 machines. No configuration server covers 220 (C3 max 200) → additional
    /// process servers. Scale-up: P3 (151–225) with its configuration server 12 vCPU / 18 GB (cache 600 GB,
    /// C2's). Scale-out from P1 and P2: one server holds at most 150 < 220; two: P1 + P2 = 235 ≥ 220 (12
    /// vCPU) is cheaper than P2 + P2 = 300 (16 vCPU); P1 (4 vCPU) filled first to 85, P2 (8 vCPU) takes 135;
    /// each with its 8 vCPU / 16 GB configuration server.
    #[test]
    fn seed_example_220_machines_both_eras() {
        for era in ERAS {
            let s = size(&tables(era), 220, Decimal::ZERO);
            assert_eq!(shape(&s.scale_up), vec![(CS, 12, 18, 600, 220), (PS, 12, 24, 1024, 220)], "{era:?}");
            assert_eq!(
                shape(&s.scale_out),
                vec![(CS, 8, 16, 300, 135), (CS, 8, 16, 300, 85), (PS, 8, 12, 600, 135), (PS, 4, 8, 300, 85)],
                "{era:?}"
            );
            assert_eq!((s.configuration_servers, s.additional_process_servers), (1, 1), "{era:?}");
            assert!(s.notes.iter().any(|n| n.contains("more than 200 machines")), "{:?}", s.notes);
            // The 12 vCPU / 18 GB configuration server is named by the process-server row (seed L13723).
            let names_row = if era == Era::Y2017 {
                "Azure Site Recovery capacity-planning guide for migrations, section \"Set up source process servers\""
            } else {
                "Plan capacity and scaling for VMware disaster recovery to Azure, section"
            };
            assert!(
                s.scale_up[0].source.starts_with(&format!("configuration server of {names_row}")),
                "{}",
                s.scale_up[0].source
            );
        }
    }

    /// The seed's Quick Planner sample (L13509–L13575): 2 machines, 35 GB/day → C1, one configuration
    /// server, no additional process server.
    #[test]
    fn quick_sample_two_machines() {
        for era in ERAS {
            let s = size(&tables(era), 2, d("35"));
            assert_eq!(shape(&s.scale_up), vec![(CS, 8, 16, 300, 2)]);
            assert_eq!(s.scale_out, s.scale_up);
            assert_eq!(s.scale_up[0].change_gb_per_day, d("35"));
            assert_eq!((s.configuration_servers, s.additional_process_servers), (1, 0));
            assert!(s.notes.iter().any(|n| n.contains("scale-out equals scale-up")));
        }
    }

    #[test]
    fn zero_machines_get_the_smallest_configuration_server() {
        for era in ERAS {
            let s = size(&tables(era), 0, Decimal::ZERO);
            assert_eq!(shape(&s.scale_up), vec![(CS, 8, 16, 300, 0)]);
            assert_eq!(s.scale_out, s.scale_up);
            assert_eq!((s.configuration_servers, s.additional_process_servers), (1, 0));
            assert!(s.notes.iter().any(|n| n.contains("no machines")));
            // A negative change is read as 0, with a note.
            let s = size(&tables(era), 3, d("-5"));
            assert_eq!(s.scale_up[0].change_gb_per_day, Decimal::ZERO);
            assert!(s.notes.iter().any(|n| n.contains("negative")));
        }
    }

    /// Configuration-server table by machines: C1 "fewer than 100" (99), C2 100–150, C3 151–200, then
    /// additional process servers ("more than 200").
    #[test]
    fn configuration_server_machine_edges() {
        for era in ERAS {
            let t = tables(era);
            for (machines, vcpus, memory) in
                [(1, 8, 16), (99, 8, 16), (100, 12, 18), (150, 12, 18), (151, 16, 32), (200, 16, 32)]
            {
                let s = size(&t, machines, Decimal::ZERO);
                assert_eq!(
                    shape(&s.scale_up),
                    vec![(CS, vcpus, memory, s.scale_up[0].cache_disk_gb, machines)],
                    "{era:?} {machines}"
                );
                assert_eq!(s.scale_out, s.scale_up, "{era:?} {machines}");
                assert_eq!((s.configuration_servers, s.additional_process_servers), (1, 0), "{era:?} {machines}");
            }
            // 201 > 200: P3 (151–225) scale-up; scale-out P1 + P2 (85 + 116).
            let s = size(&t, 201, Decimal::ZERO);
            assert_eq!(shape(&s.scale_up), vec![(CS, 12, 18, 600, 201), (PS, 12, 24, 1024, 201)], "{era:?}");
            assert_eq!(
                shape(&s.scale_out),
                vec![(CS, 8, 16, 300, 116), (CS, 8, 16, 300, 85), (PS, 8, 12, 600, 116), (PS, 4, 8, 300, 85)]
            );
            assert_eq!((s.configuration_servers, s.additional_process_servers), (1, 1));
        }
    }

    /// Configuration-server table by change: C1 500 GB or less, C2 to 1 TB (1024 GB), C3 to 2 TB (2048 GB);
    /// just above 2 TB needs additional process servers.
    #[test]
    fn configuration_server_change_edges() {
        for era in ERAS {
            let t = tables(era);
            for (change, vcpus, cache) in
                [("500", 8, 300), ("500.01", 12, 600), ("1024", 12, 600), ("1024.01", 16, 1024), ("2048", 16, 1024)]
            {
                let s = size(&t, 10, d(change));
                assert_eq!(s.scale_up.len(), 1, "{era:?} {change}");
                assert_eq!((s.scale_up[0].vcpus, s.scale_up[0].cache_disk_gb), (vcpus, cache), "{era:?} {change}");
                assert_eq!((s.configuration_servers, s.additional_process_servers), (1, 0));
            }
            // 250 GB is a process-server edge only: C1 holds up to 500.
            assert_eq!(size(&t, 10, d("250.01")).scale_up[0].vcpus, 8);
            // 2048.01 GB over 10 machines (204.801 each): no single process server (P3 max 2048). A P3 server
            // holds floor(2048 × 10 / 2048.01) = 9 machines → scale-up 2 × P3 (12/24 with 12/18): 9 machines with
            // 2048.01 × 9 / 10 = 1843.209 → 1843.20 GB, and 1 machine with the rest, 204.81 GB.
            // Scale-out from P1, P2: P1 holds floor(250 × 10 / 2048.01) = 1 machine, P2 floor(1024 × 10 / 2048.01)
            // = 4; ceil(10 / 4) = 3 servers; P1 + P2 + P2 hold 9 < 10, so 3 × P2: 4, 4 and 2 machines with
            // 819.20, 819.20 (cumulative 1638.40) and 409.61 GB.
            let s = size(&t, 10, d("2048.01"));
            assert_eq!(
                shape(&s.scale_up),
                vec![(CS, 12, 18, 600, 9), (CS, 12, 18, 600, 1), (PS, 12, 24, 1024, 9), (PS, 12, 24, 1024, 1)]
            );
            assert_eq!(s.scale_up[2].change_gb_per_day, d("1843.20"));
            assert_eq!(s.scale_up[3].change_gb_per_day, d("204.81"));
            let out: Vec<_> = s
                .scale_out
                .iter()
                .filter(|x| x.role == PS)
                .map(|x| (x.vcpus, x.machines, x.change_gb_per_day))
                .collect();
            assert_eq!(out, vec![(8, 4, d("819.20")), (8, 4, d("819.20")), (8, 2, d("409.61"))]);
            assert_eq!((s.configuration_servers, s.additional_process_servers), (2, 2));
            assert!(s.notes.iter().any(|n| n.contains("more than 2048 GB")));
        }
    }

    /// Process-server table by machines: P1 85 or fewer, P2 86–150, P3 151–225, none above.
    #[test]
    fn process_server_machine_edges() {
        for era in ERAS {
            let t = tables(era);
            let row = |m| t.process_server_row(m, Decimal::ZERO).map(|r| (r.server.vcpus, r.server.memory_gb));
            assert_eq!(row(85), Some((4, 8)));
            assert_eq!(row(86), Some((8, 12)));
            assert_eq!(row(150), Some((8, 12)));
            assert_eq!(row(151), Some((12, 24)));
            assert_eq!(row(225), Some((12, 24)));
            assert_eq!(row(226), None);
            let cs = |m| t.configuration_server_row(m, Decimal::ZERO).map(|r| r.vcpus);
            assert_eq!(
                (cs(99), cs(100), cs(150), cs(151), cs(200), cs(201)),
                (Some(8), Some(12), Some(12), Some(16), Some(16), None)
            );

            // Through `size`: 225 is one P3; 226 needs two P3 (225 + 1).
            let s = size(&t, 225, Decimal::ZERO);
            assert_eq!(shape(&s.scale_up), vec![(CS, 12, 18, 600, 225), (PS, 12, 24, 1024, 225)]);
            let s = size(&t, 226, Decimal::ZERO);
            assert_eq!(
                shape(&s.scale_up),
                vec![(CS, 12, 18, 600, 225), (CS, 12, 18, 600, 1), (PS, 12, 24, 1024, 225), (PS, 12, 24, 1024, 1)]
            );
            assert_eq!((s.configuration_servers, s.additional_process_servers), (2, 2));
            // Scale-out at the P1/P2 edges: P1 + P2 hold 85 + 150 = 235 exactly; 236 needs P2 + P2 (150 + 86).
            let ps = |s: &Sizing| {
                s.scale_out.iter().filter(|x| x.role == PS).map(|x| (x.vcpus, x.machines)).collect::<Vec<_>>()
            };
            assert_eq!(ps(&size(&t, 235, Decimal::ZERO)), vec![(8, 150), (4, 85)]);
            assert_eq!(ps(&size(&t, 236, Decimal::ZERO)), vec![(8, 150), (8, 86)]);
            assert_eq!(ps(&size(&t, 226, Decimal::ZERO)), vec![(8, 141), (4, 85)]);
        }
    }

    /// Process-server table by change: P1 250 GB or less, P2 to 1 TB (1024), P3 to 2 TB (2048), none above.
    #[test]
    fn process_server_change_edges() {
        for era in ERAS {
            let t = tables(era);
            let row = |c: &str| t.process_server_row(1, d(c)).map(|r| r.server.vcpus);
            assert_eq!(row("250"), Some(4));
            assert_eq!(row("250.01"), Some(8));
            assert_eq!(row("1024"), Some(8));
            assert_eq!(row("1024.01"), Some(12));
            assert_eq!(row("2048"), Some(12));
            assert_eq!(row("2048.01"), None);
            let cs = |c: &str| t.configuration_server_row(1, d(c)).map(|r| r.vcpus);
            assert_eq!((cs("500"), cs("500.01"), cs("2048"), cs("2048.01")), (Some(8), Some(12), Some(16), None));
            // 220 machines and 1.5 TB (6.98 GB each): a P2 server holds floor(1024 × 220 / 1536) = 146 machines,
            // P1 floor(250 × 220 / 1536) = 35; ceil(220 / 146) = 2 servers; P1 + P2 hold 181 < 220, P2 + P2 292:
            // 146 machines with 1536 × 146 / 220 = 1019.345… → 1019.34 GB, and 74 with the rest, 516.66 GB.
            let s = size(&t, 220, d("1536"));
            let out: Vec<_> = s
                .scale_out
                .iter()
                .filter(|x| x.role == PS)
                .map(|x| (x.vcpus, x.machines, x.change_gb_per_day))
                .collect();
            assert_eq!(out, vec![(8, 146, d("1019.34")), (8, 74, d("516.66"))]);
            assert_eq!(shape(&s.scale_up), vec![(CS, 12, 18, 600, 220), (PS, 12, 24, 1024, 220)]);
        }
    }

    /// 100 servers per option at most: 100 × P3 = 22 500 machines is listed; one more is not, and loads
    /// far beyond every table give counts and notes, never a panic or a long loop.
    #[test]
    fn loads_beyond_every_table() {
        for era in ERAS {
            let t = tables(era);
            let s = size(&t, 22_500, Decimal::ZERO);
            assert_eq!(s.scale_up.len(), 200);
            assert_eq!((s.configuration_servers, s.additional_process_servers), (100, 100));
            assert!(s.scale_out.is_empty(), "150 P2 servers exceed the limit");
            assert!(s.notes.iter().any(|n| n.starts_with("scale-out: the load needs 150 process servers")));

            let s = size(&t, 22_501, Decimal::ZERO);
            assert!(s.scale_up.is_empty() && s.scale_out.is_empty());
            assert_eq!((s.configuration_servers, s.additional_process_servers), (101, 101));
            assert!(s.notes.iter().any(|n| n.starts_with("scale-up: the load needs 101 process servers")));

            let s = size(&t, u32::MAX, Decimal::MAX);
            assert!(s.scale_up.is_empty() && s.scale_out.is_empty());
            assert_eq!(s.additional_process_servers, u32::MAX);
            assert!(s.notes.iter().any(|n| n.contains("ASR Deployment Planner")));
        }
    }

    /// Every listed server holds whole machines with their change (none has change without machines), stays
    /// within its row's maxima, and the servers of an option sum to the load.
    #[test]
    fn every_split_keeps_machines_with_their_change_within_the_rows() {
        for era in ERAS {
            let t = tables(era);
            // A process server within its row; its configuration server carries the same load (see `specs`).
            let within = |spec: &ServerSpec| {
                let row = t.process_servers.iter().map(|r| &r.server).find(|r| r.vcpus == spec.vcpus).unwrap();
                spec.machines <= row.max_machines && spec.change_gb_per_day <= row.max_change_gb_per_day
            };
            for machines in [201, 220, 226, 450, 1000, 4000] {
                for change in ["0", "250", "1536", "2048.01", "2695", "3850", "10000.5", "33333.33"] {
                    let s = size(&t, machines, d(change));
                    for option in [&s.scale_up, &s.scale_out] {
                        let ps: Vec<&ServerSpec> = option.iter().filter(|x| x.role == PS).collect();
                        for spec in option.iter() {
                            assert!(
                                spec.machines > 0 || spec.change_gb_per_day == Decimal::ZERO,
                                "{machines} {change}: {spec:?}"
                            );
                        }
                        for spec in &ps {
                            assert!(within(spec), "{era:?} {machines} {change}: {spec:?}");
                        }
                        let load = |role| {
                            let mut load: Vec<(u32, Decimal)> = option
                                .iter()
                                .filter(|x| x.role == role)
                                .map(|x| (x.machines, x.change_gb_per_day))
                                .collect();
                            load.sort();
                            load
                        };
                        assert_eq!(load(CS), load(PS), "{machines} {change}");
                        if !ps.is_empty() {
                            assert_eq!(ps.iter().map(|x| x.machines).sum::<u32>(), machines, "{machines} {change}");
                            assert_eq!(
                                ps.iter().map(|x| x.change_gb_per_day).sum::<Decimal>(),
                                d(change),
                                "{machines} {change}"
                            );
                        }
                    }
                }
            }
        }
    }

    fn parse_text(text: &str) -> (SizingTables, Vec<RuleProblem>) {
        let file = RuleFile::new(FILE.to_string(), Origin::Embedded, text.to_string());
        let mut problems = Vec::new();
        let tables = SizingTables::parse(&file, &mut problems).current;
        (tables, problems)
    }

    #[test]
    fn rule_file_problems_name_their_line() {
        let embedded = RulePack::embedded().file(FILE).unwrap().text.clone();
        let broken = embedded.replacen("max_change_gb_per_day = 500\n", "max_change_gb_per_day = 500.5\n", 1).replacen(
            "configuration_server_memory_gb = 18\n",
            "configuration_server_memory_gb = 20\n",
            1,
        ) + "\n[[threshold]]\nera = \"1999\"\nname = \"x\"\nvalue = 1\nsource = \"s\"\n\n[[extra]]\nx = 1\n";
        let (_, problems) = parse_text(&broken);
        let text: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        assert!(text.iter().any(|p| p.contains("TOML float") && p.contains("line ")), "{text:?}");
        assert!(
            text.iter().any(|p| p.contains("no [[configuration_server]] row of era current has 12 vCPUs and 20 GB")),
            "{text:?}"
        );
        assert!(text.iter().any(|p| p.contains("unknown era `1999`")), "{text:?}");
        assert!(text.iter().any(|p| p.contains("unknown top-level key `extra`")), "{text:?}");

        let (tables, problems) = parse_text("[[configuration_server]\n");
        assert_eq!(problems.len(), 1, "a syntax error is reported once: {problems:?}");
        let s = size(&tables, 10, d("10"));
        assert!(s.scale_up.is_empty() && s.notes.iter().any(|n| n.contains("no process-server rows")));

        assert!(!Rules::embedded().sizing(Era::Y2017).process_servers.is_empty());
    }
}
