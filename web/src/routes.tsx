import { type Icon, IconGauge } from "@tabler/icons-react";
import { type ComponentType, type LazyExoticComponent, lazy } from "react";
import type { Action } from "./api/types.js";

/**
 * The signed-in pages: one row each, in the navigation's order. A page is its own file under
 * pages/ (default export), loaded on first visit so the initial JavaScript stays small. The left
 * navigation offers a row only when the engine allows its action in the current account; a page
 * reached by its address anyway shows the server's refusal.
 *
 * The navigation of issue 8, row by row as the pages land (path, action):
 *   Accounts "/subaccounts" subaccounts:list; Administrators "/administrators" admins:view;
 *   Administrative Units "/units" units:manage; Users "/users" users:view; Groups "/groups"
 *   groups:view; Applications "/applications" applications:view; Administrator Actions log "/log"
 *   reports:view_administrator_actions; Edit Profile "/profile" profile:edit (also the user menu).
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
];

export const PROFILE_PATH = "/profile";

/** Is there a page at this path (so a link to it leads somewhere)? */
export function hasPage(path: string): boolean {
  return PAGES.some((page) => page.path === path);
}
