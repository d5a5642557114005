#!/usr/bin/env python3
"""A server inventory for the workloads benchmark (issue 9): an Azure Migrate import CSV of N servers (the
template's header, anchors.md §3.1) mixing the cases the rules judge (supported / old / 32-bit / client / UEFI /
unversioned / unknown OS, oversized disks, incomplete rows), and a dependency export joining them in groups of
up to 5 plus connections to infrastructure ports, repeated once per 6-hour time slot (--slots; 120 = the 30 days the
export covers). Deterministic (seeded)."""
import argparse
import csv
import random

OSES = [
    ("Windows Server 2019 Datacenter", "x64"),
    ("Windows Server 2022 Datacenter", "x64"),
    ("Windows Server 2016 Standard", "x64"),
    ("Windows Server 2012 R2 Standard", "x64"),
    ("Windows Server 2003 R2 Standard", "x86"),
    ("Windows 10 Enterprise", "x64"),
    ("Ubuntu Linux (64-bit)", ""),
    ("Red Hat Enterprise Linux 8.6", "x64"),
    ("Other", ""),
]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--servers", type=int, default=20000)
    parser.add_argument("--out", required=True)
    parser.add_argument("--dependencies", required=True)
    parser.add_argument("--slots", type=int, default=1,
                        help="6-hour time slots: each connection is repeated once per slot, as the export does")
    args = parser.parse_args()
    rng = random.Random(9)
    header = ["*Server name", "*Cores", "*Memory (In MB)", "*OS name", "OS version", "OS architecture",
              "Network adapters", "Boot type", "Number of disks", "Storage in use (In GB)",
              "Disk 1 size (In GB)", "Disk 2 size (In GB)", "Disk 3 size (In GB)"]
    names = [f"srv{i:05d}.contoso.local" for i in range(args.servers)]
    with open(args.out, "w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        for name in names:
            os_name, arch = rng.choice(OSES)
            disks = rng.randint(1, 3)
            sizes = [rng.choice([32, 64, 128, 256, 512, 1024, 4096, 40000]) for _ in range(disks)]
            incomplete = rng.random() < 0.01
            row = [name, rng.choice([1, 2, 4, 8, 16, 32]), rng.choice([2048, 4096, 8192, 16384, 65536]),
                   os_name, "", arch, rng.randint(1, 4), rng.choice(["BIOS", "BIOS", "UEFI"]),
                   "" if incomplete else disks, "" if incomplete else sum(sizes) // 3]
            row += ["" if incomplete else s for s in sizes] + [""] * (3 - disks)
            writer.writerow(row)
    with open(args.dependencies, "w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["Timeslot", "Source server name", "Source process", "Destination server name",
                         "Destination process", "Destination port"])
        for slot in range(args.slots):
            timeslot = f"slot {slot:03d}"
            for start in range(0, args.servers, 5):
                group = names[start:start + 5]
                for source, destination in zip(group, group[1:]):
                    writer.writerow([timeslot, source, "app", destination.split(".")[0], "app", 443])
                writer.writerow([timeslot, group[0], "lsass", names[0], "lsass", 389])


if __name__ == "__main__":
    main()
