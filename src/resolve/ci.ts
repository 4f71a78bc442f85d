// Evaluates ci-info's vendor table against a given environment, with ci-info's own
// semantics: `CI=false` switches every vendor off, and when several vendors match, the
// last one in the table wins (ci-info overwrites its result row by row).

import { CI_VENDORS, type CiVendor, type VendorEnv } from "../catalog/ci.ts";
import type { Env } from "../env.ts";

function set(env: Env, name: string): boolean {
  const v = env[name];
  return v !== undefined && v !== "";
}

// Plain loops: this runs on every call that reaches the CI layer, where each first use of
// a built-in such as Array.prototype.every costs more than the whole table.
function check(env: Env, c: VendorEnv): boolean {
  if (typeof c === "string") return set(env, c);
  if (Array.isArray(c)) {
    for (const part of c as readonly VendorEnv[]) if (!check(env, part)) return false;
    return true;
  }
  if ("env" in c && "includes" in c) {
    const v = env[c.env as string];
    return v !== undefined && v.includes(c.includes as string);
  }
  if ("any" in c && Array.isArray(c.any)) {
    for (const name of c.any as readonly string[]) if (set(env, name)) return true;
    return false;
  }
  const pairs = c as Readonly<Record<string, string>>;
  for (const name in pairs) if (env[name] !== pairs[name]) return false;
  return true;
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
