#!/usr/bin/env python3
"""Deterministic generator of a large new-spelling EA usage/cost export.

Writes a CSV with exactly the 55-column header of the Azure EA
"AmortizedCost" export (the new spelling used by
/work/shared/data/finops-EA_AmortizedCost_Small.csv): UTF-8 with BOM,
comma-delimited, LF line endings, fields quoted only when they contain a
comma or a double quote (so the JSON ``AdditionalInfo`` and ``Tags`` fields
are quoted with doubled inner quotes, exactly like the real export).

The data are synthetic but shaped like a real estate:

* several subscriptions, each with a few dozen resource groups in one region;
* ``--resources`` distinct resources (VMs, managed disks, storage accounts,
  public IPs, SQL databases, App Service plans and web apps, key vaults,
  load balancers, Log Analytics workspaces), each with 1-4 meters;
* ``Cost`` is exactly ``Quantity x EffectivePrice`` (integer arithmetic, no
  float rounding), with at most 10 decimals;
* as in real exports, the Bandwidth meter of a VM carries an all-lowercase
  copy of the VM's ResourceId (ARM IDs are case-insensitive), so the number
  of *case-insensitively* distinct ResourceIds equals ``--resources``;
* the first ``--resources`` rows visit every resource once (when
  rows >= resources), the rest pick a (resource, meter) pair at random.

Same arguments + same seed => byte-identical output.

Usage: python3 bench/gen_usage.py --rows 1000000 --resources 50000 --out FILE
"""

import argparse
import os
import random
import sys
import time
import uuid

HEADER = (
    "BillingAccountId,BillingAccountName,BillingPeriodStartDate,BillingPeriodEndDate,"
    "BillingProfileId,BillingProfileName,AccountOwnerId,AccountName,SubscriptionId,"
    "SubscriptionName,Date,Product,PartNumber,MeterId,ServiceFamily,MeterCategory,"
    "MeterSubCategory,MeterRegion,MeterName,Quantity,EffectivePrice,Cost,UnitPrice,"
    "BillingCurrency,ResourceLocation,AvailabilityZone,ConsumedService,ResourceId,"
    "ResourceName,ServiceInfo1,ServiceInfo2,AdditionalInfo,Tags,InvoiceSectionId,"
    "InvoiceSection,CostCenter,UnitOfMeasure,ResourceGroup,ReservationId,ReservationName,"
    "ProductOrderId,ProductOrderName,OfferId,IsAzureCreditEligible,Term,PublisherName,"
    "PlanName,ChargeType,Frequency,PublisherType,PayGPrice,PricingModel,"
    "CostAllocationRuleName,benefitId,benefitName"
)
assert len(HEADER.split(",")) == 55

BILLING_ACCOUNT = "8611537"
BILLING_NAME = "Contoso EA"
PERIOD_START = "09/01/2023"
PERIOD_END = "09/30/2023"
DAYS = ["09/%02d/2023" % d for d in range(1, 31)]

# ResourceLocation, MeterRegion, product region suffix
REGIONS = [
    ("EastUS", "US East"),
    ("EastUS2", "US East 2"),
    ("WestUS2", "US West 2"),
    ("CentralUS", "US Central"),
    ("NorthEurope", "EU North"),
    ("WestEurope", "EU West"),
    ("UKSouth", "UK South"),
    ("SoutheastAsia", "AP Southeast"),
]

SUB_NAMES = [
    "Contoso Production", "Contoso Development", "Contoso Shared Services",
    "Contoso Finance", "Contoso R&D Playground", "Contoso Analytics",
    "Contoso Identity", "Contoso Connectivity", "Contoso SAP", "Contoso Web",
]
RG_WORDS = ["app", "web", "data", "sql", "net", "core", "sap", "erp", "crm", "bi",
            "hub", "spoke", "mon", "ops", "api", "batch", "ml", "files"]
ENVS = ["prod", "dev", "test", "uat"]
OWNERS = ["alice", "bob", "carol", "dave", "erin", "frank"]

