import type { FastifyPluginAsync } from "fastify";
import { accountsRoutes } from "./accounts.js";
import { adminRoutes } from "./admins.js";
import { authLogRoutes } from "./auth-logs.js";
import { billingRoutes } from "./billing.js";
import { bypassCodeRoutes } from "./bypass-codes.js";
import { groupRoutes } from "./groups.js";
import { infoRoutes } from "./info.js";
import { integrationRoutes } from "./integrations.js";
import { logoRoutes } from "./logo.js";
import { logRoutes } from "./logs.js";
import { phoneActivationRoutes } from "./phone-activation.js";
import { phoneRoutes } from "./phones.js";
import { policyRoutes } from "./policies.js";
import { settingsRoutes } from "./settings.js";
import { tokenRoutes } from "./tokens.js";
import { userRoutes } from "./users.js";
import { userEnrollRoutes } from "./users-enroll.js";
import { webAuthnRoutes } from "./webauthn.js";

/** Every endpoint family of the Duo door, one file each (research/duo-api.md §4, §6). */
export const DUO_ROUTES: FastifyPluginAsync[] = [
  infoRoutes,
  userRoutes,
  userEnrollRoutes,
  bypassCodeRoutes,
  phoneRoutes,
  phoneActivationRoutes,
  tokenRoutes,
  webAuthnRoutes,
  groupRoutes,
  adminRoutes,
  integrationRoutes,
  policyRoutes,
  settingsRoutes,
  logoRoutes,
  logRoutes,
  authLogRoutes,
  billingRoutes,
  accountsRoutes,
];
