import {
  type Icon,
  IconApps,
  IconBuildingCommunity,
  IconDeviceMobileMessage,
  IconFingerprint,
  IconGauge,
  IconHierarchy2,
  IconHistory,
  IconReportAnalytics,
  IconSettings,
  IconShieldCheck,
  IconUser,
  IconUserCircle,
  IconUserShield,
  IconUsersGroup,
} from "@tabler/icons-react";
import { type ComponentType, type LazyExoticComponent, lazy } from "react";
import type { Action } from "./api/types.js";

/**
 * The signed-in pages: one row each, in the navigation's order. A page is its own file under
 * pages/ (default export), loaded on first visit so the initial JavaScript stays small. The left
 * navigation offers a row only when the engine allows its action in the current account; a page
 * reached by its address anyway shows the server's refusal. The order is DESIGN.md's ("The panel").
 * Paths never start with a server prefix (/api, /admin, /accounts, /auth): those are not the panel's.
 */
export interface PageRoute {
  /** A wouter pattern, e.g. "/users/:id". */
  path: string;
  label: string;
  /** What the page needs; the navigation asks the engine about it. */
  action: Action;
  icon: Icon;
  /** Listed in the left navigation (a detail page such as "/users/:id" is not). */
  nav: boolean;
  page: LazyExoticComponent<ComponentType>;
}

export const PAGES: readonly PageRoute[] = [
  {
    path: "/",
    label: "Dashboard",
    action: "dashboard:view",
    icon: IconGauge,
    nav: true,
    page: lazy(() => import("./pages/dashboard.js")),
  },
  {
    path: "/subaccounts",
    label: "Accounts",
    action: "subaccounts:list",
    icon: IconBuildingCommunity,
    nav: true,
    page: lazy(() => import("./pages/subaccounts.js")),
  },
  {
    path: "/subaccounts/:id",
    label: "Subaccount",
    action: "subaccounts:list",
    icon: IconBuildingCommunity,
    nav: false,
    page: lazy(() => import("./pages/subaccount-page.js")),
  },
  {
    path: "/administrators",
    label: "Administrators",
    action: "admins:view",
    icon: IconUserShield,
    nav: true,
    page: lazy(() => import("./pages/administrators.js")),
  },
  {
    path: "/administrators/:id",
    label: "Administrator",
    action: "admins:view",
    icon: IconUserShield,
    nav: false,
    page: lazy(() => import("./pages/administrator.js")),
  },
  {
    path: "/units",
    label: "Administrative Units",
    action: "units:manage",
    icon: IconHierarchy2,
    nav: true,
    page: lazy(() => import("./pages/units.js")),
  },
  {
    path: "/units/new",
    label: "Create Administrative Unit",
    action: "units:manage",
    icon: IconHierarchy2,
    nav: false,
    page: lazy(() => import("./pages/unit.js")),
  },
  {
    path: "/units/:id",
    label: "Administrative Unit",
    action: "units:manage",
    icon: IconHierarchy2,
    nav: false,
    page: lazy(() => import("./pages/unit.js")),
  },
  {
    path: "/users",
    label: "Users",
    action: "users:view",
    icon: IconUser,
    nav: true,
    page: lazy(() => import("./pages/users.js")),
  },
  {
    path: "/users/:id",
    label: "User",
    action: "users:view",
    icon: IconUser,
    nav: false,
    page: lazy(() => import("./pages/user.js")),
  },
  {
    path: "/groups",
    label: "Groups",
    action: "groups:view",
    icon: IconUsersGroup,
    nav: true,
    page: lazy(() => import("./pages/groups.js")),
  },
  {
    path: "/groups/:id",
    label: "Group",
    action: "groups:view",
    icon: IconUsersGroup,
    nav: false,
    page: lazy(() => import("./pages/group.js")),
  },
  {
    path: "/applications",
    label: "Applications",
    action: "applications:view",
    icon: IconApps,
    nav: true,
    page: lazy(() => import("./pages/applications.js")),
  },
  {
    path: "/applications/:id",
    label: "Application",
    action: "applications:view",
    icon: IconApps,
    nav: false,
    page: lazy(() => import("./pages/application.js")),
  },
  // R-POL-1: read by who may create or apply policies; each change is decided on the policy.
  {
    path: "/policies",
    label: "Policies",
    action: "policies:assign",
    icon: IconShieldCheck,
    nav: true,
    page: lazy(() => import("./pages/policies.js")),
  },
  {
    path: "/policies/:id",
    label: "Policy",
    action: "policies:assign",
    icon: IconShieldCheck,
    nav: false,
    page: lazy(() => import("./pages/policy.js")),
  },
  // Reports (R-REP-1): each one offered to the roles that may view it (R-ROLE-3).
  {
    path: "/reports/authentication-log",
    label: "Authentication Log",
    action: "reports:view_authentication_log",
    icon: IconFingerprint,
    nav: true,
    page: lazy(() => import("./pages/authentication-log.js")),
  },
  {
    path: "/reports/telephony-log",
    label: "Telephony Log",
    action: "reports:view_telephony_log",
    icon: IconDeviceMobileMessage,
    nav: true,
    page: lazy(() => import("./pages/telephony-log.js")),
  },
  {
    path: "/reports/policy-impact",
    label: "Policy Impact",
    action: "reports:view_policy_impact",
    icon: IconReportAnalytics,
    nav: true,
    page: lazy(() => import("./pages/policy-impact-report.js")),
  },

  {
    path: "/log",
    label: "Administrator Actions",
    action: "reports:view_administrator_actions",
    icon: IconHistory,
    nav: true,
    page: lazy(() => import("./pages/audit-log.js")),
  },
  {
    path: "/settings",
    label: "Settings",
    action: "settings:modify",
    icon: IconSettings,
    nav: true,
    page: lazy(() => import("./pages/settings.js")),
  },
  {
    path: "/profile",
    label: "Edit Profile",
    action: "profile:edit",
    icon: IconUserCircle,
    nav: true,
    page: lazy(() => import("./pages/profile.js")),
  },
];

export const PROFILE_PATH = "/profile";

/** Is there a page at this path (so a link to it leads somewhere)? */
export function hasPage(path: string): boolean {
  return PAGES.some((page) => page.path === path);
}