VM_SIZES = [  # (ARM size, meter subcategory, meter name, vCPUs, hourly price)
    ("Standard_D2s_v3", "Dv3/DSv3 Series", "D2 v3/D2s v3", 2, "0.096"),
    ("Standard_D4s_v3", "Dv3/DSv3 Series", "D4 v3/D4s v3", 4, "0.192"),
    ("Standard_D8s_v3", "Dv3/DSv3 Series", "D8 v3/D8s v3", 8, "0.384"),
    ("Standard_B2s", "BS Series", "B2s", 2, "0.0416"),
    ("Standard_B2ms", "BS Series", "B2ms", 2, "0.0832"),
    ("Standard_E4s_v3", "Ev3/ESv3 Series", "E4 v3/E4s v3", 4, "0.252"),
    ("Standard_F4s_v2", "FSv2 Series", "F4s v2", 4, "0.169"),
    ("Standard_DS2_v2", "Dv2/DSv2 Series", "D2 v2/DS2 v2", 2, "0.146"),
]
DISK_SKUS = [  # (meter subcategory, meter name, monthly price)
    ("Premium SSD Managed Disks", "P10 LRS Disk", "19.71"),
    ("Premium SSD Managed Disks", "P30 LRS Disk", "122.88"),
    ("Standard SSD Managed Disks", "E10 LRS Disk", "9.6"),
    ("Standard HDD Managed Disks", "S10 LRS Disk", "5.89"),
]


def quote(s):
    """CSV-quote like the export does (minimal quoting, doubled quotes)."""
    if "," in s or '"' in s or "\n" in s or "\r" in s:
        return '"' + s.replace('"', '""') + '"'
    return s


def dec(s):
    """'0.0416' -> (416, 4): scaled integer and number of decimals."""
    if "." in s:
        i, f = s.split(".")
        return int(i + f), len(f)
    return int(s), 0


def fmt(n, d):
    """Scaled integer -> shortest decimal text ('0.00006755', '8', '122.88')."""
    if d == 0:
        return str(n)
    s = str(n)
    if len(s) <= d:
        s = "0" * (d - len(s) + 1) + s
    i, f = s[:-d], s[-d:].rstrip("0")
    return i + "." + f if f else i


class Ctx:
    def __init__(self, rng):
        self.rng = rng

    def guid(self):
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def hexid(self, n):
        return "%0*x" % (n, self.rng.getrandbits(4 * n))


def meter(ctx, cache, key, category, subcat, name, uom, region, price, qty_range,
          qty_dec, product=None, family="Compute"):
    """A meter definition shared by all resources that use it (stable ids)."""
    k = (key, region[1])
    m = cache.get(k)
    if m is None:
        rng = ctx.rng
        part = "%s-%05d" % ("".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789")
                                    for _ in range(3)), rng.randrange(100000))
        if not product:
            # shaped like the real export: "Virtual Machines Dv3/DSv3 Series - D2 v3/D2s
            # v3 - US East", "Premium SSD Managed Disks - P10 LRS Disk - EU West",
            # "Log Analytics - Pay-as-you-go Data Retention"
            if category == "Virtual Machines":
                product = "%s %s - %s - %s" % (category, subcat, name, region[1])
            elif "Managed Disks" in subcat:
                product = "%s - %s - %s" % (subcat, name, region[1])
            else:
                product = "%s - %s" % (subcat if subcat and subcat != "Standard"
                                       else category, name)
        m = dict(category=category, subcat=subcat, name=name, uom=uom,
                 meter_region=region[1], price=price, qty_range=qty_range,
                 qty_dec=qty_dec, product=product, part=part, meter_id=ctx.guid(),
                 family=family)
        cache[k] = m
    return m


