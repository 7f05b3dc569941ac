import type { Edition, Role } from "../db/schema.js";

/** The sample MSP that `gatehouse demo` creates: every role, subaccount role and tag case is present. */
export const DEMO_PARENT = { name: "Northwind MSP", edition: "Premier" as Edition };

export const DEMO_SUBACCOUNTS: { name: string; edition: Edition; tags: string[]; nfr?: boolean }[] =
  [
    { name: "Northwind Internal", edition: "Premier", tags: [], nfr: true },
    { name: "Acme Corp (US)", edition: "Advantage", tags: ["US"] },
    { name: "Acme Corp (EU)", edition: "Advantage", tags: ["EU"] },
    { name: "Bluebird Health", edition: "Premier", tags: ["US", "Healthcare"] },
    { name: "Cedar County Government", edition: "Premier", tags: ["Government Restricted"] },
    { name: "Delta Logistics", edition: "Essentials", tags: ["EU"] },
    { name: "Evergreen Schools", edition: "Free", tags: [] },
    { name: "Fjord Shipping", edition: "Essentials", tags: ["EU", "Nordics"] },
    { name: "Granite Bank", edition: "Premier", tags: ["US", "Finance"] },
    { name: "Harbor Clinics", edition: "Advantage", tags: ["healthcare"] },
    { name: "Iris Design", edition: "Free", tags: [] },
    { name: "Juniper Legal", edition: "Advantage", tags: ["US"] },
    { name: "Kestrel Energy", edition: "Premier", tags: ["EU", "Government Restricted"] },
    { name: "Lumen Retail", edition: "Essentials", tags: ["US"] },
    { name: "Maple Foods", edition: "Essentials", tags: ["CA"] },
    { name: "Nimbus Cloud", edition: "Advantage", tags: [] },
    { name: "Orchid Hotels", edition: "Essentials", tags: ["EU"] },
    { name: "Pine Manufacturing", edition: "Advantage", tags: ["US"] },
    { name: "Quartz Insurance", edition: "Premier", tags: ["Finance", "EU"] },
    { name: "Redwood Labs", edition: "Free", tags: ["US"] },
  ];

export const DEMO_PARENT_ADMINS: {
  name: string;
  email: string;
  role: Role;
  subaccountRole: Role;
  tags: string[];
}[] = [
  {
    name: "Olivia Owner",
    email: "olivia@northwind.example",
    role: "Owner",
    subaccountRole: "Owner",
    tags: [],
  },
  {
    name: "Omar Owner",
    email: "omar@northwind.example",
    role: "Owner",
    subaccountRole: "Owner",
    tags: ["EU"],
  },
  {
    name: "Ada Administrator",
    email: "ada@northwind.example",
    role: "Administrator",
    subaccountRole: "Administrator",
    tags: ["US", "EU"],
  },
  {
    name: "Arne Apps",
    email: "arne@northwind.example",
    role: "Application Manager",
    subaccountRole: "Application Manager",
    tags: ["Nordics"],
  },
  {
    name: "Uma Users",
    email: "uma@northwind.example",
    role: "User Manager",
    subaccountRole: "User Manager",
    tags: ["US"],
  },
  {
    name: "Hugo Helpdesk EU",
    email: "hugo@northwind.example",
    role: "Help Desk",
    subaccountRole: "Help Desk",
    tags: ["EU"],
  },
  {
    name: "Hana Helpdesk US",
    email: "hana@northwind.example",
    role: "Help Desk",
    subaccountRole: "Help Desk",
    tags: ["US"],
  },
  {
    name: "Bea Billing",
    email: "bea@northwind.example",
    role: "Billing",
    subaccountRole: "Billing",
    tags: [],
  },
  {
    name: "Rui Readonly",
    email: "rui@northwind.example",
    role: "Read-only",
    subaccountRole: "Read-only",
    tags: ["Healthcare"],
  },
  {
    name: "Greta Gov",
    email: "greta@northwind.example",
    role: "Read-only",
    subaccountRole: "Owner",
    tags: ["Government Restricted"],
  },
  {
    name: "Uwe Unit",
    email: "uwe@northwind.example",
    role: "User Manager",
    subaccountRole: "Help Desk",
    tags: ["EU"],
  },
];

export const DEMO_GROUPS = ["Engineering", "Finance", "Sales", "Support", "Contractors"];

export const DEMO_APPLICATIONS: { name: string; type: string }[] = [
  { name: "VPN", type: "cisco-asa" },
  { name: "Windows Logon", type: "rdp" },
  { name: "Intranet", type: "websdk" },
  { name: "Payroll", type: "sso-generic" },
];

export const DEMO_FIRST_NAMES = [
  "Alex",
  "Bo",
  "Chen",
  "Dana",
  "Eli",
  "Fay",
  "Gus",
  "Ines",
  "Jon",
  "Kai",
  "Lea",
  "Mo",
];
export const DEMO_LAST_NAMES = [
  "Berg",
  "Costa",
  "Dahl",
  "Evans",
  "Fischer",
  "Garcia",
  "Hill",
  "Ito",
];

/** Two units at the parent, each restricting one admin (R-UNIT-2); an empty apps list means "all applications". */
export const DEMO_UNITS: {
  name: string;
  description: string;
  groups: string[];
  apps: string[];
  admins: string[];
}[] = [
  {
    name: "Engineering support",
    description: "Help desk for the Engineering group",
    groups: ["Engineering"],
    apps: [],
    admins: ["uwe@northwind.example"],
  },
  {
    name: "Finance systems",
    description: "Payroll and the Finance group",
    groups: ["Finance"],
    apps: ["Payroll"],
    admins: ["arne@northwind.example"],
  },
];
