// Evaluates ci-info's vendor table against a given environment, with ci-info's own
// semantics: `CI=false` switches every vendor off, and when several vendors match, the
// last one in the table wins (ci-info overwrites its result row by row).

import { CI_VENDORS, type CiVendor, type VendorEnv } from "../catalog/ci.ts";
import type { Env } from "../catalog/condition.ts";

function set(env: Env, name: string): boolean {
  const v = env[name];
  return v !== undefined && v !== "";
}

function check(env: Env, c: VendorEnv): boolean {
  if (typeof c === "string") return set(env, c);
  if (Array.isArray(c)) return c.every((part: VendorEnv) => check(env, part));
  if ("env" in c && "includes" in c) {
    const v = env[c.env as string];
    return v !== undefined && v.includes(c.includes as string);
  }
  if ("any" in c && Array.isArray(c.any)) return c.any.some((name) => set(env, name));
  return Object.entries(c as Readonly<Record<string, string>>).every(([name, value]) => env[name] === value);
}

export function ciVendorOf(env: Env, vendors: readonly CiVendor[] = CI_VENDORS): CiVendor | undefined {
  if (env.CI === "false") return undefined;
  let found: CiVendor | undefined;
  for (const vendor of vendors) {
    if (check(env, vendor.env)) found = vendor;
  }
  return found;
}

export const ciSlug = (vendor: CiVendor): string => vendor.constant.toLowerCase();