def build_resources(ctx, n_resources):
    rng = ctx.rng
    n_subs = 8
    subs = [(ctx.guid(), SUB_NAMES[i % len(SUB_NAMES)]) for i in range(n_subs)]
    # resource groups: (sub index, name, region)
    rgs = []
    for si in range(n_subs):
        for j in range(24):
            w = rng.choice(RG_WORDS)
            env = rng.choice(ENVS)
            region = REGIONS[rng.randrange(len(REGIONS))]
            rgs.append((si, "rg-%s-%s-%02d" % (w, env, j), region, env))
    meters = {}
    resources = []  # list of (resource fields, [meter dicts])
    kinds = ["vm", "vm", "disk", "disk", "disk", "storage", "pip", "sql", "plan",
             "site", "kv", "lb", "law"]
    serial = 0
    while len(resources) < n_resources:
        serial += 1
        si, rg, region, env = rgs[rng.randrange(len(rgs))]
        sub_id, sub_name = subs[si]
        kind = kinds[rng.randrange(len(kinds))]
        base = "/subscriptions/%s/resourceGroups/%s/providers/" % (sub_id, rg)
        short = "%s%05d" % (rng.choice(RG_WORDS), serial)
        reservation = None
        addl = ""
        svc2 = ""
        publisher = "Microsoft"
        plan = ""
        lower_bw = False
        if kind == "vm":
            size, subcat, mname, vcpus, price = VM_SIZES[rng.randrange(len(VM_SIZES))]
            name = "vm-%s-%s" % (short, env)
            rid = base + "Microsoft.Compute/virtualMachines/" + name
            svc = "Microsoft.Compute"
            plan = mname
            addl = ('{"UsageType":"ComputeHR","ServiceType":"%s","VMName":"%s","VCPUs":%d}'
                    % (size, name, vcpus))
            if rng.random() < 0.5:
                svc2 = "Windows Server BYOL"
            ms = [meter(ctx, meters, ("vm", size), "Virtual Machines", subcat, mname,
                        "1 Hour", region, price, (1, 24), 0),
                  meter(ctx, meters, "bw", "Bandwidth", "Inter-Region",
                        "Intra Continent Data Transfer Out", "1 GB", region, "0.02",
                        (1, 5000000), 6, family="Networking")]
            lower_bw = True
            if rng.random() < 0.2:
                reservation = (ctx.guid(), "RI-%s-%s" % (size, env), ctx.guid())
        elif kind == "disk":
            subcat, mname, price = DISK_SKUS[rng.randrange(len(DISK_SKUS))]
            name = "vm-%s-%s_OsDisk_1_%s" % (short, env, ctx.hexid(8))
            rid = base + "Microsoft.Compute/disks/" + name
            svc = "Microsoft.Compute"
            plan = mname.split()[0]
            ms = [meter(ctx, meters, ("disk", mname), "Storage", subcat, mname,
                        "1/Month", region, price, (1, 33333), 6, family="Storage"),
                  meter(ctx, meters, ("diskops", subcat), "Storage", subcat,
                        "Disk Operations", "10K", region, "0.0005", (1, 999999), 4,
                        family="Storage")]
        elif kind == "storage":
            name = "st%s%s" % (short, ctx.hexid(6))
            rid = base + "Microsoft.Storage/storageAccounts/" + name
            svc = "Microsoft.Storage"
            ms = [meter(ctx, meters, "blobdata", "Storage", "Tiered Block Blob",
                        "Hot LRS Data Stored", "1 GB/Month", region, "0.0184",
                        (1, 99999999), 6, family="Storage"),
                  meter(ctx, meters, "blobwrite", "Storage", "Tiered Block Blob",
                        "Hot LRS Write Operations", "10K", region, "0.065",
                        (1, 999999), 4, family="Storage"),
                  meter(ctx, meters, "blobread", "Storage", "Tiered Block Blob",
                        "Hot Read Operations", "10K", region, "0.005",
                        (1, 999999), 4, family="Storage")]
        elif kind == "pip":
            name = "pip-%s-%s" % (short, env)
            rid = base + "Microsoft.Network/publicIPAddresses/" + name
            svc = "Microsoft.Network"
            ms = [meter(ctx, meters, "pip", "Virtual Network", "IP Addresses",
                        "Standard IPv4 Static Public IP", "1 Hour", region, "0.005",
                        (1, 24), 0, family="Networking")]
        elif kind == "sql":
            server = "sql-%s-%s" % (short, env)
            name = "sqldb-%s" % ctx.hexid(6)
            rid = base + "Microsoft.Sql/servers/%s/databases/%s" % (server, name)
            svc = "Microsoft.Sql"
            vcores = rng.choice((2, 4, 8))
            addl = '{"AHB":"%s","vCores":%d}' % (rng.choice(("True", "False")), vcores)
            ms = [meter(ctx, meters, "sqlvcore", "SQL Database",
                        "General Purpose - Compute Gen5", "vCore", "1 Hour", region,
                        "0.2523", (1, 24 * 8), 0, family="Databases"),
                  meter(ctx, meters, "sqldata", "SQL Database",
                        "General Purpose - Storage", "Data Stored", "1 GB/Month", region,
                        "0.115", (1, 9999999), 6, family="Databases"),
                  meter(ctx, meters, "sqlbackup", "SQL Database",
                        "Single/Elastic Pool PITR Backup Storage", "LRS Data Stored",
                        "1 GB/Month", region, "0.1", (1, 999999), 6, family="Databases")]
        elif kind == "plan":
            name = "asp-%s-%s" % (short, env)
            rid = base + "Microsoft.Web/serverfarms/" + name
            svc = "Microsoft.Web"
            ms = [meter(ctx, meters, "p1v3", "Azure App Service", "Premium v3 Plan",
                        "P1 v3 App", "1 Hour", region, "0.169", (1, 24), 0,
                        family="Compute")]
        elif kind == "site":
            name = "app-%s-%s" % (short, env)
            rid = base + "Microsoft.Web/sites/" + name
            svc = "Microsoft.Web"
            ms = [meter(ctx, meters, "sitebw", "Bandwidth", "",
                        "Standard Data Transfer Out", "1 GB", region, "0.087",
                        (1, 999999), 6, family="Networking")]
        elif kind == "kv":
            name = "kv-%s-%s" % (short, ctx.hexid(4))
            rid = base + "Microsoft.KeyVault/vaults/" + name
            svc = "Microsoft.KeyVault"
            ms = [meter(ctx, meters, "kvops", "Key Vault", "Standard", "Operations",
                        "10K", region, "0.03", (1, 99999), 4, family="Security")]
        elif kind == "lb":
            name = "lb-%s-%s" % (short, env)
            rid = base + "Microsoft.Network/loadBalancers/" + name
            svc = "Microsoft.Network"
            ms = [meter(ctx, meters, "lbrules", "Load Balancer", "Standard",
                        "Standard Included LB Rules and Outbound Rules", "1 Hour",
                        region, "0.025", (1, 24), 0, family="Networking"),
                  meter(ctx, meters, "lbdata", "Load Balancer", "Standard",
                        "Standard Data Processed", "1 GB", region, "0.005",
                        (1, 9999999), 6, family="Networking")]
        else:  # law
            name = "log-%s-%s" % (short, env)
            rid = base + "Microsoft.OperationalInsights/workspaces/" + name
            svc = "microsoft.operationalinsights"
            ms = [meter(ctx, meters, "laingest", "Log Analytics", "",
                        "Pay-as-you-go Data Ingestion", "1 GB", region, "2.3",
                        (1, 9999999), 6, family="Management and Governance"),
                  meter(ctx, meters, "laret", "Log Analytics", "",
                        "Pay-as-you-go Data Retention", "1 GB/Month", region, "0.1",
                        (1, 9999999), 6, family="Management and Governance")]
        tags = '"env": "%s","owner": "%s"' % (env, rng.choice(OWNERS))
        if rng.random() < 0.3:
            tags += ',"costCenter": "CC%04d"' % rng.randrange(10000)
        if rng.random() < 0.1:
            tags = ""
        res = dict(sub_id=sub_id, sub_name=sub_name, rg=rg, region=region[0], rid=rid,
                   name=name, svc=svc, svc2=svc2, addl=addl, tags=tags,
                   reservation=reservation, publisher=publisher, plan=plan,
                   lower_bw=lower_bw, env=env)
        resources.append((res, ms))
    return resources


