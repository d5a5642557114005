//! Batches: the resources that must move in one operation. A batch is a connected component over the
//! must-move-together edges of the [`DependencyGraph`] (direction does not matter; cycles are fine), extended by
//! the `[[whole_group]]` rules (all App Service resources of a resource group, anchors.md §2.2). A `shared-global`
//! resource (DNS zones, Traffic Manager, CDN) is not pulled into the batch of a resource that uses it.
//!
//! Batches are numbered `B01`, `B02`, … ordered by subscription, resource group (the one holding most members)
//! and first resource ID, all compared ignoring case. Status, blockers and remediation are computed from the
//! members' assessment by the caller.

use std::collections::{BTreeMap, HashMap, HashSet};

use petgraph::unionfind::UnionFind;
use petgraph::visit::EdgeRef;
use serde::Serialize;

use super::graph::DependencyGraph;
use crate::model::resource::normalize_location;
use crate::model::{Resource, resource_id};

#[derive(Debug, Clone, Serialize)]
pub struct Batch {
    /// `B01`, `B02`, …
    pub id: String,
    /// The subscription of most members (ties: the first in order); `None` when no member has one.
    pub subscription_id: Option<String>,
    /// Every subscription of the members, lowercase, sorted (more than one is a problem for the caller to report).
    #[serde(skip)]
    pub subscription_ids: Vec<String>,
    /// The members' resource groups today, lowercase, sorted.
    pub resource_groups: Vec<String>,
    /// The members' locations, normalised (`westeurope`), sorted.
    pub locations: Vec<String>,
    /// The members' IDs, sorted ignoring case.
    pub resources: Vec<String>,
    /// The members' indexes into the resource slice, in the order of `resources`.
    #[serde(skip)]
    pub members: Vec<usize>,
    /// Members a `may-stay-in-group` exception lets stay in their own group (indexes into the resource slice).
    #[serde(skip)]
    pub may_stay_in_group: Vec<usize>,
}

impl Batch {
    /// Each resource group with its member count, most members first, then by name; members under a
    /// `may-stay-in-group` exception are not counted (their group need not be consolidated).
    pub fn resource_group_counts(&self, resources: &[Resource]) -> Vec<(String, usize)> {
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        // A set: a batch can hold thousands of members.
        let stays: HashSet<usize> = self.may_stay_in_group.iter().copied().collect();
        for &i in self.members.iter().filter(|i| !stays.contains(i)) {
            if let Some(group) = resource_group(&resources[i]) {
                *counts.entry(group).or_default() += 1;
            }
        }
        let mut counts: Vec<(String, usize)> = counts.into_iter().collect();
        counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        counts
    }

    /// The resource group that holds most members (see [`Self::resource_group_counts`]).
    pub fn largest_resource_group(&self, resources: &[Resource]) -> Option<String> {
        self.resource_group_counts(resources).into_iter().next().map(|(group, _)| group)
    }
}

/// A resource's group, lowercase: the resource's own field, else from its ID.
fn resource_group(resource: &Resource) -> Option<String> {
    resource
        .resource_group
        .clone()
        .or_else(|| resource_id::parse(&resource.id).and_then(|id| id.resource_group))
        .map(|group| group.to_ascii_lowercase())
}

