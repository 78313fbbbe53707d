/**
 * `--config sites.yaml`: per-site start URLs, link patterns and limits for the sites where the
 * defaults do not do. Command-line start URLs take the settings of the site whose origin they share.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';

const Limits = z
  .object({
    /** Seconds between two requests to one host (robots.txt Crawl-delay wins when longer). */
    delay: z.number().min(0).optional(),
    /** List pages followed per start URL (pagination included). */
    maxPages: z.number().int().min(1).optional(),
    /** Pagination hops from the start page. */
    maxDepth: z.number().int().min(0).optional(),
  })
  .strict();

const pattern = z.string().refine((s) => {
  try {
    new RegExp(s);
    return true;
  } catch {
    return false;
  }
}, 'not a regular expression');

const Site = Limits.extend({
  name: z.string().optional(),
  start: z.array(z.string().url().regex(/^https?:\/\//i, 'not an http(s) URL')).min(1),
  /** Regular expressions on a link's URL or text: report links the defaults miss. */
  include: z.array(pattern).optional(),
  /** Links to drop even when they look like reports. */
  exclude: z.array(pattern).optional(),
  /** Extra pagination links. */
  pagination: z.array(pattern).optional(),
}).strict();

export const SitesConfig = z
  .object({
    defaults: Limits.optional(),
    /** host:port (or host) allowed although private or loopback: intranets, tests. */
    allowHosts: z.array(z.string()).optional(),
    sites: z.array(Site).default([]),
  })
  .strict();
export type SitesConfig = z.infer<typeof SitesConfig>;

export interface SiteRules {
  include?: RegExp[];
  exclude?: RegExp[];
  pagination?: RegExp[];
}

/** What one start URL is crawled with. */
export interface StartSpec {
  url: string;
  name?: string;
  rules: SiteRules;
  delayMs?: number;
  maxPages?: number;
  maxDepth?: number;
}

export function readConfig(path: string): SitesConfig {
  let raw: unknown;
  try {
    raw = parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`${path}: ${(e as Error).message}`);
  }
  const parsed = SitesConfig.safeParse(raw ?? {});
  if (!parsed.success) throw new Error(`${path}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

const regexps = (list?: string[]) => list?.map((s) => new RegExp(s, 'i'));

/** Start URLs from the command line and the config, each with its site's rules and limits (site over defaults). */
export function startSpecs(urls: string[], config: SitesConfig = { sites: [] }): StartSpec[] {
  const specs = new Map<string, StartSpec>();
  const spec = (url: string, site?: SitesConfig['sites'][number]): StartSpec => ({
    url,
    name: site?.name,
    rules: { include: regexps(site?.include), exclude: regexps(site?.exclude), pagination: regexps(site?.pagination) },
    delayMs: (site?.delay ?? config.defaults?.delay) === undefined ? undefined : (site?.delay ?? config.defaults!.delay!) * 1000,
    maxPages: site?.maxPages ?? config.defaults?.maxPages,
    maxDepth: site?.maxDepth ?? config.defaults?.maxDepth,
  });
  for (const site of config.sites) for (const url of site.start) specs.set(url, spec(url, site));
  for (const url of urls) {
    if (specs.has(url)) continue;
    const origin = new URL(url).origin;
    specs.set(url, spec(url, config.sites.find((s) => s.start.some((u) => new URL(u).origin === origin))));
  }
  return [...specs.values()];
}
