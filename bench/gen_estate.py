#!/usr/bin/env python3
"""Generate a large Azure Resource Graph result (JSON) for the `plan` benchmark.

    bench/gen_estate.py --resources N --out PATH [--seed S]

Writes `{"count": N, "data": [...], "skip_token": null, "total_records": N}`, the
shape of `az graph query -q "Resources" --first 1000` (and of samples/estate.json),
with exactly N resources whose `properties` reference each other the way ARM does,
so a dependency graph built from them has real edges:

- virtual machines -> NICs (networkProfile.networkInterfaces[].id), managed OS and
  data disks (storageProfile.*.managedDisk.id) or, for ~8% of VMs, unmanaged VHDs
  (storageProfile.*.vhd.uri on a "vhds" storage account), boot-diagnostics storage
  account (diagnosticsProfile.bootDiagnostics.storageUri), availability set (some);
- NICs -> subnet of a VNet (ipConfigurations[].properties.subnet.id; one VNet's
  subnets are shared by every NIC of the resource group, and ~25% of resource
  groups use a hub VNet in the subscription's `rg-network-hub` group instead, which
  joins those groups into one large cross-group component), public IP (~40%, of
  which ~25% Standard SKU), NSG (per NIC or per subnet), and the VM (virtualMachine.id);
- managed disks -> VM (managedBy), NSGs -> NICs / subnets, public IP -> NIC ipconfig;
- boot-diagnostics storage accounts: one per resource group, ~10% of them in the
  subscription's `rg-shared-diag` group instead, ~5% in another region;
- App Service: plan + 1-4 web apps (properties.serverFarmId), some with
  virtualNetworkSubnetId; SQL: server + 1-3 databases (child IDs) and `master`;
  key vaults (enabledForDiskEncryption true/false).
- ~0.5% of NICs use a subnet in a VNet that is not in the file (another
  subscription's hub): external dependencies.

8 subscriptions, ~1.3 KB per resource (one compact JSON object per line). IDs in
references sometimes spell the resource group in upper case, as ARM does. Within
a subscription the resources are shuffled, so references point both forwards and
backwards in the file. Seeded and deterministic: same arguments -> byte-identical
file. Standard library only.
"""

import argparse
import json
import random
import sys
import uuid

SUBSCRIPTIONS = 8
REGIONS = ["westeurope", "northeurope", "eastus", "eastus2", "uksouth", "francecentral"]
VM_SIZES = ["Standard_B2s", "Standard_D2s_v3", "Standard_D4s_v3", "Standard_D8s_v3", "Standard_E4s_v3",
            "Standard_F4s_v2", "Standard_DS2_v2", "Standard_A2_v2"]
IMAGES = [("Canonical", "0001-com-ubuntu-server-focal", "20_04-lts-gen2", "Linux"),
          ("Canonical", "UbuntuServer", "18.04-LTS", "Linux"),
          ("MicrosoftWindowsServer", "WindowsServer", "2019-Datacenter", "Windows"),
          ("MicrosoftWindowsServer", "WindowsServer", "2016-Datacenter", "Windows"),
          ("RedHat", "RHEL", "8-lvm-gen2", "Linux")]
DISK_SKUS = ["Premium_LRS", "StandardSSD_LRS", "Standard_LRS"]
ENVS = ["prod", "dev", "test", "uat"]
APPS = ["erp", "crm", "web", "hr", "bi", "mail", "files", "ops", "pay", "shop", "data", "iot"]


class Gen:
    def __init__(self, seed, tenant):
        self.rng = random.Random(seed)
        self.tenant = tenant

    def guid(self):
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def hexid(self, n=32):
        return "%0*x" % (n, self.rng.getrandbits(4 * n))


def ref(gen, rid, rg):
    """A reference to `rid`; ~20% spell the resource group in upper case, as ARM often does."""
    if gen.rng.random() < 0.2:
        return rid.replace("/resourceGroups/%s/" % rg, "/resourceGroups/%s/" % rg.upper(), 1)
    return rid


