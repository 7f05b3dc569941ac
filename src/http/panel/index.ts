import type { FastifyPluginAsync } from "fastify";
import type { ThrottlePolicy } from "../../domain/auth/throttle.js";
import { authRoutes } from "../auth/routes.js";
import { securityKeySignInRoutes } from "../auth/webauthn.js";
import { accessSummaryRoutes } from "./access-summary.js";
import { accountRoutes } from "./accounts.js";
import { adminRoutes } from "./admins.js";
import { applicationRoutes } from "./applications.js";
import { auditLogRoutes } from "./audit-log.js";
import { authenticationActivityRoutes } from "./authentication-activity.js";
import { authenticationLogRoutes } from "./authentication-log.js";
import { guardPanelText } from "./bad-text.js";
import { brandingSettingsRoutes } from "./branding.js";
import { bypassCodeRoutes } from "./bypass-codes.js";
import { enrollmentEmailRoutes } from "./enrollment-emails.js";
import { explainRoutes } from "./explain.js";
import { groupRoutes } from "./groups.js";
import { openApi } from "./openapi.js";
import { phoneRoutes } from "./phones.js";
import { policyRoutes } from "./policies.js";
import { profileRoutes } from "./profile.js";
import { rememberedBrowserRoutes } from "./remembered-browsers.js";
import { settingsRoutes } from "./settings.js";
import { switcherRoutes } from "./switcher.js";
import { telephonyLogRoutes } from "./telephony-log.js";
import { tokenRoutes } from "./tokens.js";
import { unitRoutes } from "./units.js";
import { routeActionGuard } from "./use-case.js";
import { userRoutes } from "./users.js";
import { webAuthnRoutes } from "./webauthn.js";
import { securityKeyProfileRoutes } from "./webauthn-profile.js";

/**
 * The panel's JSON API under /api: its own context. The session and CSRF guard runs before it, on
 * request, in the door that registers it (doors.ts); here each route's declared action is decided.
 */
export const panelApi: FastifyPluginAsync<{ throttle: ThrottlePolicy }> = async (
  app,
  { throttle },
) => {
  app.decorateRequest("panelTenant", undefined);
  guardPanelText(app);
  app.addHook("preHandler", routeActionGuard(app));
  // First: the OpenAPI document collects the routes registered after it.
  await app.register(openApi);
  await app.register(authRoutes, { throttle });
  await app.register(securityKeySignInRoutes, { throttle });
  await app.register(profileRoutes);
  await app.register(securityKeyProfileRoutes);
  await app.register(adminRoutes);
  await app.register(accountRoutes);
  await app.register(unitRoutes);
  await app.register(userRoutes);
  await app.register(enrollmentEmailRoutes);
  await app.register(bypassCodeRoutes);
  await app.register(rememberedBrowserRoutes);
  await app.register(phoneRoutes);
  await app.register(tokenRoutes);
  await app.register(webAuthnRoutes);
  await app.register(groupRoutes);
  await app.register(applicationRoutes);
  await app.register(policyRoutes);
  await app.register(settingsRoutes);
  await app.register(brandingSettingsRoutes);
  await app.register(switcherRoutes);
  await app.register(accessSummaryRoutes);
  await app.register(explainRoutes);
  await app.register(auditLogRoutes);
  await app.register(authenticationLogRoutes);
  await app.register(telephonyLogRoutes);
  await app.register(authenticationActivityRoutes);
};