/// The batches of `resources` (the slice `graph` was built from). Every resource is in exactly one batch.
pub fn batches(resources: &[Resource], graph: &DependencyGraph) -> Vec<Batch> {
    let n = resources.len();
    let mut sets = UnionFind::<usize>::new(n);
    let global = |i: usize| graph.facts.get(i).is_some_and(|f| f.shared_global.is_some());
    for edge in graph.graph.edge_references() {
        if !edge.weight().must_move_together {
            continue;
        }
        let (a, b) = (graph.graph[edge.source()], graph.graph[edge.target()]);
        // A shared global resource is not pulled into the batch of what uses it (nor the other way round).
        if global(a) != global(b) {
            continue;
        }
        sets.union(a, b);
    }
    let mut whole_groups: HashMap<(Option<String>, String, usize), usize> = HashMap::new();
    for (i, resource) in resources.iter().enumerate() {
        let Some(rule) = graph.facts.get(i).and_then(|f| f.whole_group) else { continue };
        let Some(group) = resource_group(resource) else { continue };
        let subscription = resource.subscription_id.as_deref().map(str::to_ascii_lowercase);
        let first = *whole_groups.entry((subscription, group, rule)).or_insert(i);
        sets.union(first, i);
    }

    let mut components: HashMap<usize, Vec<usize>> = HashMap::new();
    for i in 0..n {
        components.entry(sets.find(i)).or_default().push(i);
    }
    let keys: Vec<String> = resources.iter().map(|r| resource_id::key(&r.id)).collect();
    let mut batches: Vec<(String, String, String, Batch)> = components
        .into_values()
        .map(|mut members| {
            members.sort_by(|&a, &b| keys[a].cmp(&keys[b]).then(a.cmp(&b)));
            let batch = batch(resources, graph, members);
            let subscription = batch.subscription_id.as_deref().unwrap_or_default().to_ascii_lowercase();
            let group = batch.largest_resource_group(resources).unwrap_or_default();
            let first = keys[batch.members[0]].clone();
            (subscription, group, first, batch)
        })
        .collect();
    batches.sort_by(|a, b| (&a.0, &a.1, &a.2).cmp(&(&b.0, &b.1, &b.2)));
    batches
        .into_iter()
        .enumerate()
        .map(|(k, (_, _, _, mut batch))| {
            batch.id = format!("B{:02}", k + 1);
            batch
        })
        .collect()
}