class Sub:
    """Emits the resources of one subscription, exactly `quota` of them."""

    def __init__(self, gen, index, quota):
        self.gen = gen
        self.rng = gen.rng
        self.sid = gen.guid()
        self.index = index
        self.quota = quota
        self.region = REGIONS[index % len(REGIONS)]
        self.out = []  # serialized resources
        self.dumps = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode

    def left(self):
        return self.quota - len(self.out)

    def prefix(self, rg):
        return "/subscriptions/%s/resourceGroups/%s/providers/" % (self.sid, rg)

    def emit(self, rtype, rg, name, props, location, kind="", sku=None, tags=None, managed_by="",
             identity=None, zones=None):
        rid = self.prefix(rg) + rtype + "/" + name
        self.out.append(self.dumps({
            "id": rid, "name": name, "type": rtype.lower(), "tenantId": self.gen.tenant, "kind": kind,
            "location": location, "resourceGroup": rg, "subscriptionId": self.sid, "managedBy": managed_by,
            "sku": sku, "plan": None, "properties": props, "tags": tags or {}, "identity": identity,
            "zones": zones, "extendedLocation": None}))
        return rid

    def tags(self, app, env):
        return {"Application": app, "Environment": env, "CostCenter": "CC-%04d" % self.rng.randrange(1000, 1100),
                "Owner": "%s-team@contoso.com" % app}

    # ------------------------------------------------------------------ shared
    def vnet(self, rg, name, location, cidr2, subnets, tags):
        base = self.prefix(rg) + "Microsoft.Network/virtualNetworks/" + name
        subs = []
        ids = []
        for i, sn in enumerate(subnets):
            sid = base + "/subnets/" + sn
            ids.append(sid)
            subs.append({"name": sn, "id": sid, "etag": 'W/"%s"' % self.gen.guid(),
                         "type": "Microsoft.Network/virtualNetworks/subnets",
                         "properties": {"provisioningState": "Succeeded",
                                        "addressPrefix": "10.%d.%d.0/24" % (cidr2, i),
                                        "serviceEndpoints": [], "delegations": [],
                                        "privateEndpointNetworkPolicies": "Disabled",
                                        "privateLinkServiceNetworkPolicies": "Enabled"}})
        self.emit("Microsoft.Network/virtualNetworks", rg, name, {
            "provisioningState": "Succeeded", "resourceGuid": self.gen.guid(),
            "addressSpace": {"addressPrefixes": ["10.%d.0.0/16" % cidr2]},
            "dhcpOptions": {"dnsServers": []}, "subnets": subs, "virtualNetworkPeerings": [],
            "enableDdosProtection": False}, location, tags=tags)
        return ids

    def storage(self, rg, name, location, tags, kind="StorageV2"):
        self.emit("Microsoft.Storage/storageAccounts", rg, name, {
            "provisioningState": "Succeeded", "creationTime": "2019-%02d-%02dT10:%02d:11.0000000Z" % (
                self.rng.randrange(1, 13), self.rng.randrange(1, 29), self.rng.randrange(60)),
            "primaryLocation": location, "statusOfPrimary": "available", "accessTier": "Hot",
            "minimumTlsVersion": "TLS1_2", "allowBlobPublicAccess": False, "supportsHttpsTrafficOnly": True,
            "primaryEndpoints": {s: "https://%s.%s.core.windows.net/" % (name, s)
                                 for s in ("blob", "queue", "table", "file", "dfs", "web")},
            "encryption": {"keySource": "Microsoft.Storage",
                           "services": {"blob": {"enabled": True, "keyType": "Account"},
                                        "file": {"enabled": True, "keyType": "Account"}}},
            "networkAcls": {"bypass": "AzureServices", "defaultAction": "Allow", "ipRules": [],
                            "virtualNetworkRules": []}},
            location, kind=kind, sku={"name": "Standard_LRS", "tier": "Standard"}, tags=tags)
        return "https://%s.blob.core.windows.net/" % name

    def nsg(self, rg, name, location, tags, attached):
        rules = [{"name": r, "id": self.prefix(rg) + "Microsoft.Network/networkSecurityGroups/%s/securityRules/%s"
                  % (name, r), "properties": {"provisioningState": "Succeeded", "protocol": "Tcp",
                                              "sourcePortRange": "*", "destinationPortRange": p,
                                              "sourceAddressPrefix": "VirtualNetwork",
                                              "destinationAddressPrefix": "*", "access": "Allow",
                                              "priority": 100 + 10 * i, "direction": "Inbound"}}
                 for i, (r, p) in enumerate([("allow-ssh", "22"), ("allow-rdp", "3389"), ("allow-https", "443")])]
        props = {"provisioningState": "Succeeded", "resourceGuid": self.gen.guid(), "securityRules": rules,
                 "defaultSecurityRules": []}
        props.update(attached)
        return self.emit("Microsoft.Network/networkSecurityGroups", rg, name, props, location, tags=tags)

    def keyvault(self, rg, name, location, tags):
        self.emit("Microsoft.KeyVault/vaults", rg, name, {
            "sku": {"family": "A", "name": "standard"}, "tenantId": self.gen.tenant, "accessPolicies": [],
            "enabledForDeployment": False, "enabledForDiskEncryption": self.rng.random() < 0.15,
            "enabledForTemplateDeployment": False, "enableSoftDelete": True, "softDeleteRetentionInDays": 90,
            "enableRbacAuthorization": True, "vaultUri": "https://%s.vault.azure.net/" % name,
            "provisioningState": "Succeeded", "publicNetworkAccess": "Enabled"}, location, tags=tags)

    # ------------------------------------------------------------------ units
    def vm_unit(self, rg, n, location, subnet, subnet_rg, diag_uri, vhd_account, avset, nsg_shared, tags):
        """VM with NIC, OS + data disks (managed) or VHDs, optional NSG and public IP."""
        rng, gen = self.rng, self.gen
        name = "vm-%s-%03d" % (rg[3:], n)
        p = self.prefix(rg)
        vm_id = p + "Microsoft.Compute/virtualMachines/" + name
        nic_name = "%s%d" % (name.replace("-", ""), rng.randrange(100, 1000))
        nic_id = p + "Microsoft.Network/networkInterfaces/" + nic_name
        pub, offer, sku, os_type = rng.choice(IMAGES)
        n_data = rng.choice((0, 0, 1, 1, 2))
        managed = vhd_account is None
        disk_ids = []
        if managed:
            os_name = "%s_OsDisk_1_%s" % (name, gen.hexid())
            disk_sku = rng.choice(DISK_SKUS)
            os_disk = {"osType": os_type, "name": os_name, "createOption": "FromImage", "caching": "ReadWrite",
                       "managedDisk": {"storageAccountType": disk_sku,
                                       "id": ref(gen, p + "Microsoft.Compute/disks/" + os_name, rg)},
                       "deleteOption": "Detach", "diskSizeGB": 128 if os_type == "Windows" else 30}
            disk_ids.append((os_name, disk_sku, os_disk["diskSizeGB"], os_type))
            data = []
            for lun in range(n_data):
                dn = "%s-data%02d" % (name, lun)
                size = rng.choice((64, 128, 256, 512, 1024))
                data.append({"lun": lun, "name": dn, "createOption": "Attach", "caching": "ReadOnly",
                             "managedDisk": {"storageAccountType": disk_sku,
                                             "id": ref(gen, p + "Microsoft.Compute/disks/" + dn, rg)},
                             "deleteOption": "Detach", "diskSizeGB": size, "toBeDetached": False})
                disk_ids.append((dn, disk_sku, size, None))
        else:
            stamp = "2017%02d%02d%06d" % (rng.randrange(1, 13), rng.randrange(1, 29), rng.randrange(10 ** 6))
            os_disk = {"osType": os_type, "name": name, "createOption": "FromImage", "caching": "ReadWrite",
                       "vhd": {"uri": "%svhds/%s%s.vhd" % (vhd_account, name, stamp)}, "diskSizeGB": 30}
            data = [{"lun": lun, "name": "%s-data%02d-%s" % (name, lun, stamp), "createOption": "Empty",
                     "caching": "None", "vhd": {"uri": "%svhds/%s-data%02d-%s.vhd" % (vhd_account, name, lun, stamp)},
                     "diskSizeGB": 1023, "toBeDetached": False} for lun in range(n_data)]
        pip = rng.random() < 0.4
        own_nsg = nsg_shared is None and rng.random() < 0.7
        need = 2 + len(disk_ids) + pip + own_nsg
        if need > self.left():
            return False
        props = {
            "vmId": gen.guid(), "hardwareProfile": {"vmSize": rng.choice(VM_SIZES)},
            "storageProfile": {"imageReference": {"publisher": pub, "offer": offer, "sku": sku, "version": "latest"},
                               "osDisk": os_disk, "dataDisks": data},
            "osProfile": {"computerName": name[:15], "adminUsername": "contosoadmin", "secrets": [],
                          "allowExtensionOperations": True, "requireGuestProvisionSignal": True},
            "networkProfile": {"networkInterfaces": [{"id": ref(gen, nic_id, rg), "properties": {"primary": True}}]},
            "diagnosticsProfile": {"bootDiagnostics": {"enabled": True, "storageUri": diag_uri}},
            "provisioningState": "Succeeded",
            "extended": {"instanceView": {"computerName": name[:15], "osName": os_type.lower(),
                                          "powerState": {"code": "PowerState/running", "level": "Info",
                                                         "displayStatus": "VM running"}}}}
        if avset:
            props["availabilitySet"] = {"id": ref(gen, avset, rg)}
        self.emit("Microsoft.Compute/virtualMachines", rg, name, props, location, tags=tags)
        for dn, dsku, size, os in disk_ids:
            dprops = {"hyperVGeneration": "V1", "creationData": {"createOption": "FromImage" if os else "Empty"},
                      "diskSizeGB": size, "diskIOPSReadWrite": 500, "diskMBpsReadWrite": 100,
                      "encryption": {"type": "EncryptionAtRestWithPlatformKey"}, "networkAccessPolicy": "AllowAll",
                      "timeCreated": "2021-%02d-%02dT08:14:27.0000000Z" % (rng.randrange(1, 13), rng.randrange(1, 29)),
                      "provisioningState": "Succeeded", "diskState": "Attached", "diskSizeBytes": size << 30,
                      "uniqueId": gen.guid()}
            if os:
                dprops["osType"] = os
            self.emit("Microsoft.Compute/disks", rg, dn, dprops, location, sku={"name": dsku, "tier": dsku[:-4]},
                      managed_by=vm_id, tags=tags)
        ipc_id = nic_id + "/ipConfigurations/ipconfig1"
        ipc = {"provisioningState": "Succeeded", "privateIPAddress": "10.%d.%d.%d" % (
                   rng.randrange(256), rng.randrange(256), rng.randrange(4, 250)),
               "privateIPAllocationMethod": "Dynamic", "subnet": {"id": ref(gen, subnet, subnet_rg)},
               "primary": True, "privateIPAddressVersion": "IPv4"}
        if pip:
            pip_name = name + "-ip"
            std = rng.random() < 0.25
            pip_id = self.emit("Microsoft.Network/publicIPAddresses", rg, pip_name, {
                "provisioningState": "Succeeded", "resourceGuid": gen.guid(),
                "ipAddress": "20.%d.%d.%d" % (rng.randrange(256), rng.randrange(256), rng.randrange(256)),
                "publicIPAddressVersion": "IPv4", "publicIPAllocationMethod": "Static" if std else "Dynamic",
                "idleTimeoutInMinutes": 4, "ipTags": [], "ipConfiguration": {"id": ref(gen, ipc_id, rg)}},
                location, sku={"name": "Standard" if std else "Basic", "tier": "Regional"}, tags=tags)
            ipc["publicIPAddress"] = {"id": ref(gen, pip_id, rg)}
        nic_props = {"provisioningState": "Succeeded", "resourceGuid": gen.guid(),
                     "ipConfigurations": [{"name": "ipconfig1", "id": ipc_id, "etag": 'W/"%s"' % gen.guid(),
                                           "type": "Microsoft.Network/networkInterfaces/ipConfigurations",
                                           "properties": ipc}],
                     "dnsSettings": {"dnsServers": [], "appliedDnsServers": []},
                     "enableAcceleratedNetworking": False, "enableIPForwarding": False, "nicType": "Standard",
                     "virtualMachine": {"id": ref(gen, vm_id, rg)},
                     "macAddress": "00-0D-3A-%02X-%02X-%02X" % (rng.randrange(256), rng.randrange(256),
                                                               rng.randrange(256)), "primary": True}
        if own_nsg:
            nsg_id = self.nsg(rg, name + "-nsg", location, tags, {"networkInterfaces": [{"id": ref(gen, nic_id, rg)}]})
            nic_props["networkSecurityGroup"] = {"id": ref(gen, nsg_id, rg)}
        elif nsg_shared:
            nic_props["networkSecurityGroup"] = {"id": ref(gen, nsg_shared, rg)}
        self.emit("Microsoft.Network/networkInterfaces", rg, nic_name, nic_props, location, tags=tags)
        return True

    def web_unit(self, rg, n, location, subnet, tags):
        rng, gen = self.rng, self.gen
        sites = rng.randrange(1, 5)
        if 1 + sites > self.left():
            return False
        plan = "asp-%s-%02d" % (rg[3:], n)
        plan_id = self.emit("Microsoft.Web/serverFarms", rg, plan, {
            "serverFarmId": rng.randrange(10 ** 5), "name": plan, "workerSize": "Default", "workerSizeId": 0,
            "numberOfWorkers": 1, "currentWorkerSize": "Default", "status": "Ready", "webSpace": rg + "-" + location,
            "subscription": self.sid, "maximumNumberOfWorkers": 10, "planName": "VirtualDedicatedPlan",
            "perSiteScaling": False, "numberOfSites": sites, "reserved": False, "provisioningState": "Succeeded"},
            location, kind="app", sku={"name": "S1", "tier": "Standard", "size": "S1", "family": "S", "capacity": 1},
            tags=tags)
        for s in range(sites):
            site = "app-%s-%02d-%d" % (rg[3:], n, s)
            props = {"name": site, "state": "Running", "hostNames": [site + ".azurewebsites.net"],
                     "webSpace": rg + "-" + location, "selfLink": "https://waws-prod-am2-%03d.api.azurewebsites."
                     "windows.net:454/subscriptions/%s/webspaces/%s/sites/%s" % (rng.randrange(999), self.sid, rg, site),
                     "enabled": True, "enabledHostNames": [site + ".azurewebsites.net",
                                                           site + ".scm.azurewebsites.net"],
                     "serverFarmId": ref(gen, plan_id, rg), "reserved": False, "httpsOnly": True,
                     "siteConfig": {"numberOfWorkers": 1, "netFrameworkVersion": "v6.0", "alwaysOn": True,
                                    "http20Enabled": True, "minTlsVersion": "1.2"},
                     "defaultHostName": site + ".azurewebsites.net", "clientAffinityEnabled": True,
                     "outboundIpAddresses": "20.50.2.1,20.50.2.2", "availabilityState": "Normal"}
            if subnet and rng.random() < 0.2:
                props["virtualNetworkSubnetId"] = subnet
            self.emit("Microsoft.Web/sites", rg, site, props, location, kind="app", tags=tags)
        return True

    def sql_unit(self, rg, n, location, tags):
        rng, gen = self.rng, self.gen
        dbs = rng.randrange(1, 4)
        if 2 + dbs > self.left():
            return False
        server = "sql-%s-%02d" % (rg[3:], n)
        sid = self.emit("Microsoft.Sql/servers", rg, server, {
            "administratorLogin": "sqladmin", "version": "12.0", "state": "Ready",
            "fullyQualifiedDomainName": server + ".database.windows.net", "privateEndpointConnections": [],
            "minimalTlsVersion": "1.2", "publicNetworkAccess": "Enabled"}, location, kind="v12.0", tags=tags)
        for db in ["master"] + ["sqldb-%s-%d" % (rg[3:], i) for i in range(dbs)]:
            master = db == "master"
            self.emit("Microsoft.Sql/servers/databases", rg, server + "/" + db, {
                "collation": "SQL_Latin1_General_CP1_CI_AS", "maxSizeBytes": 34359738368 if not master else 32212254720,
                "status": "Online", "databaseId": gen.guid(), "creationDate": "2020-0%d-1%dT09:00:00Z" % (
                    rng.randrange(1, 10), rng.randrange(10)), "currentServiceObjectiveName": "S0" if not master else "System",
                "requestedServiceObjectiveName": "S0" if not master else "System", "defaultSecondaryLocation":
                "northeurope", "catalogCollation": "SQL_Latin1_General_CP1_CI_AS", "zoneRedundant": False,
                "readScale": "Disabled", "currentSku": {"name": "Standard", "tier": "Standard", "capacity": 10},
                "storageAccountType": "GRS", "isLedgerOn": False}, location,
                kind="v12.0,user" if not master else "v12.0,system",
                sku={"name": "Standard", "tier": "Standard", "capacity": 10} if not master else
                {"name": "System", "tier": "System", "capacity": 0}, managed_by="", tags=tags)
        # the ID of a database is server/<name>: child -> parent from the resource ID path
        del sid
        return True

    def fill(self, tags):
        """Standalone key vaults in rg-shared-diag until the quota is met."""
        k = 0
        while self.left() > 0:
            self.keyvault("rg-shared-diag", "kv-s%d-fill-%05d" % (self.index, k), self.region, tags)
            k += 1

    def build(self):
        rng, gen = self.rng, self.gen
        region = self.region
        other = REGIONS[(self.index + 1) % len(REGIONS)]
        tags = self.tags("platform", "prod")
        # hub network and a shared diagnostics group
        hub_ids = self.vnet("rg-network-hub", "vnet-hub-s%d" % self.index, region, 100 + self.index,
                            ["GatewaySubnet", "snet-shared", "snet-app", "snet-data"], tags)
        shared_diag = self.storage("rg-shared-diag", "stdiag%dshared%s" % (self.index, gen.hexid(6)), region, tags)
        far_diag = self.storage("rg-shared-diag", "stdiag%dfar%s" % (self.index, gen.hexid(6)), other, tags)
        r = 0
        while self.left() > 0:
            r += 1
            app = rng.choice(APPS)
            env = rng.choice(ENVS)
            rg = "rg-%s-%s-s%d-%04d" % (app, env, self.index, r)
            t = self.tags(app, env)
            loc = region
            # network: own VNet (75%) or the hub (25%, cross-group dependency)
            if rng.random() < 0.75 and self.left() > 1:
                subnets = self.vnet(rg, "vnet-" + rg[3:], loc, r % 250, ["snet-web", "snet-app", "snet-data"], t)
                subnet_rg = rg
            else:
                subnets, subnet_rg = hub_ids[1:], "rg-network-hub"
            # boot diagnostics: own group (85%), shared group (10%), other region (5%)
            x = rng.random()
            if x < 0.85 and self.left() > 1:
                diag = self.storage(rg, "stdiag%s" % gen.hexid(12), loc, t, kind="Storage")
            elif x < 0.95:
                diag = shared_diag
            else:
                diag = far_diag
            vhds = None
            if rng.random() < 0.08 and self.left() > 1:
                vhds = self.storage(rg, "stvhds%s" % gen.hexid(12), loc, t, kind="Storage")
            avset = None
            if rng.random() < 0.2 and self.left() > 1:
                avset = self.emit("Microsoft.Compute/availabilitySets", rg, "avset-" + rg[3:], {
                    "platformUpdateDomainCount": 5, "platformFaultDomainCount": 2, "virtualMachines": []},
                    loc, sku={"name": "Aligned"}, tags=t)
            nsg_shared = None
            if rng.random() < 0.3 and self.left() > 1:
                nsg_shared = self.nsg(rg, "nsg-" + rg[3:], loc, t, {"subnets": [{"id": s} for s in subnets]})
            if rng.random() < 0.6 and self.left() > 1:
                self.keyvault(rg, "kv-%s" % gen.hexid(12), loc, t)
            # 5-60 VMs, a few web plans and SQL servers
            for n in range(rng.randrange(5, 61)):
                subnet = rng.choice(subnets)
                if rng.random() < 0.005:  # a subnet in another subscription's hub, not in the file
                    subnet = ("/subscriptions/%s/resourceGroups/rg-connectivity/providers/Microsoft.Network/"
                              "virtualNetworks/vnet-connectivity-hub/subnets/snet-shared" % gen.guid())
                if not self.vm_unit(rg, n, loc, subnet, subnet_rg, diag, vhds, avset, nsg_shared, t):
                    break
            for n in range(rng.randrange(0, 4)):
                if not self.web_unit(rg, n, loc, subnets[0] if subnet_rg == rg else None, t):
                    break
            for n in range(rng.randrange(0, 3)):
                if not self.sql_unit(rg, n, loc, t):
                    break
            if self.left() < 12:
                self.fill(tags)
        rng.shuffle(self.out)
        return self.out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--resources", type=int, required=True, help="number of resources (exact)")
    ap.add_argument("--out", required=True, help="output path")
    ap.add_argument("--seed", type=int, default=5, help="random seed (default 5)")
    a = ap.parse_args()
    if a.resources < SUBSCRIPTIONS * 20:
        ap.error("--resources must be at least %d" % (SUBSCRIPTIONS * 20))
    gen = Gen(a.seed, None)
    gen.tenant = gen.guid()
    n = a.resources
    quotas = [n // SUBSCRIPTIONS + (i < n % SUBSCRIPTIONS) for i in range(SUBSCRIPTIONS)]
    with open(a.out, "w", encoding="utf-8", newline="\n") as f:
        f.write('{"count":%d,"data":[\n' % n)
        first = True
        for i, q in enumerate(quotas):
            lines = Sub(gen, i, q).build()
            assert len(lines) == q, (len(lines), q)
            if not first:
                f.write(",\n")
            f.write(",\n".join(lines))
            first = False
        f.write('\n],"skip_token":null,"total_records":%d}\n' % n)
    return 0


if __name__ == "__main__":
    sys.exit(main())