def build_templates(resources):
    """Per (resource, meter): (prefix up to Date, middle up to MeterName,
    ',EffectivePrice,' text, EffectivePrice scaled int/decimals, suffix, qty spec)."""
    head = ",".join(quote(x) for x in (
        BILLING_ACCOUNT, BILLING_NAME, PERIOD_START, PERIOD_END, BILLING_ACCOUNT,
        BILLING_NAME, "ea@contoso.com", "Contoso IT")) + ","
    pairs = []
    firsts = []
    for res, ms in resources:
        firsts.append(len(pairs))
        for mi, m in enumerate(ms):
            unit_n, unit_d = dec(m["price"])
            pricing, term, bid, bname, rid_, rname, poid, poname = (
                "OnDemand", "", "", "", "", "", "", "")
            ep_n, ep_d = unit_n, unit_d
            r = res["reservation"]
            if r is not None and mi == 0:
                # amortized reservation usage: discounted effective price
                pricing, term = "Reservation", "12"
                rid_, rname, poid = r[0], r[1], r[2]
                poname = "Reserved VM Instance, %s, %s, 1 Year" % (
                    m["name"], m["meter_region"])
                bid = ("/providers/Microsoft.Capacity/reservationOrders/%s/reservations/%s"
                       % (poid, rid_))
                bname = rname
                ep_n, ep_d = unit_n * 4222, unit_d + 4  # x 0.4222
            lower = res["lower_bw"] and m["category"] == "Bandwidth"
            rid = res["rid"].lower() if lower else res["rid"]
            svc = res["svc"].lower() if lower else res["svc"]
            rg = res["rg"].lower() if lower else res["rg"]
            prefix = head + res["sub_id"] + "," + quote(res["sub_name"]) + ","
            middle = "," + ",".join(quote(x) for x in (
                m["product"], m["part"], m["meter_id"], m["family"], m["category"],
                m["subcat"], m["meter_region"], m["name"])) + ","
            ep_text = "," + fmt(ep_n, ep_d) + ","
            suffix = "," + ",".join(quote(x) for x in (
                fmt(unit_n, unit_d), "USD", res["region"], "", svc, rid, res["name"],
                "", res["svc2"], res["addl"], res["tags"], "", "IT", "CC-IT",
                m["uom"], rg, rid_, rname, poid, poname, "MS-AZR-0017P", "True", term,
                res["publisher"], res["plan"], "Usage", "UsageBased", "Azure",
                fmt(unit_n, unit_d), pricing, "", bid, bname)) + "\n"
            pairs.append((prefix, middle, ep_text, ep_n, ep_d, suffix,
                          m["qty_range"][0], m["qty_range"][1], m["qty_dec"]))
    return pairs, firsts


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--resources", type=int, default=50_000)
    ap.add_argument("--seed", type=int, default=20230901)
    ap.add_argument("--out", required=True, help="output CSV path")
    a = ap.parse_args()
    if a.rows < 0 or a.resources < 1:
        ap.error("--rows must be >= 0 and --resources >= 1")

    t0 = time.time()
    rng = random.Random(a.seed)
    ctx = Ctx(rng)
    resources = build_resources(ctx, a.resources)
    pairs, firsts = build_templates(resources)
    n_pairs = len(pairs)

    tmp = a.out + ".tmp"
    rnd = rng.random
    randrange = rng.randrange
    days = DAYS
    n_days = len(days)
    chunk_rows = 20000
    with open(tmp, "wb", buffering=1 << 22) as f:
        f.write(b"\xef\xbb\xbf" + HEADER.encode() + b"\n")
        written = 0
        while written < a.rows:
            n = min(chunk_rows, a.rows - written)
            buf = []
            app = buf.append
            for i in range(written, written + n):
                if i < len(firsts):
                    p = pairs[firsts[i]]
                else:
                    p = pairs[int(rnd() * n_pairs)]
                prefix, middle, ep_text, ep_n, ep_d, suffix, qlo, qhi, qd = p
                q = randrange(qlo, qhi + 1)
                app(prefix)
                app(days[int(rnd() * n_days)])
                app(middle)
                app(fmt(q, qd))
                app(ep_text)
                app(fmt(q * ep_n, qd + ep_d))
                app(suffix)
            f.write("".join(buf).encode())
            written += n
    os.replace(tmp, a.out)
    size = os.path.getsize(a.out)
    print("wrote %s: %d rows, %d resources, %d bytes (%.1f MB, %.0f B/row) in %.1fs"
          % (a.out, a.rows, a.resources, size, size / 1e6, size / max(a.rows, 1),
             time.time() - t0), file=sys.stderr)


if __name__ == "__main__":
    main()
