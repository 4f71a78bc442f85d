// CI providers (design §4.6): the vendor table that the `ci-info` package ships
// (vendors.json), read as data and evaluated against the environment stitch was handed,
// the way ci-info's own engine evaluates it; plus the providers it lacks.

import vendorsJson from "ci-info/vendors.json";

/** The condition forms vendors.json uses (test/unit/catalog.test.ts checks every row). */
export type VendorEnv =
  | string
  | readonly VendorEnv[]
  | { readonly env: string; readonly includes: string }
  | { readonly any: readonly string[] }
  | Readonly<Record<string, string>>;

export interface CiVendor {
  readonly name: string;
  /** ci-info's constant; lower-cased it is the slug (`GITHUB_ACTIONS` → `github_actions`). */
  readonly constant: string;
  readonly env: VendorEnv;
}

/**
 * Providers ci-info does not list. Railway's CLI reports its own platform as `ci:railway`
 * when it runs inside a Railway deployment or build.
 */
const SUPPLEMENT: readonly CiVendor[] = [
  { name: "Railway", constant: "RAILWAY", env: { any: ["RAILWAY_ENVIRONMENT_ID", "RAILWAY_PROJECT_ID"] } },
];

export const CI_VENDORS: readonly CiVendor[] = [...(vendorsJson as readonly CiVendor[]), ...SUPPLEMENT];

/** `CI` set to a true value, with no vendor recognised, gives the plain `ci` caller. */
export const GENERIC_CI_VARIABLE = "CI";
