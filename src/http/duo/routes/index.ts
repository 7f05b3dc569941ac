import type { FastifyPluginAsync } from "fastify";
import { infoRoutes } from "./info.js";

/** Every endpoint family of the Duo door, one file each (research/duo-api.md §4, §6). */
export const DUO_ROUTES: FastifyPluginAsync[] = [infoRoutes];