fn batch(resources: &[Resource], graph: &DependencyGraph, members: Vec<usize>) -> Batch {
    let mut subscriptions: BTreeMap<String, (usize, usize, &str)> = BTreeMap::new(); // lowercase → (count, first, as spelled)
    let mut groups = Vec::new();
    let mut locations = Vec::new();
    for (order, &i) in members.iter().enumerate() {
        let resource = &resources[i];
        if let Some(subscription) = resource.subscription_id.as_deref() {
            subscriptions.entry(subscription.to_ascii_lowercase()).or_insert((0, order, subscription)).0 += 1;
        }
        groups.extend(resource_group(resource));
        locations.extend(resource.location.as_deref().map(normalize_location).filter(|l| !l.is_empty()));
    }
    groups.sort();
    groups.dedup();
    locations.sort();
    locations.dedup();
    let subscription_id = subscriptions
        .values()
        .max_by(|a, b| a.0.cmp(&b.0).then_with(|| b.1.cmp(&a.1)))
        .map(|(_, _, spelled)| spelled.to_string());
    let may_stay_in_group = members
        .iter()
        .copied()
        .filter(|&i| graph.facts.get(i).is_some_and(|f| f.may_stay_in_group.is_some()))
        .collect();
    Batch {
        id: String::new(),
        subscription_id,
        subscription_ids: subscriptions.into_keys().collect(),
        resource_groups: groups,
        locations,
        resources: members.iter().map(|&i| resources[i].id.clone()).collect(),
        members,
        may_stay_in_group,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::inventory::InventoryReport;
    use crate::model::CompactJson;
    use crate::plan::graph::{DependencyRules, Edge};
    use crate::read::ReadOptions;

    fn estate() -> Vec<Resource> {
        let rules = crate::rules::Rules::embedded().read.clone();
        let options = ReadOptions { rules: &rules, forced: None, sheet: None, progress: false, keep_properties: None };
        let sources: Vec<_> = crate::sample::resource_sources().into_iter().take(1).collect();
        InventoryReport::read(&sources, &options).unwrap().resources
    }

    fn rules() -> DependencyRules {
        crate::rules::Rules::embedded().dependencies.clone()
    }

    fn plan(resources: &[Resource]) -> (DependencyGraph, Vec<Batch>) {
        let graph = DependencyGraph::build(resources, &rules());
        let batches = batches(resources, &graph);
        (graph, batches)
    }

    /// The names of the batch that holds `name`, sorted.
    fn batch_of(resources: &[Resource], batches: &[Batch], name: &str) -> Vec<String> {
        let batch = batches
            .iter()
            .find(|b| b.members.iter().any(|&i| resources[i].name == name))
            .unwrap_or_else(|| panic!("{name} is in no batch"));
        let mut names: Vec<String> = batch.members.iter().map(|&i| resources[i].name.clone()).collect();
        names.sort();
        names
    }

    fn sorted(names: &[&str]) -> Vec<String> {
        let mut names: Vec<String> = names.iter().map(|s| s.to_string()).collect();
        names.sort();
        names
    }

    // Long because it lists the 16 expected batches of samples/README.md, member by member (a table of data).
    #[test]
    fn the_sample_estate_gives_the_expected_batches() {
        let resources = estate();
        assert_eq!(resources.len(), 62);
        let (graph, batches) = plan(&resources);
        assert!(graph.without_properties.is_empty() || !graph.no_dependency_data());
        // samples/README.md "Expected move batches": 16 batches; compare membership, not labels.
        assert_eq!(batches.len(), 16, "{:#?}", batches.iter().map(|b| &b.resources).collect::<Vec<_>>());
        let expected: Vec<Vec<&str>> = vec![
            // B01
            vec![
                "contoso-erp-legacy",
                "erp-app01",
                "erp-sql01",
                "erp-classic-vnet",
                "erp-legacy-vip",
                "contosoerplegacystor",
            ],
            // B02
            vec![
                "vm-dev-build01",
                "vm-dev-build01-nic01",
                "pip-dev-build01",
                "vnet-dev",
                "nsg-dev-build",
                "contosodevvhds01",
            ],
            vec!["grafana-dev-observability"],
            // B04
            vec![
                "avset-app",
                "vm-app-01",
                "vm-app-02",
                "vm-app-01_OsDisk_1_7c1e94b5d2a04f3e8b6f0a9d3c2e1b47",
                "vm-app-01_DataDisk_0",
                "vm-app-02_OsDisk_1_e03b6a8f41c94d2a9f5e7b1c0d8a2f63",
                "vm-app-01-nic",
                "vm-app-02-nic",
                "nsg-app",
                "rt-app",
                "vnet-prod-app",
                "lb-app",
                "pip-lb-app",
                "contosoprddiag01",
            ],
            // B05
            vec![
                "vm-api-01",
                "vm-api-01_OsDisk_1_5b9d2e7f03a14c6b8e1f4a7d9c0b3e25",
                "vm-api-01-nic",
                "lb-api",
                "pip-lb-api",
                "nsg-api",
                "vnet-prod-api",
            ],
            vec!["asp-contoso-web", "app-contoso-portal", "app-contoso-b2b"],
            // B07
            vec![
                "sql-contoso-prd",
                "sqldb-orders",
                "pe-sql-contoso-prd",
                "pe-sql-contoso-prd.nic.8d3f0b2a-61c7-4e95-a4d8-2b7c9e1f5a06",
                "pe-sql-contoso-bi",
                "pe-sql-contoso-bi.nic.c41b7e09-3a5d-4f28-9b6e-0d2f8a1c5e73",
                "vnet-prod-data",
            ],
            vec!["kv-contoso-prd"],
            vec!["privatelink.database.windows.net"],
            // B11
            vec![
                "vnet-shared-weu",
                "vpngw-shared-weu",
                "pip-vpngw-shared-weu",
                "cn-vpngw-to-amsterdam-dc",
                "nsg-identity",
                "lng-amsterdam-dc",
                "vm-shd-dc01",
                "vm-shd-dc01_OsDisk_1_a4c8e2f6b1d94e0f8a3c7b5d9e1f2a60",
                "vm-shd-dc01_ntds",
                "vm-shd-dc01-nic",
            ],
            vec!["log-contoso-shd"],
            vec!["aa-contoso-shd"],
            vec!["rsv-contoso-weu"],
            vec!["AzureBackup_vm-shd-dc01_137306158492813"],
        ];
        for names in &expected {
            assert_eq!(batch_of(&resources, &batches, names[0]), sorted(names), "batch of {}", names[0]);
        }
        // The two Network Watchers (one per subscription) are a batch each.
        let watchers: Vec<&Batch> = batches
            .iter()
            .filter(|b| b.members.iter().any(|&i| resources[i].name == "NetworkWatcher_westeurope"))
            .collect();
        assert_eq!(watchers.len(), 2);
        assert!(watchers.iter().all(|b| b.members.len() == 1));
        // Every resource is in exactly one batch.
        let mut all: Vec<usize> = batches.iter().flat_map(|b| b.members.iter().copied()).collect();
        all.sort_unstable();
        assert_eq!(all, (0..resources.len()).collect::<Vec<_>>());
        // Ids are B01… in order of subscription, resource group, first ID.
        assert_eq!(batches[0].id, "B01");
        assert_eq!(batches[15].id, "B16");
        let subscriptions: Vec<String> =
            batches.iter().map(|b| b.subscription_id.clone().unwrap().to_ascii_lowercase()).collect();
        assert!(subscriptions.windows(2).all(|w| w[0] <= w[1]), "{subscriptions:?}");
    }

    #[test]
    fn batches_record_groups_locations_and_exceptions() {
        let resources = estate();
        let (_, batches) = plan(&resources);
        let find = |name: &str| batches.iter().find(|b| b.members.iter().any(|&i| resources[i].name == name)).unwrap();
        let b01 = find("erp-app01");
        assert_eq!(b01.resource_groups, ["contoso-erp-legacy", "default-networking", "default-storage-westeurope"]);
        let b02 = find("vm-dev-build01");
        assert_eq!(b02.resource_groups, ["rg-dev-storage", "rg-dev-test"]);
        assert_eq!(b02.largest_resource_group(&resources).as_deref(), Some("rg-dev-test"));
        assert_eq!(
            b02.resource_group_counts(&resources),
            [("rg-dev-test".to_string(), 5), ("rg-dev-storage".to_string(), 1)]
        );
        let b04 = find("vm-app-01");
        // The VM whose boot-diagnostics storage sits in another region is in the same batch as that account.
        assert!(b04.members.iter().any(|&i| resources[i].name == "contosoprddiag01"));
        assert_eq!(b04.locations, ["northeurope", "westeurope"]);
        assert_eq!(b04.resource_groups, ["rg-app"]);
        let b11 = find("vpngw-shared-weu");
        assert_eq!(b11.resource_groups, ["rg-connectivity-weu", "rg-identity", "rg-onprem-sites"]);
        let stays: Vec<&str> = b11.may_stay_in_group.iter().map(|&i| resources[i].name.as_str()).collect();
        assert_eq!(stays, ["lng-amsterdam-dc"]);
        let zone = find("privatelink.database.windows.net");
        assert_eq!(zone.locations, ["global"]);
        assert_eq!(zone.subscription_id.as_deref(), Some("2b8f4c61-93d7-4e0a-a5c2-7f1d6e9b3a48"));
        let json = serde_json::to_value(b02).unwrap();
        let keys: Vec<&String> = json.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["id", "locations", "resource_groups", "resources", "subscription_id"]);
    }

    #[test]
    fn the_sample_estate_gives_the_expected_edges() {
        let resources = estate();
        let (graph, _) = plan(&resources);
        let edges = graph.edges(&resources);
        let name = |id: &str| resources.iter().find(|r| r.id == id).map(|r| r.name.clone()).unwrap();
        let has = |from: &str, to: &str, kind: &str| {
            edges.iter().any(|e| name(&e.from) == from && name(&e.to) == to && e.kind == kind)
        };
        assert!(has("vm-app-01", "vm-app-01-nic", "nic"));
        assert!(has("vm-app-01", "vm-app-01_OsDisk_1_7c1e94b5d2a04f3e8b6f0a9d3c2e1b47", "os-disk"));
        assert!(has("vm-app-01", "contosoprddiag01", "boot-diagnostics"));
        assert!(has("vm-app-01", "avset-app", "availability-set"));
        assert!(has("vm-app-01-nic", "vnet-prod-app", "subnet"));
        assert!(has("vm-app-01-nic", "lb-app", "load-balancer-pool"));
        assert!(has("vm-api-01-nic", "nsg-api", "nsg"));
        assert!(has("vnet-prod-app", "rt-app", "subnet-route-table"));
        assert!(has("lb-app", "pip-lb-app", "frontend-public-ip"));
        assert!(has("vm-dev-build01", "contosodevvhds01", "os-vhd-storage"));
        assert!(has("erp-app01", "contosoerplegacystor", "os-vhd-storage"));
        assert!(has("app-contoso-portal", "asp-contoso-web", "app-service-plan"));
        assert!(has("sqldb-orders", "sql-contoso-prd", "parent"));
        assert!(has("pe-sql-contoso-prd", "sql-contoso-prd", "private-endpoint-target"));
        assert!(edges.iter().any(|e| name(&e.from) == "AzureBackup_vm-shd-dc01_137306158492813"
            && e.kind == "backup-source"
            && !e.must_move_together));
        // No edge for a platform image, a public maintenance configuration or a duplicate path.
        assert!(!edges.iter().any(|e| e.to.to_ascii_lowercase().contains("/publishers/")));
        let from_vm: Vec<Edge> =
            graph.edges_from(&resources, resources.iter().position(|r| r.name == "erp-sql01").unwrap());
        let storage = from_vm.iter().filter(|e| e.kind == "data-vhd-storage").count();
        assert_eq!(storage, 1, "{from_vm:?}");
        // External dependencies: the hub VNet peerings and the private-endpoint target in another subscription.
        let external: Vec<(String, String, String)> = graph
            .external_dependencies
            .iter()
            .map(|e| (name(&e.from), e.to.to_ascii_lowercase(), e.kind.clone()))
            .collect();
        let hub = "/subscriptions/f07b2d58-1e9c-4a36-b7d4-5c82e0a19f3b/resourcegroups/rg-hub-network/providers/microsoft.network/virtualnetworks/vnet-hub-weu";
        for vnet in ["vnet-prod-app", "vnet-prod-api", "vnet-prod-data"] {
            assert!(external.contains(&(vnet.to_string(), hub.to_string(), "peering".to_string())), "{external:?}");
        }
        let bi = "/subscriptions/7e2c9a14-5f3b-4d81-b0a6-c83d1e47f925/resourcegroups/rg-bi-prod/providers/microsoft.sql/servers/sql-contoso-bi";
        assert!(external.contains(&(
            "pe-sql-contoso-bi".to_string(),
            bi.to_string(),
            "private-endpoint-target".to_string()
        )));
        assert_eq!(external.len(), 4, "{external:?}");
        let json = serde_json::to_value(&graph.external_dependencies[0]).unwrap();
        assert_eq!(json.as_object().unwrap().len(), 3);
    }

    fn vm(name: &str, properties: Option<serde_json::Value>) -> Resource {
        let mut resource = Resource::new(
            format!("/subscriptions/S/resourceGroups/RG/providers/Microsoft.Compute/virtualMachines/{name}"),
            name.to_string(),
            "Microsoft.Compute/virtualMachines".to_string(),
        );
        resource.subscription_id = Some("S".to_string());
        resource.resource_group = Some("rg".to_string());
        resource.properties = properties.as_ref().map(CompactJson::new);
        resource
    }

    fn nic_ref(target: &str) -> serde_json::Value {
        json!({"networkProfile": {"networkInterfaces": [
            {"id": format!("/subscriptions/s/resourcegroups/rg/providers/microsoft.compute/virtualmachines/{target}")}
        ]}})
    }

    #[test]
    fn self_references_and_cycles_give_one_batch_each() {
        // A self-reference is ignored: no edge, no external dependency, one batch.
        let resources = [vm("a", Some(nic_ref("A")))];
        let (graph, batches) = plan(&resources);
        assert_eq!(graph.graph.edge_count(), 0);
        assert!(graph.external_dependencies.is_empty());
        assert_eq!(batches.len(), 1);
        // A 2-resource cycle is one batch.
        let resources = [vm("a", Some(nic_ref("b"))), vm("b", Some(nic_ref("a")))];
        let (graph, batches) = plan(&resources);
        assert_eq!(graph.graph.edge_count(), 2);
        assert_eq!(batches.len(), 1);
        assert_eq!(batches[0].members, [0, 1]);
        assert_eq!(batches[0].id, "B01");
    }

    #[test]
    fn a_resource_without_properties_is_its_own_batch() {
        let resources = [vm("a", None), vm("b", Some(nic_ref("c"))), vm("c", Some(json!(null)))];
        let (graph, batches) = plan(&resources);
        assert_eq!(graph.without_properties, [0, 2]);
        assert!(!graph.no_dependency_data());
        // b → c is an edge (c is in the inventory even without its own properties); a stands alone.
        assert_eq!(batches.len(), 2);
        assert_eq!(batches[0].members, [0]);
        assert_eq!(batches[1].members, [1, 2]);
        let (graph, batches) = plan(&[vm("a", None), vm("b", None)]);
        assert!(graph.no_dependency_data());
        assert_eq!(batches.len(), 2);
    }

    #[test]
    fn global_services_are_not_pulled_in_and_app_service_groups_move_whole() {
        let zone_id = "/subscriptions/S/resourceGroups/RG/providers/Microsoft.Network/privateDnsZones/z";
        let zone = Resource::new(zone_id.into(), "z".into(), "Microsoft.Network/privateDnsZones".into());
        // A link (child of the zone) pointing at a VNet; a VM pointing at the zone itself (as if it were a NIC).
        let link = Resource::new(
            format!("{zone_id}/virtualNetworkLinks/l"),
            "l".into(),
            "Microsoft.Network/privateDnsZones/virtualNetworkLinks".into(),
        );
        let user = vm("a", Some(json!({"networkProfile": {"networkInterfaces": [{"id": zone_id}]}})));
        let resources = [zone, link, user];
        let (graph, batches) = plan(&resources);
        assert_eq!(graph.graph.edge_count(), 2); // link → zone (parent), a → zone
        assert_eq!(batches.len(), 2);
        assert_eq!(batches.iter().find(|b| b.members.contains(&0)).unwrap().members, [0, 1]);

        let web = |name: &str, t: &str, group: &str| {
            let mut r = Resource::new(
                format!("/subscriptions/S/resourceGroups/{group}/providers/{t}/{name}"),
                name.into(),
                t.into(),
            );
            r.subscription_id = Some("S".into());
            r.resource_group = Some(group.to_ascii_lowercase());
            r
        };
        let resources = [
            web("plan1", "Microsoft.Web/serverfarms", "rg-web"),
            web("site1", "Microsoft.Web/sites", "RG-WEB"),
            web("cert", "Microsoft.Web/certificates", "rg-web"),
            web("other", "Microsoft.Web/sites", "rg-other"),
        ];
        let (_, batches) = plan(&resources);
        assert_eq!(batches.len(), 2);
        assert_eq!(batches.iter().map(|b| b.members.len()).collect::<Vec<_>>(), [1, 3]);
        assert_eq!(batches[1].resource_groups, ["rg-web"]);
    }

    #[test]
    fn child_resources_join_their_parent_or_name_it_as_external() {
        let server = Resource::new(
            "/subscriptions/S/resourceGroups/RG/providers/Microsoft.Sql/servers/srv".into(),
            "srv".into(),
            "Microsoft.Sql/servers".into(),
        );
        let db = Resource::new(
            "/subscriptions/S/resourceGroups/RG/providers/Microsoft.Sql/servers/SRV/databases/db".into(),
            "db".into(),
            "Microsoft.Sql/servers/databases".into(),
        );
        let orphan = Resource::new(
            "/subscriptions/S/resourceGroups/RG/providers/Microsoft.Sql/servers/gone/databases/db".into(),
            "db".into(),
            "Microsoft.Sql/servers/databases".into(),
        );
        let guid = Resource::new(
            "0e9d0c9b-ab6d-4312-9c7e-3794e22af9c4".into(),
            "x".into(),
            "Microsoft.ClassicStorage/storageAccounts".into(),
        );
        let resources = [server, db, orphan, guid];
        let (graph, batches) = plan(&resources);
        assert_eq!(batches.len(), 3);
        assert_eq!(graph.external_dependencies.len(), 1);
        assert_eq!(
            graph.external_dependencies[0].to,
            "/subscriptions/S/resourceGroups/RG/providers/Microsoft.Sql/servers/gone"
        );
        assert_eq!(graph.external_dependencies[0].kind, "parent");
        assert_eq!(graph.without_properties.len(), 4);
    }

    #[test]
    #[ignore = "prints the sample's batches"]
    fn print_sample_batches() {
        let resources = estate();
        let (_, batches) = plan(&resources);
        for b in &batches {
            let names: Vec<&str> = b.members.iter().map(|&i| resources[i].name.as_str()).collect();
            println!(
                "{} {} {:?} {:?} {}",
                b.id,
                b.subscription_id.as_deref().unwrap_or("-"),
                b.resource_groups,
                b.locations,
                names.join(",")
            );
        }
    }
}
