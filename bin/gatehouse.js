#!/usr/bin/env node
// Runs the TypeScript CLI directly: Gatehouse ships its sources and runs them with tsx.
import { register } from "tsx/esm/api";

register();
await import("../src/cli.ts");
